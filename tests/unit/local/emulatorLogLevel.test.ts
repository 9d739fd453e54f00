import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emulatorLogLevel } from '../../../src/local/cognitoServer.js';

describe('Function: emulatorLogLevel', () => {
  it("keeps cognito-local's own lines (stack traces of routine client errors) out of npm start below debug", () => {
    for (const level of ['info', 'warn', 'error'] as const) {
      assert.equal(emulatorLogLevel(level), 'silent', level);
    }
    assert.equal(emulatorLogLevel('debug'), 'debug');
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LOCAL_STACK_DEFAULTS, resolveOptions } from '../../../src/local/startLocalStack.js';

describe('Function: resolveOptions', () => {
  it('applies the documented defaults', () => {
    assert.deepEqual(resolveOptions({}), LOCAL_STACK_DEFAULTS);
    assert.equal(LOCAL_STACK_DEFAULTS.cognitoPort, 9230);
    assert.equal(LOCAL_STACK_DEFAULTS.dynamodbPort, 8000);
    assert.equal(LOCAL_STACK_DEFAULTS.lambdaPort, 9001);
    assert.equal(LOCAL_STACK_DEFAULTS.consolePort, 9002);
  });

  it('keeps given values and ignores undefined ones', () => {
    const settings = resolveOptions({ cognitoPort: 0, tableName: 'people', region: undefined });

    assert.equal(settings.cognitoPort, 0);
    assert.equal(settings.tableName, 'people');
    assert.equal(settings.region, 'us-east-1');
  });

  for (const [options, message] of [
    [{ cognitoPort: 65536 }, /cognitoPort must be a port from 0 to 65535, got 65536/],
    [{ lambdaPort: 1.5 }, /lambdaPort must be a port from 0 to 65535, got 1.5/],
    [{ consolePort: -1 }, /consolePort must be a port from 0 to 65535, got -1/],
    [{ tableName: 'x' }, /tableName must be 3-255 characters/],
    [{ keyAttribute: 'sub' }, /keyAttribute must not be one of the row's own fields/],
    [{ confirmationCode: ' ' }, /confirmationCode must be a non-empty string/],
  ] as const) {
    it(`fails for ${JSON.stringify(options)}`, () => {
      assert.throws(() => resolveOptions(options), { name: 'LocalStackError', message });
    });
  }
});

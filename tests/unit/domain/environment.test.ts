import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHANGE_SIGNAL_ENVIRONMENT } from '../../../src/domain/changeSignalConfig.js';
import { HANDLER_ENVIRONMENT, readHandlerConfig } from '../../../src/domain/config.js';
import { resolveRowMapping } from '../../../src/domain/rowMapping/index.js';
import { readEnvironment } from '../../../src/shared/environment.js';
import { METRICS_VARIABLE } from '../../../src/shared/metrics.js';

describe('Function: readEnvironment', () => {
  it('reads every declared variable with its parser, under its field', () => {
    const config = readEnvironment(HANDLER_ENVIRONMENT, {
      TABLE_NAME: 'users',
      USER_ATTRIBUTES: 'email,given_name',
      ON_WRITE_FAILURE: 'REJECT',
    });

    assert.deepEqual(config, {
      tableName: 'users',
      keyAttribute: 'username',
      userAttributes: ['email', 'given_name'],
      logLevel: 'info',
      onWriteFailure: 'reject',
    });
    assert.deepEqual(readHandlerConfig({ TABLE_NAME: 'users' }), {
      ...config,
      userAttributes: undefined,
      onWriteFailure: 'continue',
      rowMapping: resolveRowMapping({}),
    });
  });

  it('names each declared variable when its value is wrong, so the reference matches the code', () => {
    const bad: Record<string, string> = {
      TABLE_NAME: 'x',
      KEY_ATTRIBUTE: 'sub',
      USER_ATTRIBUTES: 'a b',
      LOG_LEVEL: 'loud',
      ON_WRITE_FAILURE: 'maybe',
      USER_POOL_ID: 'pool',
      ON_DELETED: 'purge',
      SUB_INDEX: 'x',
      METRICS: 'sometimes',
    };
    for (const variable of [
      ...Object.values(HANDLER_ENVIRONMENT),
      ...Object.values(CHANGE_SIGNAL_ENVIRONMENT),
      METRICS_VARIABLE,
    ]) {
      const value = bad[variable.name];
      assert.ok(value !== undefined, `a bad value for ${variable.name}`);
      assert.throws(
        () => variable.parse(value, variable.name),
        (error: Error) => error.name === 'ConfigError' && error.message.includes(variable.name),
        variable.name,
      );
    }
  });

  it('treats METRICS as on unless it says off', () => {
    assert.equal(METRICS_VARIABLE.parse(undefined, 'METRICS'), true);
    assert.equal(METRICS_VARIABLE.parse('off', 'METRICS'), false);
    assert.equal(METRICS_VARIABLE.parse('on', 'METRICS'), true);
  });
});

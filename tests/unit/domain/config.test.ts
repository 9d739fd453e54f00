import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveRowMapping } from '../../../src/domain/rowMapping/index.js';
import { readHandlerConfig } from '../../../src/domain/triggerConfig.js';
import { ConfigError } from '../../../src/shared/errors.js';

describe('Function: readHandlerConfig', () => {
  it('applies the defaults when only TABLE_NAME is set', () => {
    assert.deepEqual(readHandlerConfig({ TABLE_NAME: 'users' }), {
      tableName: 'users',
      keyAttribute: 'username',
      userAttributes: undefined,
      logLevel: 'info',
      onWriteFailure: 'continue',
      rowMapping: resolveRowMapping({}),
    });
  });

  it('reads every variable', () => {
    const config = readHandlerConfig({
      TABLE_NAME: ' app-users ',
      KEY_ATTRIBUTE: 'pk',
      USER_ATTRIBUTES: 'email, given_name,custom:plan,email',
      LOG_LEVEL: 'DEBUG',
      ON_WRITE_FAILURE: 'Reject',
    });
    assert.deepEqual(config, {
      tableName: 'app-users',
      keyAttribute: 'pk',
      userAttributes: ['email', 'given_name', 'custom:plan'],
      logLevel: 'debug',
      onWriteFailure: 'reject',
      rowMapping: resolveRowMapping(
        {},
        { keyAttribute: 'pk', attributeAllowlist: ['email', 'given_name', 'custom:plan'] },
      ),
    });
  });

  const failures: [string, NodeJS.ProcessEnv, RegExp][] = [
    [
      'ON_WRITE_FAILURE is unknown',
      { TABLE_NAME: 'users', ON_WRITE_FAILURE: 'retry' },
      /ON_WRITE_FAILURE must be one of continue, reject, got "retry"/,
    ],
    ...['not a url', '127.0.0.1:8000', 'http://127.0.0.1:70000', 'ftp://127.0.0.1:8000'].map(
      (value): [string, NodeJS.ProcessEnv, RegExp] => [
        `AWS_ENDPOINT_URL_DYNAMODB is "${value}"`,
        { TABLE_NAME: 'users', AWS_ENDPOINT_URL_DYNAMODB: value },
        /^AWS_ENDPOINT_URL_DYNAMODB must be an http:\/\/ or https:\/\/ URL/,
      ],
    ),
    [
      'AWS_ENDPOINT_URL is not a URL',
      { TABLE_NAME: 'users', AWS_ENDPOINT_URL: 'localhost' },
      /^AWS_ENDPOINT_URL must be an http:\/\/ or https:\/\/ URL .*got "localhost"/,
    ],
    ['TABLE_NAME is missing', {}, /TABLE_NAME is required/],
    ['TABLE_NAME is blank', { TABLE_NAME: '  ' }, /TABLE_NAME is required/],
    ['TABLE_NAME has a bad character', { TABLE_NAME: 'users!' }, /TABLE_NAME .*"users!"/],
    [
      'KEY_ATTRIBUTE has a space',
      { TABLE_NAME: 'users', KEY_ATTRIBUTE: 'user name' },
      /KEY_ATTRIBUTE .*"user name"/,
    ],
    [
      'KEY_ATTRIBUTE is a row field',
      { TABLE_NAME: 'users', KEY_ATTRIBUTE: 'sub' },
      /KEY_ATTRIBUTE must not be one of the row's own fields.*"sub"/,
    ],
    [
      'USER_ATTRIBUTES has an empty entry',
      { TABLE_NAME: 'users', USER_ATTRIBUTES: 'email,,name' },
      /USER_ATTRIBUTES .*invalid entry ""/,
    ],
    [
      'LOG_LEVEL is unknown',
      { TABLE_NAME: 'users', LOG_LEVEL: 'verbose' },
      /LOG_LEVEL must be one of debug, info, warn, error, silent, got "verbose"/,
    ],
  ];
  for (const [name, env, message] of failures) {
    it(`throws a ConfigError when ${name}`, () => {
      assert.throws(
        () => readHandlerConfig(env),
        (error: unknown) => {
          assert.ok(error instanceof ConfigError);
          assert.match((error as Error).message, message);
          return true;
        },
      );
    });
  }
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveRowMapping } from '../../../src/domain/rowMapping/validate.js';
import { readScheduledReconcileConfig } from '../../../src/domain/scheduledConfig.js';
import { ConfigError } from '../../../src/shared/errors.js';
import { testReconcileConfig } from '../../helpers/reconcileConfig.js';

const REQUIRED = { USER_POOL_ID: 'us-east-1_Pool1', TABLE_NAME: 'users' };

describe('Function: readScheduledReconcileConfig', () => {
  it('applies the defaults when only USER_POOL_ID and TABLE_NAME are set', () => {
    assert.deepEqual(readScheduledReconcileConfig(REQUIRED), {
      ...testReconcileConfig(),
      logLevel: 'info',
    });
  });

  it('reads every variable', () => {
    assert.deepEqual(
      readScheduledReconcileConfig({
        ...REQUIRED,
        KEY_ATTRIBUTE: 'pk',
        USER_ATTRIBUTES: 'email,custom:plan',
        USER_STATUSES: 'CONFIRMED,EXTERNAL_PROVIDER',
        ORPHANS: 'mark',
        FAIL_ON_ORPHANS: 'true',
        CONCURRENCY: '32',
        LIST_RATE: '5',
        SCAN_SEGMENTS: '8',
        DRY_RUN: '1',
        LOG_LEVEL: 'debug',
      }),
      {
        userPoolId: 'us-east-1_Pool1',
        tableName: 'users',
        keyAttribute: 'pk',
        userAttributes: ['email', 'custom:plan'],
        statusFilter: { only: ['CONFIRMED', 'EXTERNAL_PROVIDER'] },
        orphans: 'mark',
        failOnOrphans: true,
        concurrency: 32,
        listRate: 5,
        scanSegments: 8,
        dryRun: true,
        rowMapping: resolveRowMapping(
          {},
          { keyAttribute: 'pk', attributeAllowlist: ['email', 'custom:plan'] },
        ),
        logLevel: 'debug',
      },
    );
  });

  it('reads the row mapping from ROW_MAPPING, naming the variable when it is wrong', () => {
    const config = readScheduledReconcileConfig({
      ...REQUIRED,
      ROW_MAPPING:
        '{"key":{"attribute":"pk","template":"USER#{sub}"},"sortKey":{"attribute":"sk","template":"PROFILE"}}',
    });
    assert.equal(config.rowMapping.key.template, 'USER#{sub}');
    assert.equal(config.rowMapping.sortKey?.attribute, 'sk');
    assert.throws(
      () => readScheduledReconcileConfig({ ...REQUIRED, ROW_MAPPING: '{"fields":{"email":3}}' }),
      /ROW_MAPPING is invalid: fields\.email: expected a string or false, got 3/,
    );
    assert.throws(
      () =>
        readScheduledReconcileConfig({
          ...REQUIRED,
          KEY_ATTRIBUTE: 'id',
          ROW_MAPPING: '{"key":{"attribute":"pk","template":"{sub}"}}',
        }),
      /ROW_MAPPING: key\.attribute: names key attribute "pk", but the keyAttribute setting is "id"/,
    );
  });

  it('includes UNCONFIRMED users with INCLUDE_UNCONFIRMED', () => {
    assert.deepEqual(
      readScheduledReconcileConfig({ ...REQUIRED, INCLUDE_UNCONFIRMED: 'yes' }).statusFilter,
      { except: [] },
    );
  });

  const failures: [string, NodeJS.ProcessEnv, RegExp][] = [
    ['USER_POOL_ID is missing', { TABLE_NAME: 'users' }, /USER_POOL_ID is required/],
    [
      'USER_POOL_ID is malformed',
      { ...REQUIRED, USER_POOL_ID: 'nope' },
      /USER_POOL_ID must look like .*"nope"/,
    ],
    ['TABLE_NAME is missing', { USER_POOL_ID: 'us-east-1_Pool1' }, /TABLE_NAME is required/],
    [
      'ORPHANS is unknown',
      { ...REQUIRED, ORPHANS: 'drop' },
      /ORPHANS must be one of report, mark, delete, got "drop"/,
    ],
    [
      'CONCURRENCY is 0',
      { ...REQUIRED, CONCURRENCY: '0' },
      /CONCURRENCY must be a whole number from 1 to 256, got "0"/,
    ],
    [
      'LIST_RATE is negative',
      { ...REQUIRED, LIST_RATE: '-1' },
      /LIST_RATE must be a number from 0\.1 to 1000, got -1$/,
    ],
    ['SCAN_SEGMENTS is too high', { ...REQUIRED, SCAN_SEGMENTS: '65' }, /SCAN_SEGMENTS .*got "65"/],
    [
      'DRY_RUN is not a boolean',
      { ...REQUIRED, DRY_RUN: 'maybe' },
      /DRY_RUN must be true or false, got "maybe"/,
    ],
    [
      'USER_STATUSES has an unknown status',
      { ...REQUIRED, USER_STATUSES: 'ACTIVE' },
      /USER_STATUSES .*"ACTIVE"/,
    ],
    [
      'USER_STATUSES and INCLUDE_UNCONFIRMED are both set',
      { ...REQUIRED, USER_STATUSES: 'CONFIRMED', INCLUDE_UNCONFIRMED: 'true' },
      /^USER_STATUSES and INCLUDE_UNCONFIRMED cannot be used together$/,
    ],
    ['LOG_LEVEL is unknown', { ...REQUIRED, LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
  ];
  for (const [name, env, message] of failures) {
    it(`throws a ConfigError when ${name}`, () => {
      assert.throws(
        () => readScheduledReconcileConfig(env),
        (error: unknown) => error instanceof ConfigError && message.test(error.message),
      );
    });
  }
});

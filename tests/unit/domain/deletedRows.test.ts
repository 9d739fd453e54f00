import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readChangeSignalConfig } from '../../../src/domain/changeSignalConfig.js';
import {
  DEFAULT_DELETED_ROW_POLICY,
  type DeletedRowPolicy,
  deletedRowSettingsOf,
  expiryOf,
} from '../../../src/domain/deletedRows.js';
import { parseReconcileSettings, valuesSource } from '../../../src/domain/reconcileSettings.js';
import { readScheduledReconcileConfig } from '../../../src/domain/scheduledConfig.js';
import { DELETED_ROW_SETTINGS } from '../../../src/domain/settings/index.js';
import { readDeletedRowPolicy } from '../../../src/domain/signInConfig.js';
import { parseArgs } from '../../../src/entry/cli/parseArgs.js';
import { renderEnvironment } from '../../../src/shared/settings.js';

describe('Function: readDeletedRowPolicy', () => {
  it('erases and writes no expiry by default', () => {
    assert.deepEqual(readDeletedRowPolicy({}, 'username'), DEFAULT_DELETED_ROW_POLICY);
  });

  it('reads the legal hold, the retention, and defaults the attribute to expiresAt with a retention', () => {
    assert.deepEqual(
      readDeletedRowPolicy(
        { RETAIN_PERSONAL_DATA_OF_DELETED_USERS: 'true', DELETED_ROW_RETENTION_DAYS: '30' },
        'username',
      ),
      { retainPersonalData: true, retentionDays: 30, timeToLiveAttribute: 'expiresAt' },
    );
    assert.equal(
      readDeletedRowPolicy({ TIME_TO_LIVE_ATTRIBUTE: 'purgeAt' }, 'username').timeToLiveAttribute,
      'purgeAt',
    );
  });

  it('fails naming the variable and the bad value', () => {
    assert.throws(() => readDeletedRowPolicy({ DELETED_ROW_RETENTION_DAYS: '0' }, 'username'), {
      message: 'DELETED_ROW_RETENTION_DAYS must be a whole number from 1 to 3650, got "0"',
    });
    assert.throws(
      () => readDeletedRowPolicy({ RETAIN_PERSONAL_DATA_OF_DELETED_USERS: 'maybe' }, 'username'),
      { message: 'RETAIN_PERSONAL_DATA_OF_DELETED_USERS must be true or false, got "maybe"' },
    );
    assert.throws(() => readDeletedRowPolicy({ TIME_TO_LIVE_ATTRIBUTE: 'email' }, 'username'), {
      message: /^TIME_TO_LIVE_ATTRIBUTE must not be one of the row's own fields .*got "email"$/,
    });
    assert.throws(() => readDeletedRowPolicy({ TIME_TO_LIVE_ATTRIBUTE: 'pk' }, 'pk'), {
      message: 'TIME_TO_LIVE_ATTRIBUTE must differ from KEY_ATTRIBUTE, got "pk" for both',
    });
  });

  it('writes back as the variables it reads', () => {
    const policy = { retainPersonalData: true, retentionDays: 7, timeToLiveAttribute: 'ttl' };
    const environment = (value: DeletedRowPolicy) =>
      renderEnvironment(DELETED_ROW_SETTINGS, deletedRowSettingsOf(value));
    assert.deepEqual(readDeletedRowPolicy(environment(policy), 'username'), policy);
    assert.deepEqual(environment(DEFAULT_DELETED_ROW_POLICY), {});
  });
});

describe('Function: expiryOf', () => {
  it('is whole epoch seconds, the retention after the mark', () => {
    assert.equal(expiryOf(new Date('2030-01-01T00:00:00.999Z'), 2), 1_893_456_000 + 2 * 86_400);
  });
});

describe('Reconcile settings: the policy of marked rows', () => {
  const required = { userPoolId: 'us-east-1_Pool1', tableName: 'users' };

  it('leaves the default policy out of the configuration', () => {
    assert.equal('deletedRows' in parseReconcileSettings(valuesSource(required)), false);
  });

  it('reads the same three settings, by the construct prop names', () => {
    const config = parseReconcileSettings(
      valuesSource({
        ...required,
        retainPersonalDataOfDeletedUsers: 'true',
        deletedRowRetentionDays: '14',
      }),
    );
    assert.deepEqual(config.deletedRows, {
      retainPersonalData: true,
      retentionDays: 14,
      timeToLiveAttribute: 'expiresAt',
    });
  });

  it('fails naming the setting', () => {
    assert.throws(
      () => parseReconcileSettings(valuesSource({ ...required, deletedRowRetentionDays: 'x' })),
      { message: 'deletedRowRetentionDays must be a whole number from 1 to 3650, got "x"' },
    );
  });
});

describe('The policy of marked rows, by every way in', () => {
  const policy = { retainPersonalData: true, retentionDays: 30, timeToLiveAttribute: 'purgeAt' };
  const variables = {
    RETAIN_PERSONAL_DATA_OF_DELETED_USERS: 'true',
    DELETED_ROW_RETENTION_DAYS: '30',
    TIME_TO_LIVE_ATTRIBUTE: 'purgeAt',
  };

  it('the command line takes the flags', () => {
    const request = parseArgs([
      'reconcile',
      '--user-pool-id',
      'us-east-1_Pool1',
      '--table',
      'users',
      '--retain-personal-data-of-deleted-users',
      '--deleted-row-retention-days',
      '30',
      '--time-to-live-attribute',
      'purgeAt',
    ]);
    assert.equal(request.kind, 'reconcile');
    assert.deepEqual(request.kind === 'reconcile' && request.config.deletedRows, policy);
  });

  it('the scheduled function and the change-signal function take the variables', () => {
    const scheduled = readScheduledReconcileConfig({
      USER_POOL_ID: 'us-east-1_Pool1',
      TABLE_NAME: 'users',
      ...variables,
    });
    assert.deepEqual(scheduled.deletedRows, policy);
    const changeSignal = readChangeSignalConfig({
      USER_POOL_ID: 'us-east-1_Pool1',
      TABLE_NAME: 'users',
      ...variables,
    });
    assert.deepEqual(changeSignal.deletedRows, policy);
  });
});

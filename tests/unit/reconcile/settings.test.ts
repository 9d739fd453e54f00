import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScheduledReconcileOptions } from '../../../src/cdk/ScheduledReconcileOptions.js';
import { validateScheduledReconcile } from '../../../src/cdk/scheduledReconcile.js';
import {
  environmentSource,
  parseReconcileSettings,
  RECONCILE_SETTINGS,
  RUN_SETTINGS,
  type RunSettingKey,
  toEnvironment,
  valuesSource,
} from '../../../src/domain/reconcileSettings.js';
import { readScheduledReconcileConfig } from '../../../src/domain/scheduledConfig.js';
import { parseArgs, RECONCILE_USAGE } from '../../../src/entry/cli/parseArgs.js';
import type { Setting, SettingFlag } from '../../../src/shared/settings.js';

const TARGET = { USER_POOL_ID: 'eu-west-1_AbC123', TABLE_NAME: 'users' };

describe('Constant: RECONCILE_SETTINGS', () => {
  it('gives every setting a distinct key, flag and variable', () => {
    for (const field of ['key', 'flag', 'env'] as const) {
      const values = RECONCILE_SETTINGS.map((setting: Setting) =>
        field === 'flag' ? setting.flag?.name : setting[field],
      );
      assert.equal(new Set(values).size, values.length, field);
    }
  });

  it('lists every flag, with its default, in the usage text', () => {
    for (const setting of RECONCILE_SETTINGS) {
      const flag: SettingFlag | undefined = setting.flag;
      assert.ok(flag, setting.key);
      const line = RECONCILE_USAGE.split('\n').find((text) =>
        text.trimStart().startsWith(`--${flag.name}`),
      );
      assert.ok(line, flag.name);
      if (setting.type === 'string' && !flag.fallsBackToEnv) {
        assert.match(line, new RegExp(`\\(default: ${escapeRegExp(setting.defaultText)}\\)`));
      }
    }
  });

  it('makes every run setting an option of the scheduled reconcile', () => {
    const keys: readonly (keyof ScheduledReconcileOptions)[] = RUN_SETTINGS.map(
      (setting): RunSettingKey => setting.key,
    );
    assert.deepEqual([...keys].sort(), [
      'concurrency',
      'dryRun',
      'failOnOrphans',
      'includeUnconfirmed',
      'listChains',
      'listRate',
      'orphans',
      'scanSegments',
      'statuses',
      'update',
    ]);
  });
});

describe('Function: parseReconcileSettings', () => {
  it('reads the same run from the command line, the environment and construct options', () => {
    const argv = [
      'reconcile',
      '--user-pool-id',
      TARGET.USER_POOL_ID,
      '--table',
      TARGET.TABLE_NAME,
      '--key-attribute',
      'pk',
      '--statuses',
      'CONFIRMED,EXTERNAL_PROVIDER',
      '--orphans',
      'mark',
      '--fail-on-orphans',
      '--concurrency',
      '8',
      '--list-rate',
      '2.5',
      '--scan-segments',
      '3',
      '--list-chains',
      '4',
      '--dry-run',
    ];
    const fromCli = parseArgs(argv);
    assert.equal(fromCli.kind, 'reconcile');

    const construct = validateScheduledReconcile({
      statuses: ['CONFIRMED', 'EXTERNAL_PROVIDER'],
      orphans: 'mark',
      failOnOrphans: true,
      concurrency: 8,
      listRate: 2.5,
      scanSegments: 3,
      listChains: 4,
      dryRun: true,
    });
    const env = toEnvironment({
      userPoolId: TARGET.USER_POOL_ID,
      tableName: TARGET.TABLE_NAME,
      keyAttribute: 'pk',
      userAttributes: undefined,
      ...construct.settings,
    });
    const { logLevel, ...fromEnv } = readScheduledReconcileConfig(env);

    assert.equal(logLevel, 'info');
    assert.equal(fromEnv.listChains, 4);
    assert.deepEqual(fromEnv, fromCli.kind === 'reconcile' ? fromCli.config : undefined);
  });

  it('applies the same defaults whatever the source', () => {
    const fromEnv = parseReconcileSettings(environmentSource(TARGET));
    const fromOptions = validateScheduledReconcile({}).settings;

    assert.equal(fromEnv.concurrency, fromOptions.concurrency);
    assert.equal(fromEnv.listRate, fromOptions.listRate);
    assert.equal(fromEnv.scanSegments, fromOptions.scanSegments);
    assert.equal(fromEnv.orphans, fromOptions.orphans);
    assert.equal(fromEnv.dryRun, fromOptions.dryRun);
  });

  it('names the setting as it was given when a value is wrong', () => {
    assert.throws(
      () => parseReconcileSettings(environmentSource({ ...TARGET, LIST_RATE: 'fast' })),
      /LIST_RATE must be a number from 0\.1 to 1000, got fast/,
    );
    assert.throws(
      () => validateScheduledReconcile({ listRate: 0 }),
      /scheduledReconcile\.listRate must be a number from 0.1 to 1000/,
    );
  });

  it('takes settings by key, the same as from the environment, naming the key when wrong', () => {
    assert.deepEqual(
      parseReconcileSettings(valuesSource({ userPoolId: 'eu-west-1_AbC123', tableName: 'users' })),
      parseReconcileSettings(environmentSource(TARGET)),
    );
    assert.throws(
      () =>
        parseReconcileSettings(
          valuesSource({ userPoolId: 'eu-west-1_AbC123', tableName: 'users', listRate: 'fast' }),
        ),
      /^ConfigError: listRate must be a number from 0.1 to 1000/,
    );
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveRowMapping } from '../../../src/domain/rowMapping/validate.js';
import {
  allSettings,
  CHANGE_SIGNAL_SETTINGS,
  familySettings,
  POST_CONFIRMATION_SETTINGS,
  RECONCILE_SETTINGS,
} from '../../../src/domain/settings/index.js';
import { readHandlerConfig } from '../../../src/domain/triggerConfig.js';
import { parseArgs, RECONCILE_FLAGS, RECONCILE_USAGE } from '../../../src/entry/cli/parseArgs.js';
import { ConfigError } from '../../../src/shared/errors.js';
import { METRICS_SETTING } from '../../../src/shared/metrics.js';
import {
  checkSettings,
  defineSetting,
  readEnvironment,
  renderEnvironment,
  SETTING_FAMILIES,
  type Setting,
} from '../../../src/shared/settings.js';

/** A value for each setting that differs from its default (a round trip of the default proves little). */
const SAMPLES: Readonly<Record<string, unknown>> = {
  tableName: 'app-users',
  keyAttribute: 'pk',
  userAttributes: ['email', 'custom:plan'],
  logLevel: 'debug',
  onWriteFailure: 'reject',
  metrics: false,
  userPoolId: 'eu-west-1_AbC123',
  onDeleted: 'delete',
  subIndexName: 'bySub',
  retainPersonalDataOfDeletedUsers: true,
  deletedRowRetentionDays: 30,
  timeToLiveAttribute: 'purgeAt',
  statuses: { only: ['CONFIRMED', 'EXTERNAL_PROVIDER'] },
  includeUnconfirmed: true,
  orphans: 'mark',
  failOnOrphans: true,
  concurrency: 8,
  listRate: 2.5,
  listChains: 4,
  scanSegments: 3,
  dryRun: true,
  update: true,
  timeLimit: 30.5,
  stateTableName: 'users-state',
  rowMapping: '{"fields":{"email":"useremail"}}',
};

/** A value for each variable that its parser refuses, naming the variable. */
const BAD: Readonly<Record<string, string>> = {
  TABLE_NAME: 'x',
  KEY_ATTRIBUTE: 'sub',
  USER_ATTRIBUTES: 'a b',
  LOG_LEVEL: 'loud',
  ON_WRITE_FAILURE: 'maybe',
  USER_POOL_ID: 'pool',
  ON_DELETED: 'purge',
  SUB_INDEX: 'x',
  METRICS: 'sometimes',
  RETAIN_PERSONAL_DATA_OF_DELETED_USERS: 'maybe',
  DELETED_ROW_RETENTION_DAYS: '0',
  TIME_TO_LIVE_ATTRIBUTE: 'email',
  USER_STATUSES: 'ASLEEP',
  INCLUDE_UNCONFIRMED: 'perhaps',
  ORPHANS: 'keep',
  FAIL_ON_ORPHANS: 'perhaps',
  CONCURRENCY: '0',
  LIST_RATE: 'fast',
  LIST_CHAINS: '17',
  SCAN_SEGMENTS: '65',
  DRY_RUN: 'perhaps',
  UPDATE: 'perhaps',
  RECONCILE_TIME_LIMIT: '-1',
  STATE_TABLE_NAME: 'x',
  ROW_MAPPING: '{"fields":{"email":3}}',
};

function complete(overrides: Partial<Setting<string, string>>): Setting<string, string> {
  return defineSetting({
    key: 'sample',
    env: 'SAMPLE',
    type: 'string',
    doc: 'a sample',
    defaultText: 'none',
    families: ['cli'],
    parse: (value) => value ?? '',
    ...overrides,
  });
}

describe('Settings: the declarations', () => {
  it('declares every setting completely, with no two sharing a key, a variable or a flag', () => {
    assert.doesNotThrow(() => checkSettings(allSettings()));
    assert.equal(allSettings().length, Object.keys(SAMPLES).length);
  });

  it('refuses a declaration without a doc or a default, or one that clashes', () => {
    assert.throws(() => checkSettings([complete({ doc: '' })]), {
      message: 'setting sample must have a doc',
    });
    assert.throws(() => checkSettings([complete({ defaultText: ' ' })]), {
      message: 'setting sample must have a defaultText',
    });
    assert.throws(() => checkSettings([complete({ families: [] })]), {
      message: 'setting sample must name the families that read it',
    });
    assert.throws(() => checkSettings([complete({}), complete({ key: 'other' })]), {
      message: 'settings sample and other share the variable SAMPLE',
    });
  });

  it('lists in each family exactly the settings whose declarations name it', () => {
    const families = familySettings();
    for (const family of SETTING_FAMILIES) {
      const declared = allSettings().filter((setting) => setting.families.includes(family));
      assert.deepEqual(
        [...families[family]].map((setting) => setting.key).sort(),
        declared.map((setting) => setting.key).sort(),
        family,
      );
    }
  });

  it('writes each setting as text that parses back to the value, in every family', () => {
    for (const [family, list] of Object.entries(familySettings())) {
      const values = Object.fromEntries(list.map((setting) => [setting.key, SAMPLES[setting.key]]));
      const env = renderEnvironment(list, values);
      assert.deepEqual(
        Object.keys(env).sort(),
        list.map((setting) => setting.env).sort(),
        `${family}: one variable per setting`,
      );
      assert.deepEqual(readEnvironment(list, env), values, family);
    }
  });

  it('leaves out what is absent or the default that writes as nothing', () => {
    assert.deepEqual(
      renderEnvironment(POST_CONFIRMATION_SETTINGS, {
        tableName: 'users',
        userAttributes: undefined,
        metrics: true,
      }),
      { TABLE_NAME: 'users' },
    );
  });

  it('names each declared variable when its value is wrong, so the reference matches the code', () => {
    for (const setting of allSettings()) {
      const value = BAD[setting.env];
      assert.ok(value !== undefined, `a bad value for ${setting.env}`);
      assert.throws(
        () => setting.parse(value, setting.env),
        (error: Error) => error instanceof ConfigError && error.message.includes(setting.env),
        setting.env,
      );
    }
  });
});

describe('Function: readEnvironment', () => {
  it('reads every declared variable with its parser, under its field', () => {
    const config = readEnvironment(POST_CONFIRMATION_SETTINGS, {
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
      metrics: true,
      rowMapping: undefined,
    });
    const { metrics: _metrics, ...handler } = config;
    assert.deepEqual(readHandlerConfig({ TABLE_NAME: 'users' }), {
      ...handler,
      userAttributes: undefined,
      onWriteFailure: 'continue',
      rowMapping: resolveRowMapping({}),
    });
  });

  it('treats METRICS as on unless it says off', () => {
    assert.equal(METRICS_SETTING.parse(undefined, 'METRICS'), true);
    assert.equal(METRICS_SETTING.parse('off', 'METRICS'), false);
    assert.equal(METRICS_SETTING.parse('on', 'METRICS'), true);
  });

  it('keeps the variables of the change-signal function apart from the confirmation trigger’s', () => {
    const names = CHANGE_SIGNAL_SETTINGS.map((setting: Setting) => setting.env);
    assert.equal(names.includes('ON_WRITE_FAILURE'), false);
    assert.equal(names.includes('USER_POOL_ID'), true);
  });
});

describe('Command line: the flags of the schema', () => {
  it('takes a flag for every setting of its family, and only those besides its own', () => {
    assert.deepEqual(
      RECONCILE_FLAGS.map(({ setting }) => setting.key),
      RECONCILE_SETTINGS.map((setting: Setting) => setting.key),
    );
    const listed = [...RECONCILE_USAGE.matchAll(/^ {2}(?:-\w, )?--([a-z-]+)/gm)].map(
      (match) => match[1],
    );
    assert.deepEqual(listed, [
      ...RECONCILE_FLAGS.map(({ flag }) => flag.name),
      'json',
      'checkpoint',
      'help',
      'version',
    ]);
  });

  it('accepts each flag of the schema and refuses one the schema lacks', () => {
    const base = ['reconcile', '--user-pool-id', 'eu-west-1_AbC123', '--table', 'users'];
    for (const { setting, flag } of RECONCILE_FLAGS) {
      const sample = SAMPLES[setting.key];
      const text = Array.isArray(sample)
        ? sample.join(',')
        : typeof sample === 'object' && sample !== null && 'only' in sample
          ? String(sample.only)
          : String(sample);
      const args = setting.type === 'boolean' ? [`--${flag.name}`] : [`--${flag.name}`, text];
      assert.doesNotThrow(() => parseArgs([...base, ...args]), flag.name);
    }
    assert.throws(() => parseArgs([...base, '--log-level', 'debug']), {
      message: 'unknown option --log-level',
    });
  });
});

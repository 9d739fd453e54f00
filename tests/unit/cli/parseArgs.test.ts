import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReconcileConfig } from '../../../src/domain/reconcileConfig.js';
import { resolveRowMapping } from '../../../src/domain/rowMapping/validate.js';
import { parseArgs } from '../../../src/entry/cli/parseArgs.js';
import { ConfigError } from '../../../src/shared/errors.js';
import { testReconcileConfig } from '../../helpers/reconcileConfig.js';

const REQUIRED = ['reconcile', '--user-pool-id', 'us-east-1_Pool1', '--table', 'users'];

const DEFAULTS = testReconcileConfig();

describe('Function: parseArgs', () => {
  it('applies the defaults when only the pool and the table are given', () => {
    assert.deepEqual(parseArgs(REQUIRED), {
      kind: 'reconcile',
      config: DEFAULTS,
      json: false,
      timeLimitSeconds: 120,
    });
  });

  it('takes the time limit from --time-limit, else RECONCILE_TIME_LIMIT', () => {
    const limit = (argv: string[], env = {}) => {
      const request = parseArgs([...REQUIRED, ...argv], env);
      return request.kind === 'reconcile' ? request.timeLimitSeconds : undefined;
    };
    assert.equal(limit(['--time-limit', '2.5']), 2.5);
    assert.equal(limit(['--time-limit', '0']), 0);
    assert.equal(limit([], { RECONCILE_TIME_LIMIT: '30' }), 30);
    assert.equal(limit(['--time-limit', '5'], { RECONCILE_TIME_LIMIT: '30' }), 5);
  });

  const accepted: [string, string[], Partial<ReconcileConfig>, boolean?][] = [
    ['--dry-run', ['--dry-run'], { dryRun: true }],
    ['--update', ['--update'], { update: true }],
    ['--json', ['--json'], {}, true],
    ['--orphans mark', ['--orphans', 'mark'], { orphans: 'mark' }],
    ['--orphans=DELETE', ['--orphans=DELETE'], { orphans: 'delete' }],
    ['--fail-on-orphans', ['--fail-on-orphans'], { failOnOrphans: true }],
    ['--concurrency 1', ['--concurrency', '1'], { concurrency: 1 }],
    ['--concurrency 256', ['--concurrency', '256'], { concurrency: 256 }],
    ['--list-rate 2.5', ['--list-rate', '2.5'], { listRate: 2.5 }],
    ['--scan-segments 8', ['--scan-segments', '8'], { scanSegments: 8 }],
    ['--key-attribute pk', ['--key-attribute', 'pk'], { keyAttribute: 'pk' }],
    [
      '--attributes',
      ['--attributes', 'email,given_name'],
      { userAttributes: ['email', 'given_name'] },
    ],
    [
      '--statuses',
      ['--statuses', 'confirmed,EXTERNAL_PROVIDER'],
      { statusFilter: { only: ['CONFIRMED', 'EXTERNAL_PROVIDER'] } },
    ],
    ['--include-unconfirmed', ['--include-unconfirmed'], { statusFilter: { except: [] } }],
    [
      '--row-mapping <json>',
      ['--row-mapping', '{"fields":{"email":"useremail"}}'],
      { rowMapping: resolveRowMapping({ fields: { email: 'useremail' } }) },
    ],
    [
      '--row-mapping <json> with --key-attribute',
      [
        '--key-attribute',
        'pk',
        '--row-mapping',
        '{"sortKey":{"attribute":"sk","template":"PROFILE"}}',
      ],
      {
        keyAttribute: 'pk',
        rowMapping: resolveRowMapping({
          key: { attribute: 'pk', template: '{username}' },
          sortKey: { attribute: 'sk', template: 'PROFILE' },
        }),
      },
    ],
  ];
  for (const [name, extra, patch, json] of accepted) {
    it(`accepts ${name}`, () => {
      assert.deepEqual(parseArgs([...REQUIRED, ...extra]), {
        kind: 'reconcile',
        config: testReconcileConfig(patch),
        json: json ?? false,
        timeLimitSeconds: 120,
      });
    });
  }

  it('falls back on USER_POOL_ID and TABLE_NAME', () => {
    const request = parseArgs(['reconcile'], { USER_POOL_ID: 'eu-west-1_Abc', TABLE_NAME: 'rows' });
    assert.equal(request.kind, 'reconcile');
    assert.equal(request.kind === 'reconcile' && request.config.userPoolId, 'eu-west-1_Abc');
    assert.equal(request.kind === 'reconcile' && request.config.tableName, 'rows');
  });

  it('prefers options to the environment', () => {
    const request = parseArgs(REQUIRED, { USER_POOL_ID: 'eu-west-1_Abc', TABLE_NAME: 'rows' });
    assert.equal(request.kind === 'reconcile' && request.config.tableName, 'users');
  });

  const help: [string[], 'main' | 'reconcile'][] = [
    [['--help'], 'main'],
    [['-h'], 'main'],
    [['help'], 'main'],
    [['reconcile', '--help'], 'reconcile'],
    [['reconcile', '-h', '--concurrency', '0'], 'reconcile'],
  ];
  for (const argv of [['--version'], ['-V'], ['reconcile', '--version']]) {
    it(`asks for the version with ${argv.join(' ')}`, () => {
      assert.deepEqual(parseArgs(argv), { kind: 'version' });
    });
  }

  for (const [argv, topic] of help) {
    it(`shows the ${topic} help for ${argv.join(' ')}`, () => {
      assert.deepEqual(parseArgs(argv), { kind: 'help', topic });
    });
  }

  const rejected: [string, string[], RegExp][] = [
    ['no command', [], /a command is required/],
    ['an unknown command', ['sync'], /unknown command "sync"/],
    ['an unknown option', [...REQUIRED, '--force'], /^unknown option --force$/],
    ['an unknown option with a value', [...REQUIRED, '--bogus=1'], /^unknown option --bogus$/],
    ['an unknown short option', [...REQUIRED, '-x'], /^unknown option -x$/],
    [
      'a negative list rate',
      [...REQUIRED, '--list-rate', '-5'],
      /^--list-rate must be a number from 0\.1 to 1000, got -5$/,
    ],
    [
      'a negative list rate after =',
      [...REQUIRED, '--list-rate=-5'],
      /^--list-rate must be a number from 0\.1 to 1000, got -5$/,
    ],
    [
      'a list rate below 0.1',
      [...REQUIRED, '--list-rate', '0.05'],
      /^--list-rate must be a number from 0\.1 to 1000, got 0\.05$/,
    ],
    ['a stray argument', [...REQUIRED, 'extra'], /unexpected argument "extra"/],
    [
      'a missing pool id',
      ['reconcile', '--table', 'users'],
      /--user-pool-id \(or USER_POOL_ID\) is required/,
    ],
    [
      'a malformed pool id',
      ['reconcile', '--user-pool-id', 'pool', '--table', 'users'],
      /--user-pool-id must look like .*"pool"/,
    ],
    [
      'a missing table',
      ['reconcile', '--user-pool-id', 'us-east-1_Pool1'],
      /--table \(or TABLE_NAME\) is required/,
    ],
    [
      'a bad table name',
      ['reconcile', '--user-pool-id', 'us-east-1_Pool1', '--table', 'a b'],
      /--table must be .*"a b"/,
    ],
    ['an option without its value', [...REQUIRED, '--concurrency'], /--concurrency/],
    [
      'concurrency 0',
      [...REQUIRED, '--concurrency', '0'],
      /--concurrency must be a whole number from 1 to 256, got "0"/,
    ],
    ['concurrency 257', [...REQUIRED, '--concurrency', '257'], /got "257"/],
    ['concurrency 1.5', [...REQUIRED, '--concurrency', '1.5'], /got "1.5"/],
    ['concurrency abc', [...REQUIRED, '--concurrency', 'abc'], /got "abc"/],
    ['a list rate of 0', [...REQUIRED, '--list-rate', '0'], /--list-rate must be .* got 0$/],
    ['a list rate over the maximum', [...REQUIRED, '--list-rate', '5000'], /got 5000$/],
    [
      'an unknown orphan mode',
      [...REQUIRED, '--orphans', 'purge'],
      /--orphans must be one of report, mark, delete, got "purge"/,
    ],
    [
      'an unknown status',
      [...REQUIRED, '--statuses', 'CONFIRMED,ACTIVE'],
      /invalid entry "ACTIVE"/,
    ],
    [
      '--statuses with --include-unconfirmed',
      [...REQUIRED, '--statuses', 'CONFIRMED', '--include-unconfirmed'],
      /^--statuses and --include-unconfirmed cannot be used together$/,
    ],
    [
      'a reserved key attribute',
      [...REQUIRED, '--key-attribute', 'email'],
      /--key-attribute must not be one of the row's own fields/,
    ],
    ['a value to a flag', [...REQUIRED, '--dry-run=yes'], /does not take an argument/],
    [
      'an invalid row mapping',
      [...REQUIRED, '--row-mapping', '{"fields":{"email":3}}'],
      /^--row-mapping is invalid: fields\.email: expected a string or false, got 3$/,
    ],
    [
      'a row mapping file that cannot be read',
      [...REQUIRED, '--row-mapping', '/nonexistent/mapping.json'],
      /^--row-mapping: expected a JSON document or the path of a JSON file, and cannot read file "\/nonexistent\/mapping\.json": ENOENT$/,
    ],
  ];
  for (const [name, argv, message] of rejected) {
    it(`throws a ConfigError for ${name}`, () => {
      assert.throws(
        () => parseArgs(argv),
        (error: unknown) => error instanceof ConfigError && message.test(error.message),
      );
    });
  }
});

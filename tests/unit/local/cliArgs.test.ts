import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLocalStackArgs } from '../../../src/local/cliArgs.js';

describe('Function: parseLocalStackArgs', () => {
  it('uses .local and leaves the log level to the stack default (info) when none is given', () => {
    assert.deepEqual(parseLocalStackArgs([], {}), {
      kind: 'start',
      options: { dataDir: '.local' },
      stackFile: '.local/stack.json',
    });
  });

  it('reads LOCAL_IN_MEMORY with the package-wide boolean parser, and refuses what it is not', () => {
    for (const value of ['1', 'true', 'YES', 'on']) {
      const command = parseLocalStackArgs([], { LOCAL_IN_MEMORY: value });
      assert.equal(command.kind === 'start' && command.options.dataDir, undefined, value);
    }
    const off = parseLocalStackArgs([], { LOCAL_IN_MEMORY: 'off' });
    assert.equal(off.kind === 'start' && off.options.dataDir, '.local');
    assert.throws(
      () => parseLocalStackArgs([], { LOCAL_IN_MEMORY: 'sometimes' }),
      (error: Error) =>
        error.name === 'LocalStackError' &&
        /LOCAL_IN_MEMORY must be true or false, got "sometimes"/.test(error.message),
    );
  });

  const cases: [string, string[], Record<string, string>, Record<string, unknown>][] = [
    [
      'ports from flags',
      ['--cognito-port', '1', '--dynamodb-port', '2', '--lambda-port', '0'],
      {},
      { cognitoPort: 1, dynamodbPort: 2, lambdaPort: 0 },
    ],
    [
      'ports from the environment',
      [],
      { LOCAL_COGNITO_PORT: '7', LOCAL_DYNAMODB_PORT: '8', LOCAL_LAMBDA_PORT: '9' },
      { cognitoPort: 7, dynamodbPort: 8, lambdaPort: 9 },
    ],
    [
      'flags over the environment',
      ['--cognito-port', '1'],
      { LOCAL_COGNITO_PORT: '7' },
      { cognitoPort: 1 },
    ],
    ['the console port from a flag', ['--console-port', '0'], {}, { consolePort: 0 }],
    [
      'the console port from the environment',
      [],
      { LOCAL_CONSOLE_PORT: '9102' },
      { consolePort: 9102 },
    ],
    ['the code', ['--code', '999999'], {}, { confirmationCode: '999999' }],
    [
      'the code from the environment',
      [],
      { LOCAL_CONFIRMATION_CODE: '424242' },
      { confirmationCode: '424242' },
    ],
    [
      'the table and key',
      ['--table-name', 'people', '--key-attribute', 'id'],
      {},
      { tableName: 'people', keyAttribute: 'id' },
    ],
    ['the table from TABLE_NAME', [], { TABLE_NAME: 'people' }, { tableName: 'people' }],
    [
      'the host and region',
      ['--host', '0.0.0.0', '--region', 'eu-west-1'],
      {},
      { host: '0.0.0.0', region: 'eu-west-1' },
    ],
    ['the log level, any case', ['--log-level', 'DEBUG'], {}, { logLevel: 'debug' }],
    [
      'the row mapping',
      ['--row-mapping', '{"fields":{"email":"useremail"}}'],
      {},
      { rowMapping: '{"fields":{"email":"useremail"}}' },
    ],
    [
      'the row mapping from ROW_MAPPING',
      [],
      { ROW_MAPPING: '{"keyAttribute":"id"}' },
      { rowMapping: '{"keyAttribute":"id"}' },
    ],
  ];
  for (const [name, args, env, expected] of cases) {
    it(`reads ${name}`, () => {
      const command = parseLocalStackArgs(args, env);
      assert.equal(command.kind, 'start');
      if (command.kind !== 'start') return;
      for (const [key, value] of Object.entries(expected)) {
        assert.equal(command.options[key as keyof typeof command.options], value, key);
      }
    });
  }

  it('keeps no data directory in memory mode but still writes the stack file there', () => {
    for (const [args, env] of [
      [['--in-memory'], {}],
      [[], { LOCAL_IN_MEMORY: 'true' }],
    ] as const) {
      const command = parseLocalStackArgs(args, env);
      assert.equal(command.kind === 'start' && command.options.dataDir, undefined);
      assert.equal(command.kind === 'start' && command.stackFile, '.local/stack.json');
    }
  });

  it('reads the data directory', () => {
    const command = parseLocalStackArgs(['--data-dir', '/tmp/x'], {});

    assert.equal(command.kind === 'start' && command.options.dataDir, '/tmp/x');
    assert.equal(command.kind === 'start' && command.stackFile, '/tmp/x/stack.json');
  });

  it('reads the policy of marked rows from flags and variables, leaving the default out', () => {
    const command = parseLocalStackArgs(
      ['--deleted-row-retention-days', '30', '--retain-personal-data-of-deleted-users'],
      { TIME_TO_LIVE_ATTRIBUTE: 'purgeAt' },
    );
    assert.deepEqual(command.kind === 'start' && command.options.deletedRows, {
      retainPersonalData: true,
      retentionDays: 30,
      timeToLiveAttribute: 'purgeAt',
    });
    const plain = parseLocalStackArgs([], {});
    assert.equal(plain.kind === 'start' && 'deletedRows' in plain.options, false);
  });

  it('asks for help', () => {
    assert.deepEqual(parseLocalStackArgs(['-h'], {}), { kind: 'help' });
  });

  for (const [args, env, message] of [
    [['--cognito-port', '70000'], {}, /--cognito-port must be a port from 0 to 65535, got "70000"/],
    [['--lambda-port', 'abc'], {}, /--lambda-port must be a port/],
    [[], { LOCAL_CONSOLE_PORT: '70000' }, /LOCAL_CONSOLE_PORT must be a port/],
    [[], { LOCAL_DYNAMODB_PORT: '-1' }, /LOCAL_DYNAMODB_PORT must be a port/],
    [['--log-level', 'loud'], {}, /--log-level must be one of/],
    [
      ['--deleted-row-retention-days', '0'],
      {},
      /--deleted-row-retention-days must be a whole number from 1 to 3650, got "0"/,
    ],
    [[], { TIME_TO_LIVE_ATTRIBUTE: 'sub' }, /TIME_TO_LIVE_ATTRIBUTE must not be one of the row's/],
    [['--unknown'], {}, /Unknown option '--unknown'/],
    [
      ['--row-mapping', '{"fields":{"email":3}}'],
      {},
      /^--row-mapping is invalid: fields\.email: expected a string or false, got 3$/,
    ],
    [
      ['--key-attribute', 'id', '--row-mapping', '{"key":{"attribute":"pk","template":"{sub}"}}'],
      {},
      /--row-mapping: key\.attribute: names key attribute "pk", but the keyAttribute setting is "id"/,
    ],
    [['extra'], {}, /Unexpected argument 'extra'/],
  ] as const) {
    it(`fails for ${JSON.stringify(args)} ${JSON.stringify(env)}`, () => {
      assert.throws(() => parseLocalStackArgs(args, env), { name: 'LocalStackError', message });
    });
  }
});

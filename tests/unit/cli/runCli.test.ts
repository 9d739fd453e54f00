import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runCli } from '../../../src/entry/cli/runCli.js';
import { cognitoUser, FakeCognito, FakeTable, NO_WAIT, sdkError } from '../reconcile/fakes.js';

function capture(isTTY = false) {
  const chunks: string[] = [];
  return {
    stream: { isTTY, write: (chunk: string) => chunks.push(chunk) },
    text: () => chunks.join(''),
  };
}

function setup(users = 3) {
  const cognito = new FakeCognito(Array.from({ length: users }, (_, i) => cognitoUser(`u${i}`)));
  const table = new FakeTable();
  const stdout = capture();
  const stderr = capture();
  const run = (...argv: string[]) =>
    runCli({
      argv: [
        'reconcile',
        '--user-pool-id',
        'us-east-1_Pool1',
        '--table',
        'users',
        '--list-rate',
        '1000',
        // One unfiltered listing, so that the pages are the pool's.
        '--list-chains',
        '1',
        ...argv,
      ],
      stdout: stdout.stream,
      stderr: stderr.stream,
      clients: { cognito, dynamo: table.client },
      reconcileOptions: { retry: NO_WAIT },
    });
  return { cognito, table, stdout, stderr, run };
}

describe('Function: runCli', () => {
  it('exits 0 and prints one JSON object with the counts with --json', async () => {
    const { table, stdout, stderr, run } = setup();
    const code = await run('--json');
    assert.equal(code, 0);
    const summary = JSON.parse(stdout.text());
    assert.equal(summary.created, 3);
    assert.equal(summary.converged, true);
    assert.equal(table.rows.size, 3);
    assert.match(
      stderr.text(),
      /listed 3 users in 1 page: 3 to create; now scanning the table for orphaned rows/,
    );
  });

  it('prints a readable summary without --json', async () => {
    const { stdout, run } = setup();
    assert.equal(await run(), 0);
    assert.match(stdout.text(), /rows to create +3 +\(created 3, already present 0\)/);
    assert.match(stdout.text(), /converged +yes/);
  });

  it('exits 1 on a dry run with work to do, listing the planned keys and writing nothing', async () => {
    const { table, stdout, stderr, run } = setup();
    assert.equal(await run('--dry-run'), 1);
    assert.equal(table.rows.size, 0);
    assert.match(stdout.text(), /would create: u0, u1, u2/);
    assert.match(stderr.text(), /not converged: dry run: the table is out of sync/);
  });

  it('lists the first 20 planned keys of a large dry run and counts the others', async () => {
    const { stdout, run } = setup(75);
    assert.equal(await run('--dry-run'), 1);
    assert.match(stdout.text(), /rows to create +75\n/);
    assert.match(stdout.text(), /would create: u0, u1, .*, u19 \(and 55 more\)\n/);
  });

  it('exits 1 with the reason when the pool cannot be read', async () => {
    const { cognito, stderr, run } = setup();
    cognito.failures.push(sdkError('AccessDeniedException', 'no ListUsers'));
    assert.equal(await run(), 1);
    assert.match(
      stderr.text(),
      /not converged: the run stopped early \(could not list the users of pool "us-east-1_Pool1".*no ListUsers/,
    );
  });

  it('exits 1 and names the failed writes', async () => {
    const { table, stderr, run } = setup(1);
    table.writeFailures.push(sdkError('AccessDeniedException', 'no PutItem'));
    assert.equal(await run(), 1);
    assert.match(stderr.text(), /create u0 failed: .*no PutItem/);
    assert.match(stderr.text(), /not converged: 1 of 1 writes failed/);
  });

  it('exits 2 with one line and a pointer to --help for bad arguments, touching nothing', async () => {
    const { cognito, stdout, stderr, run } = setup();
    assert.equal(await run('--concurrency', '0'), 2);
    assert.equal(
      stderr.text(),
      'cognito-user-sync: --concurrency must be a whole number from 1 to 256, got "0"\n' +
        'Run "cognito-user-sync reconcile --help" for the options.\n',
    );
    assert.equal(stdout.text(), '');
    assert.equal(cognito.calls.length, 0);
  });

  it('says "unknown option --bogus" in one line', async () => {
    const { stderr, run } = setup();
    assert.equal(await run('--bogus'), 2);
    assert.equal(stderr.text().split('\n')[0], 'cognito-user-sync: unknown option --bogus');
    assert.doesNotMatch(stderr.text(), /positional argument|Usage:/);
  });

  it('prints the version on stdout with --version and exits 0', async () => {
    const stdout = capture();
    const stderr = capture();
    assert.equal(
      await runCli({ argv: ['--version'], stdout: stdout.stream, stderr: stderr.stream }),
      0,
    );
    const { version } = JSON.parse(
      readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'),
    );
    assert.equal(stdout.text(), `${version}\n`);
  });

  it('prints the help on stdout and exits 0', async () => {
    const stdout = capture();
    const stderr = capture();
    const code = await runCli({
      argv: ['reconcile', '--help'],
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
    assert.equal(code, 0);
    assert.match(stdout.text(), /--orphans <mode>/);
  });

  it('draws a progress bar when stderr is a terminal', async () => {
    const cognito = new FakeCognito([cognitoUser('a')]);
    const table = new FakeTable();
    const stderr = capture(true);
    await runCli({
      argv: [
        'reconcile',
        '--user-pool-id',
        'us-east-1_Pool1',
        '--table',
        'users',
        '--list-chains',
        '1',
      ],
      stdout: capture().stream,
      stderr: stderr.stream,
      clients: { cognito, dynamo: table.client },
    });
    assert.match(stderr.text(), /\rwriting \[#{24}\] 1\/1/);
  });
});

describe('Function: runCli, what a stopped run says', () => {
  it('does not say "run again to continue" after an unknown table', async () => {
    const { table, stderr, run } = setup();
    table.scanFailures.push(sdkError('ResourceNotFoundException', 'Requested resource not found'));
    assert.equal(await run(), 1);
    assert.match(stderr.text(), /not converged: .*Requested resource not found/);
    assert.doesNotMatch(stderr.text(), /run again/);
  });

  it('does not say "run again to continue" after an unknown pool', async () => {
    const { cognito, stderr, run } = setup();
    cognito.failures.push(sdkError('ResourceNotFoundException', 'User pool does not exist.'));
    assert.equal(await run(), 1);
    assert.match(stderr.text(), /not converged: .*User pool does not exist/);
    assert.doesNotMatch(stderr.text(), /run again/);
  });

  it('names a key schema that is not the row mapping\'s, writes nothing and does not say "run again"', async () => {
    const { table, cognito, stderr, run } = setup();
    const mapping =
      '{"key":{"attribute":"pk","template":"USER#{sub}"},"sortKey":{"attribute":"sk","template":"PROFILE"}}';
    assert.equal(await run('--row-mapping', mapping), 1);
    assert.match(
      stderr.text(),
      /not converged: the run stopped early \(table "users" does not have the row mapping's keys: its partition key is "username", but the row mapping's key attribute is "pk"; it has no sort key, but the row mapping's sortKey is "sk"/,
    );
    assert.doesNotMatch(stderr.text(), /run again/);
    assert.equal(table.rows.size, 0);
    assert.equal(cognito.calls.length, 0);
  });

  it('says "run again to continue" after a read that failed for a transient reason', async () => {
    const { cognito, stderr, run } = setup();
    const reset = Object.assign(sdkError('Error', 'socket hang up'), { code: 'ECONNRESET' });
    for (let i = 0; i < 20; i++) cognito.failures.push(reset);
    assert.equal(await run(), 1);
    assert.match(stderr.text(), /run again to continue/);
  });
});

describe('Function: runCli, counts in words', () => {
  it('says "1 row to create", not "1 rows"', async () => {
    const { stderr, run } = setup(1);
    assert.equal(await run('--dry-run'), 1);
    assert.match(stderr.text(), /\(1 row to create,/);
    assert.match(stderr.text(), /listed 1 user in 1 page:/);
  });
});

describe('Function: runCli, time limit', () => {
  const silentCognito = {
    send: (_command: unknown, options?: { abortSignal?: AbortSignal }) =>
      new Promise((_resolve, reject) => {
        options?.abortSignal?.addEventListener('abort', () =>
          reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' })),
        );
      }),
  };

  it('gives up at --time-limit, naming the endpoint that did not answer, and exits 1', async () => {
    const stdout = capture();
    const stderr = capture();
    const started = Date.now();
    const code = await runCli({
      argv: [
        'reconcile',
        '--user-pool-id',
        'us-east-1_Pool1',
        '--table',
        'users',
        '--time-limit',
        '0.3',
      ],
      env: { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://127.0.0.1:9229' },
      stdout: stdout.stream,
      stderr: stderr.stream,
      clients: { cognito: silentCognito as never, dynamo: new FakeTable().client },
      reconcileOptions: { retry: NO_WAIT },
    });
    assert.equal(code, 1);
    assert.ok(Date.now() - started < 3000, `${Date.now() - started} ms`);
    assert.match(
      stderr.text(),
      /time limit of 0\.3 s reached: no answer from Cognito at http:\/\/127\.0\.0\.1:9229 \(ListUsers\)/,
    );
    assert.doesNotMatch(stderr.text(), /interrupted/);
  });

  it('rejects a time limit that is not a number of seconds', async () => {
    const { stderr, run } = setup();
    assert.equal(await run('--time-limit', 'soon'), 2);
    assert.match(
      stderr.text(),
      /^cognito-user-sync: --time-limit must be a number of seconds from 0 \(no limit\) to 86400, got "soon"/,
    );
  });
});

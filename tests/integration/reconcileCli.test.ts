import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { OLD, type ReconcileWorld, startReconcileWorld } from './reconcileFixtures.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BIN = fileURLToPath(new URL('../../dist/cli/cognito-user-sync.mjs', import.meta.url));

interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function node(args: string[], env: NodeJS.ProcessEnv): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: root, env, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('Integration: the cognito-user-sync command against the local stack', () => {
  let world: ReconcileWorld;
  let users: string[];
  const cli = (...args: string[]) =>
    node(
      [
        BIN,
        'reconcile',
        '--user-pool-id',
        world.stack.userPoolId,
        '--table',
        world.stack.tableName,
        // One unfiltered listing: the pages are the pool's, and rows without a sub can be orphans.
        '--list-chains',
        '1',
        ...args,
      ],
      world.env(),
    );

  before(async () => {
    if (!existsSync(BIN)) {
      const built = await node(['scripts/build.mjs'], { PATH: process.env.PATH });
      assert.equal(built.code, 0, built.stderr);
    }
    world = await startReconcileWorld();
    users = await world.createUsers(70, 'cli');
  });
  after(async () => {
    await world?.close();
  });

  it('exits 2 with the usage on stderr for bad arguments', async () => {
    const result = await cli('--concurrency', '0');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--concurrency must be a whole number from 1 to 256, got "0"/);
    assert.match(result.stderr, /Run "cognito-user-sync reconcile --help" for the options/);
    assert.equal(result.stdout, '');
    const unknown = await node([BIN, 'reconcile', '--frobnicate'], world.env());
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^cognito-user-sync: unknown option --frobnicate$/m);
    const none = await node([BIN], world.env());
    assert.equal(none.code, 2);
    assert.match(none.stderr, /Run "cognito-user-sync --help" for the commands/);
    const version = await node([BIN, '--version'], world.env());
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
  });

  it('writes nothing with --dry-run and exits 1 while the table is out of sync', async () => {
    const result = await cli('--dry-run', '--json');
    assert.equal(result.code, 1, result.stderr);
    assert.equal(JSON.parse(result.stdout).toCreate, 70);
    assert.match(result.stderr, /not converged: dry run/);
    assert.equal((await world.rows()).size, 0);
  });

  it('creates the missing rows, prints one JSON object and exits 0', async () => {
    const result = await cli('--json');
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout);
    assert.equal(summary.created, 70);
    assert.equal(summary.converged, true);
    assert.equal(result.stdout.trim().split('\n').length, 1);
    assert.match(result.stderr, /listed 70 users in 2 pages/);
    assert.equal((await world.rows()).size, 70);
  });

  it('changes nothing on a second run', async () => {
    const before = await world.rows();
    const result = await cli('--json');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout).created, 0);
    assert.deepEqual(await world.rows(), before);
  });

  it('handles an orphaned row per --orphans', async () => {
    await world.putRow({ username: 'orphan-1', createdAt: OLD });

    const reported = await cli('--json');
    assert.equal(reported.code, 0);
    assert.equal(JSON.parse(reported.stdout).orphansReported, 1);
    assert.match(reported.stderr, /1 orphaned row reported and left in place/);
    assert.equal((await world.row('orphan-1'))?.deletedAt, undefined);

    const strict = await cli('--fail-on-orphans');
    assert.equal(strict.code, 1);
    assert.match(strict.stderr, /not converged: 1 orphaned row left unmarked/);

    const marked = await cli('--orphans', 'mark', '--json');
    assert.equal(marked.code, 0, marked.stderr);
    assert.equal(JSON.parse(marked.stdout).marked, 1);
    assert.notEqual((await world.row('orphan-1'))?.deletedAt, undefined);

    const deleted = await cli('--orphans', 'delete', '--json');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(JSON.parse(deleted.stdout).deleted, 1);
    assert.equal(await world.row('orphan-1'), undefined);
  });

  it('restores a row deleted by hand and prints a readable summary', async () => {
    await world.deleteRow(users[5] as string);
    const result = await cli();
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /rows to create +1 +\(created 1, already present 0\)/);
    assert.match(result.stdout, /converged +yes/);
    assert.equal((await world.row(users[5] as string))?.source, 'reconcile');
  });

  it('exits 1 with a clear message when the pool does not exist', async () => {
    const result = await node(
      [
        BIN,
        'reconcile',
        '--user-pool-id',
        'local_doesNotExist',
        '--table',
        world.stack.tableName,
        '--list-chains',
        '1',
      ],
      world.env(),
    );
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /not converged: the run stopped early \(could not list the users of pool "local_doesNotExist" \(page 1\): ResourceNotFoundException \(HTTP 400\)/,
    );
    assert.match(result.stdout, /stopped early +could not list the users/);
  });
});

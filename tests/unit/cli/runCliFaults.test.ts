import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EXIT_INTERRUPTED, runCli } from '../../../src/entry/cli/runCli.js';
import { useTempDir } from '../../helpers/tempDir.js';
import { cognitoUser, FakeCognito, FakeTable, NO_WAIT, sdkError } from '../reconcile/fakes.js';

function capture() {
  const chunks: string[] = [];
  return {
    stream: { isTTY: false, write: (chunk: string) => chunks.push(chunk) },
    text: () => chunks.join(''),
  };
}

type Send = FakeCognito['send'];
type Command = Parameters<Send>[0];

/** A Cognito stand-in whose n-th ListUsers call (from 1) may be replaced. */
function cognitoWith(
  users: number,
  override: (call: number, command: Command, signal?: AbortSignal) => Promise<unknown> | undefined,
) {
  const inner = new FakeCognito(Array.from({ length: users }, (_, i) => cognitoUser(`u${i}`)));
  let calls = 0;
  return {
    inner,
    send: (command: Command, options?: { abortSignal?: AbortSignal }) => {
      calls++;
      return override(calls, command, options?.abortSignal) ?? inner.send(command);
    },
  };
}

/** Rejects like the SDK when the signal aborts; never settles otherwise. */
function hangUntilAborted(signal?: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const abort = () => reject(Object.assign(new Error('Request aborted'), { name: 'AbortError' }));
    if (signal?.aborted) abort();
    else signal?.addEventListener('abort', abort);
  });
}

function run(
  cognito: { send: unknown },
  table: FakeTable,
  argv: string[],
  extra: { signal?: AbortSignal; heartbeatMs?: number } = {},
) {
  const stdout = capture();
  const stderr = capture();
  const code = runCli({
    // One unfiltered listing, so that the pages are the pool's.
    argv: [
      'reconcile',
      '--user-pool-id',
      'us-east-1_Pool1',
      '--table',
      'users',
      '--list-chains',
      '1',
      ...argv,
    ],
    stdout: stdout.stream,
    stderr: stderr.stream,
    clients: { cognito: cognito as FakeCognito, dynamo: table.client },
    reconcileOptions: { retry: NO_WAIT },
    ...extra,
  });
  return { code, stdout, stderr };
}

describe('Function: runCli (faults)', () => {
  const temp = useTempDir('cli-faults-');

  it('prints the JSON summary with --json when the run stops early', async () => {
    const cognito = cognitoWith(130, (call) =>
      call === 2 ? Promise.reject(sdkError('AccessDeniedException', 'no')) : undefined,
    );
    const table = new FakeTable();
    const { code, stdout, stderr } = run(cognito, table, ['--json', '--list-rate', '1000']);
    assert.equal(await code, 1);
    const summary = JSON.parse(stdout.text());
    assert.equal(summary.converged, false);
    assert.equal(summary.usersListed, 60);
    assert.equal(summary.created, 60);
    assert.match(summary.stopReason, /page 2\): AccessDeniedException/);
    assert.match(stderr.text(), /not converged: the run stopped early/);
  });

  it('says that users are counted once their rows are read when a read stops the run', async () => {
    const cognito = cognitoWith(4, () => undefined);
    const table = new FakeTable();
    table.readFailures.push(sdkError('AccessDeniedException', 'no BatchGetItem'));
    const { code, stdout } = run(cognito, table, ['--list-rate', '1000']);
    assert.equal(await code, 1);
    const text = stdout.text();
    assert.match(
      text,
      /users listed {10}0 {2}\(counted once their rows are read: a page whose rows could not be read is not counted\)/,
    );
    assert.match(text, /stopped early .*could not read 4 rows by key/);
  });

  it('stops on interruption, prints the summary so far and exits 130', async () => {
    const interrupt = new AbortController();
    const cognito = cognitoWith(130, (call, _command, signal) => {
      if (call !== 2) return undefined;
      interrupt.abort();
      return hangUntilAborted(signal);
    });
    const table = new FakeTable();
    const { code, stdout, stderr } = run(cognito, table, ['--json', '--list-rate', '1000'], {
      signal: interrupt.signal,
    });
    assert.equal(await code, EXIT_INTERRUPTED);
    const summary = JSON.parse(stdout.text());
    assert.equal(summary.stopReason, 'interrupted');
    assert.equal(summary.usersListed, 60);
    assert.equal(summary.created + summary.notStarted, 60, 'every queued write is accounted for');
    assert.equal(table.rows.size, summary.created);
    assert.match(stderr.text(), /interrupted/);
  });

  it('says what it waits for while Cognito is silent', async () => {
    const interrupt = new AbortController();
    const cognito = cognitoWith(10, (_call, _command, signal) => hangUntilAborted(signal));
    const { code, stderr } = run(cognito, new FakeTable(), [], {
      signal: interrupt.signal,
      heartbeatMs: 10,
    });
    for (let i = 0; i < 200 && !/still running/.test(stderr.text()); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    interrupt.abort();
    assert.equal(await code, EXIT_INTERRUPTED);
    assert.match(
      stderr.text(),
      /still running after \d+ s: listing users: 0 \(0 pages\).*nothing new for \d+ s/,
    );
  });

  it('saves a checkpoint when the listing stops, continues the run from it, orphans included, then removes it', async () => {
    const path = join(temp.path, 'checkpoint.json');
    const table = new FakeTable();
    table.put({ username: 'gone', createdAt: '2020-01-01T00:00:00.000Z' });
    const failing = cognitoWith(130, (call) =>
      call === 2 ? Promise.reject(sdkError('AccessDeniedException', 'no')) : undefined,
    );
    const first = run(failing, table, [
      '--checkpoint',
      path,
      '--list-rate',
      '1000',
      '--orphans',
      'delete',
    ]);
    assert.equal(await first.code, 1);
    const saved = JSON.parse(await readFile(path, 'utf8'));
    assert.equal(saved.version, 2);
    const state = JSON.parse(saved.state);
    assert.equal(state.userPoolId, 'us-east-1_Pool1');
    assert.deepEqual(state.listing, { shards: [{ prefix: '', token: 'page-60', done: false }] });
    assert.equal(
      Buffer.from(saved.listed, 'base64').byteLength,
      60 * 8,
      'the 60 users listed, 8 bytes each',
    );
    assert.match(first.stderr.text(), /saved a checkpoint/);

    const healthy = cognitoWith(130, () => undefined);
    const second = run(healthy, table, [
      '--checkpoint',
      path,
      '--json',
      '--list-rate',
      '1000',
      '--orphans',
      'delete',
    ]);
    assert.equal(await second.code, 0, second.stderr.text());
    assert.match(second.stderr.text(), /continuing run [0-9a-f-]{36} from the checkpoint saved at/);
    const summary = JSON.parse(second.stdout.text());
    assert.equal(summary.resumed, true);
    assert.equal(summary.runId, state.runId);
    assert.equal(summary.usersListed, 130, 'the run counts both invocations');
    assert.equal(healthy.inner.calls.length, 2, 'only pages 2 and 3 are listed again');
    assert.equal(healthy.inner.calls[0]?.PaginationToken, 'page-60');
    assert.equal(summary.orphansEvaluated, true, 'the whole pool was listed across the two runs');
    assert.equal(summary.deleted, 1);
    assert.equal(table.rows.has('gone'), false);
    assert.equal(table.rows.size, 130, 'no user is lost across the two runs');
    await assert.rejects(readFile(path, 'utf8'), /ENOENT/);
  });

  it('ignores a checkpoint of another version, saying why, and starts a run', async () => {
    const path = join(temp.path, 'other.json');
    await writeFile(
      path,
      JSON.stringify({
        version: 1,
        userPoolId: 'us-east-1_Pool1',
        tableName: 'users',
        paginationToken: 'page-60',
        savedAt: new Date().toISOString(),
      }),
    );
    const cognito = cognitoWith(3, () => undefined);
    const result = run(cognito, new FakeTable(), ['--checkpoint', path, '--list-rate', '1000']);
    assert.equal(await result.code, 0);
    assert.match(
      result.stderr.text(),
      /ignoring the checkpoint .*not a checkpoint of this version/,
    );
    assert.equal(cognito.inner.calls[0]?.PaginationToken, undefined);
  });

  it('starts its shard over when Cognito refuses the checkpoint token', async () => {
    const path = join(temp.path, 'refused.json');
    const table = new FakeTable();
    const failing = cognitoWith(130, (call) =>
      call === 2 ? Promise.reject(sdkError('AccessDeniedException', 'no')) : undefined,
    );
    assert.equal(await run(failing, table, ['--checkpoint', path, '--list-rate', '1000']).code, 1);
    const cognito = cognitoWith(130, (call) =>
      call === 1
        ? Promise.reject(
            Object.assign(sdkError('InvalidParameterException', 'bad token'), {
              $metadata: { httpStatusCode: 400 },
            }),
          )
        : undefined,
    );
    const result = run(cognito, table, ['--checkpoint', path, '--json', '--list-rate', '1000']);
    assert.equal(await result.code, 0, result.stderr.text());
    assert.match(result.stderr.text(), /page token was refused .*listing from the first page/);
    assert.equal(table.rows.size, 130);
  });

  it('exits 2 naming a bad endpoint variable before calling anything', async () => {
    const stdout = capture();
    const stderr = capture();
    const code = await runCli({
      argv: ['reconcile', '--user-pool-id', 'us-east-1_Pool1', '--table', 'users'],
      env: { AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: '127.0.0.1:9229' },
      stdout: stdout.stream,
      stderr: stderr.stream,
    });
    assert.equal(code, 2);
    assert.match(
      stderr.text(),
      /AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER must be an http:\/\/ or https:\/\/ URL .*"127.0.0.1:9229"/,
    );
  });
});

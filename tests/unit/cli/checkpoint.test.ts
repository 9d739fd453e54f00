import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CHECKPOINT_MAX_AGE_MS,
  readCheckpoint,
  removeCheckpoint,
  writeCheckpoint,
} from '../../../src/entry/cli/checkpoint.js';
import { fingerprint } from '../../../src/sync/reconcile/fingerprints.js';
import { newRunState, type RunState } from '../../../src/sync/reconcile/runState.js';
import { useTempDir } from '../../helpers/tempDir.js';

const run = {
  userPoolId: 'us-east-1_Pool1',
  tableName: 'users',
  now: new Date('2030-01-01T12:00:00Z'),
};
/** A run state of that pool and table, 3 users listed. */
function runState(userPoolId = 'us-east-1_Pool1'): RunState {
  const state = newRunState({
    userPoolId,
    tableName: 'users',
    now: new Date('2030-01-01T11:00:00Z'),
    sharded: true,
    scanSegments: 2,
  });
  for (const name of ['a', 'b', 'c']) state.listed.add(fingerprint(name, state.salt));
  return state;
}

describe('Function: readCheckpoint', () => {
  const temp = useTempDir('checkpoint-');

  it('finds none when there is no file', async () => {
    assert.deepEqual(await readCheckpoint(join(temp.path, 'none.json'), run), { kind: 'none' });
  });

  it('uses a fresh checkpoint of the same pool and table, written atomically', async () => {
    const path = join(temp.path, 'fresh.json');
    const state = runState();
    await writeCheckpoint(path, state, new Date('2030-01-01T11:30:00.000Z'));
    const read = await readCheckpoint(path, run);
    assert.equal(read.kind, 'usable');
    assert.ok(read.kind === 'usable');
    assert.equal(read.state.runId, state.runId);
    assert.equal(read.savedAt, '2030-01-01T11:30:00.000Z');
    assert.equal(read.state.listed.size, 3);
    assert.ok(read.state.listed.has(fingerprint('b', state.salt)));
    assert.deepEqual(read.state.listing, state.listing);
    assert.equal(JSON.parse(await readFile(path, 'utf8')).version, 2);
    await removeCheckpoint(path);
    assert.deepEqual(await readCheckpoint(path, run), { kind: 'none' });
  });

  it('ignores a checkpoint older than the maximum age, saying so', async () => {
    const path = join(temp.path, 'old.json');
    const old = new Date(run.now.getTime() - CHECKPOINT_MAX_AGE_MS - 1000).toISOString();
    await writeCheckpoint(path, runState(), new Date(old));
    const read = await readCheckpoint(path, run);
    assert.equal(read.kind, 'ignored');
    assert.match(read.kind === 'ignored' ? read.reason : '', /older than 60 minutes/);
  });

  it('ignores a file that is not a checkpoint', async () => {
    const path = join(temp.path, 'junk.json');
    await writeFile(path, 'not json');
    assert.deepEqual(await readCheckpoint(path, run), {
      kind: 'ignored',
      reason: 'it is not valid JSON',
    });
  });

  it('ignores a checkpoint of another pool, of an older version, or with a damaged state, saying why', async () => {
    const other = join(temp.path, 'other.json');
    await writeCheckpoint(other, runState('us-east-1_Other'), new Date('2030-01-01T11:59:00Z'));
    assert.deepEqual(await readCheckpoint(other, run), {
      kind: 'ignored',
      reason: 'it was written for another pool or table',
    });

    const v1 = join(temp.path, 'v1.json');
    await writeFile(
      v1,
      JSON.stringify({
        version: 1,
        userPoolId: run.userPoolId,
        tableName: 'users',
        paginationToken: 't',
        savedAt: '2030-01-01T11:59:00Z',
      }),
    );
    assert.deepEqual(await readCheckpoint(v1, run), {
      kind: 'ignored',
      reason: 'it is not a checkpoint of this version',
    });

    const damaged = join(temp.path, 'damaged.json');
    await writeCheckpoint(damaged, runState(), new Date('2030-01-01T11:59:00Z'));
    const file = JSON.parse(await readFile(damaged, 'utf8'));
    await writeFile(damaged, JSON.stringify({ ...file, listed: 'AAAA' }));
    const read = await readCheckpoint(damaged, run);
    assert.equal(read.kind, 'ignored');
    assert.match(read.kind === 'ignored' ? read.reason : '', /8-byte fingerprints, got 3 bytes/);
  });
});

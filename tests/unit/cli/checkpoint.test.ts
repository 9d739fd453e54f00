import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CHECKPOINT_MAX_AGE_MS,
  readCheckpoint,
  removeCheckpoint,
  writeCheckpoint,
} from '../../../src/cli/checkpoint.js';
import { useTempDir } from '../../helpers/tempDir.js';

const run = {
  userPoolId: 'us-east-1_Pool1',
  tableName: 'users',
  now: new Date('2030-01-01T12:00:00Z'),
};
const saved = (savedAt: string) => ({
  version: 1 as const,
  userPoolId: 'us-east-1_Pool1',
  tableName: 'users',
  paginationToken: 'token',
  savedAt,
});

describe('Function: readCheckpoint', () => {
  const temp = useTempDir('checkpoint-');

  it('finds none when there is no file', async () => {
    assert.deepEqual(await readCheckpoint(join(temp.path, 'none.json'), run), { kind: 'none' });
  });

  it('uses a fresh checkpoint of the same pool and table, written atomically', async () => {
    const path = join(temp.path, 'fresh.json');
    await writeCheckpoint(path, saved('2030-01-01T11:30:00.000Z'));
    const read = await readCheckpoint(path, run);
    assert.equal(read.kind, 'usable');
    assert.equal(read.kind === 'usable' && read.checkpoint.paginationToken, 'token');
    assert.equal(JSON.parse(await readFile(path, 'utf8')).version, 1);
    await removeCheckpoint(path);
    assert.deepEqual(await readCheckpoint(path, run), { kind: 'none' });
  });

  it('ignores a checkpoint older than the maximum age, saying so', async () => {
    const path = join(temp.path, 'old.json');
    const old = new Date(run.now.getTime() - CHECKPOINT_MAX_AGE_MS - 1000).toISOString();
    await writeCheckpoint(path, saved(old));
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
});

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CHECKPOINT_MAX_AGE_MS,
  readCheckpoint,
  removeCheckpoint,
  writeCheckpoint,
} from '../../../src/cli/checkpoint.js';

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
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'checkpoint-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds none when there is no file', async () => {
    assert.deepEqual(await readCheckpoint(join(dir, 'none.json'), run), { kind: 'none' });
  });

  it('uses a fresh checkpoint of the same pool and table, written atomically', async () => {
    const path = join(dir, 'fresh.json');
    await writeCheckpoint(path, saved('2030-01-01T11:30:00.000Z'));
    const read = await readCheckpoint(path, run);
    assert.equal(read.kind, 'usable');
    assert.equal(read.kind === 'usable' && read.checkpoint.paginationToken, 'token');
    assert.equal(JSON.parse(await readFile(path, 'utf8')).version, 1);
    await removeCheckpoint(path);
    assert.deepEqual(await readCheckpoint(path, run), { kind: 'none' });
  });

  it('ignores a checkpoint older than the maximum age, saying so', async () => {
    const path = join(dir, 'old.json');
    const old = new Date(run.now.getTime() - CHECKPOINT_MAX_AGE_MS - 1000).toISOString();
    await writeCheckpoint(path, saved(old));
    const read = await readCheckpoint(path, run);
    assert.equal(read.kind, 'ignored');
    assert.match(read.kind === 'ignored' ? read.reason : '', /older than 60 minutes/);
  });

  it('ignores a file that is not a checkpoint', async () => {
    const path = join(dir, 'junk.json');
    await writeFile(path, 'not json');
    assert.deepEqual(await readCheckpoint(path, run), {
      kind: 'ignored',
      reason: 'it is not valid JSON',
    });
  });
});

import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  JsonDataStoreFactory,
  parseDocument,
  serializeDocument,
} from '../../../src/local/fileDataStore.js';
import { LocalStackError } from '../../../src/local/support/localStackError.js';
import { useTempDir } from '../../helpers/tempDir.js';

const ctx = {};

describe('Class: JsonDataStoreFactory', () => {
  const temp = useTempDir('data-store-', 'each');

  it('writes the defaults of a new document at once', async () => {
    const factory = new JsonDataStoreFactory(temp.path);
    await factory.prepare();

    await factory.create(ctx, 'pool', { Users: {} });

    assert.deepEqual(JSON.parse(await readFile(join(temp.path, 'pool.json'), 'utf8')), {
      Users: {},
    });
  });

  it('keeps a valid file with every change after 200 concurrent writes', async () => {
    const factory = new JsonDataStoreFactory(temp.path);
    const store = await factory.create(ctx, 'pool', { Users: {} });

    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        store.set(ctx, ['Users', `user-${i}`], { Username: `user-${i}`, padding: 'x'.repeat(500) }),
      ),
    );

    const onDisk = JSON.parse(await readFile(join(temp.path, 'pool.json'), 'utf8'));
    assert.equal(Object.keys(onDisk.Users).length, 200);
    assert.deepEqual(await readdir(temp.path), ['pool.json']);
  });

  it('has every change on disk when the call that made it resolves', async () => {
    const store = await new JsonDataStoreFactory(temp.path).create(ctx, 'pool', { Users: {} });

    await store.set(ctx, ['Users', 'a'], { Username: 'a' });
    const afterSet = JSON.parse(await readFile(join(temp.path, 'pool.json'), 'utf8'));
    await store.delete(ctx, ['Users', 'a']);
    const afterDelete = JSON.parse(await readFile(join(temp.path, 'pool.json'), 'utf8'));

    assert.deepEqual(afterSet.Users, { a: { Username: 'a' } });
    assert.deepEqual(afterDelete.Users, {});
  });

  it('reloads documents with their dates as Dates', async () => {
    const created = new Date('2026-01-02T03:04:05.000Z');
    const first = await new JsonDataStoreFactory(temp.path).create(ctx, 'pool', { Users: {} });
    await first.set(ctx, ['Users', 'a'], { Username: 'a', UserCreateDate: created });

    const second = await new JsonDataStoreFactory(temp.path).create(ctx, 'pool', { Users: {} });
    const user = await second.get<{ UserCreateDate: Date }>(ctx, ['Users', 'a']);

    assert.ok(user?.UserCreateDate instanceof Date);
    assert.equal(user?.UserCreateDate.toISOString(), created.toISOString());
  });

  it('returns the same store for the same id', async () => {
    const factory = new JsonDataStoreFactory(temp.path);

    const [a, b] = await Promise.all([
      factory.create(ctx, 'pool', {}),
      factory.create(ctx, 'pool', {}),
    ]);

    assert.equal(a, b);
  });

  it('removes a temporary file left by a killed process and keeps the last complete file', async () => {
    await writeFile(
      join(temp.path, 'pool.json'),
      serializeDocument({ Users: { a: { Username: 'a' } } }),
    );
    await writeFile(join(temp.path, 'pool.json.tmp'), '{"Users": {"a": {"Usern');
    const factory = new JsonDataStoreFactory(temp.path);

    await factory.prepare();
    const store = await factory.create(ctx, 'pool', { Users: {} });

    assert.deepEqual(await store.get(ctx, ['Users', 'a']), { Username: 'a' });
    assert.deepEqual(await readdir(temp.path), ['pool.json']);
  });

  it('fails naming the file when a document is corrupted', async () => {
    await writeFile(join(temp.path, 'pool.json'), '{"Users": {}}\n}garbage');

    await assert.rejects(new JsonDataStoreFactory(temp.path).create(ctx, 'pool', {}), (error) => {
      assert.ok(error instanceof LocalStackError);
      assert.match(error.message, /pool\.json is not a valid JSON document/);
      return true;
    });
  });

  it('writes nothing without a directory', async () => {
    const store = await new JsonDataStoreFactory(undefined).create(ctx, 'pool', { Users: {} });

    await store.set(ctx, ['Users', 'a'], { Username: 'a' });

    assert.deepEqual(await store.get(ctx, ['Users', 'a']), { Username: 'a' });
    assert.deepEqual(await readdir(temp.path), []);
  });

  it('gives the default for a missing key', async () => {
    const store = await new JsonDataStoreFactory(undefined).create(ctx, 'pool', {});

    assert.deepEqual(await store.get(ctx, ['Users', 'nobody'], 'none'), 'none');
    assert.equal(await store.get(ctx, 'Users'), null);
  });
});

describe('Function: parseDocument', () => {
  it('leaves a non-date value of a …Date field as it is', () => {
    assert.deepEqual(parseDocument('{"UpdateDate": "soon"}'), { UpdateDate: 'soon' });
  });

  it('throws when the document is not an object', () => {
    assert.throws(() => parseDocument('[1]'), /not a JSON object/);
  });
});

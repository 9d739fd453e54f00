import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  acquireLease,
  CHECKPOINT_TTL_SECONDS,
  type Checkpoint,
  clearCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
} from '../../src/aws/store/checkpointStore.js';
import { createDynamoDocumentClient } from '../../src/aws/store/dynamoClient.js';
import { CHECKPOINT_TTL_ATTRIBUTE } from '../../src/domain/stateTable.js';
import {
  CheckpointConflictError,
  CheckpointCorruptError,
  CheckpointFormatError,
  TableWriteError,
} from '../../src/shared/errors.js';
import { startDynalite, type TestDynalite } from '../helpers/dynalite.js';
import { createStateTable } from '../helpers/stateTable.js';

type Send = Pick<DynamoDBDocumentClient, 'send'>;
type Command = { constructor: { name: string }; input: Record<string, unknown> };

const NO_WAIT = { sleep: async () => {}, random: () => 0 } as const;
const NOW = 1_900_000_000_000;
const LEASE = { until: NOW + 60_000, now: NOW } as const;

/** A client passing calls to `client` except where `intercept` answers first (by throwing, or after forwarding). */
function wrap(
  client: Send,
  intercept: (command: Command, forward: () => Promise<unknown>) => Promise<unknown> | undefined,
): Send {
  return {
    send: ((command: Command, options?: unknown) => {
      const forward = () =>
        (client.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, options);
      return intercept(command, forward) ?? forward();
    }) as Send['send'],
  };
}

/** Whether a command writes the head with a new generation (step 3 of a save). */
function isHeadCommit(command: Command): boolean {
  const values = command.input.ExpressionAttributeValues as Record<string, unknown> | undefined;
  return command.constructor.name === 'UpdateCommand' && values?.[':generation'] !== undefined;
}

function isChunkPut(command: Command): boolean {
  return command.constructor.name === 'PutCommand';
}

function crash(): Error {
  const error = new Error('the process died');
  error.name = 'SimulatedCrash';
  return error;
}

describe('Integration: checkpoint store against dynalite', () => {
  let dynalite: TestDynalite;
  let client: DynamoDBDocumentClient;
  let tableName: string;
  let next = 0;
  /** A fresh checkpoint id per test. */
  const fresh = () => ({ tableName, id: `reconcile#pool-${next++}#users`, retry: NO_WAIT });

  /** The ids of every item of a checkpoint (head and chunks). */
  const itemIds = async (id: string): Promise<string[]> => {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: tableName,
          ConsistentRead: true,
          ProjectionExpression: 'id',
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      ids.push(...(page.Items ?? []).map((item) => String(item.id)));
      start = page.LastEvaluatedKey;
    } while (start);
    return ids.filter((itemId) => itemId === id || itemId.startsWith(`${id}#`)).sort();
  };

  /** Takes the lease for `owner` and saves `checkpoint` over generation 0. */
  const leasedSave = async (
    store: ReturnType<typeof fresh>,
    checkpoint: Checkpoint,
    owner = 'run-a',
  ) => {
    assert.equal(await acquireLease(client, { ...store, owner, ...LEASE }), true);
    return saveCheckpoint(client, { ...store, owner, expectedGeneration: 0, checkpoint, now: NOW });
  };
  /** Run-b takes the lease once run-a's has expired. */
  const takeOver = (store: ReturnType<typeof fresh>, until = LEASE.until + 60_000) =>
    acquireLease(client, { ...store, owner: 'run-b', now: LEASE.until + 1, until });

  before(async () => {
    dynalite = await startDynalite();
    tableName = await createStateTable(dynalite.client);
    client = createDynamoDocumentClient({ endpoint: dynalite.endpoint, region: 'us-east-1' });
  });
  after(async () => {
    client?.destroy();
    await dynalite?.close();
  });

  it('round-trips a 1 MB blob over several chunks, every item carrying the TTL', async () => {
    const store = fresh();
    const blob = new Uint8Array(randomBytes(1024 * 1024));
    const body = JSON.stringify({ paginationToken: 'tok', listed: 12_345 });
    const generation = await leasedSave(store, { body, blob });
    assert.equal(generation, 1);

    const loaded = await loadCheckpoint(client, store);
    assert.ok(loaded);
    assert.equal(loaded.body, body);
    assert.equal(loaded.generation, 1);
    assert.equal(loaded.leaseOwner, 'run-a');
    assert.equal(loaded.leaseUntil, LEASE.until);
    assert.equal(Buffer.compare(Buffer.from(loaded.blob), Buffer.from(blob)), 0);

    const ids = await itemIds(store.id);
    assert.deepEqual(ids, [store.id, `${store.id}#1#0`, `${store.id}#1#1`, `${store.id}#1#2`]);
    for (const id of ids) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: { id } }));
      assert.equal(
        Item?.[CHECKPOINT_TTL_ATTRIBUTE],
        Math.floor(NOW / 1000) + CHECKPOINT_TTL_SECONDS,
      );
    }
  });

  it('round-trips a 0-byte blob and an empty body, with no chunk items', async () => {
    const store = fresh();
    assert.equal(await loadCheckpoint(client, store), undefined);
    const generation = await leasedSave(store, { body: '', blob: new Uint8Array(0) });
    const loaded = await loadCheckpoint(client, store);
    assert.equal(loaded?.generation, generation);
    assert.equal(loaded?.body, '');
    assert.equal(loaded?.blob.byteLength, 0);
    assert.deepEqual(await itemIds(store.id), [store.id]);
  });

  it('reads the head a lease creates as an empty checkpoint at generation 0', async () => {
    const store = fresh();
    assert.equal(await acquireLease(client, { ...store, owner: 'run-a', ...LEASE }), true);
    const loaded = await loadCheckpoint(client, store);
    assert.deepEqual(
      { ...loaded, blob: [...(loaded?.blob ?? [])] },
      {
        body: '',
        blob: [],
        generation: 0,
        segments: 0,
        leaseOwner: 'run-a',
        leaseUntil: LEASE.until,
      },
    );
  });

  it("replaces a generation and deletes the previous generation's chunks", async () => {
    const store = fresh();
    const first = await leasedSave(store, { body: '1', blob: new Uint8Array(700_001).fill(1) });
    const second = await saveCheckpoint(client, {
      ...store,
      owner: 'run-a',
      expectedGeneration: first,
      checkpoint: { body: '2', blob: new Uint8Array(10).fill(2) },
    });
    assert.equal(second, first + 1);
    assert.deepEqual(await itemIds(store.id), [store.id, `${store.id}#${second}#0`]);
    const loaded = await loadCheckpoint(client, store);
    assert.equal(loaded?.body, '2');
    assert.deepEqual([...(loaded?.blob ?? [])], Array(10).fill(2));
  });

  it('refuses a save from a stale generation and leaves the current checkpoint whole', async () => {
    const store = fresh();
    const first = await leasedSave(store, { body: 'one', blob: new Uint8Array(400_000).fill(1) });
    const current = await saveCheckpoint(client, {
      ...store,
      owner: 'run-a',
      expectedGeneration: first,
      checkpoint: { body: 'two', blob: new Uint8Array(400_000).fill(2) },
    });
    const before = await itemIds(store.id);

    await assert.rejects(
      saveCheckpoint(client, {
        ...store,
        owner: 'run-a',
        expectedGeneration: first,
        checkpoint: { body: 'stale', blob: new Uint8Array(400_000).fill(9) },
      }),
      (error: unknown) =>
        error instanceof CheckpointConflictError &&
        error.message ===
          `checkpoint "${store.id}" in table "${tableName}": expected generation ${first} with the lease held by "run-a", but the head is at generation ${current} with the lease held by "run-a"`,
    );
    const loaded = await loadCheckpoint(client, store);
    assert.equal(loaded?.generation, current);
    assert.equal(loaded?.body, 'two');
    assert.ok(loaded?.blob.every((byte) => byte === 2));
    assert.deepEqual(await itemIds(store.id), before);
  });

  it('refuses a save while someone else holds the lease and leaves the checkpoint whole', async () => {
    const store = fresh();
    const generation = await leasedSave(store, { body: 'mine', blob: new Uint8Array(5).fill(5) });
    // The lease expires and another run takes it.
    assert.equal(await takeOver(store), true);
    await assert.rejects(
      saveCheckpoint(client, {
        ...store,
        owner: 'run-a',
        expectedGeneration: generation,
        checkpoint: { body: 'late', blob: new Uint8Array(5).fill(7) },
      }),
      (error: unknown) =>
        error instanceof CheckpointConflictError && /lease held by "run-b"/.test(error.message),
    );
    const loaded = await loadCheckpoint(client, store);
    assert.equal(loaded?.generation, generation);
    assert.equal(loaded?.body, 'mine');
    assert.deepEqual([...(loaded?.blob ?? [])], [5, 5, 5, 5, 5]);
    assert.equal(loaded?.leaseOwner, 'run-b');
  });

  it('leaves the previous checkpoint loadable when a save dies after its chunks, before the head', async () => {
    const store = fresh();
    const generation = await leasedSave(store, {
      body: 'kept',
      blob: new Uint8Array(800_000).fill(3),
    });
    const dying = wrap(client, (command) =>
      isHeadCommit(command) ? Promise.reject(crash()) : undefined,
    );

    await assert.rejects(
      saveCheckpoint(dying, {
        ...store,
        owner: 'run-a',
        expectedGeneration: generation,
        checkpoint: { body: 'lost', blob: new Uint8Array(800_000).fill(4) },
      }),
      (error: unknown) =>
        error instanceof TableWriteError &&
        /could not write the head: SimulatedCrash: the process died/.test(error.message),
    );
    // The dead save's chunks were written and stay (the TTL removes them)…
    assert.equal(
      (await itemIds(store.id)).filter((id) => id.startsWith(`${store.id}#${generation + 1}#`))
        .length,
      3,
    );
    // …but the head still points at the previous generation, whole.
    const loaded = await loadCheckpoint(client, store);
    assert.equal(loaded?.generation, generation);
    assert.equal(loaded?.body, 'kept');
    assert.ok(loaded?.blob.every((byte) => byte === 3));

    // The next save goes on from there, under a generation of its own.
    const after = await saveCheckpoint(client, {
      ...store,
      owner: 'run-a',
      expectedGeneration: generation,
      checkpoint: { body: 'next', blob: new Uint8Array(3).fill(6) },
    });
    assert.equal(after, generation + 2);
    assert.equal((await loadCheckpoint(client, store))?.body, 'next');
  });

  it('leaves the previous checkpoint loadable when a save dies among its chunks', async () => {
    const store = fresh();
    const generation = await leasedSave(store, {
      body: 'kept',
      blob: new Uint8Array(800_000).fill(3),
    });
    let puts = 0;
    const dying = wrap(client, (command) =>
      isChunkPut(command) && ++puts === 2 ? Promise.reject(crash()) : undefined,
    );
    await assert.rejects(
      saveCheckpoint(dying, {
        ...store,
        owner: 'run-a',
        expectedGeneration: generation,
        checkpoint: { body: 'lost', blob: new Uint8Array(800_000).fill(4) },
      }),
      /could not write segment \d of 3: SimulatedCrash/,
    );
    const loaded = await loadCheckpoint(client, store);
    assert.equal(loaded?.generation, generation);
    assert.ok(loaded?.blob.every((byte) => byte === 3));
    // The chunks of a save that never reached its head are cleaned up at once.
    assert.deepEqual(await itemIds(store.id), [
      store.id,
      `${store.id}#${generation}#0`,
      `${store.id}#${generation}#1`,
      `${store.id}#${generation}#2`,
    ]);
  });

  it('counts a head write that landed but answered with a 5xx as saved', async () => {
    const store = fresh();
    const generation = await leasedSave(store, { body: 'one', blob: new Uint8Array(4).fill(1) });
    let failed = false;
    const flaky = wrap(client, (command, forward) => {
      if (!isHeadCommit(command) || failed) return undefined;
      failed = true;
      return forward().then(() => {
        throw Object.assign(new Error('We encountered an internal error'), {
          name: 'InternalServerError',
          $metadata: { httpStatusCode: 500 },
        });
      });
    });
    const saved = await saveCheckpoint(flaky, {
      ...store,
      owner: 'run-a',
      expectedGeneration: generation,
      checkpoint: { body: 'two', blob: new Uint8Array(4).fill(2) },
    });
    assert.ok(failed);
    assert.equal(saved, generation + 1);
    const loaded = await loadCheckpoint(client, store);
    assert.equal(loaded?.generation, saved);
    assert.equal(loaded?.body, 'two');
  });

  it('saves a first checkpoint without a head only once', async () => {
    const store = fresh();
    const first = await saveCheckpoint(client, {
      ...store,
      owner: 'run-a',
      expectedGeneration: undefined,
      checkpoint: { body: 'first', blob: new Uint8Array(2) },
    });
    assert.equal(first, 1);
    await assert.rejects(
      saveCheckpoint(client, {
        ...store,
        owner: 'run-b',
        expectedGeneration: undefined,
        checkpoint: { body: 'second', blob: new Uint8Array(2) },
      }),
      CheckpointConflictError,
    );
    assert.equal((await loadCheckpoint(client, store))?.body, 'first');
  });

  it('refuses a second owner until the lease expires, and renews it for its holder', async () => {
    const store = fresh();
    const lease = (owner: string, now: number, until: number) =>
      acquireLease(client, { ...store, owner, now, until });
    assert.equal(await lease('run-a', NOW, NOW + 1000), true);
    assert.equal(await lease('run-b', NOW + 500, NOW + 5000), false);
    assert.equal(
      await lease('run-b', NOW + 1000, NOW + 5000),
      false,
      'held through leaseUntil itself',
    );
    assert.equal(await lease('run-a', NOW + 900, NOW + 2000), true, 'renewed by its holder');
    assert.equal(await lease('run-b', NOW + 1500, NOW + 5000), false, 'the renewal counts');
    assert.equal(await lease('run-b', NOW + 2001, NOW + 5000), true, 'taken once expired');
    assert.equal(await lease('run-a', NOW + 2500, NOW + 9000), false);
    const loaded = await loadCheckpoint(client, store);
    assert.equal(loaded?.leaseOwner, 'run-b');
    assert.equal(loaded?.leaseUntil, NOW + 5000);
    assert.equal(loaded?.generation, 0);
  });

  it('keeps the checkpoint when a lease changes hands', async () => {
    const store = fresh();
    const generation = await leasedSave(store, { body: 'state', blob: new Uint8Array(3).fill(8) });
    assert.equal(await takeOver(store, LEASE.until + 10), true);
    const loaded = await loadCheckpoint(client, store);
    assert.equal(loaded?.generation, generation);
    assert.equal(loaded?.body, 'state');
  });

  it('throws a CheckpointCorruptError for a missing segment, a short segment or a changed byte', async () => {
    const store = fresh();
    const generation = await leasedSave(store, {
      body: 'x',
      blob: new Uint8Array(700_001).fill(1),
    });
    const chunk = (n: number) => `${store.id}#${generation}#${n}`;

    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { id: chunk(1), data: new Uint8Array(350_000).fill(2) },
      }),
    );
    await assert.rejects(
      loadCheckpoint(client, store),
      (error: unknown) =>
        error instanceof CheckpointCorruptError && /does not match the SHA-256/.test(error.message),
    );

    // Each segment is checked on its own: put the changed one back first.
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { id: chunk(1), data: new Uint8Array(350_000).fill(1) },
      }),
    );
    assert.equal((await loadCheckpoint(client, store))?.blob.byteLength, 700_001);
    await client.send(
      new PutCommand({ TableName: tableName, Item: { id: chunk(2), data: new Uint8Array(0) } }),
    );
    await assert.rejects(
      loadCheckpoint(client, store),
      (error: unknown) =>
        error instanceof CheckpointCorruptError &&
        /segment 2 of 3 \(item "[^"]+#1#2"\) has 0 bytes, expected 1/.test(error.message),
    );

    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { id: chunk(2), data: new Uint8Array(1).fill(1) },
      }),
    );
    await client.send(new DeleteCommand({ TableName: tableName, Key: { id: chunk(0) } }));
    await assert.rejects(
      loadCheckpoint(client, store),
      (error: unknown) =>
        error instanceof CheckpointCorruptError &&
        /segment 0 of 3 \(item "[^"]+#1#0"\) is missing/.test(error.message),
    );
  });

  it('clears only for the lease holder, head and chunks', async () => {
    const store = fresh();
    await leasedSave(store, { body: 'x', blob: new Uint8Array(400_000) });
    await assert.rejects(
      clearCheckpoint(client, { ...store, owner: 'run-b' }),
      (error: unknown) =>
        error instanceof CheckpointConflictError && /lease held by "run-a"/.test(error.message),
    );
    assert.equal((await loadCheckpoint(client, store))?.body, 'x');

    await clearCheckpoint(client, { ...store, owner: 'run-a' });
    assert.equal(await loadCheckpoint(client, store), undefined);
    assert.deepEqual(await itemIds(store.id), []);
    // Clearing what is gone is a no-op.
    await clearCheckpoint(client, { ...store, owner: 'run-a' });
  });

  describe('appending saves', () => {
    /** Saves `append` over `expected` as run-a. */
    const append = (
      store: ReturnType<typeof fresh>,
      expected: number,
      bytes: Uint8Array,
      body = 'b',
      via: Send = client,
    ) =>
      saveCheckpoint(via, {
        ...store,
        owner: 'run-a',
        expectedGeneration: expected,
        checkpoint: { body, append: bytes },
        now: NOW,
      });
    /** A client that counts the segment items it writes and their bytes. */
    const counting = () => {
      const puts: number[] = [];
      const via = wrap(client, (command) => {
        if (isChunkPut(command)) {
          puts.push(((command.input.Item as { data: Uint8Array }).data ?? []).byteLength);
        }
        return undefined;
      });
      return { via, puts };
    };

    it('writes only the bytes added since the last save, as segments of their own, and loads the whole', async () => {
      const store = fresh();
      const first = new Uint8Array(400_000).fill(1);
      const g1 = await leasedSave(store, { body: 'one', blob: first });
      const { via, puts } = counting();
      const g2 = await append(store, g1, new Uint8Array(100).fill(2), 'two', via);
      assert.deepEqual(puts, [100], 'one segment item of the 100 new bytes');
      const g3 = await append(store, g2, new Uint8Array(0), 'three', via);
      assert.deepEqual(puts, [100], 'no segment item when only the body changes');
      const g4 = await append(store, g3, new Uint8Array(350_001).fill(4), 'four', via);
      assert.deepEqual(puts, [100, 350_000, 1]);

      const loaded = await loadCheckpoint(client, store);
      assert.equal(loaded?.generation, g4);
      assert.equal(loaded?.body, 'four');
      assert.equal(loaded?.segments, 5);
      const expected = Buffer.concat([first, Buffer.alloc(100, 2), Buffer.alloc(350_001, 4)]);
      assert.equal(Buffer.compare(Buffer.from(loaded?.blob ?? []), expected), 0);
      assert.deepEqual(await itemIds(store.id), [
        store.id,
        `${store.id}#${g1}#0`,
        `${store.id}#${g1}#1`,
        `${store.id}#${g2}#0`,
        `${store.id}#${g4}#0`,
        `${store.id}#${g4}#1`,
      ]);
    });

    it('appends onto the empty checkpoint a lease creates, and onto no head at all', async () => {
      const leased = fresh();
      assert.equal(await acquireLease(client, { ...leased, owner: 'run-a', ...LEASE }), true);
      const generation = await append(leased, 0, new Uint8Array(16).fill(7));
      assert.deepEqual(
        [...((await loadCheckpoint(client, leased))?.blob ?? [])],
        Array(16).fill(7),
      );
      assert.equal(generation, 1);

      const bare = fresh();
      await saveCheckpoint(client, {
        ...bare,
        owner: 'run-a',
        expectedGeneration: undefined,
        checkpoint: { body: 'first', append: new Uint8Array(8).fill(9) },
      });
      assert.deepEqual([...((await loadCheckpoint(client, bare))?.blob ?? [])], Array(8).fill(9));
    });

    it('replaces appended segments with a whole save and deletes every earlier one', async () => {
      const store = fresh();
      const g1 = await leasedSave(store, { body: '1', blob: new Uint8Array(10).fill(1) });
      const g2 = await append(store, g1, new Uint8Array(10).fill(2));
      const g3 = await saveCheckpoint(client, {
        ...store,
        owner: 'run-a',
        expectedGeneration: g2,
        checkpoint: { body: '3', blob: new Uint8Array(5).fill(3) },
      });
      assert.deepEqual(await itemIds(store.id), [store.id, `${store.id}#${g3}#0`]);
      assert.deepEqual([...((await loadCheckpoint(client, store))?.blob ?? [])], Array(5).fill(3));
    });

    it('leaves the previous checkpoint loadable when an append dies after its segments, before the head', async () => {
      const store = fresh();
      const g1 = await leasedSave(store, { body: 'kept', blob: new Uint8Array(20).fill(1) });
      const dying = wrap(client, (command) =>
        isHeadCommit(command) ? Promise.reject(crash()) : undefined,
      );
      await assert.rejects(
        append(store, g1, new Uint8Array(30).fill(4), 'lost', dying),
        /could not write the head: SimulatedCrash/,
      );
      // The dead save's segment is there, but no head names it…
      assert.ok((await itemIds(store.id)).includes(`${store.id}#${g1 + 1}#0`));
      const loaded = await loadCheckpoint(client, store);
      assert.equal(loaded?.generation, g1);
      assert.equal(loaded?.body, 'kept');
      assert.deepEqual([...(loaded?.blob ?? [])], Array(20).fill(1));
      // …and the next append goes on from the previous generation, without its bytes.
      const next = await append(store, g1, new Uint8Array(2).fill(6), 'next');
      assert.equal(next, g1 + 2);
      assert.deepEqual(
        [...((await loadCheckpoint(client, store))?.blob ?? [])],
        [...Array(20).fill(1), 6, 6],
      );
    });

    it('finds a head that names a segment never written, when it loads', async () => {
      const store = fresh();
      const g1 = await leasedSave(store, { body: 'one', blob: new Uint8Array(10).fill(1) });
      // The write of the new segment "succeeds" without reaching the table.
      const lossy = wrap(client, (command) =>
        isChunkPut(command) ? Promise.resolve({}) : undefined,
      );
      const g2 = await append(store, g1, new Uint8Array(10).fill(2), 'two', lossy);
      await assert.rejects(
        loadCheckpoint(client, store),
        (error: unknown) =>
          error instanceof CheckpointCorruptError &&
          error.message.endsWith(`segment 1 of 2 (item "${store.id}#${g2}#0") is missing`),
      );
      // Clearing it removes what there is.
      await clearCheckpoint(client, { ...store, owner: 'run-a' });
      assert.deepEqual(await itemIds(store.id), []);
    });

    it('refuses a stale append, deleting its segments and leaving the checkpoint whole', async () => {
      const store = fresh();
      const g1 = await leasedSave(store, { body: 'one', blob: new Uint8Array(10).fill(1) });
      const g2 = await append(store, g1, new Uint8Array(10).fill(2), 'two');
      const before = await itemIds(store.id);
      await assert.rejects(
        append(store, g1, new Uint8Array(10).fill(9), 'stale'),
        CheckpointConflictError,
      );
      assert.deepEqual(await itemIds(store.id), before);
      const loaded = await loadCheckpoint(client, store);
      assert.equal(loaded?.generation, g2);
      assert.deepEqual([...(loaded?.blob ?? [])], [...Array(10).fill(1), ...Array(10).fill(2)]);
    });
  });

  describe('a checkpoint of format 1 (saved by an earlier version)', () => {
    /** A format-1 head at `generation` with its chunks, as the earlier version wrote them. */
    const formatOne = async (store: ReturnType<typeof fresh>, generation: number) => {
      const blob = new Uint8Array(16).fill(5);
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            id: store.id,
            generation,
            reserved: generation,
            chunks: generation === 0 ? 0 : 1,
            chunkBytes: 350_000,
            bytes: generation === 0 ? 0 : blob.byteLength,
            sha256: 'e3b0',
            body: generation === 0 ? '' : '{"format":"cognito-user-sync/reconcile-run@1"}',
            leaseOwner: 'old-run',
            leaseUntil: 0,
          },
        }),
      );
      if (generation > 0) {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { id: `${store.id}#${generation}#0`, data: blob },
          }),
        );
      }
    };

    it('is reported as CheckpointFormatError, and cleared with its chunks under the lease', async () => {
      const store = fresh();
      await formatOne(store, 4);
      await assert.rejects(
        loadCheckpoint(client, store),
        (error: unknown) =>
          error instanceof CheckpointFormatError && /is of format 1/.test(error.message),
      );
      assert.equal(await acquireLease(client, { ...store, owner: 'run-a', ...LEASE }), true);
      await clearCheckpoint(client, { ...store, owner: 'run-a' });
      assert.deepEqual(await itemIds(store.id), []);
    });

    it('refuses to append to it (that would hide its blob), and lets a whole save replace it', async () => {
      const store = fresh();
      await formatOne(store, 4);
      assert.equal(await acquireLease(client, { ...store, owner: 'run-a', ...LEASE }), true);
      await assert.rejects(
        saveCheckpoint(client, {
          ...store,
          owner: 'run-a',
          expectedGeneration: 4,
          checkpoint: { body: 'x', append: new Uint8Array(8).fill(1) },
        }),
        CheckpointConflictError,
      );
      await assert.rejects(loadCheckpoint(client, store), CheckpointFormatError);
      const generation = await saveCheckpoint(client, {
        ...store,
        owner: 'run-a',
        expectedGeneration: 4,
        checkpoint: { body: 'whole', blob: new Uint8Array(8).fill(2) },
      });
      assert.deepEqual([...((await loadCheckpoint(client, store))?.blob ?? [])], Array(8).fill(2));
      assert.deepEqual(await itemIds(store.id), [store.id, `${store.id}#${generation}#0`]);
    });

    it('reads its empty lease head as empty, and a save turns it into format 2', async () => {
      const store = fresh();
      await formatOne(store, 0);
      assert.equal(await acquireLease(client, { ...store, owner: 'run-a', ...LEASE }), true);
      assert.equal((await loadCheckpoint(client, store))?.segments, 0);
      const generation = await saveCheckpoint(client, {
        ...store,
        owner: 'run-a',
        expectedGeneration: 0,
        checkpoint: { body: 'new', append: new Uint8Array(8).fill(1) },
      });
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: { id: store.id }, ConsistentRead: true }),
      );
      assert.equal(Item?.format, 2);
      assert.equal(Item?.chunks, undefined, 'the format-1 fields are gone');
      assert.equal((await loadCheckpoint(client, store))?.generation, generation);
    });
  });
});

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { acquireLease, loadCheckpoint, saveCheckpoint } from '../src/aws/store/checkpointStore.js';
import { createDynamoDocumentClient } from '../src/aws/store/dynamoClient.js';
import { startDynamoServer } from '../src/local/dynamoServer.js';
import { FingerprintSet, fingerprint } from '../src/sync/reconcile/fingerprints.js';
import { createRunCheckpoints } from '../src/sync/reconcile/runCheckpoints.js';
import { newRunState, parseRunState, serializeRunState } from '../src/sync/reconcile/runState.js';
import { ensureReadyTable } from './readyTable.js';

/** What one save wrote. */
export interface SaveWrites {
  /** Items written: segment puts, head updates, deletions. */
  readonly items: number;
  /** Bytes of those items (by DynamoDB's sizing rules; a deletion counts the item deleted, an update the larger of the head before and after). */
  readonly bytes: number;
  /** Write request units: each item's size rounded up to 1 KB. */
  readonly writeUnits: number;
}

/** One save of the run, in both designs. */
export interface CheckpointSaveRow {
  /** Fingerprints held when saving. */
  readonly fingerprints: number;
  /** Only what changed (segments appended). */
  readonly appended: SaveWrites;
  /** The whole blob again (every earlier release). */
  readonly whole: SaveWrites;
}

/** The checkpoint section. */
export interface CheckpointBenchResult {
  /** Fingerprints at the last save. */
  readonly fingerprints: number;
  /** Saves in the run. */
  readonly saves: number;
  readonly rows: readonly CheckpointSaveRow[];
  /** Totals over the run. */
  readonly appended: SaveWrites;
  readonly whole: SaveWrites;
  /** Bytes written over the run, appended / whole. */
  readonly bytesRatio: number;
  /** Whether both checkpoints loaded back every fingerprint after the last save. */
  readonly correct: boolean;
}

/**
 * A run of `saves` invocations that each list `fingerprints / saves` new
 * users and save, checkpointed twice in the same state table (dynalite in
 * this process): through `createRunCheckpoints` (each save appends what
 * changed), and as every earlier release did, the whole state each time (the
 * store's replacing save, which writes the same items the format-1 layout
 * did). Every write request is counted and sized: items, bytes and write
 * units per save. Counts, not times: they do not depend on the machine.
 */
export async function measureCheckpoints(options: {
  readonly fingerprints: number;
  readonly saves: number;
  readonly log: (line: string) => void;
}): Promise<CheckpointBenchResult> {
  const dynamo = await startDynamoServer({ host: '127.0.0.1', port: 0 });
  const admin = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'us-east-1' });
  const client = createDynamoDocumentClient({ endpoint: dynamo.endpoint, region: 'us-east-1' });
  const tableName = 'reconcile-state';
  try {
    await ensureReadyTable(admin, { tableName, keyAttribute: 'id' });
    const meter = meteredClient(client);
    const checkpoints = createRunCheckpoints(meter.client, {
      tableName,
      userPoolId: 'us-east-1_Bench',
      userTableName: 'appended',
    });
    const whole = { tableName, id: 'reconcile#us-east-1_Bench#whole' };
    const owner = 'bench';
    const now = Date.now();
    await checkpoints.acquire(owner, now + 3_600_000, now);
    await meter.acquire(whole.id, owner, now);
    const start = newRunState({
      userPoolId: 'us-east-1_Bench',
      tableName: 'users',
      now: new Date(now),
      sharded: true,
      scanSegments: 4,
    });
    const perSave = Math.ceil(options.fingerprints / options.saves);
    const rows: CheckpointSaveRow[] = [];
    let listed = 0;
    options.log(
      `checkpoints: ${options.saves} saves up to ${options.fingerprints} fingerprints, appended and whole…`,
    );
    for (let save = 0; save < options.saves; save++) {
      const count = Math.min(perSave, options.fingerprints - listed);
      // Only what changed: load, list, save through the run checkpoints.
      const saved = await checkpoints.load();
      const state = saved.state ? parseRunState(saved.state) : start;
      for (let i = 0; i < count; i++)
        state.listed.add(fingerprint(`user-${listed + i}`, state.salt));
      const appended = await meter.measure(() => checkpoints.save(state, saved, owner));
      // The whole state, as before: load, list the same users, save everything.
      const before = await loadCheckpoint(client, whole);
      const wholeState = before?.body
        ? parseRunState({ body: before.body, blob: before.blob })
        : { ...start, listed: new FingerprintSet() };
      for (let i = 0; i < count; i++) {
        wholeState.listed.add(fingerprint(`user-${listed + i}`, wholeState.salt));
      }
      const wholeWrites = await meter.measure(() =>
        saveCheckpoint(meter.client, {
          ...whole,
          owner,
          expectedGeneration: before?.generation,
          checkpoint: serializeRunState(wholeState),
        }),
      );
      listed += count;
      rows.push({ fingerprints: listed, appended, whole: wholeWrites });
      options.log(
        `  save ${save + 1}: ${listed} fingerprints, appended ${appended.bytes} B in ${appended.items} items, whole ${wholeWrites.bytes} B in ${wholeWrites.items} items`,
      );
    }
    const a = (await checkpoints.load()).state;
    const w = await loadCheckpoint(client, whole);
    const correct =
      a !== undefined &&
      w !== undefined &&
      parseRunState(a).listed.size === listed &&
      parseRunState({ body: w.body, blob: w.blob }).listed.size === listed;
    const appended = total(rows.map((row) => row.appended));
    const wholeTotal = total(rows.map((row) => row.whole));
    return {
      fingerprints: listed,
      saves: options.saves,
      rows,
      appended,
      whole: wholeTotal,
      bytesRatio: appended.bytes / wholeTotal.bytes,
      correct,
    };
  } finally {
    client.destroy();
    admin.destroy();
    await dynamo.close();
  }
}

function total(rows: readonly SaveWrites[]): SaveWrites {
  return rows.reduce(
    (sum, row) => ({
      items: sum.items + row.items,
      bytes: sum.bytes + row.bytes,
      writeUnits: sum.writeUnits + row.writeUnits,
    }),
    { items: 0, bytes: 0, writeUnits: 0 },
  );
}

type Command = { constructor: { name: string }; input: Record<string, unknown> };

/**
 * A client that sizes every write it passes on: a put by its item, a
 * deletion by the item it deletes (remembered from its put, or read first),
 * an update of a head by the larger of the head before and after (read
 * around it with a client of its own, not counted).
 */
function meteredClient(client: DynamoDBDocumentClient) {
  let writes: { bytes: number; units: number }[] = [];
  const count = (bytes: number) => writes.push({ bytes, units: Math.ceil(bytes / 1024) || 1 });
  const readItem = async (command: Command) => {
    const answer = await client.send(
      new GetCommand({
        TableName: command.input.TableName as string,
        Key: command.input.Key as Record<string, unknown>,
        ConsistentRead: true,
      }),
    );
    return answer.Item;
  };
  const send = (async (command: Command, options?: unknown) => {
    const forward = () =>
      (client.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, options);
    const name = command.constructor.name;
    if (name === 'PutCommand') {
      count(itemSize(command.input.Item as Record<string, unknown>));
      return forward();
    }
    if (name === 'UpdateCommand' || name === 'DeleteCommand') {
      const before = await readItem(command);
      const answer = await forward();
      const after = name === 'UpdateCommand' ? await readItem(command) : undefined;
      count(Math.max(before ? itemSize(before) : 0, after ? itemSize(after) : 0));
      return answer;
    }
    return forward();
  }) as DynamoDBDocumentClient['send'];
  return {
    client: { send } as Pick<DynamoDBDocumentClient, 'send'>,
    /** Takes the lease of a checkpoint saved without `createRunCheckpoints`. */
    acquire: async (id: string, owner: string, now: number) => {
      await acquireLease(client, {
        tableName: 'reconcile-state',
        id,
        owner,
        now,
        until: now + 3_600_000,
      });
    },
    /** The writes `work` made. */
    measure: async (work: () => Promise<unknown>): Promise<SaveWrites> => {
      writes = [];
      await work();
      const done = writes;
      writes = [];
      return {
        items: done.length,
        bytes: done.reduce((sum, write) => sum + write.bytes, 0),
        writeUnits: done.reduce((sum, write) => sum + write.units, 0),
      };
    },
  };
}

/**
 * An item's size by DynamoDB's rules: attribute names and values, a number
 * at 1 byte per two significant digits plus 1, a binary its raw bytes, a
 * list or map 3 bytes plus 1 per element (developer guide, "DynamoDB item
 * sizes and formats").
 */
export function itemSize(item: Readonly<Record<string, unknown>>): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    size += Buffer.byteLength(name, 'utf8') + valueSize(value);
  }
  return size;
}

function valueSize(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') {
    const digits = String(Math.abs(value))
      .replace('.', '')
      .replace(/^0+|0+$/g, '').length;
    return Math.ceil(digits / 2) + 1;
  }
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value))
    return 3 + value.reduce((sum, element) => sum + 1 + valueSize(element), 0);
  if (typeof value === 'object' && value !== undefined) {
    return (
      3 +
      Object.entries(value).reduce(
        (sum, [name, element]) => sum + 1 + Buffer.byteLength(name, 'utf8') + valueSize(element),
        0,
      )
    );
  }
  return 0;
}

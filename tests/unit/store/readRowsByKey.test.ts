import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  batchGetProjection,
  MAX_BATCH_GET_KEYS,
  readRowsByKey,
} from '../../../src/aws/store/readRowsByKey.js';
import { TableReadError } from '../../../src/shared/errors.js';
import { RECONCILE_MAX_ATTEMPTS } from '../../../src/shared/retry.js';
import { sdkError } from '../reconcile/fakes.js';

type Input = {
  RequestItems: Record<
    string,
    {
      Keys: Record<string, unknown>[];
      ConsistentRead?: boolean;
      ProjectionExpression?: string;
      ExpressionAttributeNames?: Record<string, string>;
    }
  >;
};
type Answer = {
  Responses?: Record<string, Record<string, unknown>[]>;
  UnprocessedKeys?: Record<string, { Keys: Record<string, unknown>[] }>;
};

/** A fake client answering BatchGet calls with `answer(keys, call)` (or throwing what it throws). */
function fakeClient(answer: (keys: string[], call: number) => Answer) {
  const calls: { name: string; input: Input }[] = [];
  const client = {
    async send(command: { constructor: { name: string }; input: Input }) {
      calls.push({ name: command.constructor.name, input: command.input });
      const keys = (command.input.RequestItems.users?.Keys ?? []).map((key) => String(key.pk));
      return answer(keys, calls.length);
    },
  } as unknown as Pick<DynamoDBDocumentClient, 'send'>;
  return { client, calls };
}

/** Answers every key with a row, except the keys listed as unprocessed. */
function rowsFor(keys: string[], unprocessed: string[] = []): Answer {
  return {
    Responses: {
      users: keys.filter((key) => !unprocessed.includes(key)).map((pk) => ({ pk, deletedAt: 'x' })),
    },
    UnprocessedKeys: unprocessed.length
      ? { users: { Keys: unprocessed.map((pk) => ({ pk })) } }
      : {},
  };
}

const waits: number[] = [];
const RECORD_WAITS = {
  sleep: async (ms: number) => {
    waits.push(ms);
  },
  random: () => 0.5,
};
const base = { tableName: 'users', keyAttribute: 'pk' } as const;

describe('Function: readRowsByKey', () => {
  it('reads the keys once each in one eventually consistent BatchGet call', async () => {
    const { client, calls } = fakeClient((keys) => rowsFor(keys));
    const rows = await readRowsByKey(client, { ...base, keys: ['a', 'b', 'a', 'c', 'b'] });
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.name, 'BatchGetCommand');
    const request = calls[0]?.input.RequestItems.users;
    assert.deepEqual(request?.Keys, [{ pk: 'a' }, { pk: 'b' }, { pk: 'c' }]);
    assert.equal(request?.ConsistentRead, false);
    assert.equal(request?.ProjectionExpression, undefined);
    assert.deepEqual([...rows.keys()], ['a', 'b', 'c']);
    assert.deepEqual(rows.get('b'), { pk: 'b', deletedAt: 'x' });
  });

  it('accepts 100 distinct keys given with repeats', async () => {
    const { client, calls } = fakeClient((keys) => rowsFor(keys));
    const keys = Array.from({ length: 150 }, (_, i) => `u${i % 100}`);
    const rows = await readRowsByKey(client, { ...base, keys });
    assert.equal(rows.size, 100);
    assert.equal(calls[0]?.input.RequestItems.users?.Keys.length, 100);
  });

  it('throws naming the count when there are more than 100 distinct keys, before any call', async () => {
    const { client, calls } = fakeClient((keys) => rowsFor(keys));
    const keys = Array.from({ length: MAX_BATCH_GET_KEYS + 1 }, (_, i) => `u${i}`);
    await assert.rejects(
      readRowsByKey(client, { ...base, keys }),
      (error: unknown) =>
        error instanceof Error &&
        !(error instanceof TableReadError) &&
        /at most 100 distinct keys.*got 101/.test(error.message),
    );
    assert.equal(calls.length, 0);
  });

  it('throws naming the position of an empty key', async () => {
    const { client } = fakeClient((keys) => rowsFor(keys));
    await assert.rejects(
      readRowsByKey(client, { ...base, keys: ['a', ''] }),
      /key 1 is not a non-empty string/,
    );
  });

  it('makes no call for no keys', async () => {
    const { client, calls } = fakeClient((keys) => rowsFor(keys));
    assert.equal((await readRowsByKey(client, { ...base, keys: [] })).size, 0);
    assert.equal(calls.length, 0);
  });

  it('asks again for unprocessed keys, with backoff, until none are left', async () => {
    waits.length = 0;
    const { client, calls } = fakeClient((keys, call) =>
      call === 1
        ? rowsFor(keys, ['b', 'c', 'd'])
        : call === 2
          ? rowsFor(keys, ['d'])
          : rowsFor(keys),
    );
    const rows = await readRowsByKey(client, {
      ...base,
      keys: ['a', 'b', 'c', 'd'],
      attributes: ['deletedAt'],
      retry: RECORD_WAITS,
    });
    assert.deepEqual([...rows.keys()].sort(), ['a', 'b', 'c', 'd']);
    assert.deepEqual(
      calls.map((call) => call.input.RequestItems.users?.Keys.map((key) => key.pk)),
      [['a', 'b', 'c', 'd'], ['b', 'c', 'd'], ['d']],
    );
    // Every call keeps the projection.
    for (const call of calls) {
      assert.equal(call.input.RequestItems.users?.ProjectionExpression, '#key, #a0');
    }
    // Full jitter below 100 ms, then 200 ms (random() = 0.5).
    assert.deepEqual(waits, [50, 100]);
  });

  it('retries a throttled call and a 5xx answer', async () => {
    const failures = [
      sdkError('ProvisionedThroughputExceededException'),
      Object.assign(sdkError('InternalServerError'), { $metadata: { httpStatusCode: 500 } }),
    ];
    const { client, calls } = fakeClient((keys) => {
      const failure = failures.shift();
      if (failure) throw failure;
      return rowsFor(keys);
    });
    const rows = await readRowsByKey(client, { ...base, keys: ['a'], retry: RECORD_WAITS });
    assert.equal(rows.size, 1);
    assert.equal(calls.length, 3);
  });

  it('throws a TableReadError naming the table and the keys left when unprocessed keys never clear', async () => {
    const { client, calls } = fakeClient((keys, call) =>
      rowsFor(keys, call === 1 ? keys.slice(1) : keys),
    );
    await assert.rejects(
      readRowsByKey(client, {
        ...base,
        keys: ['a', 'b', 'c'],
        retry: { ...RECORD_WAITS, maxAttempts: 3 },
      }),
      (error: unknown) =>
        error instanceof TableReadError &&
        error.message ===
          'could not read 3 rows by key from table "users": 2 of 3 keys were left unprocessed (throttled or over the 16 MB response limit) after 3 calls',
    );
    assert.equal(calls.length, 3);
  });

  it(`gives up after ${RECONCILE_MAX_ATTEMPTS} calls by default`, async () => {
    const { client, calls } = fakeClient((keys) => rowsFor(keys, keys));
    await assert.rejects(
      readRowsByKey(client, { ...base, keys: ['a'], retry: RECORD_WAITS }),
      /1 of 1 keys were left unprocessed .* after 12 calls$/,
    );
    assert.equal(calls.length, RECONCILE_MAX_ATTEMPTS);
  });

  it('throws a TableReadError saying why at once on an error that is not transient', async () => {
    const { client, calls } = fakeClient(() => {
      throw Object.assign(sdkError('ResourceNotFoundException', 'Requested resource not found'), {
        $metadata: { httpStatusCode: 400 },
      });
    });
    await assert.rejects(
      readRowsByKey(client, { ...base, keys: ['a'], retry: RECORD_WAITS }),
      (error: unknown) =>
        error instanceof TableReadError &&
        /table "users": ResourceNotFoundException \(HTTP 400\): Requested resource not found/.test(
          error.message,
        ),
    );
    assert.equal(calls.length, 1);
  });

  it('ignores rows whose key is not a string', async () => {
    const { client } = fakeClient(() => ({
      Responses: { users: [{ pk: 7 }, { pk: 'a', name: 'n' }, { other: 'x' }] },
    }));
    const rows = await readRowsByKey(client, { ...base, keys: ['a', 'b'] });
    assert.deepEqual([...rows.entries()], [['a', { pk: 'a', name: 'n' }]]);
  });
});

describe('Function: batchGetProjection', () => {
  it('puts every name behind a placeholder, the key first and once', () => {
    assert.deepEqual(batchGetProjection('pk', ['deletedAt', 'name', '__proto__', 'pk', 'name']), {
      ProjectionExpression: '#key, #a0, #a1, #a2',
      ExpressionAttributeNames: {
        '#key': 'pk',
        '#a0': 'deletedAt',
        '#a1': 'name',
        '#a2': '__proto__',
      },
    });
  });

  it('reads the key alone for no attributes, and whole rows for undefined', () => {
    assert.deepEqual(batchGetProjection('pk', []), {
      ProjectionExpression: '#key',
      ExpressionAttributeNames: { '#key': 'pk' },
    });
    assert.deepEqual(batchGetProjection('pk', undefined), {});
  });

  it('throws naming the position of an empty attribute name', () => {
    assert.throws(
      () => batchGetProjection('pk', ['a', '']),
      /attribute 1 is not a non-empty string/,
    );
  });
});

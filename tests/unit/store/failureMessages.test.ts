import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deleteIfSub, getUserRow } from '../../../src/aws/store/managedRows.js';
import { deleteRowIfPresent } from '../../../src/aws/store/orphanRows.js';
import { scanUserRows } from '../../../src/aws/store/scanUserRows.js';
import { setLastSignInAt } from '../../../src/aws/store/signInRow.js';
import { createRowIfAbsent } from '../../../src/aws/store/userTable.js';
import { describeFailure } from '../../../src/shared/failure.js';

/** A client whose every call fails with `error`. */
function failingClient(error: Error): DynamoDBDocumentClient {
  return {
    send: async () => {
      throw error;
    },
  } as unknown as DynamoDBDocumentClient;
}

const keyMismatch = Object.assign(
  new Error('One or more parameter values were invalid: Missing the key id in the item'),
  { name: 'ValidationException', $metadata: { httpStatusCode: 400 } },
);
const aborted = Object.assign(new Error('Request aborted'), { name: 'AbortError' });

describe('The store calls: one describeFailure (shared/failure.ts) says why', () => {
  for (const [what, error] of [
    ['a key mismatch', keyMismatch],
    ['an abort', aborted],
  ] as const) {
    it(`words ${what} the same in every call, naming DynamoDB`, async () => {
      const table = { client: failingClient(error), tableName: 'users', keyAttribute: 'id' };
      const expected = describeFailure(error, 'DynamoDB');
      // The calls that know the row mapping (the default one here) also say which keys they wrote.
      const mapped = describeFailure(error, 'DynamoDB', { partition: 'id' });
      const calls: [string, () => Promise<unknown>][] = [
        ['put', () => createRowIfAbsent(table, { id: 'u1', sub: 's1' } as never)],
        ['get', () => getUserRow(table, 'u1')],
        ['delete if sub', () => deleteIfSub(table, 'u1', 's1')],
        ['delete orphan', () => deleteRowIfPresent(table, 'u1')],
        ['sign-in', () => setLastSignInAt(table, 'u1', 's1', '2026-01-01T00:00:00.000Z')],
        ['scan', () => scanUserRows(table.client, { tableName: 'users' })],
      ];
      for (const [name, call] of calls) {
        await assert.rejects(call(), (thrown: Error) => {
          const wanted = name === 'scan' ? expected : mapped;
          assert.ok(thrown.message.endsWith(`: ${wanted}`), `${name}: ${thrown.message}`);
          return true;
        });
      }
      if (error === keyMismatch) assert.match(expected, /configured key attribute/);
      else assert.equal(expected, 'the deadline passed before DynamoDB answered');
    });
  }
});

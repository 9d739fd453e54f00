import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { resolveRowMapping } from '../../../../src/domain/rowMapping/validate.js';
import { createSyncSnapshotSource } from '../../../../src/local/console/syncSnapshot.js';
import { cognitoUser, FakeCognito, subOf } from '../../reconcile/fakes.js';

/** A table answering Scan with every row in one page. */
class FakeRows {
  scans = 0;
  constructor(readonly rows: Record<string, unknown>[]) {}
  async send(command: { constructor: { name: string } }) {
    if (command.constructor.name !== 'ScanCommand') throw new Error('unexpected call');
    this.scans++;
    return { Items: this.rows.map((row) => ({ ...row })) };
  }
}

/**
 * The fake pool with groups: ListGroups and ListUsersInGroup answered from
 * `members` (group → usernames, one page each), every other call passed on.
 */
class FakeGroups {
  readonly groupCalls: string[] = [];
  constructor(
    readonly pool: FakeCognito,
    readonly members: Record<string, string[]> = {},
  ) {}
  async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
    const name = command.constructor.name;
    if (name === 'ListGroupsCommand') {
      this.groupCalls.push('ListGroups');
      return { Groups: Object.keys(this.members).map((GroupName) => ({ GroupName })) };
    }
    if (name === 'ListUsersInGroupCommand') {
      const group = String(command.input.GroupName);
      this.groupCalls.push(`ListUsersInGroup ${group}`);
      const usernames = this.members[group];
      if (!usernames) {
        const error = new Error('Group not found');
        error.name = 'ResourceNotFoundException';
        throw error;
      }
      return { Users: usernames.map((Username) => ({ Username })) };
    }
    return this.pool.send(command);
  }
}

function source(
  cognito: FakeCognito | FakeGroups,
  table: FakeRows,
  maxAgeMs = 60_000,
  now?: () => number,
  rowMapping = resolveRowMapping({}),
) {
  return createSyncSnapshotSource({
    ...(now ? { now } : {}),
    cognito: cognito instanceof FakeGroups ? cognito : new FakeGroups(cognito),
    dynamo: table as unknown as DynamoDBDocumentClient,
    userPoolId: 'us-east-1_Pool1',
    tableName: 'users',
    rowMapping,
    maxAgeMs,
    listRate: 1000,
  });
}

describe('Function: createSyncSnapshotSource', () => {
  it('pairs every listed user, over several ListUsers pages, with the scanned rows', async () => {
    const users = Array.from({ length: 70 }, (_, i) => cognitoUser(`u${i}`));
    const cognito = new FakeCognito(users);
    const snapshots = source(cognito, new FakeRows([{ username: 'u0', sub: subOf('u0') }]));

    const snapshot = await snapshots.get();

    assert.equal(cognito.calls.length, 2);
    assert.equal(snapshot.counts.total, 70);
    assert.equal(snapshot.counts['row-missing'], 69);
    assert.equal(snapshot.counts['attributes-differ'], 1);
  });

  it('serves a fresh snapshot again, and shares one read between concurrent callers', async () => {
    const table = new FakeRows([]);
    const snapshots = source(new FakeCognito([cognitoUser('a')]), table);
    const [first, second] = await Promise.all([snapshots.get(), snapshots.get()]);
    const third = await snapshots.get();
    assert.equal(table.scans, 1);
    assert.equal(first, second);
    assert.equal(first, third);
  });

  it('reads again after an invalidation, so that a change made through the console shows', async () => {
    const table = new FakeRows([]);
    const cognito = new FakeCognito([cognitoUser('a')]);
    const snapshots = source(cognito, table);
    assert.equal((await snapshots.get()).counts['row-missing'], 1);

    table.rows.push({
      username: 'a',
      sub: subOf('a'),
      userPoolId: 'us-east-1_Pool1',
      email: 'a@example.com',
      attributes: { sub: subOf('a'), email: 'a@example.com' },
      enabled: true,
      status: 'CONFIRMED',
    });
    snapshots.invalidate();

    assert.equal((await snapshots.get()).counts['in-sync'], 1);
    assert.equal(table.scans, 2);
  });

  it('starts a new read when the snapshot is older than maxAgeMs', async () => {
    // A clock that stands still during the read (0 ms) and then moves on by 10 ms.
    let time = 0;
    const table = new FakeRows([]);
    const snapshots = source(new FakeCognito([cognitoUser('a')]), table, 0, () => time);
    await snapshots.get();
    time = 10;
    await snapshots.get();
    assert.equal(table.scans, 2);
  });

  it("reads the groups once a snapshot, shows each user's, and compares them when the mapping keeps them", async () => {
    const pool = new FakeCognito([cognitoUser('a'), cognitoUser('b')]);
    const groups = new FakeGroups(pool, { readers: ['a', 'b'], admins: ['a'] });
    const row = (username: string, member: string[]) => ({
      username,
      sub: subOf(username),
      userPoolId: 'us-east-1_Pool1',
      email: `${username}@example.com`,
      attributes: { sub: subOf(username), email: `${username}@example.com` },
      enabled: true,
      status: 'CONFIRMED',
      groups: member,
    });
    const snapshots = source(
      groups,
      new FakeRows([row('a', ['admins', 'readers']), row('b', [])]),
      60_000,
      undefined,
      resolveRowMapping({ fields: { groups: 'groups' } }),
    );

    const snapshot = await snapshots.get();

    assert.deepEqual(snapshot.groups, ['admins', 'readers']);
    assert.deepEqual(groups.groupCalls, [
      'ListGroups',
      'ListUsersInGroup admins',
      'ListUsersInGroup readers',
    ]);
    const pairOf = (key: string) => snapshot.pairs.find((pair) => pair.key === key);
    assert.deepEqual(pairOf('a')?.user?.groups, ['admins', 'readers']);
    assert.equal(pairOf('a')?.status, 'in-sync');
    assert.deepEqual(pairOf('b')?.user?.groups, ['readers']);
    assert.equal(pairOf('b')?.status, 'attributes-differ');
    assert.deepEqual(pairOf('b')?.differences, ['groups']);
  });

  it('shows the groups without comparing them when the mapping does not keep them', async () => {
    const pool = new FakeCognito([cognitoUser('a')]);
    const snapshots = source(new FakeGroups(pool, { admins: ['a'] }), new FakeRows([]));
    const snapshot = await snapshots.get();
    assert.deepEqual(snapshot.pairs[0]?.user?.groups, ['admins']);
    assert.equal(snapshot.pairs[0]?.status, 'row-missing');
  });
});

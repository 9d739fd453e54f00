import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  AdminGetUserCommand,
  ListUsersCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { createDynamoDocumentClient } from '../../src/aws/store/dynamoClient.js';
import { ensureUserTable } from '../../src/aws/store/ensureTable.js';
import { findKeysBySub } from '../../src/aws/store/managedRows.js';
import type { UserState } from '../../src/domain/converge.js';
import { convergeRow, convergeUser } from '../../src/sync/converge/convergeUser.js';
import { startDynalite, type TestDynalite } from '../helpers/dynalite.js';

const POOL = 'us-east-1_Pool1';
const SUB = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

/** A pool of one user (or none) behind the two calls converge makes. */
function fakePool(initial: UserState | undefined) {
  let user = initial;
  const calls: string[] = [];
  const cognito = {
    send: async (command: unknown) => {
      if (command instanceof AdminGetUserCommand) {
        calls.push('AdminGetUser');
        const name = command.input.Username;
        if (
          !user ||
          (name !== user.username && name !== user.attributes.sub && name !== user.attributes.email)
        ) {
          throw new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });
        }
        return {
          Username: user.username,
          UserAttributes: Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
          Enabled: user.enabled,
          UserStatus: user.status,
          UserLastModifiedDate: user.lastModifiedAt ? new Date(user.lastModifiedAt) : undefined,
        };
      }
      if (command instanceof ListUsersCommand) {
        calls.push(`ListUsers ${command.input.Filter}`);
        const match = user && command.input.Filter === `sub = "${user.attributes.sub}"`;
        return {
          Users: match
            ? [
                {
                  Username: user?.username,
                  Attributes: Object.entries(user?.attributes ?? {}).map(([Name, Value]) => ({
                    Name,
                    Value,
                  })),
                  Enabled: user?.enabled,
                  UserStatus: user?.status,
                  UserLastModifiedDate: new Date(user?.lastModifiedAt ?? 0),
                },
              ]
            : [],
        };
      }
      throw new Error('unexpected command');
    },
  };
  return {
    cognito,
    calls,
    set: (next: UserState | undefined) => {
      user = next;
    },
  };
}

function userState(patch: Partial<UserState> = {}): UserState {
  return {
    username: 'jane',
    userPoolId: POOL,
    attributes: { sub: SUB, email: 'jane@example.com', email_verified: 'true', given_name: 'Jane' },
    enabled: true,
    status: 'CONFIRMED',
    lastModifiedAt: '2026-11-29T10:00:00.000Z',
    ...patch,
  };
}

describe('Integration: convergeUser against dynalite', () => {
  let dynalite: TestDynalite;
  let client: DynamoDBDocumentClient;
  const table = () => ({ client, tableName: 'users', keyAttribute: 'username' });
  const deps = (cognito: ReturnType<typeof fakePool>['cognito'], patch = {}) => ({
    cognito,
    userPoolId: POOL,
    table: table(),
    mapping: { keyAttribute: 'username' },
    subIndexName: 'bySub',
    now: () => new Date('2026-11-29T12:00:00.000Z'),
    ...patch,
  });
  const getRow = async (username: string) =>
    (await client.send(new GetCommand({ TableName: 'users', Key: { username } }))).Item;

  before(async () => {
    dynalite = await startDynalite();
    client = createDynamoDocumentClient({ endpoint: dynalite.endpoint });
  });
  after(async () => {
    client.destroy();
    await dynalite.close();
  });
  beforeEach(async () => {
    await dynalite.client.send(new DeleteTableCommand({ TableName: 'users' })).catch(() => {});
    await ensureUserTable(dynalite.client, {
      tableName: 'users',
      keyAttribute: 'username',
      subIndexName: 'bySub',
    });
  });

  it('creates a missing row from what Cognito says now, not from the signal', async () => {
    const pool = fakePool(userState());
    const outcomes = await convergeUser(deps(pool.cognito), { username: SUB });
    assert.deepEqual(outcomes, [{ key: 'jane', outcome: 'created' }]);
    const row = await getRow('jane');
    assert.equal(row?.sub, SUB);
    assert.equal(row?.userLastModifiedAt, '2026-11-29T10:00:00.000Z');
    assert.equal(row?.source, 'converge');
  });

  it('updates managed fields and keeps every app-owned field', async () => {
    const pool = fakePool(userState());
    await convergeUser(deps(pool.cognito), { username: 'jane' });
    await client.send(
      new UpdateCommand({
        TableName: 'users',
        Key: { username: 'jane' },
        UpdateExpression: 'SET #plan = :plan, #prefs = :prefs',
        ExpressionAttributeNames: { '#plan': 'plan', '#prefs': 'prefs' },
        ExpressionAttributeValues: { ':plan': 'pro', ':prefs': { theme: 'dark' } },
      }),
    );
    pool.set(
      userState({
        enabled: false,
        attributes: { sub: SUB, given_name: 'Janet' },
        lastModifiedAt: '2026-11-29T11:00:00.000Z',
      }),
    );
    const outcomes = await convergeUser(deps(pool.cognito), { username: 'jane' });
    assert.deepEqual(outcomes, [{ key: 'jane', outcome: 'updated' }]);
    const row = await getRow('jane');
    assert.equal(row?.plan, 'pro');
    assert.deepEqual(row?.prefs, { theme: 'dark' });
    assert.equal(row?.enabled, false);
    assert.equal(row?.email, undefined);
    assert.equal(row?.emailVerified, undefined);
    assert.deepEqual(row?.attributes, { sub: SUB, given_name: 'Janet' });
    assert.equal(row?.createdAt, '2026-11-29T12:00:00.000Z');
  });

  it('ignores a stale read: an older state never replaces a newer one', async () => {
    const pool = fakePool(
      userState({ enabled: false, lastModifiedAt: '2026-11-29T11:00:00.000Z' }),
    );
    await convergeUser(deps(pool.cognito), { username: 'jane' });
    // A late converge whose read predates the stored state.
    const outcome = await convergeRow(
      deps(pool.cognito),
      'jane',
      userState({ enabled: true, lastModifiedAt: '2026-11-29T10:00:00.000Z' }),
      { source: 'converge' },
    );
    assert.equal(outcome, 'stale');
    assert.equal((await getRow('jane'))?.enabled, false);
  });

  it('refuses a stale write even when the row changed after the read (conditional update)', async () => {
    const pool = fakePool(userState());
    await convergeUser(deps(pool.cognito), { username: 'jane' });
    // Another writer stores a newer state between this converge's read and write.
    let raced = false;
    const racing = {
      ...table(),
      client: {
        send: async (command: unknown, options?: unknown) => {
          if (!raced && command instanceof UpdateCommand) {
            raced = true;
            await client.send(
              new UpdateCommand({
                TableName: 'users',
                Key: { username: 'jane' },
                UpdateExpression: 'SET userLastModifiedAt = :v, enabled = :e',
                ExpressionAttributeValues: { ':v': '2026-11-29T11:30:00.000Z', ':e': false },
              }),
            );
          }
          return client.send(command as never, options as never);
        },
      } as unknown as DynamoDBDocumentClient,
    };
    const outcome = await convergeRow(
      { ...deps(pool.cognito), table: racing },
      'jane',
      userState({
        attributes: { ...userState().attributes, given_name: 'Jo' },
        lastModifiedAt: '2026-11-29T11:00:00.000Z',
      }),
      { source: 'converge' },
    );
    assert.equal(outcome, 'stale');
    const row = await getRow('jane');
    assert.equal(row?.enabled, false);
    assert.equal(row?.userLastModifiedAt, '2026-11-29T11:30:00.000Z');
  });

  it('is harmless when the same signal arrives twice', async () => {
    const pool = fakePool(userState());
    await convergeUser(deps(pool.cognito), { username: 'jane' });
    const first = await getRow('jane');
    const again = await convergeUser(
      deps(pool.cognito, { now: () => new Date('2026-11-30T00:00:00.000Z') }),
      {
        username: 'jane',
      },
    );
    assert.deepEqual(again, [{ key: 'jane', outcome: 'in-sync' }]);
    assert.deepEqual(await getRow('jane'), first);
  });

  it('marks the row of a deleted user once, and a duplicate deletion signal changes nothing', async () => {
    const pool = fakePool(userState());
    await convergeUser(deps(pool.cognito), { username: 'jane' });
    pool.set(undefined);
    assert.deepEqual(await convergeUser(deps(pool.cognito), { username: 'jane' }), [
      { key: 'jane', outcome: 'marked' },
    ]);
    const marked = await getRow('jane');
    assert.equal(marked?.deletedAt, '2026-11-29T12:00:00.000Z');
    assert.deepEqual(await convergeUser(deps(pool.cognito), { username: 'jane' }), [
      { key: 'jane', outcome: 'already-deleted' },
    ]);
    assert.deepEqual(await getRow('jane'), marked);
  });

  it('finds a deleted user known only by sub through the sub index (username is not the sub)', async () => {
    const pool = fakePool(userState());
    await convergeUser(deps(pool.cognito), { username: 'jane' });
    assert.deepEqual(await findKeysBySub(table(), 'bySub', SUB), ['jane']);
    pool.set(undefined);
    const outcomes = await convergeUser(deps(pool.cognito), { sub: SUB });
    assert.deepEqual(outcomes, [{ key: 'jane', outcome: 'marked' }]);
    assert.ok(pool.calls.includes(`ListUsers sub = "${SUB}"`));
  });

  it('leaves a row whose username now belongs to another user untouched', async () => {
    await client.send(
      new PutCommand({
        TableName: 'users',
        Item: { username: 'jane', sub: 'old-sub', createdAt: '2026-01-01T00:00:00.000Z' },
      }),
    );
    const pool = fakePool(userState());
    assert.deepEqual(await convergeUser(deps(pool.cognito), { username: 'jane' }), [
      { key: 'jane', outcome: 'username-reused' },
    ]);
    assert.equal((await getRow('jane'))?.sub, 'old-sub');
  });

  it('deletes the row in delete mode, only while it still holds the deleted sub', async () => {
    const pool = fakePool(userState());
    await convergeUser(deps(pool.cognito), { username: 'jane' });
    pool.set(undefined);
    assert.deepEqual(
      await convergeUser(deps(pool.cognito, { onDeleted: 'delete' }), { username: 'jane' }),
      [{ key: 'jane', outcome: 'deleted' }],
    );
    assert.equal(await getRow('jane'), undefined);
  });

  it('records a sign-in on a row holding a newer state without replacing that state', async () => {
    const pool = fakePool(
      userState({ enabled: false, lastModifiedAt: '2026-11-29T13:00:00.000Z' }),
    );
    await convergeUser(deps(pool.cognito), { username: 'jane' });
    // The sign-in event (at 12:00, before Cognito's last change) says enabled.
    const outcome = await convergeRow(
      deps(pool.cognito),
      'jane',
      userState({ enabled: true, lastModifiedAt: undefined }),
      { source: 'PostAuthentication_Authentication', signIn: true },
    );
    assert.equal(outcome, 'signed-in');
    const row = await getRow('jane');
    assert.equal(row?.lastSignInAt, '2026-11-29T12:00:00.000Z');
    assert.equal(row?.enabled, false);
    assert.equal(row?.userLastModifiedAt, '2026-11-29T13:00:00.000Z');
  });

  describe('a signal that names the user by an e-mail address that has changed since', () => {
    const OLD = 'jane@example.com';
    const NEW = 'jane.doe@example.org';
    /** Jane's row as the first write left it, and the pool where her e-mail is now NEW. */
    const changedEmail = async () => {
      const pool = fakePool(userState({ lastModifiedAt: '2026-11-29T10:00:00.000Z' }));
      await convergeUser(deps(pool.cognito), { username: 'jane' });
      pool.set(
        userState({
          attributes: { sub: SUB, email: NEW, email_verified: 'false', given_name: 'Jane' },
          lastModifiedAt: '2026-11-29T11:00:00.000Z',
        }),
      );
      return pool;
    };
    const assertConverged = async () => {
      const row = await getRow('jane');
      assert.equal(row?.email, NEW);
      assert.equal(row?.deletedAt, undefined, 'the row of a user who exists is never marked');
      assert.equal(row?.userLastModifiedAt, '2026-11-29T11:00:00.000Z');
    };

    it('converges the user through the sub the event carries', async () => {
      const pool = await changedEmail();
      assert.deepEqual(await convergeUser(deps(pool.cognito), { username: OLD, sub: SUB }), [
        { key: 'jane', outcome: 'updated' },
      ]);
      await assertConverged();
    });

    it('converges the user of the sub, not the one the alias has passed to', async () => {
      const pool = await changedEmail();
      const other = { ...pool.cognito };
      // Another user now holds the old address: AdminGetUser by it answers with them.
      const bob = userState({
        username: 'bob',
        attributes: { sub: 'bbbbbbbb-bbbb-bbbb-bbbb-bbbbbbbbbbbb', email: OLD },
      });
      other.send = async (command: unknown) => {
        if (command instanceof AdminGetUserCommand && command.input.Username === OLD) {
          return {
            Username: bob.username,
            UserAttributes: Object.entries(bob.attributes).map(([Name, Value]) => ({
              Name,
              Value,
            })),
            Enabled: true,
            UserStatus: 'CONFIRMED',
            UserLastModifiedDate: undefined,
          };
        }
        return pool.cognito.send(command);
      };
      assert.deepEqual(await convergeUser(deps(other), { username: OLD, sub: SUB }), [
        { key: 'jane', outcome: 'updated' },
      ]);
      await assertConverged();
      assert.equal(await getRow('bob'), undefined);
    });

    it('converges the user through the new address the call set, when the event shows it', async () => {
      const pool = await changedEmail();
      assert.deepEqual(
        await convergeUser(
          deps(pool.cognito),
          { username: OLD, aliases: [NEW] },
          {
            userRemains: true,
          },
        ),
        [{ key: 'jane', outcome: 'updated' }],
      );
      await assertConverged();
    });

    it('finds the sub through the row that holds the old address when the event has nothing else', async () => {
      const pool = await changedEmail();
      assert.deepEqual(
        await convergeUser(deps(pool.cognito), { username: OLD }, { userRemains: true }),
        [{ key: 'jane', outcome: 'updated' }],
      );
      await assertConverged();
      assert.ok(pool.calls.includes(`ListUsers sub = "${SUB}"`));
    });

    it('marks the row of a user deleted by that address, found by the sub without an index', async () => {
      // A pool that signs in with e-mail: the username, and the row's key, is the sub.
      const pool = fakePool(userState({ username: SUB }));
      await convergeUser(deps(pool.cognito), { username: SUB });
      pool.set(undefined);
      assert.deepEqual(
        await convergeUser(deps(pool.cognito, { subIndexName: undefined }), {
          username: OLD,
          sub: SUB,
        }),
        [{ key: SUB, outcome: 'marked' }],
      );
      assert.equal(typeof (await getRow(SUB))?.deletedAt, 'string');
    });

    it('counts a name nothing resolves as unresolved, a deletion of nobody as no-row', async () => {
      const pool = await changedEmail();
      const nobody = 'nobody@example.com';
      assert.deepEqual(
        await convergeUser(deps(pool.cognito), { username: nobody }, { userRemains: true }),
        [{ key: undefined, outcome: 'unresolved' }],
      );
      assert.deepEqual(await convergeUser(deps(pool.cognito), { username: nobody }), [
        { key: undefined, outcome: 'no-row' },
      ]);
      assert.equal((await getRow('jane'))?.email, OLD, 'nothing else was touched');
    });
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  ListUsersCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDocumentClient } from '../../src/aws/store/dynamoClient.js';
import { ensureUserTable } from '../../src/aws/store/ensureTable.js';
import type { ChangeSignalConfig } from '../../src/domain/changeSignalConfig.js';
import { resolveRowMapping } from '../../src/domain/rowMapping/index.js';
import { createChangeSignalHandler } from '../../src/sync/handler/changeSignal.js';
import { startDynalite, type TestDynalite } from '../helpers/dynalite.js';
import { captureLogs } from '../helpers/logs.js';

const POOL = 'us-east-1_Pool1';
const VERSION = '2026-11-29T10:00:00.000Z';
const CONFIG: ChangeSignalConfig = {
  tableName: 'users',
  keyAttribute: 'username',
  logLevel: 'debug',
  userPoolId: POOL,
  onDeleted: 'mark',
  subIndexName: undefined,
  rowMapping: resolveRowMapping({ fields: { groups: 'memberOf' } }),
};

/** The pool after `admins` was deleted: ana is left in editors, bo in nothing, ed is gone. */
const POOL_GROUPS: Record<string, readonly string[]> = {
  ana: ['editors'],
  bo: [],
  cy: ['editors'],
};

const cognito = {
  send: async (command: unknown) => {
    // ListUsers by sub: only for a user AdminGetUser did not find, who is gone.
    if (command instanceof ListUsersCommand) return { Users: [] };
    const name = (command as { input: { Username?: string } }).input.Username ?? '';
    const groups = Object.hasOwn(POOL_GROUPS, name) ? POOL_GROUPS[name] : undefined;
    if (groups === undefined) {
      throw new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });
    }
    if (command instanceof AdminListGroupsForUserCommand) {
      return { Groups: groups.map((GroupName) => ({ GroupName })) };
    }
    assert.ok(command instanceof AdminGetUserCommand);
    return {
      Username: name,
      UserAttributes: [{ Name: 'sub', Value: `sub-${name}` }],
      Enabled: true,
      UserStatus: 'CONFIRMED',
      UserLastModifiedDate: new Date(VERSION),
    };
  },
};

function deleteGroup(groupName: string) {
  return {
    source: 'aws.cognito-idp',
    'detail-type': 'AWS API Call via CloudTrail',
    detail: {
      eventSource: 'cognito-idp.amazonaws.com',
      eventName: 'DeleteGroup',
      requestParameters: { userPoolId: POOL, groupName },
    },
  };
}

describe('Integration: a deleted group leaves the rows of its members (dynalite, fake Cognito)', () => {
  let dynalite: TestDynalite;
  let client: DynamoDBDocumentClient;

  before(async () => {
    dynalite = await startDynalite();
    await ensureUserTable(dynalite.client, { tableName: 'users', keyAttribute: 'username' });
    client = createDynamoDocumentClient({ endpoint: dynalite.endpoint, region: 'us-east-1' });
    const rows: Record<string, readonly string[]> = {
      ana: ['admins', 'editors'],
      bo: ['admins'],
      cy: ['editors'],
      // A substring of the name is not membership.
      di: ['administrators'],
      ed: ['admins'],
    };
    for (const [username, memberOf] of Object.entries(rows)) {
      await client.send(
        new PutCommand({
          TableName: 'users',
          Item: {
            username,
            sub: `sub-${username}`,
            userPoolId: POOL,
            attributes: { sub: `sub-${username}` },
            enabled: true,
            status: 'CONFIRMED',
            createdAt: VERSION,
            userLastModifiedAt: VERSION,
            memberOf,
            app: 'kept',
          },
        }),
      );
    }
  });

  after(async () => {
    client?.destroy();
    await dynalite?.close();
  });

  const row = async (username: string) =>
    (await client.send(new GetCommand({ TableName: 'users', Key: { username } }))).Item;

  it('converges exactly the rows that hold the group, from what the pool says now', async () => {
    const handler = createChangeSignalHandler({
      config: CONFIG,
      cognito,
      client,
      logger: captureLogs().logger,
    });
    const result = await handler(deleteGroup('admins'));
    assert.equal(result.left, 0);
    assert.deepEqual(
      [...result.rows].sort((a, b) => String(a.key).localeCompare(String(b.key))),
      [
        { key: 'ana', outcome: 'updated' },
        { key: 'bo', outcome: 'updated' },
        { key: 'ed', outcome: 'marked' },
      ],
    );
    assert.deepEqual((await row('ana'))?.memberOf, ['editors']);
    assert.deepEqual((await row('bo'))?.memberOf, []);
    assert.equal(typeof (await row('ed'))?.deletedAt, 'string');
    assert.equal(
      'memberOf' in ((await row('ed')) ?? {}),
      false,
      "a deleted user's groups are erased",
    );
    assert.deepEqual((await row('cy'))?.memberOf, ['editors']);
    assert.deepEqual((await row('di'))?.memberOf, ['administrators']);
    assert.equal((await row('ana'))?.app, 'kept');
    // A second delivery of the event finds no row that holds the group, and writes nothing.
    const again = await handler(deleteGroup('admins'));
    assert.deepEqual(again.rows, []);
  });
});

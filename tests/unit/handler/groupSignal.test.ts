import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ChangeSignalConfig } from '../../../src/domain/changeSignalConfig.js';
import { resolveRowMapping } from '../../../src/domain/rowMapping/index.js';
import { createChangeSignalHandler } from '../../../src/sync/handler/changeSignal.js';
import { GROUPS_OFF_REASON } from '../../../src/sync/handler/groupSignal.js';
import { captureLogs } from '../../helpers/logs.js';

const POOL = 'us-east-1_Pool1';
const OFF: ChangeSignalConfig = {
  tableName: 'users',
  keyAttribute: 'username',
  logLevel: 'debug',
  userPoolId: POOL,
  onDeleted: 'mark',
  subIndexName: undefined,
};
const ON: ChangeSignalConfig = {
  ...OFF,
  rowMapping: resolveRowMapping({ fields: { groups: 'groups' } }),
};
const VERSION = '2026-11-29T10:00:00.000Z';

function groupEvent(eventName: string, request: Record<string, string>) {
  return {
    source: 'aws.cognito-idp',
    'detail-type': 'AWS API Call via CloudTrail',
    detail: {
      eventSource: 'cognito-idp.amazonaws.com',
      eventName,
      requestParameters: { userPoolId: POOL, ...request },
    },
  };
}

/** A pool whose users are in the given groups; records the calls. */
function fakePool(users: Record<string, readonly string[]>) {
  const calls: string[] = [];
  const cognito = {
    send: async (command: unknown) => {
      const name = (command as { input: { Username?: string } }).input.Username ?? '';
      const groups = Object.hasOwn(users, name) ? users[name] : undefined;
      if (command instanceof AdminGetUserCommand) calls.push(`AdminGetUser ${name}`);
      else if (command instanceof AdminListGroupsForUserCommand)
        calls.push(`AdminListGroupsForUser ${name}`);
      else assert.fail(`unexpected call ${String(command)}`);
      if (groups === undefined) {
        throw new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });
      }
      if (command instanceof AdminListGroupsForUserCommand) {
        return { Groups: groups.map((GroupName) => ({ GroupName })) };
      }
      return {
        Username: name,
        UserAttributes: [{ Name: 'sub', Value: `sub-${name}` }],
        Enabled: true,
        UserStatus: 'CONFIRMED',
        UserLastModifiedDate: new Date(VERSION),
      };
    },
  };
  return { cognito, calls };
}

/** A table of rows by username; records the updates and scans. */
function fakeTable(rows: Record<string, Record<string, unknown>>) {
  const updates: UpdateCommand[] = [];
  const scans: ScanCommand[] = [];
  const client = {
    send: async (command: unknown) => {
      if (command instanceof GetCommand) {
        const name = String(command.input.Key?.username);
        return Object.hasOwn(rows, name) ? { Item: rows[name] } : {};
      }
      if (command instanceof ScanCommand) {
        scans.push(command);
        const group = command.input.ExpressionAttributeValues?.[':group'];
        const items = Object.values(rows).filter(
          (row) => Array.isArray(row.groups) && row.groups.includes(group),
        );
        return { Items: items.map((row) => ({ username: row.username, sub: row.sub })) };
      }
      if (command instanceof UpdateCommand) {
        updates.push(command);
        return {};
      }
      if (command instanceof PutCommand) return {};
      return assert.fail(`unexpected call ${String(command)}`);
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, updates, scans };
}

function row(username: string, groups: readonly string[]) {
  return {
    username,
    sub: `sub-${username}`,
    userPoolId: POOL,
    attributes: { sub: `sub-${username}` },
    enabled: true,
    status: 'CONFIRMED',
    userLastModifiedAt: VERSION,
    createdAt: VERSION,
    source: 'PostConfirmation_ConfirmSignUp',
    groups,
  };
}

/** The value an update SETs on the `groups` column. */
function groupsSet(update: UpdateCommand | undefined): unknown {
  const input = update?.input;
  const placeholder = Object.entries(input?.ExpressionAttributeNames ?? {}).find(
    ([, name]) => name === 'groups',
  )?.[0];
  assert.ok(placeholder, 'the update names the groups column');
  const value = (input?.UpdateExpression ?? '').match(
    new RegExp(`${placeholder} = (:[A-Za-z0-9_]+)`),
  )?.[1];
  assert.ok(value, 'the update SETs the groups column');
  return input?.ExpressionAttributeValues?.[value];
}

describe('Change signals: group calls', () => {
  it('ignores every group call, saying why, when the row mapping keeps no groups', async () => {
    const pool = fakePool({ jane: ['admins'] });
    const table = fakeTable({ jane: row('jane', []) });
    const logs = captureLogs();
    const handler = createChangeSignalHandler({
      config: OFF,
      cognito: pool.cognito,
      client: table.client,
      logger: logs.logger,
    });
    for (const eventName of ['AdminAddUserToGroup', 'AdminRemoveUserFromGroup', 'DeleteGroup']) {
      const result = await handler(
        groupEvent(eventName, { username: 'jane', groupName: 'admins' }),
      );
      assert.deepEqual(result, { status: 'ignored', reason: GROUPS_OFF_REASON, rows: [] });
    }
    assert.deepEqual(pool.calls, []);
    assert.deepEqual(table.scans, []);
    assert.equal(logs.records().at(-1)?.message, 'change signal ignored');
  });

  it('converges the user added to a group, with the groups read from the pool', async () => {
    const pool = fakePool({ jane: ['editors', 'admins'] });
    const table = fakeTable({ jane: row('jane', ['editors']) });
    const handler = createChangeSignalHandler({
      config: ON,
      cognito: pool.cognito,
      client: table.client,
      logger: captureLogs().logger,
    });
    const result = await handler(
      groupEvent('AdminAddUserToGroup', { username: 'jane', groupName: 'admins' }),
    );
    assert.deepEqual(result, { status: 'converged', rows: [{ key: 'jane', outcome: 'updated' }] });
    assert.deepEqual(pool.calls, ['AdminGetUser jane', 'AdminListGroupsForUser jane']);
    assert.equal(table.updates.length, 1);
    assert.deepEqual(groupsSet(table.updates[0]), ['admins', 'editors']);
  });

  it('converges the user removed from a group, down to an empty list', async () => {
    const pool = fakePool({ jane: [] });
    const table = fakeTable({ jane: row('jane', ['admins']) });
    const handler = createChangeSignalHandler({
      config: ON,
      cognito: pool.cognito,
      client: table.client,
      logger: captureLogs().logger,
    });
    await handler(
      groupEvent('AdminRemoveUserFromGroup', { username: 'jane', groupName: 'admins' }),
    );
    assert.deepEqual(groupsSet(table.updates[0]), []);
  });

  it('ignores a group call of another pool, and one that names no group', async () => {
    const pool = fakePool({});
    const table = fakeTable({});
    const handler = createChangeSignalHandler({
      config: ON,
      cognito: pool.cognito,
      client: table.client,
      logger: captureLogs().logger,
    });
    const other = groupEvent('DeleteGroup', { groupName: 'admins', userPoolId: 'us-east-1_Other' });
    assert.equal((await handler(other)).reason, 'the call is about another user pool');
    const hidden = groupEvent('DeleteGroup', { groupName: 'HIDDEN_DUE_TO_SECURITY_REASONS' });
    assert.equal((await handler(hidden)).status, 'ignored');
    assert.deepEqual(pool.calls, []);
    assert.deepEqual(table.scans, []);
  });

  it('converges every user whose row holds a deleted group, found by a filtered scan, paced', async () => {
    const pool = fakePool({ ana: ['editors'], bo: [] });
    const table = fakeTable({
      ana: row('ana', ['admins', 'editors']),
      bo: row('bo', ['admins']),
      cy: row('cy', ['editors']),
    });
    let taken = 0;
    const handler = createChangeSignalHandler({
      config: ON,
      cognito: pool.cognito,
      client: table.client,
      logger: captureLogs().logger,
      groupDeletionLimiter: { take: async () => void taken++ },
    });
    const result = await handler(groupEvent('DeleteGroup', { groupName: 'admins' }));
    assert.equal(result.status, 'converged');
    assert.equal(result.left, 0);
    assert.deepEqual(result.rows, [
      { key: 'ana', outcome: 'updated' },
      { key: 'bo', outcome: 'updated' },
    ]);
    assert.equal(taken, 2);
    assert.match(String(table.scans[0]?.input.FilterExpression), /^contains\(#groups, :group\)/);
    assert.equal(table.scans[0]?.input.ExpressionAttributeNames?.['#groups'], 'groups');
    assert.deepEqual(groupsSet(table.updates[0]), ['editors']);
    assert.deepEqual(groupsSet(table.updates[1]), []);
  });

  it('stops at the deadline, logs how many rows are left to reconcile, and resolves', async () => {
    const pool = fakePool({ ana: [], bo: [], cy: [] });
    const table = fakeTable({
      ana: row('ana', ['admins']),
      bo: row('bo', ['admins']),
      cy: row('cy', ['admins']),
    });
    const logs = captureLogs();
    let taken = 0;
    const handler = createChangeSignalHandler({
      config: ON,
      cognito: pool.cognito,
      client: table.client,
      logger: logs.logger,
      deadlineMs: 800,
      // The first user goes at once; the next token comes after the deadline.
      groupDeletionLimiter: {
        take: async () => {
          if (taken++ > 0) await new Promise((resolve) => setTimeout(resolve, 600));
        },
      },
    });
    const result = await handler(groupEvent('DeleteGroup', { groupName: 'admins' }));
    assert.equal(result.status, 'converged');
    assert.deepEqual(result.rows, [{ key: 'ana', outcome: 'updated' }]);
    assert.equal(result.left, 2);
    const warning = logs
      .records()
      .find((record) => record.message === 'group deletion left to reconcile');
    assert.equal(warning?.left, 2);
    assert.equal(warning?.found, 3);
    assert.equal(logs.lines.join('').includes('admins'), false);
  });
});

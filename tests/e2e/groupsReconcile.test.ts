import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminAddUserToGroupCommand,
  AdminGetUserCommand,
  CreateGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CommandClients,
  clientsFor,
  commandClientsFor,
  type StackClients,
  signUpAndConfirm,
  startTestStack,
} from '../../harness/localStack.js';
import { runCli } from '../../src/entry/cli/runCli.js';
import type { LocalStack } from '../../src/local/startLocalStack.js';

const MAPPING = { fields: { groups: 'groups' } };

// Reconcile writes each user's groups from listing the groups and their members
// (ListGroups, ListUsersInGroup, paged by the local stack as Cognito pages them).
describe('Local stack: reconcile keeps the groups column true', () => {
  let stack: LocalStack;
  let clients: StackClients;
  let reconcileClients: CommandClients;
  let ana = '';
  let bo = '';

  const reconcile = async (expectedCode: number, ...flags: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli({
      argv: [
        'reconcile',
        '--user-pool-id',
        stack.userPoolId,
        '--table',
        stack.tableName,
        '--row-mapping',
        JSON.stringify(MAPPING),
        '--list-rate',
        '1000',
        '--json',
        ...flags,
      ],
      stdout: { isTTY: false, write: (chunk: string) => (stdout += chunk) },
      stderr: { isTTY: false, write: (chunk: string) => (stderr += chunk) },
      clients: reconcileClients,
    });
    assert.equal(code, expectedCode, stderr);
    return JSON.parse(stdout) as Record<string, unknown>;
  };
  const groupsOf = async (username: string) =>
    (
      await clients.dynamo.send(
        new GetCommand({ TableName: stack.tableName, Key: { username }, ConsistentRead: true }),
      )
    ).Item?.groups;

  before(async () => {
    stack = await startTestStack({ rowMapping: MAPPING, changeSignals: false });
    clients = clientsFor(stack);
    reconcileClients = commandClientsFor(stack);
    const named = async (email: string) => {
      await signUpAndConfirm(stack, clients, email);
      const user = await clients.cognito.send(
        new AdminGetUserCommand({ UserPoolId: stack.userPoolId, Username: email }),
      );
      return user.Username ?? assert.fail('no username');
    };
    ana = await named(`ana-${Date.now()}@example.com`);
    bo = await named(`bo-${Date.now()}@example.com`);
    // 62 groups: ListGroups takes two pages.
    const groups = Array.from({ length: 62 }, (_, i) => `team-${String(i).padStart(2, '0')}`);
    for (const GroupName of ['editors', 'admins', ...groups]) {
      await clients.cognito.send(
        new CreateGroupCommand({ UserPoolId: stack.userPoolId, GroupName }),
      );
    }
    for (const GroupName of ['editors', 'admins', 'team-61']) {
      await clients.cognito.send(
        new AdminAddUserToGroupCommand({ UserPoolId: stack.userPoolId, Username: ana, GroupName }),
      );
    }
  });

  after(async () => {
    clients?.destroy();
    reconcileClients?.destroy();
    await stack?.stop();
  });

  it('writes every user’s groups, sorted, an empty list for a user in none, and repairs a hand edit', async () => {
    // The trigger wrote each row with the groups the user had at confirmation (none);
    // ana joined three groups after, with no change signals to tell the table.
    assert.deepEqual(await groupsOf(ana), []);
    const plan = await reconcile(1, '--dry-run', '--update');
    assert.match(JSON.stringify(plan), /"toUpdate":1/, "ana's row lacks her groups");
    assert.deepEqual(await groupsOf(ana), [], 'a dry run writes nothing');

    await reconcile(0, '--update');
    assert.deepEqual(await groupsOf(ana), ['admins', 'editors', 'team-61']);
    assert.deepEqual(await groupsOf(bo), []);

    await clients.dynamo.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: { username: ana },
        UpdateExpression: 'SET #groups = :groups',
        ExpressionAttributeNames: { '#groups': 'groups' },
        ExpressionAttributeValues: { ':groups': ['admins', 'nobody'] },
      }),
    );
    await reconcile(0, '--update');
    assert.deepEqual(await groupsOf(ana), ['admins', 'editors', 'team-61']);

    // In sync now: nothing to do.
    const again = await reconcile(0, '--dry-run', '--update');
    assert.match(JSON.stringify(again), /"toUpdate":0/);
  });
});

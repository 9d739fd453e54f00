import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminAddUserToGroupCommand,
  AdminGetUserCommand,
  AdminRemoveUserFromGroupCommand,
  CreateGroupCommand,
  DeleteGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  clientsFor,
  type StackClients,
  signUpAndConfirm,
  startTestStack,
} from '../../harness/localStack.js';
import type { LocalStack } from '../../src/local/startLocalStack.js';

/** A change reaches the table within 2 seconds (the lifecycle's promise). */
const WITHIN_MS = 2000;

// With change signals on, a group membership call reaches the row without a reconcile.
describe('Local stack: group changes reach the groups column (change signals on)', () => {
  let stack: LocalStack;
  let clients: StackClients;
  let counter = 0;

  const groupsOf = async (username: string) =>
    (
      await clients.dynamo.send(
        new GetCommand({ TableName: stack.tableName, Key: { username }, ConsistentRead: true }),
      )
    ).Item?.groups;
  const waitForGroups = async (username: string, wanted: readonly string[]) => {
    const started = Date.now();
    for (;;) {
      const groups = await groupsOf(username);
      if (JSON.stringify(groups) === JSON.stringify(wanted)) return;
      if (Date.now() - started > WITHIN_MS) {
        assert.fail(
          `groups ${JSON.stringify(groups)}, not ${JSON.stringify(wanted)}, after ${WITHIN_MS} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const newUser = async (): Promise<string> => {
    const email = `groups-${++counter}-${Date.now()}@example.com`;
    await signUpAndConfirm(stack, clients, email);
    const user = await clients.cognito.send(
      new AdminGetUserCommand({ UserPoolId: stack.userPoolId, Username: email }),
    );
    return user.Username ?? assert.fail('no username');
  };
  const group = (GroupName: string) =>
    clients.cognito.send(new CreateGroupCommand({ UserPoolId: stack.userPoolId, GroupName }));
  const add = (Username: string, GroupName: string) =>
    clients.cognito.send(
      new AdminAddUserToGroupCommand({ UserPoolId: stack.userPoolId, Username, GroupName }),
    );

  before(async () => {
    stack = await startTestStack({ rowMapping: { fields: { groups: 'groups' } } });
    clients = clientsFor(stack);
  });

  after(async () => {
    clients?.destroy();
    await stack?.stop();
  });

  it('a user added to a group and removed from it', async () => {
    await group('editors');
    const ana = await newUser();
    await waitForGroups(ana, []);

    await add(ana, 'editors');
    await waitForGroups(ana, ['editors']);

    await clients.cognito.send(
      new AdminRemoveUserFromGroupCommand({
        UserPoolId: stack.userPoolId,
        Username: ana,
        GroupName: 'editors',
      }),
    );
    await waitForGroups(ana, []);
  });

  it('a deleted group leaves the rows of all its members', async () => {
    await group('doomed');
    await group('kept');
    const members = [await newUser(), await newUser(), await newUser()];
    for (const member of members) {
      await add(member, 'doomed');
      await add(member, 'kept');
    }
    for (const member of members) await waitForGroups(member, ['doomed', 'kept']);

    await clients.cognito.send(
      new DeleteGroupCommand({ UserPoolId: stack.userPoolId, GroupName: 'doomed' }),
    );
    for (const member of members) await waitForGroups(member, ['kept']);
  });

  it('a user in 30 groups', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `many-${String(i).padStart(2, '0')}`);
    for (const name of names) await group(name);
    const bo = await newUser();
    for (const name of names) await add(bo, name);
    await waitForGroups(bo, names);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  CreateGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { clientsFor, type StackClients, startTestStack } from '../../../harness/localStack.js';
import { readUserGroups } from '../../../src/aws/pool/userGroups.js';
import type { LocalStack } from '../../../src/local/startLocalStack.js';
import { readGroupMemberships } from '../../../src/sync/reconcile/groupMemberships.js';

// cognito-local answers the group listings in one page; the local stack pages
// them as Cognito does, so the paging of the code that reads groups runs here.
describe('Integration: reading groups from the local stack, paged as Cognito pages them', () => {
  let stack: LocalStack;
  let clients: StackClients;
  const GROUPS = Array.from({ length: 65 }, (_, i) => `group-${String(64 - i).padStart(2, '0')}`);

  let ana = '';
  let bo = '';

  before(async () => {
    stack = await startTestStack({ changeSignals: false });
    clients = clientsFor(stack);
    for (const GroupName of GROUPS) {
      await clients.cognito.send(
        new CreateGroupCommand({ UserPoolId: stack.userPoolId, GroupName }),
      );
    }
    // The pool signs in with e-mail addresses: the username is what the pool says it is.
    const create = async (email: string): Promise<string> => {
      await clients.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: stack.userPoolId,
          Username: email,
          UserAttributes: [{ Name: 'email', Value: email }],
          MessageAction: 'SUPPRESS',
        }),
      );
      const user = await clients.cognito.send(
        new AdminGetUserCommand({ UserPoolId: stack.userPoolId, Username: email }),
      );
      return user.Username ?? assert.fail('no username');
    };
    ana = await create('ana@example.com');
    bo = await create('bo@example.com');
    for (const GroupName of GROUPS) {
      await clients.cognito.send(
        new AdminAddUserToGroupCommand({ UserPoolId: stack.userPoolId, Username: ana, GroupName }),
      );
    }
    await clients.cognito.send(
      new AdminAddUserToGroupCommand({
        UserPoolId: stack.userPoolId,
        Username: bo,
        GroupName: 'group-07',
      }),
    );
  });

  after(async () => {
    clients?.destroy();
    await stack?.stop();
  });

  it('a user in 65 groups: two pages, every group once, sorted', async () => {
    const first = await clients.cognito.send(
      new AdminListGroupsForUserCommand({
        UserPoolId: stack.userPoolId,
        Username: ana,
        Limit: 60,
      }),
    );
    assert.equal(first.Groups?.length, 60);
    assert.ok(first.NextToken, 'a second page');

    assert.deepEqual(
      await readUserGroups(clients.cognito, stack.userPoolId, ana),
      [...GROUPS].sort(),
    );
    assert.deepEqual(await readUserGroups(clients.cognito, stack.userPoolId, bo), ['group-07']);
    assert.equal(await readUserGroups(clients.cognito, stack.userPoolId, 'nobody'), undefined);
  });

  it("every user's groups from listing the groups and their members", async () => {
    const memberships = await readGroupMemberships(clients.cognito, stack.userPoolId);

    assert.equal(memberships.groupCount, 65, 'ListGroups paged past 60');
    assert.deepEqual(memberships.groupsOf(ana), [...GROUPS].sort());
    assert.deepEqual(memberships.groupsOf(bo), ['group-07']);
    assert.equal(memberships.members, 2);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ConsoleTarget,
  createGroup,
  describeActionError,
  putRow,
  setGroupMembership,
} from '../../../../src/local/console/consoleActions.js';
import { ConsoleInputError } from '../../../../src/local/console/consoleInput.js';

function sdkError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

describe('Function: describeActionError', () => {
  it('says in plain words what a known Cognito error means, keeping its explanation', () => {
    assert.equal(
      describeActionError(sdkError('UsernameExistsException', 'User already exists')),
      'A user with this e-mail address already exists. (User already exists)',
    );
    assert.equal(
      describeActionError(sdkError('InvalidPasswordException', 'Password must have symbols')),
      'The password was refused: Password must have symbols',
    );
  });

  it('names an unknown error and its message', () => {
    assert.equal(
      describeActionError(sdkError('LimitExceededException', 'Slow down')),
      'LimitExceededException: Slow down',
    );
  });

  it('marks bad input as such', () => {
    assert.equal(
      describeActionError(new ConsoleInputError('"email" is required')),
      'Invalid input: "email" is required.',
    );
  });
});

describe('Function: putRow', () => {
  it('throws naming the key attribute when the row has no key, before any call', async () => {
    const calls: unknown[] = [];
    const target = {
      cognito: { send: async () => ({}) },
      dynamo: {
        send: async (command: unknown) => {
          calls.push(command);
          return {};
        },
      },
      userPoolId: 'us-east-1_Pool1',
      userPoolClientId: 'client',
      tableName: 'users',
      keyAttribute: 'userId',
      confirmationCode: '123456',
    };
    await assert.rejects(
      putRow(target as never, { row: { username: 'ada' } }),
      /the row needs a non-empty string "userId"/,
    );
    assert.equal(calls.length, 0);
  });
});

/** A pool answering group calls from a set of group names; records the calls. */
function groupPool(groups: Set<string>) {
  const calls: string[] = [];
  const target = {
    cognito: {
      send: async (command: { constructor: { name: string }; input: { GroupName?: string } }) => {
        const name = command.constructor.name.replace(/Command$/, '');
        const group = String(command.input.GroupName);
        calls.push(`${name} ${group}`);
        if (name === 'CreateGroup') groups.add(group);
        else if (!groups.has(group)) throw sdkError('ResourceNotFoundException', 'Group not found');
        return {};
      },
    },
    userPoolId: 'us-east-1_Pool1',
  } as unknown as ConsoleTarget;
  return { target, calls };
}

describe('Function: createGroup', () => {
  it('creates a group the pool does not have', async () => {
    const { target, calls } = groupPool(new Set());
    const result = await createGroup(target, { group: 'admins' });
    assert.equal(result.message, 'Created group "admins" in the pool.');
    assert.deepEqual(calls, ['GetGroup admins', 'CreateGroup admins']);
  });

  it('refuses a name already taken without calling CreateGroup (the emulator would drop the members)', async () => {
    const { target, calls } = groupPool(new Set(['admins']));
    await assert.rejects(createGroup(target, { group: 'admins' }), (error: unknown) => {
      assert.equal(describeActionError(error), 'The pool already has a group named "admins".');
      return true;
    });
    assert.deepEqual(calls, ['GetGroup admins']);
  });
});

describe('Function: setGroupMembership', () => {
  it('adds with AdminAddUserToGroup and removes with AdminRemoveUserFromGroup', async () => {
    const { target, calls } = groupPool(new Set(['admins']));
    const added = await setGroupMembership(target, {
      username: 'u1',
      group: 'admins',
      member: true,
    });
    const removed = await setGroupMembership(target, {
      username: 'u1',
      group: 'admins',
      member: false,
    });
    assert.equal(added.message, 'Added u1 to group "admins".');
    assert.equal(removed.message, 'Removed u1 from group "admins".');
    assert.deepEqual(calls, ['AdminAddUserToGroup admins', 'AdminRemoveUserFromGroup admins']);
  });

  it('says the group does not exist rather than the table or pool', async () => {
    const { target } = groupPool(new Set());
    await assert.rejects(
      setGroupMembership(target, { username: 'u1', group: 'nobody', member: true }),
      (error: unknown) => {
        assert.equal(describeActionError(error), 'The pool has no group named "nobody".');
        return true;
      },
    );
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeActionError, putRow } from '../../../../src/local/console/consoleActions.js';
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

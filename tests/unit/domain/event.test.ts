import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseConfirmedUser } from '../../../src/domain/event.js';
import { InvalidEventError } from '../../../src/shared/errors.js';
import { signUpEvent } from '../../helpers/fixtures.js';

function rejects(event: unknown, message: RegExp): void {
  assert.throws(
    () => parseConfirmedUser(event),
    (error: unknown) => {
      assert.ok(error instanceof InvalidEventError, 'an InvalidEventError');
      assert.match((error as Error).message, message);
      assert.doesNotMatch((error as Error).message, /jane\.doe@example\.com/);
      return true;
    },
  );
}

describe('Function: parseConfirmedUser', () => {
  it('extracts the user from a real-shaped event', () => {
    const user = parseConfirmedUser(signUpEvent());
    assert.equal(user.userName, '5b6c2f1e-8a4d-4c1b-9e7f-0a1b2c3d4e5f');
    assert.equal(user.userPoolId, 'eu-west-1_AbCdEfGhI');
    assert.equal(user.triggerSource, 'PostConfirmation_ConfirmSignUp');
    assert.equal(user.userAttributes.email, 'jane.doe@example.com');
    assert.equal(user.userAttributes['custom:plan'], 'pro');
  });

  it('accepts unknown fields and a phone-only user', () => {
    const event = signUpEvent((e) => {
      delete e.request.userAttributes.email;
      delete e.request.userAttributes.email_verified;
      e.request.userAttributes.phone_number = '+15555550100';
      (e as unknown as Record<string, unknown>).somethingNew = { nested: true };
      e.version = '0';
    });
    const user = parseConfirmedUser(event);
    assert.equal(user.userAttributes.email, undefined);
    assert.equal(user.userAttributes.phone_number, '+15555550100');
  });

  it('throws when the event is not an object', () => {
    rejects(null, /the event is null/);
    rejects('event', /the event is of type string/);
    rejects([], /the event is an array/);
  });

  it('throws naming userName when it is missing or empty', () => {
    rejects(
      signUpEvent((e) => delete (e as Partial<typeof e>).userName),
      /userName is missing/,
    );
    rejects(
      signUpEvent((e) => {
        e.userName = '';
      }),
      /userName is an empty string/,
    );
    rejects(
      signUpEvent((e) => {
        (e as unknown as { userName: number }).userName = 7;
      }),
      /userName is of type number/,
    );
  });

  it('throws naming request.userAttributes when it is missing or not an object', () => {
    rejects(
      signUpEvent((e) => delete (e.request as Partial<typeof e.request>).userAttributes),
      /request\.userAttributes is missing/,
    );
    rejects(
      signUpEvent((e) => {
        (e.request as unknown as { userAttributes: string }).userAttributes = 'x';
      }),
      /request\.userAttributes is of type string/,
    );
    rejects(
      signUpEvent((e) => {
        (e as unknown as { request: null }).request = null;
      }),
      /request is null/,
    );
  });

  it('throws naming sub when it is missing', () => {
    rejects(
      signUpEvent((e) => delete e.request.userAttributes.sub),
      /request\.userAttributes\.sub is missing/,
    );
  });

  it('throws naming the attribute whose value is not a string, without its value', () => {
    rejects(
      signUpEvent((e) => {
        (e.request.userAttributes as Record<string, unknown>).email = { v: 'jane.doe@example.com' };
      }),
      /request\.userAttributes\["email"\] is of type object/,
    );
  });

  it('throws naming triggerSource and userPoolId when missing', () => {
    rejects(
      signUpEvent((e) => delete (e as Partial<typeof e>).triggerSource),
      /triggerSource is missing/,
    );
    rejects(
      signUpEvent((e) => delete (e as Partial<typeof e>).userPoolId),
      /userPoolId is missing/,
    );
  });
});

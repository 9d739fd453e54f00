// Property-based tests (fast-check) of event parsing and row mapping: for any
// attribute names and values, including names that exist on Object.prototype.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { toAttributeItem } from '../../../src/aws/store/attributeItem.js';
import { parseConfirmedUser } from '../../../src/domain/event.js';
import { INTERNAL_ATTRIBUTE_PREFIX, toUserRow } from '../../../src/domain/userRow.js';
import { InvalidEventError } from '../../../src/shared/errors.js';
import { loggableUsername } from '../../../src/shared/redact.js';

/** Names that collide with Object.prototype, plus Cognito-like and arbitrary ones. */
const attributeName = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'toString',
    'valueOf',
    'hasOwnProperty',
    'isPrototypeOf',
    '__defineGetter__',
    'email',
    'email_verified',
    'phone_number',
    'custom:plan',
    'cognito:user_status',
    'identities',
  ),
  fc.string({ minLength: 1, maxLength: 20 }),
);

/** Attribute maps as own data properties (as JSON.parse makes them), `sub` included. */
const attributes = fc
  .tuple(
    fc.uniqueArray(fc.tuple(attributeName, fc.string({ maxLength: 30 })), {
      selector: ([name]) => name,
      maxLength: 12,
    }),
    fc.string({ minLength: 1, maxLength: 36 }).filter((sub) => sub.trim() !== ''),
  )
  .map(([entries, sub]) =>
    Object.fromEntries([...entries.filter(([name]) => name !== 'sub'), ['sub', sub]]),
  );

const sortedEntries = (record: object) =>
  Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function eventWith(userAttributes: Record<string, string>, userName = 'user-1') {
  // Through JSON, as Lambda delivers it: `__proto__` stays an own property.
  return JSON.parse(
    JSON.stringify({
      version: '1',
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_Pool',
      userName,
      callerContext: { awsSdkVersion: 'x', clientId: 'y' },
      request: { userAttributes },
      response: {},
    }),
  );
}

describe('Properties: parseConfirmedUser', () => {
  it('keeps every attribute exactly, whatever its name', () => {
    fc.assert(
      fc.property(attributes, (userAttributes) => {
        const user = parseConfirmedUser(eventWith(userAttributes));
        assert.deepEqual(sortedEntries(user.userAttributes), sortedEntries(userAttributes));
        assert.equal(Object.getPrototypeOf(user.userAttributes), Object.prototype);
      }),
    );
  });

  it('rejects a non-string value naming the attribute, never quoting the value', () => {
    fc.assert(
      fc.property(
        attributes,
        attributeName,
        fc.constantFrom(987654321, true, null, ['SECRET-VALUE'], { nested: 'SECRET-VALUE' }),
        (userAttributes, name, value) => {
          const event = eventWith(userAttributes);
          Object.defineProperty(event.request.userAttributes, name, {
            value,
            enumerable: true,
            configurable: true,
            writable: true,
          });
          assert.throws(
            () => parseConfirmedUser(event),
            (error: unknown) =>
              error instanceof InvalidEventError &&
              error.message.includes(`request.userAttributes["${name}"]`) &&
              !error.message.includes('SECRET-VALUE') &&
              !error.message.includes('987654321'),
          );
        },
      ),
    );
  });
});

describe('Properties: toUserRow and toAttributeItem', () => {
  it('maps every non-internal attribute into a complete, exact row and item', () => {
    fc.assert(
      fc.property(
        attributes,
        fc.string({ minLength: 1, maxLength: 40 }),
        (userAttributes, userName) => {
          const row = toUserRow(
            {
              userName,
              userPoolId: 'eu-west-1_Pool',
              userAttributes,
              source: 'PostConfirmation_ConfirmSignUp',
              now: new Date('2030-01-01T00:00:00.000Z'),
            },
            { keyAttribute: 'username' },
          );
          const expected = sortedEntries(userAttributes).filter(
            ([name]) => !name.startsWith(INTERNAL_ATTRIBUTE_PREFIX),
          );
          assert.deepEqual(sortedEntries(row.attributes), expected);
          assert.equal(row.username, userName);
          assert.equal(row.sub, userAttributes.sub);
          const email = Object.hasOwn(userAttributes, 'email') ? userAttributes.email : undefined;
          assert.equal(row.email, email === '' ? undefined : email);

          const item = toAttributeItem(row);
          const map = item.attributes?.M ?? {};
          assert.deepEqual(
            sortedEntries(map),
            expected.map(([name, value]) => [name, { S: value }]),
          );
          assert.deepEqual(item.username, { S: userName });
        },
      ),
    );
  });

  it('honours an allowlist exactly, even for names such as constructor', () => {
    fc.assert(
      fc.property(
        attributes,
        fc.uniqueArray(attributeName, { maxLength: 5 }),
        (userAttributes, allowlist) => {
          const row = toUserRow(
            {
              userName: 'u',
              userPoolId: 'p',
              userAttributes,
              source: 's',
              now: new Date(0),
            },
            { keyAttribute: 'username', userAttributes: allowlist },
          );
          for (const name of Object.keys(row.attributes)) assert.ok(allowlist.includes(name));
          for (const name of allowlist) {
            const wanted =
              Object.hasOwn(userAttributes, name) && !name.startsWith(INTERNAL_ATTRIBUTE_PREFIX);
            assert.equal(Object.hasOwn(row.attributes, name), wanted, name);
          }
        },
      ),
    );
  });
});

describe('Properties: loggableUsername', () => {
  it('shows a UUID and hides anything else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uuid(), fc.emailAddress(), fc.string()), (userName) => {
        const shown = loggableUsername(userName);
        if (/^[0-9a-f-]{36}$/i.test(userName)) assert.equal(shown, userName);
        else assert.match(shown, /^\[redacted \d+ chars\]$/);
      }),
    );
  });
});

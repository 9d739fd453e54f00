import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decideConverge,
  personalDataColumns,
  type UserState,
} from '../../../src/domain/converge.js';
import { resolveRowMapping } from '../../../src/domain/rowMapping/validate.js';
import {
  EXAMPLE_NAMES,
  type ExampleMapping,
  exampleMapping,
  exampleRow,
} from '../../helpers/rowMappings.js';

const NOW = new Date('2026-11-29T12:00:00.000Z');
const MODIFIED = '2026-11-29T10:00:00.000Z';
const SUB = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const POOL = 'us-east-1_Pool1';

function user(patch: Partial<UserState> = {}): UserState {
  return {
    username: 'jane',
    userPoolId: POOL,
    attributes: {
      sub: SUB,
      email: 'jane@example.com',
      email_verified: 'true',
      given_name: 'Jane',
      'custom:plan': 'pro',
      'cognito:user_status': 'CONFIRMED',
    },
    enabled: true,
    status: 'CONFIRMED',
    lastModifiedAt: MODIFIED,
    ...patch,
  };
}

const ATTRIBUTES = {
  sub: SUB,
  email: 'jane@example.com',
  email_verified: 'true',
  given_name: 'Jane',
  'custom:plan': 'pro',
};

/** The row each mapping gives `user()` when converge creates it. */
function createdRow(name: ExampleMapping) {
  return exampleRow(name, {
    username: 'jane',
    sub: SUB,
    email: 'jane@example.com',
    attributes: ATTRIBUTES,
    userPoolId: POOL,
    emailVerified: true,
    source: 'converge',
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    enabled: true,
    status: 'CONFIRMED',
    userLastModifiedAt: MODIFIED,
  });
}

const decide = (name: ExampleMapping, input: Partial<Parameters<typeof decideConverge>[0]>) =>
  decideConverge({
    row: undefined,
    user: user(),
    mapping: { keyAttribute: 'username', rowMapping: exampleMapping(name) },
    now: NOW,
    source: 'converge',
    ...input,
  });

/** The key attributes of the mapped row of `jane`. */
function keyOf(name: ExampleMapping): Record<string, unknown> {
  const row = createdRow(name);
  const mapping = exampleMapping(name);
  return Object.fromEntries(
    [mapping.key.attribute, mapping.sortKey?.attribute]
      .filter((attribute) => attribute !== undefined)
      .map((attribute) => [attribute, row[attribute]]),
  );
}

describe('Function: decideConverge, under each example row mapping', () => {
  for (const name of EXAMPLE_NAMES) {
    it(`${name}: creates exactly the mapped row, constants included`, () => {
      assert.deepEqual(decide(name, {}), { kind: 'create', row: createdRow(name) });
    });

    it(`${name}: is in sync with the row it creates`, () => {
      assert.deepEqual(decide(name, { row: createdRow(name) }), {
        kind: 'none',
        reason: 'in-sync',
      });
    });

    it(`${name}: adopts a tutorial row without sub, keeping useremail and app columns`, () => {
      const tutorialRow = { ...keyOf(name), useremail: 'jane@example.com', plan2: 'gold' };
      const decision = decide(name, { row: tutorialRow });
      assert.equal(decision.kind, 'update');
      if (decision.kind !== 'update') return;
      assert.equal(decision.adopt, true);
      assert.equal(decision.expectSub, undefined);
      const { updatedAt, ...set } = decision.set;
      assert.equal(updatedAt, NOW.toISOString());
      // Every managed column of the created row but the key, the app's never.
      const { updatedAt: _, ...wanted } = createdRow(name);
      for (const column of Object.keys(keyOf(name))) delete wanted[column];
      // The tutorial's own useremail already holds the address: kept, not rewritten.
      if (name === 'tutorial') delete wanted.useremail;
      assert.equal('useremail' in set, false);
      assert.deepEqual(set, wanted);
      assert.equal('plan2' in set, false);
      assert.deepEqual(decision.remove, []);
    });

    it(`${name}: calls a row of another sub a reused username, never a row without sub`, () => {
      const other = { ...createdRow(name), sub: 'another-sub' };
      assert.deepEqual(decide(name, { row: other }), { kind: 'none', reason: 'username-reused' });
    });

    it(`${name}: marks the row of a user who is gone, on its sub`, () => {
      assert.deepEqual(decide(name, { row: createdRow(name), user: undefined }), {
        kind: 'mark-deleted',
        expectSub: SUB,
        deletedAt: NOW.toISOString(),
      });
    });
  }

  it('bySub: an attribute change SETs its column, a removed attribute REMOVEs it', () => {
    const changed = user({
      attributes: { ...user().attributes, given_name: 'Janet' },
      lastModifiedAt: '2026-11-29T11:00:00.000Z',
    });
    delete (changed.attributes as Record<string, string>)['custom:plan'];
    const decision = decide('bySub', { row: createdRow('bySub'), user: changed });
    assert.equal(decision.kind, 'update');
    if (decision.kind !== 'update') return;
    assert.deepEqual(decision.set, {
      firstName: 'Janet',
      userLastModifiedAt: '2026-11-29T11:00:00.000Z',
      updatedAt: NOW.toISOString(),
    });
    assert.deepEqual(decision.remove, ['plan']);
    assert.equal(decision.expectSub, SUB);
  });

  it('tutorial: a changed e-mail is written to useremail, never to email', () => {
    const changed = user({
      attributes: { ...user().attributes, email: 'janet@example.com' },
      lastModifiedAt: '2026-11-29T11:00:00.000Z',
    });
    const decision = decide('tutorial', { row: createdRow('tutorial'), user: changed });
    assert.ok(decision.kind === 'update');
    assert.equal(decision.set.useremail, 'janet@example.com');
    assert.equal('email' in decision.set, false);
  });

  it('a sign-in records the mapped lastSignInAt column, or nothing when it is left out', () => {
    const signIn = (fields: Record<string, string | false>) =>
      decideConverge({
        row: createdRow('today'),
        user: user(),
        mapping: { keyAttribute: 'username', rowMapping: resolveRowMapping({ fields }) },
        now: NOW,
        source: 'converge',
        signIn: true,
      });
    assert.deepEqual(signIn({ lastSignInAt: 'lastLogin' }), {
      kind: 'update',
      set: { lastLogin: NOW.toISOString() },
      remove: [],
      expectSub: SUB,
      notNewerThan: undefined,
      restore: false,
      changesState: false,
    });
    assert.deepEqual(signIn({ lastSignInAt: false }), { kind: 'none', reason: 'in-sync' });
  });

  it('erases the mapped personal data: the e-mail column, the map, lastSignInAt and the attribute columns', () => {
    assert.deepEqual(personalDataColumns(exampleMapping('tutorial')), [
      'useremail',
      'emailVerified',
      'attributes',
      'lastSignInAt',
    ]);
    assert.deepEqual(personalDataColumns(exampleMapping('bySub')), [
      'email',
      'emailVerified',
      'lastSignInAt',
      'firstName',
      'plan',
    ]);
    assert.deepEqual(personalDataColumns(exampleMapping('singleTable')), [
      'email',
      'emailVerified',
      'attributes',
      'lastSignInAt',
    ]);
  });
});

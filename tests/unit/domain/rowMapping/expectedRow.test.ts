import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareRow,
  describeDifference,
  expectedRow,
  type MappedUser,
  updateFor,
} from '../../../../src/domain/rowMapping/expectedRow.js';
import { resolveRowMapping } from '../../../../src/domain/rowMapping/validate.js';
import { EXAMPLES } from './examples.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const SUB = '11111111-2222-3333-4444-555555555555';
const USER: MappedUser = {
  username: 'jane',
  userPoolId: 'eu-west-1_Pool',
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
  lastModifiedAt: '2026-11-30T09:00:00.000Z',
};
const T = NOW.toISOString();

function created(document: unknown, user: MappedUser = USER) {
  const row = expectedRow(resolveRowMapping(document), user, { now: NOW, source: 'reconcile' });
  assert.ok(row);
  return row;
}

describe('Function: expectedRow', () => {
  it('writes the tutorial table’s row with the e-mail in useremail and no email column', () => {
    assert.deepEqual(created(EXAMPLES.tutorial).item, {
      username: 'jane',
      sub: SUB,
      userPoolId: 'eu-west-1_Pool',
      useremail: 'jane@example.com',
      emailVerified: true,
      attributes: {
        sub: SUB,
        email: 'jane@example.com',
        email_verified: 'true',
        given_name: 'Jane',
        'custom:plan': 'pro',
      },
      source: 'reconcile',
      createdAt: T,
      updatedAt: T,
      enabled: true,
      status: 'CONFIRMED',
      userLastModifiedAt: '2026-11-30T09:00:00.000Z',
    });
  });

  it('writes the single-table row under pk USER#<sub>, sk PROFILE, with entityType', () => {
    const { key, item } = created(EXAMPLES.singleTable);
    assert.deepEqual(key, { pk: `USER#${SUB}`, sk: 'PROFILE' });
    assert.equal(item.pk, `USER#${SUB}`);
    assert.equal(item.sk, 'PROFILE');
    assert.equal(item.entityType, 'User');
    assert.equal(item.username, undefined);
    assert.equal(item.email, 'jane@example.com');
  });

  it('writes example 3 keyed by sub, with firstName and plan columns and no attribute map', () => {
    const { item } = created(EXAMPLES.bySub);
    assert.equal(item.userId, SUB);
    assert.equal(item.firstName, 'Jane');
    assert.equal(item.plan, 'pro');
    assert.equal(Object.hasOwn(item, 'attributes'), false);
  });

  it('leaves out the attribute columns the user has no value for, and the fields left out', () => {
    const { item } = created(
      { attributes: { given_name: 'firstName' }, fields: { lastSignInAt: false, source: false } },
      { ...USER, attributes: { sub: SUB } },
    );
    assert.equal(Object.hasOwn(item, 'firstName'), false);
    assert.equal(Object.hasOwn(item, 'source'), false);
  });

  it('sets lastSignInAt on a sign-in, under its column', () => {
    const row = expectedRow(resolveRowMapping({ fields: { lastSignInAt: 'seen' } }), USER, {
      now: NOW,
      source: 'PostAuthentication_Authentication',
      signIn: true,
    });
    assert.equal(row?.item.seen, T);
  });

  it('gives no row when the key needs a sub the user lacks', () => {
    const mapping = resolveRowMapping(EXAMPLES.bySub);
    assert.equal(
      expectedRow(mapping, { ...USER, attributes: {} }, { now: NOW, source: 'x' }),
      undefined,
    );
  });
});

describe('Function: compareRow', () => {
  const tutorial = resolveRowMapping(EXAMPLES.tutorial);

  it('with versionAloneDiffers false, takes a row whose version alone differs as in sync, and no other', () => {
    const today = resolveRowMapping({});
    const { userLastModifiedAt: _, ...unversioned } = created({}).item;
    const older = { ...created({}).item, userLastModifiedAt: '2026-01-01T00:00:00.000Z' };
    for (const row of [unversioned, older]) {
      assert.equal(compareRow(today, USER, row, { now: NOW }).kind, 'differs');
      assert.deepEqual(compareRow(today, USER, row, { now: NOW, versionAloneDiffers: false }), {
        kind: 'in-sync',
        rowSub: SUB,
      });
    }
    const disabled = compareRow(today, { ...USER, enabled: false }, unversioned, {
      now: NOW,
      versionAloneDiffers: false,
    });
    assert.ok(disabled.kind === 'differs');
    assert.deepEqual(disabled.differences.map(describeDifference), [
      'enabled',
      'userLastModifiedAt',
    ]);
  });

  it('adopts the tutorial’s own row: adds the managed fields, keeps useremail and every other field', () => {
    const row = { username: 'jane', useremail: 'jane@example.com', nickname: 'J' };
    const comparison = compareRow(tutorial, USER, row, { now: NOW, source: 'reconcile' });

    assert.equal(comparison.kind, 'adopt');
    assert.ok(comparison.kind === 'adopt');
    assert.deepEqual(comparison.set, {
      sub: SUB,
      userPoolId: 'eu-west-1_Pool',
      emailVerified: true,
      attributes: created(EXAMPLES.tutorial).item.attributes,
      enabled: true,
      status: 'CONFIRMED',
      userLastModifiedAt: '2026-11-30T09:00:00.000Z',
      createdAt: T,
      source: 'reconcile',
    });
    assert.deepEqual(comparison.remove, []);
    assert.equal(comparison.rowSub, undefined);
    assert.equal(
      comparison.differences.some((difference) => difference.column === 'useremail'),
      false,
    );
  });

  it('adds the constants an adopted row lacks, never replacing one it has', () => {
    const mapping = resolveRowMapping(EXAMPLES.singleTable);
    const comparison = compareRow(
      mapping,
      USER,
      { pk: `USER#${SUB}`, sk: 'PROFILE' },
      { now: NOW },
    );
    assert.ok(comparison.kind === 'adopt');
    assert.equal(comparison.set.entityType, 'User');
    const kept = compareRow(mapping, USER, {
      pk: `USER#${SUB}`,
      sk: 'PROFILE',
      entityType: 'Person',
    });
    assert.ok(kept.kind === 'adopt');
    assert.equal(Object.hasOwn(kept.set, 'entityType'), false);
  });

  it('calls a row with another sub a reused username', () => {
    const row = { ...created(EXAMPLES.tutorial).item, sub: 'other-sub' };
    assert.deepEqual(compareRow(tutorial, USER, row), {
      kind: 'reused-username',
      rowSub: 'other-sub',
    });
  });

  it('finds the row it would write in sync, whatever the app added and whatever the timestamps', () => {
    const row = { ...created(EXAMPLES.tutorial).item, plan: 'gold', createdAt: 'x', source: 'y' };
    assert.deepEqual(compareRow(tutorial, USER, row), { kind: 'in-sync', rowSub: SUB });
  });

  it('lists the attribute-map entries and columns that differ, and removes what the user lost', () => {
    const mapping = resolveRowMapping({ attributes: { given_name: 'firstName' } });
    const row = {
      ...created({ attributes: { given_name: 'firstName' } }).item,
      firstName: 'Old',
      attributes: { sub: SUB, email: 'jane@example.com', given_name: 'Jane', 'custom:plan': 'pro' },
    };
    const user = { ...USER, attributes: { ...USER.attributes } };
    delete (user.attributes as Record<string, string>).email;
    const comparison = compareRow(mapping, user, row);

    assert.ok(comparison.kind === 'differs');
    assert.deepEqual(comparison.differences.map(describeDifference), [
      'email',
      'attributes.email',
      'attributes.email_verified',
      'firstName (given_name)',
    ]);
    assert.deepEqual(comparison.remove, ['email']);
    assert.deepEqual(Object.keys(comparison.set), ['attributes', 'firstName']);
  });

  it('calls a row holding a newer userLastModifiedAt stale', () => {
    const row = {
      ...created(EXAMPLES.tutorial).item,
      userLastModifiedAt: '2027-01-01T00:00:00.000Z',
      status: 'X',
    };
    assert.deepEqual(compareRow(tutorial, USER, row), { kind: 'stale', rowSub: SUB });
  });

  it('restores a marked row of a user who is in the pool', () => {
    const row = { ...created(EXAMPLES.tutorial).item, deletedAt: T };
    const comparison = compareRow(tutorial, USER, row);
    assert.ok(comparison.kind === 'differs');
    assert.equal(comparison.restore, true);
    assert.deepEqual(comparison.remove, ['deletedAt']);
  });

  it('reports no row as missing', () => {
    assert.deepEqual(compareRow(tutorial, USER, undefined), { kind: 'missing' });
  });
});

describe('Function: updateFor', () => {
  it('adds updatedAt and lastSignInAt under their columns, and the sub and version conditions', () => {
    const mapping = resolveRowMapping({
      fields: { sub: 'cognitoSub', updatedAt: 'changed', userLastModifiedAt: 'v' },
    });
    const row = {
      ...created({ fields: { sub: 'cognitoSub', updatedAt: 'changed', userLastModifiedAt: 'v' } })
        .item,
      status: 'OLD',
    };
    const comparison = compareRow(mapping, USER, row);
    assert.ok(comparison.kind === 'differs');

    assert.deepEqual(updateFor(mapping, USER, comparison, { now: NOW, signIn: true }), {
      set: { status: 'CONFIRMED', changed: T, lastSignInAt: T },
      remove: [],
      expectSub: { column: 'cognitoSub', value: SUB },
      notNewerThan: { column: 'v', value: '2026-11-30T09:00:00.000Z' },
    });
  });
});

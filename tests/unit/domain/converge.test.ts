import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ConvergeInput,
  decideConverge,
  diffManaged,
  toManagedState,
  type UserState,
} from '../../../src/domain/converge.js';

const NOW = new Date('2026-11-29T12:00:00.000Z');
const mapping = { keyAttribute: 'username' };
const SUB = '11111111-2222-3333-4444-555555555555';

function user(patch: Partial<UserState> = {}): UserState {
  return {
    username: SUB,
    userPoolId: 'us-east-1_Pool1',
    attributes: {
      sub: SUB,
      email: 'jane@example.com',
      email_verified: 'true',
      'cognito:user_status': 'CONFIRMED',
    },
    enabled: true,
    status: 'CONFIRMED',
    lastModifiedAt: '2026-11-29T11:00:00.000Z',
    ...patch,
  };
}

/** A row exactly as converge writes it for `user()`, plus an app-owned field. */
function row(patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    username: SUB,
    sub: SUB,
    userPoolId: 'us-east-1_Pool1',
    email: 'jane@example.com',
    emailVerified: true,
    attributes: { sub: SUB, email: 'jane@example.com', email_verified: 'true' },
    source: 'PostConfirmation_ConfirmSignUp',
    createdAt: '2026-11-01T00:00:00.000Z',
    enabled: true,
    status: 'CONFIRMED',
    userLastModifiedAt: '2026-11-29T11:00:00.000Z',
    plan: 'pro',
    ...patch,
  };
}

function decide(patch: Partial<ConvergeInput>) {
  return decideConverge({
    row: undefined,
    user: undefined,
    mapping,
    now: NOW,
    source: 'converge',
    ...patch,
  });
}

const OLDER = '2026-11-29T10:00:00.000Z';
const NEWER = '2026-11-29T11:30:00.000Z';

describe('Function: decideConverge', () => {
  describe('row absent', () => {
    it('creates the row of a present user, with the managed fields and no cognito:* attribute', () => {
      const decision = decide({ user: user() });
      assert.deepEqual(decision, {
        kind: 'create',
        row: {
          username: SUB,
          sub: SUB,
          userPoolId: 'us-east-1_Pool1',
          source: 'converge',
          createdAt: NOW.toISOString(),
          attributes: { sub: SUB, email: 'jane@example.com', email_verified: 'true' },
          email: 'jane@example.com',
          emailVerified: true,
          enabled: true,
          status: 'CONFIRMED',
          updatedAt: NOW.toISOString(),
          userLastModifiedAt: '2026-11-29T11:00:00.000Z',
        },
      });
    });

    it('creates the row of a disabled user with enabled false', () => {
      const decision = decide({ user: user({ enabled: false }) });
      assert.equal(decision.kind, 'create');
      assert.equal(decision.kind === 'create' && decision.row.enabled, false);
    });

    it('creates the row with lastSignInAt on a sign-in, without userLastModifiedAt from an event', () => {
      const decision = decide({ user: user({ lastModifiedAt: undefined }), signIn: true });
      assert.equal(decision.kind, 'create');
      if (decision.kind !== 'create') return;
      assert.equal(decision.row.lastSignInAt, NOW.toISOString());
      assert.equal('userLastModifiedAt' in decision.row, false);
    });

    it('writes nothing for an UNCONFIRMED user (not-eligible) unless the filter says so', () => {
      assert.deepEqual(decide({ user: user({ status: 'UNCONFIRMED' }) }), {
        kind: 'none',
        reason: 'not-eligible',
      });
      assert.equal(
        decide({ user: user({ status: 'UNCONFIRMED' }), isEligible: () => true }).kind,
        'create',
      );
    });

    it('writes nothing when the user is gone (no-row)', () => {
      assert.deepEqual(decide({}), { kind: 'none', reason: 'no-row' });
      assert.deepEqual(decide({ onDeleted: 'delete' }), { kind: 'none', reason: 'no-row' });
    });

    it('follows the attribute allowlist', () => {
      const decision = decide({
        user: user(),
        mapping: { keyAttribute: 'username', userAttributes: ['email'] },
      });
      assert.deepEqual(decision.kind === 'create' && decision.row.attributes, {
        email: 'jane@example.com',
      });
    });
  });

  describe('row present', () => {
    it('writes nothing when the row matches the user (in-sync)', () => {
      assert.deepEqual(decide({ row: row(), user: user() }), { kind: 'none', reason: 'in-sync' });
    });

    it('updates only the managed fields that differ, conditional on the fresh version', () => {
      const changed = user({
        attributes: { ...user().attributes, email: 'new@example.com', email_verified: 'false' },
        lastModifiedAt: NEWER,
      });
      assert.deepEqual(decide({ row: row(), user: changed }), {
        kind: 'update',
        set: {
          email: 'new@example.com',
          emailVerified: false,
          attributes: { sub: SUB, email: 'new@example.com', email_verified: 'false' },
          userLastModifiedAt: NEWER,
          updatedAt: NOW.toISOString(),
        },
        remove: [],
        expectSub: SUB,
        notNewerThan: NEWER,
        restore: false,
        changesState: true,
      });
    });

    it('sets enabled false for a disabled user', () => {
      const decision = decide({
        row: row(),
        user: user({ enabled: false, lastModifiedAt: NEWER }),
      });
      assert.equal(decision.kind, 'update');
      assert.deepEqual(decision.kind === 'update' && decision.set, {
        enabled: false,
        userLastModifiedAt: NEWER,
        updatedAt: NOW.toISOString(),
      });
    });

    it('updates a disabled user at the same version (Cognito may keep the date on disable)', () => {
      const decision = decide({ row: row(), user: user({ enabled: false }) });
      assert.equal(decision.kind === 'update' && decision.notNewerThan, row().userLastModifiedAt);
    });

    it('removes email and emailVerified the user no longer has', () => {
      const { email: _e, email_verified: _v, ...attributes } = user().attributes;
      const decision = decide({ row: row(), user: user({ attributes, lastModifiedAt: NEWER }) });
      assert.deepEqual(decision.kind === 'update' && decision.remove, ['email', 'emailVerified']);
    });

    it('ignores a stale state (the row holds a newer version)', () => {
      const stale = user({ enabled: false, lastModifiedAt: OLDER });
      assert.deepEqual(decide({ row: row(), user: stale }), { kind: 'none', reason: 'stale' });
    });

    it('records only lastSignInAt on a sign-in whose state is stale', () => {
      const decision = decide({
        row: row({ userLastModifiedAt: '2026-11-29T13:00:00.000Z' }),
        user: user({ lastModifiedAt: undefined, enabled: false }),
        signIn: true,
      });
      assert.deepEqual(decision, {
        kind: 'update',
        set: { lastSignInAt: NOW.toISOString() },
        remove: [],
        expectSub: SUB,
        notNewerThan: undefined,
        restore: false,
        changesState: false,
      });
    });

    it('records lastSignInAt alone when a sign-in finds the row in sync', () => {
      const decision = decide({
        row: row(),
        user: user({ lastModifiedAt: undefined }),
        signIn: true,
      });
      assert.equal(decision.kind === 'update' && decision.changesState, false);
      assert.deepEqual(decision.kind === 'update' && decision.set, {
        lastSignInAt: NOW.toISOString(),
      });
    });

    it('uses the sign-in time as the version of an event state', () => {
      const decision = decide({
        row: row(),
        user: user({ lastModifiedAt: undefined, enabled: false }),
        signIn: true,
      });
      assert.equal(decision.kind === 'update' && decision.notNewerThan, NOW.toISOString());
    });

    it('marks the row deleted when the user is gone, conditional on its sub', () => {
      assert.deepEqual(decide({ row: row() }), {
        kind: 'mark-deleted',
        expectSub: SUB,
        deletedAt: NOW.toISOString(),
      });
    });

    it('deletes the row when the user is gone in delete mode', () => {
      assert.deepEqual(decide({ row: row(), onDeleted: 'delete' }), {
        kind: 'delete',
        expectSub: SUB,
      });
    });

    it('never touches a row whose sub is another user (username-reused)', () => {
      const other = user({ attributes: { ...user().attributes, sub: 'other-sub' } });
      assert.deepEqual(decide({ row: row(), user: other }), {
        kind: 'none',
        reason: 'username-reused',
      });
    });
  });

  describe('row marked deleted', () => {
    const marked = () => row({ deletedAt: '2026-11-20T00:00:00.000Z' });

    it('leaves it alone when the user is gone (already-deleted)', () => {
      assert.deepEqual(decide({ row: marked() }), { kind: 'none', reason: 'already-deleted' });
    });

    it('deletes it when the user is gone in delete mode', () => {
      assert.equal(decide({ row: marked(), onDeleted: 'delete' }).kind, 'delete');
    });

    it('restores it when the same user is in the pool (REMOVE deletedAt)', () => {
      const decision = decide({ row: marked(), user: user() });
      assert.equal(decision.kind, 'update');
      if (decision.kind !== 'update') return;
      assert.equal(decision.restore, true);
      assert.deepEqual(decision.remove, ['deletedAt']);
    });

    it('restores an erased row: the personal data from the pool again, the Time to Live attribute REMOVEd', () => {
      const erased = row({ deletedAt: '2026-11-20T00:00:00.000Z', expiresAt: 1_800_000_000 });
      for (const field of ['email', 'emailVerified', 'attributes']) delete erased[field];
      const decision = decide({ row: erased, user: user(), timeToLiveAttribute: 'expiresAt' });
      assert.equal(decision.kind, 'update');
      if (decision.kind !== 'update') return;
      assert.equal(decision.restore, true);
      assert.equal(decision.removeExpiry, 'expiresAt');
      assert.deepEqual(decision.remove, ['deletedAt']);
      assert.equal(decision.set.email, 'jane@example.com');
      assert.equal(decision.set.emailVerified, true);
      assert.deepEqual(decision.set.attributes, {
        sub: SUB,
        email: 'jane@example.com',
        email_verified: 'true',
      });
    });

    it('removes no Time to Live attribute without one configured, nor from a row that is not marked', () => {
      const restored = decide({ row: marked(), user: user() });
      assert.equal(restored.kind === 'update' && 'removeExpiry' in restored, false);
      const updated = decide({
        row: row({ email: 'old@example.com' }),
        user: user(),
        timeToLiveAttribute: 'expiresAt',
      });
      assert.equal(updated.kind, 'update');
      assert.equal(updated.kind === 'update' && 'removeExpiry' in updated, false);
    });

    it('restores it for a disabled user too, with enabled false', () => {
      const decision = decide({
        row: marked(),
        user: user({ enabled: false, lastModifiedAt: NEWER }),
      });
      assert.equal(decision.kind === 'update' && decision.set.enabled, false);
      assert.equal(decision.kind === 'update' && decision.restore, true);
    });

    it('ignores a stale state', () => {
      assert.deepEqual(decide({ row: marked(), user: user({ lastModifiedAt: OLDER }) }), {
        kind: 'none',
        reason: 'stale',
      });
    });

    it('ignores a stale sign-in entirely (no lastSignInAt on a deleted row)', () => {
      const decision = decide({
        row: marked(),
        user: user({ lastModifiedAt: OLDER }),
        signIn: true,
      });
      assert.deepEqual(decision, { kind: 'none', reason: 'stale' });
    });

    it('never restores a row whose username now belongs to another user', () => {
      const other = user({ attributes: { ...user().attributes, sub: 'other-sub' } });
      assert.deepEqual(decide({ row: marked(), user: other }), {
        kind: 'none',
        reason: 'username-reused',
      });
    });
  });

  it('never puts an app-owned field in an update', () => {
    const decision = decide({
      row: row({ plan: 'pro' }),
      user: user({ enabled: false, lastModifiedAt: NEWER }),
    });
    assert.equal(decision.kind, 'update');
    if (decision.kind !== 'update') return;
    assert.equal('plan' in decision.set, false);
    assert.equal(decision.remove.includes('plan' as never), false);
  });
});

describe('Function: decideConverge (every combination)', () => {
  type RowCase = 'absent' | 'present' | 'deleted';
  type UserCase = 'present' | 'absent' | 'disabled';
  type Freshness = 'fresh' | 'stale';
  const rowFor = (rowCase: RowCase): Record<string, unknown> | undefined =>
    rowCase === 'absent'
      ? undefined
      : row(rowCase === 'deleted' ? { deletedAt: '2026-11-20T00:00:00.000Z' } : {});
  const userFor = (userCase: UserCase, freshness: Freshness): UserState | undefined => {
    if (userCase === 'absent') return undefined;
    // A fresh read is newer than the row's version and differs from it; a stale one is older.
    const version = freshness === 'fresh' ? NEWER : OLDER;
    return user({
      enabled: userCase !== 'disabled',
      attributes: { ...user().attributes, given_name: 'Changed' },
      lastModifiedAt: version,
    });
  };
  const expected: Record<`${RowCase}/${UserCase}/${Freshness}`, string> = {
    'absent/present/fresh': 'create',
    'absent/present/stale': 'create',
    'absent/disabled/fresh': 'create',
    'absent/disabled/stale': 'create',
    'absent/absent/fresh': 'none:no-row',
    'absent/absent/stale': 'none:no-row',
    'present/present/fresh': 'update',
    'present/present/stale': 'none:stale',
    'present/disabled/fresh': 'update',
    'present/disabled/stale': 'none:stale',
    'present/absent/fresh': 'mark-deleted',
    'present/absent/stale': 'mark-deleted',
    'deleted/present/fresh': 'update:restore',
    'deleted/present/stale': 'none:stale',
    'deleted/disabled/fresh': 'update:restore',
    'deleted/disabled/stale': 'none:stale',
    'deleted/absent/fresh': 'none:already-deleted',
    'deleted/absent/stale': 'none:already-deleted',
  };
  for (const [combination, outcome] of Object.entries(expected)) {
    it(`decides ${outcome} for row ${combination.replaceAll('/', ', user ')}`, () => {
      const [rowCase, userCase, freshness] = combination.split('/') as [
        RowCase,
        UserCase,
        Freshness,
      ];
      const decision = decide({ row: rowFor(rowCase), user: userFor(userCase, freshness) });
      const summary =
        decision.kind === 'none'
          ? `none:${decision.reason}`
          : decision.kind === 'update' && decision.restore
            ? 'update:restore'
            : decision.kind;
      assert.equal(summary, outcome);
      if (decision.kind === 'update') {
        assert.equal(decision.set.enabled === false, userCase === 'disabled');
        assert.equal(decision.notNewerThan, NEWER);
      }
    });
  }
});

describe('Function: toManagedState', () => {
  it('drops cognito:* attributes and reads email_verified case-insensitively', () => {
    const state = toManagedState(
      user({ attributes: { sub: SUB, email_verified: 'TRUE', 'cognito:mfa_enabled': 'x' } }),
      mapping,
    );
    assert.deepEqual(state.attributes, { sub: SUB, email_verified: 'TRUE' });
    assert.equal(state.emailVerified, true);
    assert.equal(state.email, undefined);
  });
});

describe('Function: diffManaged', () => {
  it('compares attribute maps by content', () => {
    const { set } = diffManaged(row(), toManagedState(user(), mapping));
    assert.deepEqual(set, {});
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ManagedState } from '../../../src/domain/converge.js';
import { resolveSignInConflict, signInWriteOutcome } from '../../../src/domain/signIn.js';

const state: ManagedState = {
  sub: 's-1',
  userPoolId: 'pool',
  email: 'a@example.com',
  attributes: { sub: 's-1' },
  enabled: true,
  status: 'CONFIRMED',
};
const inSync = { username: 'u', ...state };
const AT = '2026-11-29T12:00:00.000Z';

describe('Function: signInWriteOutcome', () => {
  for (const [name, before, outcome] of [
    ['no row before', undefined, 'created'],
    ['a row marked deleted', { ...inSync, deletedAt: AT }, 'restored'],
    ['a row without sub', { username: 'u', plan: 'pro' }, 'adopted'],
    [
      'a row whose managed fields differ',
      { ...inSync, status: 'FORCE_CHANGE_PASSWORD' },
      'updated',
    ],
    ['a row with an e-mail the user no longer has', { ...inSync, emailVerified: true }, 'updated'],
    [
      'a row in sync (lastSignInAt and app fields aside)',
      { ...inSync, lastSignInAt: AT, plan: 'x' },
      'signed-in',
    ],
  ] as const) {
    it(`names ${outcome} for ${name}`, () => {
      assert.equal(signInWriteOutcome(before, state), outcome);
    });
  }
});

describe('Function: resolveSignInConflict', () => {
  const resolve = (row: Record<string, unknown> | undefined, eligible = true) =>
    resolveSignInConflict({ row, sub: 's-1', signedInAt: AT, eligible });

  it('writes nothing on a row of another sub (a reused username)', () => {
    assert.deepEqual(resolve({ sub: 's-2' }), { kind: 'none', reason: 'username-reused' });
  });
  it('records lastSignInAt alone on a row holding a later state, nothing when it is marked deleted', () => {
    const later = { sub: 's-1', userLastModifiedAt: '2026-11-29T13:00:00.000Z' };
    assert.deepEqual(resolve(later), { kind: 'sign-in-only', expectSub: 's-1' });
    assert.deepEqual(resolve({ ...later, deletedAt: AT }), { kind: 'none', reason: 'stale' });
  });
  it('creates no row for a user who may not have one, and retries when the row merely changed', () => {
    assert.deepEqual(resolve(undefined, false), { kind: 'none', reason: 'not-eligible' });
    assert.deepEqual(resolve(undefined), { kind: 'retry' });
    assert.deepEqual(resolve({ sub: 's-1', userLastModifiedAt: AT }), { kind: 'retry' });
  });
});

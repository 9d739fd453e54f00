import { diffManaged, type ManagedState } from './converge.js';
import { legacyRowMapping } from './rowMapping/configMapping.js';
import type { RowMapping } from './rowMapping/document.js';
import { compareRow, type MappedUser } from './rowMapping/expectedRow.js';
import { rowSubOf } from './rowMapping/keys.js';

/** What a sign-in's write did to the row, read from the row as it was before. */
export type SignInWriteOutcome = 'created' | 'adopted' | 'restored' | 'updated' | 'signed-in';

/** Why a sign-in wrote nothing. */
export type SignInNoopReason = 'not-eligible' | 'username-reused' | 'stale';

/**
 * Names what a sign-in's write did, from the row as it was before it (pure):
 * `created` (no row), `restored` (the row was marked `deletedAt`), `adopted`
 * (the row had no `sub`: a row the application wrote at the user's key),
 * `updated` (managed fields changed besides `lastSignInAt`), else `signed-in`.
 */
export function signInWriteOutcome(
  before: Readonly<Record<string, unknown>> | undefined,
  state: ManagedState,
): SignInWriteOutcome {
  if (!before) return 'created';
  if (before.deletedAt !== undefined) return 'restored';
  if (typeof before.sub !== 'string') return 'adopted';
  const { set, remove } = diffManaged(before, state);
  return Object.keys(set).length > 0 || remove.length > 0 ? 'updated' : 'signed-in';
}

/**
 * Names what a sign-in's write did under a row mapping, from the row as it
 * was before it (pure), by `compareRow`: `created` (no row), `restored` (the
 * row was marked `deletedAt`), `adopted` (the row had no `sub`), `updated`
 * (managed columns changed besides `lastSignInAt`), else `signed-in`. For
 * `{}` it names what {@link signInWriteOutcome} names.
 */
export function signInOutcome(
  mapping: RowMapping,
  user: MappedUser,
  before: Readonly<Record<string, unknown>> | undefined,
): SignInWriteOutcome {
  const comparison = compareRow(mapping, user, before);
  switch (comparison.kind) {
    case 'missing':
      return 'created';
    case 'adopt':
      return comparison.restore ? 'restored' : 'adopted';
    case 'differs':
      return comparison.restore ? 'restored' : 'updated';
    default:
      return 'signed-in';
  }
}

/** What to do after a sign-in's write failed its condition. */
export type SignInConflictAction =
  | { readonly kind: 'none'; readonly reason: SignInNoopReason }
  /** The row holds a state Cognito modified after the sign-in: record `lastSignInAt` alone. */
  | { readonly kind: 'sign-in-only'; readonly expectSub: string | undefined }
  /** The row changed between the write and the read: write again. */
  | { readonly kind: 'retry' };

/**
 * Decides, from the row that failed a sign-in's condition (pure): no row and
 * the user not eligible for one: `not-eligible`; a row with another `sub`: the
 * username was reused (`username-reused`); a row with a newer
 * `userLastModifiedAt`: record `lastSignInAt` alone, or nothing (`stale`) when
 * the row is marked `deletedAt`; anything else changed in between: retry.
 */
export function resolveSignInConflict(input: {
  readonly row: Readonly<Record<string, unknown>> | undefined;
  readonly sub: string;
  readonly signedInAt: string;
  readonly eligible: boolean;
  /** The columns of `sub`, `userLastModifiedAt` and `deletedAt`. @default - today's row */
  readonly mapping?: RowMapping | undefined;
}): SignInConflictAction {
  const { row } = input;
  if (!row) return input.eligible ? { kind: 'retry' } : { kind: 'none', reason: 'not-eligible' };
  const mapping = input.mapping ?? legacyRowMapping('username');
  const read = (column: string | undefined): unknown =>
    column !== undefined && Object.hasOwn(row, column) ? row[column] : undefined;
  const rowSub = rowSubOf(mapping, row);
  if (rowSub !== undefined && rowSub !== input.sub)
    return { kind: 'none', reason: 'username-reused' };
  const version = read(mapping.fields.userLastModifiedAt);
  const stored = typeof version === 'string' ? version : undefined;
  if (stored !== undefined && stored > input.signedInAt) {
    return read(mapping.fields.deletedAt) !== undefined
      ? { kind: 'none', reason: 'stale' }
      : { kind: 'sign-in-only', expectSub: rowSub };
  }
  return { kind: 'retry' };
}

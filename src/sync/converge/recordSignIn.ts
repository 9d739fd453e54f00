import { getUserRow } from '../../aws/store/managedRows.js';
import { setLastSignInAt, upsertSignInRow } from '../../aws/store/signInRow.js';
import { DEFAULT_ROW_ELIGIBILITY, toManagedState, type UserState } from '../../domain/converge.js';
import {
  resolveSignInConflict,
  type SignInNoopReason,
  type SignInWriteOutcome,
  signInWriteOutcome,
} from '../../domain/signIn.js';
import { toUserRow } from '../../domain/userRow.js';
import type { ConvergeSettings } from './convergeUser.js';

/** How many conditional writes a sign-in makes at most when the row keeps changing under it. */
export const MAX_SIGN_IN_ATTEMPTS = 3;

/** What recording a sign-in did: a write, a reason for none, or `conflict` (the row kept changing). */
export type SignInRecordOutcome = SignInWriteOutcome | SignInNoopReason | 'conflict';

/** Options of {@link recordSignIn}. */
export interface RecordSignInOptions {
  /** `source` of a row created now. */
  readonly source: string;
  /** Aborts the calls when signalled. @default - no deadline */
  readonly abortSignal?: AbortSignal;
}

/**
 * Records a sign-in in one round trip: a single conditional UpdateItem
 * (`upsertSignInRow`) creates the row, adopts a row without `sub` at the
 * user's key, or refreshes the user's own row with the state the sign-in
 * carries and `lastSignInAt`, never touching an app-owned field, and tells from
 * the row as it was what it did. Only when its condition fails (the username
 * belongs to another `sub`, or the row holds a state Cognito modified after
 * the sign-in) does it read or write again: it then records `lastSignInAt`
 * alone, or nothing, as `resolveSignInConflict` decides.
 *
 * @throws TableReadError or TableWriteError when the table cannot be used
 */
export async function recordSignIn(
  settings: ConvergeSettings,
  user: UserState,
  options: RecordSignInOptions,
): Promise<SignInRecordOutcome> {
  const call = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  const now = (settings.now ?? (() => new Date()))();
  const signedInAt = now.toISOString();
  const state = toManagedState(user, settings.mapping);
  const eligible = DEFAULT_ROW_ELIGIBILITY(user.status);
  const row = toUserRow(
    {
      userName: user.username,
      userPoolId: user.userPoolId,
      userAttributes: user.attributes,
      source: options.source,
      now,
    },
    settings.mapping,
  );
  const upsert = {
    row,
    enabled: user.enabled,
    status: user.status,
    signedInAt,
    create: eligible,
    expiryAttribute: settings.deletedRows?.timeToLiveAttribute,
  };
  for (let attempt = 1; attempt <= MAX_SIGN_IN_ATTEMPTS; attempt++) {
    const result = await upsertSignInRow(settings.table, upsert, call);
    if (result.kind === 'written') return signInWriteOutcome(result.before, state);
    const current =
      result.current === 'unknown'
        ? await getUserRow(settings.table, user.username, call)
        : result.current;
    const action = resolveSignInConflict({ row: current, sub: state.sub, signedInAt, eligible });
    if (action.kind === 'none') return action.reason;
    if (action.kind === 'sign-in-only') {
      const written = await setLastSignInAt(
        settings.table,
        user.username,
        action.expectSub,
        signedInAt,
        call,
      );
      if (written === 'written') return 'signed-in';
    }
  }
  return 'conflict';
}

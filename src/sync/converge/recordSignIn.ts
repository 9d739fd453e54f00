import { getUserRow } from '../../aws/store/managedRows.js';
import { setLastSignInAt, upsertSignInRow } from '../../aws/store/signInRow.js';
import { DEFAULT_ROW_ELIGIBILITY, type UserState } from '../../domain/converge.js';
import { absentColumns, expectedRow } from '../../domain/rowMapping/expectedRow.js';
import {
  resolveSignInConflict,
  type SignInNoopReason,
  type SignInWriteOutcome,
  signInOutcome,
} from '../../domain/signIn.js';
import { type ConvergeSettings, convergeRowMapping } from './convergeUser.js';

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
 * (`upsertSignInRow`) at the user's key under the row mapping, with the
 * mapping's column names, creates the row the mapping gives (`expectedRow`), adopts a row without `sub` at the
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
  const mapping = convergeRowMapping(settings);
  const table = { ...settings.table, rowMapping: mapping };
  const sub = Object.hasOwn(user.attributes, 'sub') ? (user.attributes.sub ?? '') : '';
  const eligible = DEFAULT_ROW_ELIGIBILITY(user.status);
  const expected = expectedRow(mapping, user, { now, source: options.source, signIn: true });
  if (!expected) return eligible ? 'conflict' : 'not-eligible';
  const upsert = {
    row: expected.item,
    enabled: user.enabled,
    status: user.status,
    signedInAt,
    create: eligible,
    absent: absentColumns(mapping, user),
    expiryAttribute: settings.deletedRows?.timeToLiveAttribute,
  };
  for (let attempt = 1; attempt <= MAX_SIGN_IN_ATTEMPTS; attempt++) {
    const result = await upsertSignInRow(table, upsert, call);
    if (result.kind === 'written') return signInOutcome(mapping, user, result.before);
    const current =
      result.current === 'unknown' ? await getUserRow(table, expected.key, call) : result.current;
    const action = resolveSignInConflict({ row: current, sub, signedInAt, eligible, mapping });
    if (action.kind === 'none') return action.reason;
    if (action.kind === 'sign-in-only') {
      if (mapping.fields.lastSignInAt === undefined) return 'stale';
      const written = await setLastSignInAt(
        table,
        expected.key,
        action.expectSub,
        signedInAt,
        call,
      );
      if (written === 'written') return 'signed-in';
    }
  }
  return 'conflict';
}

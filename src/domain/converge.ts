import { InvalidEventError } from '../shared/errors.js';
import { sameValue } from '../shared/values.js';
import type { MappingConfig } from './config.js';
import { rowMappingOf } from './rowMapping/configMapping.js';
import type { RowManagedField, RowMapping } from './rowMapping/document.js';
import { compareRow, expectedRow, type MappedUser, updateFor } from './rowMapping/expectedRow.js';
import { rowSubOf } from './rowMapping/keys.js';
import { selectAttributes, type UserRow } from './userRow.js';

/**
 * The managed fields that hold a user's personal data, erased when the row
 * of a deleted user is marked (unless a legal hold keeps them): the e-mail
 * address and whether it was verified, the `attributes` map (phone number,
 * names, address, birthdate, `custom:*`, federated `identities`: whatever
 * the allowlist copies, so the whole map goes), and `lastSignInAt` (when the
 * person used the app). The key, `sub`, `userPoolId` and the lifecycle
 * fields (`source`, `createdAt`, `updatedAt`, `enabled`, `status`,
 * `deletedAt`, `userLastModifiedAt`) stay: they identify the row and say what
 * happened to it, and a restore under the same `sub` needs them. A future
 * row mapping that renames or flattens fields derives its list from this one.
 */
export const PERSONAL_DATA_FIELDS = [
  'email',
  'emailVerified',
  'attributes',
  'lastSignInAt',
] as const satisfies readonly RowManagedField[];

/** One of {@link PERSONAL_DATA_FIELDS}. */
export type PersonalDataField = (typeof PERSONAL_DATA_FIELDS)[number];

/**
 * The columns of a mapped row that hold personal data, erased when the row
 * of a deleted user is marked: the columns the mapping gives
 * {@link PERSONAL_DATA_FIELDS} (those it keeps), and every top-level
 * attribute column (a copy of an attribute, as the `attributes` map holds).
 * The key attributes stay, whatever they are made of. Pure.
 */
export function personalDataColumns(mapping: RowMapping): string[] {
  return [
    ...PERSONAL_DATA_FIELDS.flatMap((field) => {
      const column = mapping.fields[field];
      return column === undefined ? [] : [column];
    }),
    ...Object.values(mapping.attributeColumns),
    // A user's groups say something about the person (a team, a plan, a cohort): erased too.
    ...(mapping.fields.groups === undefined ? [] : [mapping.fields.groups]),
  ];
}

/** What happens to the row of a user who is no longer in the pool: set `deletedAt`, or delete it. */
export const DELETED_USER_MODES = ['mark', 'delete'] as const;

/** One of {@link DELETED_USER_MODES}. */
export type DeletedUserMode = (typeof DELETED_USER_MODES)[number];

/**
 * A user as the pool reports it now (AdminGetUser, ListUsers, or a trigger
 * event): the row mapping's {@link MappedUser}, one type for both.
 */
export type UserState = MappedUser;

/**
 * How a user is named by a signal: a username (or alias, or `sub`) or only a
 * `sub`; `aliases` are the alias values the call itself set (e.g. the new
 * e-mail address of an attribute update, when the event shows it), tried
 * when the name no longer resolves.
 */
export type UserRef =
  | {
      readonly username: string;
      readonly sub?: string | undefined;
      readonly aliases?: readonly string[] | undefined;
    }
  | {
      readonly username?: undefined;
      readonly sub: string;
      readonly aliases?: readonly string[] | undefined;
    };

/** Attributes whose values a user can be named by (`Username` of the Admin* calls). */
export const ALIAS_ATTRIBUTES = ['email', 'phone_number', 'preferred_username'] as const;

/** The managed fields a user's state maps to (all but `source`, `createdAt`, timestamps). */
export interface ManagedState {
  /** The user's `sub`. */
  readonly sub: string;
  /** The pool's id. */
  readonly userPoolId: string;
  /** The e-mail address, when the user has one. */
  readonly email?: string;
  /** `email_verified` as a boolean, when the user has it. */
  readonly emailVerified?: boolean;
  /** The allowlisted attributes, never `cognito:*`. */
  readonly attributes: Readonly<Record<string, string>>;
  /** Whether the user may sign in. */
  readonly enabled: boolean;
  /** `UserStatus`. */
  readonly status: string;
  /** Cognito's `UserLastModifiedDate` (ISO-8601), when the state was read from the pool. */
  readonly userLastModifiedAt?: string;
}

/** Default test of whether a user without a row gets one: every status but `UNCONFIRMED`. */
export const DEFAULT_ROW_ELIGIBILITY = (status: string): boolean => status !== 'UNCONFIRMED';

/** Inputs of {@link decideConverge}. */
export interface ConvergeInput {
  /** The row as read (consistently) from the table; `undefined` when there is none. */
  readonly row: Readonly<Record<string, unknown>> | undefined;
  /** The user as the pool reports it now; `undefined` when the pool has no such user. */
  readonly user: UserState | undefined;
  /** Key attribute and attribute allowlist, and the row mapping (`rowMapping`) rows are judged by. */
  readonly mapping: MappingConfig;
  /** The time of the decision: `createdAt`, `updatedAt`, `deletedAt`, `lastSignInAt`. */
  readonly now: Date;
  /** `source` of a row created now (e.g. `PostAuthentication_Authentication`, `converge`). */
  readonly source: string;
  /** Mark (`deletedAt`) or delete the row of a user who is gone. @default 'mark' */
  readonly onDeleted?: DeletedUserMode;
  /** Set `lastSignInAt` to `now` (a sign-in). @default false */
  readonly signIn?: boolean;
  /** Whether a user without a row gets one. @default every status but `UNCONFIRMED` */
  readonly isEligible?: (status: string) => boolean;
  /**
   * The row's Time to Live attribute (`DeletedRowPolicy.timeToLiveAttribute`),
   * REMOVEd when a marked row is restored. @default - none: not touched
   */
  readonly timeToLiveAttribute?: string | undefined;
}

/** Why nothing is written. */
export type NoopReason =
  | 'in-sync'
  | 'stale'
  | 'no-row'
  | 'already-deleted'
  | 'username-reused'
  | 'not-eligible';

/** What to write so that the row matches the user. */
export type ConvergeDecision =
  | {
      /** Write this row unless a row with its key exists. */
      readonly kind: 'create';
      readonly row: UserRow;
    }
  | {
      /** SET and REMOVE managed fields of the existing row, nothing else. */
      readonly kind: 'update';
      readonly set: Readonly<Record<string, unknown>>;
      /** Columns to REMOVE (managed only, under the mapping's names). */
      readonly remove: readonly string[];
      /** The row's `sub` as read: the write requires it unchanged (`undefined`: no `sub`). */
      readonly expectSub: string | undefined;
      /**
       * The write requires the row's `userLastModifiedAt` to be absent or not
       * after this value, so that an older read never replaces a newer one.
       * `undefined` for a write that does not depend on the user's state
       * (only `lastSignInAt`).
       */
      readonly notNewerThan: string | undefined;
      /** The row carried `deletedAt` and the same user is in the pool: it is removed. */
      readonly restore: boolean;
      /** On a restore, the Time to Live attribute to REMOVE too (not a managed field). */
      readonly removeExpiry?: string;
      /** Whether managed fields other than `lastSignInAt` change. */
      readonly changesState: boolean;
      /** The row had no `sub` (written before this product at the user's key): it is adopted. */
      readonly adopt?: true;
    }
  | {
      /** Set `deletedAt` on the row, if it still has this `sub` and no `deletedAt`. */
      readonly kind: 'mark-deleted';
      readonly expectSub: string | undefined;
      readonly deletedAt: string;
    }
  | {
      /** Delete the row, if it still has this `sub`. */
      readonly kind: 'delete';
      readonly expectSub: string | undefined;
    }
  | { readonly kind: 'none'; readonly reason: NoopReason };

/**
 * Maps a user's state to the managed fields of its row: `sub`, `userPoolId`,
 * `email`/`emailVerified` when the user has them, the allowlisted attributes
 * (never `cognito:*`), `enabled`, `status`, and `userLastModifiedAt` when the
 * state came from the pool.
 */
export function toManagedState(user: UserState, mapping: MappingConfig): ManagedState {
  const { attributes } = user;
  return {
    sub: attributes.sub ?? '',
    userPoolId: user.userPoolId,
    ...(attributes.email !== undefined && attributes.email !== ''
      ? { email: attributes.email }
      : {}),
    ...(attributes.email_verified !== undefined
      ? { emailVerified: attributes.email_verified.toLowerCase() === 'true' }
      : {}),
    attributes: selectAttributes(attributes, mapping.userAttributes),
    enabled: user.enabled,
    status: user.status,
    ...(user.lastModifiedAt !== undefined ? { userLastModifiedAt: user.lastModifiedAt } : {}),
  };
}

/**
 * Decides how to make one user's row match the pool, under the row mapping
 * (`mapping.rowMapping`, else today's row under `keyAttribute`). Pure. Every
 * judgement is `compareRow`'s, every write `expectedRow`'s or `updateFor`'s.
 *
 * - No row, user present and eligible: create the row the mapping gives
 *   (`expectedRow`: trigger-shaped, plus `enabled`, `status`, `updatedAt`,
 *   `userLastModifiedAt`, `lastSignInAt` on a sign-in, and the constants).
 * - Row and user with the same `sub`: update the managed columns that differ
 *   (REMOVE an e-mail or attribute column the user no longer has),
 *   conditional on the row's `userLastModifiedAt` not being newer than this
 *   state's; a row marked `deletedAt` is restored: its erased personal data is
 *   written again from the state, and its Time to Live attribute removed. A
 *   state older than the row's is `stale` (a sign-in still records `lastSignInAt`).
 * - Row without `sub` at the user's key (written before this product): it is
 *   the user's and is adopted (`adopt`): the managed columns are added, every
 *   other column is kept.
 * - Row whose `sub` differs from the user's: the username now belongs to
 *   another user; nothing is written (`username-reused`).
 * - User gone: the row is marked `deletedAt` (or deleted), conditional on
 *   its `sub`; an already marked row is left alone.
 */
export function decideConverge(input: ConvergeInput): ConvergeDecision {
  const { row, user, now } = input;
  const mapping = rowMappingOf(input.mapping);
  const nowIso = now.toISOString();
  const rowSub = row === undefined ? undefined : rowSubOf(mapping, row);
  const deletedColumn = mapping.fields.deletedAt;
  const rowDeleted =
    row !== undefined &&
    deletedColumn !== undefined &&
    Object.hasOwn(row, deletedColumn) &&
    row[deletedColumn] !== undefined;

  if (!user) {
    if (!row) return { kind: 'none', reason: 'no-row' };
    if ((input.onDeleted ?? 'mark') === 'delete') return { kind: 'delete', expectSub: rowSub };
    if (rowDeleted) return { kind: 'none', reason: 'already-deleted' };
    return { kind: 'mark-deleted', expectSub: rowSub, deletedAt: nowIso };
  }

  if (!row) {
    const eligible = input.isEligible ?? DEFAULT_ROW_ELIGIBILITY;
    if (!eligible(user.status)) return { kind: 'none', reason: 'not-eligible' };
    const expected = expectedRow(mapping, user, {
      now,
      source: input.source,
      signIn: input.signIn === true,
    });
    if (!expected) return { kind: 'none', reason: 'no-row' };
    return { kind: 'create', row: expected.item as UserRow };
  }
  const comparison = compareRow(mapping, user, row, { now, source: input.source });
  const signIn = input.signIn === true && mapping.fields.lastSignInAt !== undefined;
  switch (comparison.kind) {
    case 'missing':
    case 'reused-username':
      return { kind: 'none', reason: 'username-reused' };
    case 'stale':
      if (!signIn || rowDeleted) return { kind: 'none', reason: 'stale' };
      return signInOnly(mapping, rowSub, nowIso);
    case 'in-sync':
      if (!signIn) return { kind: 'none', reason: 'in-sync' };
      return signInOnly(mapping, rowSub, nowIso);
    default: {
      const update = updateFor(mapping, user, comparison, { now, signIn });
      return {
        kind: 'update',
        set: update.set,
        remove: update.remove,
        expectSub: comparison.rowSub,
        notNewerThan: update.notNewerThan?.value,
        restore: comparison.restore,
        ...(comparison.restore && input.timeToLiveAttribute !== undefined
          ? { removeExpiry: input.timeToLiveAttribute }
          : {}),
        changesState: true,
        ...(comparison.kind === 'adopt' ? { adopt: true as const } : {}),
      };
    }
  }
}

function signInOnly(
  mapping: RowMapping,
  expectSub: string | undefined,
  nowIso: string,
): ConvergeDecision {
  return {
    kind: 'update',
    set: mapping.fields.lastSignInAt === undefined ? {} : { [mapping.fields.lastSignInAt]: nowIso },
    remove: [],
    expectSub,
    notNewerThan: undefined,
    restore: false,
    changesState: false,
  };
}

/** Options of {@link newUserRow}. */
export interface NewUserRowOptions {
  /** `source` of the row (a trigger source, `converge`, `reconcile`). */
  readonly source: string;
  /** When the row is written: `createdAt` and `updatedAt` (and `lastSignInAt` on a sign-in). */
  readonly now: Date;
  /** Set `lastSignInAt` to `now` (a sign-in). @default false */
  readonly signIn?: boolean;
}

/**
 * The complete row that every path creates for a user who has none, under
 * the row mapping (`mapping.rowMapping`, else today's row): `expectedRow`'s
 * item. For `{}`: the trigger-shaped fields of `toUserRow`, plus `enabled`,
 * `status`, `updatedAt`, `userLastModifiedAt` when the state was read from
 * the pool, and `lastSignInAt` on a sign-in. Pure. The same row, whoever
 * writes it: the Post Confirmation trigger, the sign-in refresh, converge,
 * reconcile.
 *
 * @throws InvalidEventError when the mapping's key needs a `sub` the user does not have
 */
export function newUserRow(
  user: UserState,
  mapping: MappingConfig,
  options: NewUserRowOptions,
): UserRow {
  const expected = expectedRow(rowMappingOf(mapping), user, {
    now: options.now,
    source: options.source,
    signIn: options.signIn === true,
  });
  if (!expected) {
    throw new InvalidEventError(
      "the user has no sub, and the row mapping's key is made of it: no row can be written",
    );
  }
  return expected.item as UserRow;
}

const OPTIONAL_FIELDS = ['email', 'emailVerified'] as const;

/** The managed fields of `state` that differ from the row's, to SET and to REMOVE. */
export function diffManaged(
  row: Readonly<Record<string, unknown>>,
  state: ManagedState,
): { set: Record<string, unknown>; remove: RowManagedField[] } {
  const set: Record<string, unknown> = {};
  const remove: RowManagedField[] = [];
  for (const [field, value] of Object.entries(state)) {
    if (!sameValue(row[field], value)) set[field] = value;
  }
  for (const field of OPTIONAL_FIELDS) {
    if (state[field] === undefined && row[field] !== undefined) remove.push(field);
  }
  return { set, remove };
}

import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { readPoolUser, type UserRef } from '../../aws/pool/readPoolUser.js';
import {
  type ConditionalOutcome,
  deleteIfSub,
  findKeysBySub,
  getUserRow,
  updateManagedFields,
} from '../../aws/store/managedRows.js';
import { markRowDeleted } from '../../aws/store/markRowDeleted.js';
import { findRowsByAlias } from '../../aws/store/rowsByAlias.js';
import { createRowIfAbsent, type UserTableOptions } from '../../aws/store/userTable.js';
import type { MappingConfig } from '../../domain/config.js';
import {
  type ConvergeDecision,
  type DeletedUserMode,
  decideConverge,
  type NoopReason,
  type UserState,
} from '../../domain/converge.js';
import type { DeletedRowPolicy } from '../../domain/deletedRows.js';

/** The `source` of rows created by a change signal. */
export const CONVERGE_SOURCE = 'converge';

/** How many times a write that lost a race is decided again from a fresh read of the row. */
export const MAX_CONVERGE_ATTEMPTS = 3;

/**
 * What converging one row did. `unresolved`: the signal named a user, by a
 * name (an alias) that resolves to no user of the pool and to no row, and
 * carried nothing else (no `sub`, no visible alias): the user may exist under
 * a new alias, so the miss is counted apart from `no-row`.
 */
export type ConvergeOutcome =
  | 'created'
  | 'updated'
  | 'restored'
  | 'signed-in'
  | 'marked'
  | 'deleted'
  | NoopReason
  | 'conflict'
  | 'unresolved';

/** The outcome for one row. */
export interface RowOutcome {
  /** The row's key; `undefined` when no row and no user was found. */
  readonly key: string | undefined;
  /** What was done. */
  readonly outcome: ConvergeOutcome;
}

/** Where rows live and how they are mapped: shared by every way in. */
export interface ConvergeSettings {
  /** The table. */
  readonly table: UserTableOptions;
  /** Key attribute and attribute allowlist. */
  readonly mapping: MappingConfig;
  /** Mark (`deletedAt`) or delete the row of a deleted user. @default 'mark' */
  readonly onDeleted?: DeletedUserMode;
  /**
   * What marking does besides `deletedAt` (erasure, expiry), and which Time
   * to Live attribute a restore removes.
   * @default DEFAULT_DELETED_ROW_POLICY - erase personal data, no expiry
   */
  readonly deletedRows?: DeletedRowPolicy;
  /** Clock. @default - `new Date()` */
  readonly now?: () => Date;
}

/** Options of one {@link convergeRow}. */
export interface ConvergeRowOptions {
  /** `source` of a row created now. */
  readonly source: string;
  /** Record a sign-in (`lastSignInAt`). @default false */
  readonly signIn?: boolean;
  /** Aborts the calls when signalled. @default - no deadline */
  readonly abortSignal?: AbortSignal;
}

/**
 * Makes the row at `key` match `user` (`undefined`: the user is gone): reads
 * the row consistently, decides (`decideConverge`), and writes conditionally.
 * A write whose condition fails (another writer changed the row meanwhile) is
 * decided again from a fresh read, up to {@link MAX_CONVERGE_ATTEMPTS} times.
 *
 * @throws TableReadError or TableWriteError when the table cannot be used
 */
export async function convergeRow(
  settings: ConvergeSettings,
  key: string,
  user: UserState | undefined,
  options: ConvergeRowOptions,
): Promise<ConvergeOutcome> {
  const call = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  for (let attempt = 1; attempt <= MAX_CONVERGE_ATTEMPTS; attempt++) {
    const row = await getUserRow(settings.table, key, call);
    const decision = decideConverge({
      row,
      user,
      mapping: settings.mapping,
      now: (settings.now ?? (() => new Date()))(),
      source: options.source,
      ...(settings.onDeleted ? { onDeleted: settings.onDeleted } : {}),
      ...(options.signIn ? { signIn: true } : {}),
      timeToLiveAttribute: settings.deletedRows?.timeToLiveAttribute,
    });
    const outcome = await apply(settings, key, decision, call);
    if (outcome !== 'conflict') return outcome;
  }
  return 'conflict';
}

async function apply(
  { table, deletedRows }: ConvergeSettings,
  key: string,
  decision: ConvergeDecision,
  call: { abortSignal?: AbortSignal },
): Promise<ConvergeOutcome> {
  const done = (result: ConditionalOutcome, outcome: ConvergeOutcome): ConvergeOutcome =>
    result === 'written' ? outcome : 'conflict';
  switch (decision.kind) {
    case 'none':
      return decision.reason;
    case 'create': {
      const created = await createRowIfAbsent(table, decision.row, call);
      return created === 'created' ? 'created' : 'conflict';
    }
    case 'update': {
      const result = await updateManagedFields(table, key, decision, call);
      const outcome = decision.restore
        ? 'restored'
        : decision.changesState
          ? 'updated'
          : 'signed-in';
      return done(result, outcome);
    }
    case 'mark-deleted':
      return (await markRowDeleted(
        table,
        key,
        {
          deletedAt: new Date(decision.deletedAt),
          sub: decision.expectSub === undefined ? 'absent' : { equals: decision.expectSub },
          ...(deletedRows ? { policy: deletedRows } : {}),
        },
        call,
      )) === 'marked'
        ? 'marked'
        : 'conflict';
    case 'delete':
      return done(await deleteIfSub(table, key, decision.expectSub, call), 'deleted');
  }
}

/** Dependencies of {@link convergeUser}. */
export interface ConvergeUserDependencies extends ConvergeSettings {
  /** Cognito client (AdminGetUser, ListUsers). */
  readonly cognito: Pick<CognitoIdentityProviderClient, 'send'>;
  /** The pool the users belong to. */
  readonly userPoolId: string;
  /**
   * A global secondary index of the table keyed by `sub`, used to find the
   * row of a deleted user known only by its `sub` (or by an alias).
   * @default - none: such a row is left to reconcile
   */
  readonly subIndexName?: string | undefined;
}

/** Options of {@link convergeUser}. */
export interface ConvergeUserOptions {
  /** Aborts the calls when signalled. @default - no deadline */
  readonly abortSignal?: AbortSignal;
  /**
   * Whether the call that named the user leaves them in the pool (every call
   * but a deletion). A name that resolves to nothing is then looked up in the
   * rows (a row holding it as its e-mail, phone or preferred username gives
   * the `sub`), and a miss is `unresolved` rather than `no-row`.
   * @default false
   */
  readonly userRemains?: boolean;
}

/**
 * Converges one user named by a signal: reads the user's current state from
 * Cognito (the signal is only a hint), finds the row, and converges each row
 * found with {@link convergeRow}. The user is looked for by the name the
 * signal gives (AdminGetUser: username, alias or `sub`), checked against the
 * signal's `sub` when it has one; then by that `sub` (ListUsers), which
 * survives alias changes; then by the alias values the call set. When the
 * user is gone, the rows are found by the given username, then the `sub`
 * index. When the call left the user in the pool and nothing resolved, the
 * rows holding the name as an alias give the `sub` to read the user by.
 *
 * @returns one outcome per row (a single `no-row` or `unresolved` outcome when nothing matched)
 * @throws UserPoolReadError, TableReadError or TableWriteError
 */
export async function convergeUser(
  deps: ConvergeUserDependencies,
  ref: UserRef,
  options: ConvergeUserOptions = {},
): Promise<RowOutcome[]> {
  const call = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  const rowOptions = { source: CONVERGE_SOURCE, ...call };
  const user = await findPoolUser(deps, ref, call);
  if (user) {
    return [
      { key: user.username, outcome: await convergeRow(deps, user.username, user, rowOptions) },
    ];
  }
  const keys = await locateRows(deps, ref, call);
  if (keys.length > 0) {
    const outcomes: RowOutcome[] = [];
    for (const key of keys) {
      outcomes.push({ key, outcome: await convergeRow(deps, key, undefined, rowOptions) });
    }
    return outcomes;
  }
  if (options.userRemains === true && ref.sub === undefined && ref.username !== undefined) {
    return convergeByHeldAlias(deps, ref.username, call);
  }
  return [{ key: undefined, outcome: 'no-row' }];
}

/**
 * The user a signal names, as the pool reports them now: by the name given
 * (when its `sub`, if known, matches), else by the `sub`, else by an alias
 * value the call set. `undefined` when none resolves.
 */
async function findPoolUser(
  deps: ConvergeUserDependencies,
  ref: UserRef,
  call: { abortSignal?: AbortSignal },
): Promise<UserState | undefined> {
  if (ref.username !== undefined) {
    const named = await readPoolUser(
      deps.cognito,
      deps.userPoolId,
      { username: ref.username },
      call,
    );
    // An alias may have passed to another user since the call: the sub decides.
    if (named && (ref.sub === undefined || named.attributes.sub === ref.sub)) return named;
  }
  if (ref.sub !== undefined) {
    // The sub never changes: when it resolves to nobody, the user is gone.
    // AdminGetUser by the sub itself has already answered that.
    if (ref.username === ref.sub) return undefined;
    return readPoolUser(deps.cognito, deps.userPoolId, { sub: ref.sub }, call);
  }
  for (const alias of ref.aliases ?? []) {
    const user = await readPoolUser(deps.cognito, deps.userPoolId, { username: alias }, call);
    if (user) return user;
  }
  return undefined;
}

/**
 * Converges the users of the rows that hold `alias` (their e-mail, phone or
 * preferred username): each row's `sub` is read from the pool; a user found
 * is converged, a row whose user is gone is marked (or deleted).
 */
async function convergeByHeldAlias(
  deps: ConvergeUserDependencies,
  alias: string,
  call: { abortSignal?: AbortSignal },
): Promise<RowOutcome[]> {
  const rowOptions = { source: CONVERGE_SOURCE, ...call };
  const rows = await findRowsByAlias(deps.table, alias, call);
  const outcomes: RowOutcome[] = [];
  const done = new Set<string>();
  for (const row of rows) {
    if (row.sub === undefined) continue;
    const user = await readPoolUser(deps.cognito, deps.userPoolId, { sub: row.sub }, call);
    const key = user ? user.username : row.key;
    if (done.has(key)) continue;
    done.add(key);
    outcomes.push({ key, outcome: await convergeRow(deps, key, user, rowOptions) });
  }
  return outcomes.length > 0 ? outcomes : [{ key: undefined, outcome: 'unresolved' }];
}

/** The keys of the rows a deleted user may have: by username, else by `sub` through the index. */
async function locateRows(
  deps: ConvergeUserDependencies,
  ref: UserRef,
  call: { abortSignal?: AbortSignal },
): Promise<string[]> {
  if (ref.username !== undefined) {
    const row = await getUserRow(deps.table, ref.username, call);
    if (row && (ref.sub === undefined || row.sub === ref.sub)) return [ref.username];
  }
  // A username given by a signal may be the user's sub (Admin* calls accept it).
  const sub = ref.sub ?? ref.username;
  if (sub === undefined) return [];
  if (ref.username === undefined || (ref.sub !== undefined && ref.sub !== ref.username)) {
    // In pools that sign in with e-mail or phone, the username is the sub.
    const row = await getUserRow(deps.table, sub, call);
    if (row && row.sub === sub) return [sub];
  }
  if (!deps.subIndexName) return [];
  const keys = await findKeysBySub(deps.table, deps.subIndexName, sub, call);
  return [...new Set(keys)];
}

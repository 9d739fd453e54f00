import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { readPoolUser, type UserRef } from '../../aws/pool/readPoolUser.js';
import { readUserGroups } from '../../aws/pool/userGroups.js';
import {
  type ConditionalOutcome,
  deleteIfSub,
  findRowKeysBySub,
  getUserRow,
  updateManagedFields,
} from '../../aws/store/managedRows.js';
import { markRowDeleted } from '../../aws/store/markRowDeleted.js';
import { findRowsByAlias } from '../../aws/store/rowsByAlias.js';
import {
  createRowIfAbsent,
  type RowKeyRef,
  type UserTableOptions,
} from '../../aws/store/userTable.js';
import type { MappingConfig } from '../../domain/config.js';
import {
  type ConvergeDecision,
  type DeletedUserMode,
  decideConverge,
  type NoopReason,
  type UserState,
} from '../../domain/converge.js';
import type { DeletedRowPolicy } from '../../domain/deletedRows.js';
import { rowMappingOf } from '../../domain/rowMapping/configMapping.js';
import type { RowMapping } from '../../domain/rowMapping/document.js';
import {
  keyValuesOf,
  matchRowKey,
  type RowKey,
  renderRowKey,
  rowKeyId,
  rowSubOf,
} from '../../domain/rowMapping/keys.js';

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
  | 'adopted'
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
  /**
   * The row's user, for logs: the username when known (from the pool, or
   * read back from the key), else the row's partition key value;
   * `undefined` when no row and no user was found.
   */
  readonly key: string | undefined;
  /** What was done. */
  readonly outcome: ConvergeOutcome;
}

/** Where rows live and how they are mapped: shared by every way in. */
export interface ConvergeSettings {
  /** The table. */
  readonly table: UserTableOptions;
  /**
   * Key attribute and attribute allowlist, and the row mapping
   * (`mapping.rowMapping`), which rows are read and written by. The table's
   * own `rowMapping`, when set, is the same mapping.
   */
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

/** The mapping of converge's rows: the table's, else the configuration's. */
export function convergeRowMapping(
  settings: Pick<ConvergeSettings, 'table' | 'mapping'>,
): RowMapping {
  return settings.table.rowMapping ?? rowMappingOf(settings.mapping);
}

/** The table, carrying the mapping rows are keyed and named by. */
function mappedTable(settings: Pick<ConvergeSettings, 'table' | 'mapping'>): UserTableOptions {
  return settings.table.rowMapping
    ? settings.table
    : { ...settings.table, rowMapping: convergeRowMapping(settings) };
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
  key: RowKeyRef,
  user: UserState | undefined,
  options: ConvergeRowOptions,
): Promise<ConvergeOutcome> {
  const call = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  const table = mappedTable(settings);
  const mapping = { ...settings.mapping, rowMapping: convergeRowMapping(settings) };
  for (let attempt = 1; attempt <= MAX_CONVERGE_ATTEMPTS; attempt++) {
    const row = await getUserRow(table, key, call);
    const decision = decideConverge({
      row,
      user,
      mapping,
      now: (settings.now ?? (() => new Date()))(),
      source: options.source,
      ...(settings.onDeleted ? { onDeleted: settings.onDeleted } : {}),
      ...(options.signIn ? { signIn: true } : {}),
      timeToLiveAttribute: settings.deletedRows?.timeToLiveAttribute,
    });
    const outcome = await apply({ ...settings, table }, key, decision, call);
    if (outcome !== 'conflict') return outcome;
  }
  return 'conflict';
}

async function apply(
  { table, deletedRows }: ConvergeSettings,
  key: RowKeyRef,
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
        : decision.adopt
          ? 'adopted'
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
  /** Cognito client (AdminGetUser, ListUsers; AdminListGroupsForUser when the `groups` field is on). */
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
 * When the row mapping keeps groups (`fields.groups`), the user's groups are
 * read too ({@link withGroups}: one `AdminListGroupsForUser` call more) and
 * written with the rest.
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
  const settings = { ...deps, table: mappedTable(deps) };
  const mapping = convergeRowMapping(settings);
  const user = await withGroups(deps, mapping, await findPoolUser(deps, ref, call), call);
  if (user) {
    const key = renderRowKey(mapping, keyValuesOf(user));
    if (!key) return [{ key: user.username, outcome: 'no-row' }];
    return [{ key: user.username, outcome: await convergeRow(settings, key, user, rowOptions) }];
  }
  const keys = await locateRows(settings, mapping, ref, call);
  if (keys.length > 0) {
    const outcomes: RowOutcome[] = [];
    for (const key of keys) {
      outcomes.push({
        key: loggedKey(mapping, key),
        outcome: await convergeRow(settings, key, undefined, rowOptions),
      });
    }
    return outcomes;
  }
  if (options.userRemains === true && ref.sub === undefined && ref.username !== undefined) {
    return convergeByHeldAlias(settings, mapping, ref.username, call);
  }
  return [{ key: undefined, outcome: 'no-row' }];
}

/**
 * The user with their groups (`AdminListGroupsForUser`, one more call) when
 * the mapping's `groups` field is on; as read otherwise. A user the pool no
 * longer has by the time of that call keeps `groups` unset, so the row's
 * groups are left as they are (the signal of the deletion converges it).
 *
 * @throws UserPoolReadError when the groups could not be read
 */
export async function withGroups(
  deps: Pick<ConvergeUserDependencies, 'cognito' | 'userPoolId'>,
  mapping: RowMapping,
  user: UserState | undefined,
  call: { abortSignal?: AbortSignal },
): Promise<UserState | undefined> {
  if (user === undefined || mapping.fields.groups === undefined) return user;
  const groups = await readUserGroups(
    deps.cognito,
    deps.userPoolId,
    user.username,
    call.abortSignal ? { retry: { signal: call.abortSignal } } : {},
  );
  return groups === undefined ? user : { ...user, groups };
}

/** A row's user for {@link RowOutcome.key}: the username its key holds, else its `sub`, else the partition key's value. */
function loggedKey(mapping: RowMapping, key: RowKey): string | undefined {
  const values = matchRowKey(mapping, key)?.values;
  return values?.username ?? values?.sub ?? key[mapping.key.attribute];
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
 * preferred username, in the columns the mapping gives them): each row's
 * `sub` is read from the pool; a user found is converged, a row whose user
 * is gone is marked (or deleted).
 */
async function convergeByHeldAlias(
  deps: ConvergeUserDependencies,
  mapping: RowMapping,
  alias: string,
  call: { abortSignal?: AbortSignal },
): Promise<RowOutcome[]> {
  const rowOptions = { source: CONVERGE_SOURCE, ...call };
  const rows = await findRowsByAlias(deps.table, alias, call);
  const outcomes: RowOutcome[] = [];
  const done = new Set<string>();
  for (const row of rows) {
    if (row.sub === undefined) continue;
    const found = await readPoolUser(deps.cognito, deps.userPoolId, { sub: row.sub }, call);
    const user = await withGroups(deps, mapping, found, call);
    const key = (user && renderRowKey(mapping, keyValuesOf(user))) || row.key;
    const id = rowKeyId(mapping, key);
    if (done.has(id)) continue;
    done.add(id);
    outcomes.push({
      key: user ? user.username : loggedKey(mapping, key),
      outcome: await convergeRow(deps, key, user, rowOptions),
    });
  }
  return outcomes.length > 0 ? outcomes : [{ key: undefined, outcome: 'unresolved' }];
}

/**
 * The keys of the rows a deleted user may have, under the mapping: the key
 * the signal's names render (its username and `sub`, when the templates need
 * no more), then the key of the name taken as the `sub` (Admin* calls accept
 * it, and in pools that sign in with e-mail or phone the username is the
 * `sub`), else the rows holding the `sub` through the index.
 */
async function locateRows(
  deps: ConvergeUserDependencies,
  mapping: RowMapping,
  ref: UserRef,
  call: { abortSignal?: AbortSignal },
): Promise<RowKey[]> {
  const render = (username: string | undefined, sub: string | undefined) =>
    renderRowKey(mapping, {
      username: username ?? '',
      sub: sub ?? '',
      userPoolId: deps.userPoolId,
    });
  const named = render(ref.username, ref.sub);
  if (named) {
    const row = await getUserRow(deps.table, named, call);
    if (row && (ref.sub === undefined || rowSubOf(mapping, row) === ref.sub)) return [named];
  }
  const sub = ref.sub ?? ref.username;
  if (sub === undefined) return [];
  const bySub = render(sub, sub);
  if (bySub && (!named || rowKeyId(mapping, bySub) !== rowKeyId(mapping, named))) {
    const row = await getUserRow(deps.table, bySub, call);
    if (row && rowSubOf(mapping, row) === sub) return [bySub];
  }
  if (!deps.subIndexName) return [];
  const keys = await findRowKeysBySub(deps.table, deps.subIndexName, sub, call);
  const unique = new Map(keys.map((key) => [rowKeyId(mapping, key), key]));
  return [...unique.values()];
}

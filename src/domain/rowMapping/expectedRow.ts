import { isRecord, sameValue } from '../../shared/values.js';
import { normalizeGroups, sameGroups, type UserGroups } from '../groups.js';
import {
  COGNITO_INTERNAL_PREFIX,
  ROW_MANAGED_FIELDS,
  type RowField,
  type RowManagedField,
  type RowMapping,
} from './document.js';
import { keyValuesOf, type RowKey, renderRowKey, rowSubOf } from './keys.js';

/** A user as the pool reports it (AdminGetUser, ListUsers, or a trigger event). */
export interface MappedUser {
  /** The Cognito username. */
  readonly username: string;
  /** The pool the user belongs to. */
  readonly userPoolId: string;
  /** Attributes as a string-to-string map (`sub`, `email`, `cognito:*`…). */
  readonly attributes: Readonly<Record<string, string>>;
  /** Whether the user may sign in. */
  readonly enabled: boolean;
  /** `UserStatus`, e.g. `CONFIRMED`. */
  readonly status: string;
  /** Cognito's `UserLastModifiedDate` (ISO-8601) when read from the pool; `undefined` from a trigger event. */
  readonly lastModifiedAt?: string | undefined;
  /**
   * The user's Cognito groups (normalized: each once, sorted), when they were
   * read. Written only when the mapping's `groups` field is on; `undefined`
   * (not read, e.g. a trigger whose read failed, or a path that does not read
   * them) leaves the row's groups as they are.
   */
  readonly groups?: UserGroups | undefined;
}

/** How a row is created. */
export interface ExpectedRowOptions {
  /** `createdAt` and `updatedAt` (and `lastSignInAt` on a sign-in). */
  readonly now: Date;
  /** `source`: a trigger source, `reconcile`, `converge`… */
  readonly source: string;
  /** Set `lastSignInAt` to `now`. @default false */
  readonly signIn?: boolean;
}

/** The row a user should have, with its key apart. */
export interface ExpectedRow {
  /** The row's key attributes. */
  readonly key: RowKey;
  /** The whole item to create: key, managed columns, attribute columns, constants. */
  readonly item: Readonly<Record<string, unknown>>;
}

/** A managed column a user's state gives a value to, or wants absent (`value` undefined). */
interface ManagedValue {
  readonly difference: Omit<RowDifference, 'attribute'>;
  readonly value: unknown;
}

/** Fields a user's state decides (the rest are timestamps and `source`, set by writes). */
const STATE_FIELDS = [
  'sub',
  'userPoolId',
  'email',
  'emailVerified',
  'attributes',
  'enabled',
  'status',
  'userLastModifiedAt',
] as const satisfies readonly RowManagedField[];

function own(record: Readonly<Record<string, string>>, name: string): string | undefined {
  return Object.hasOwn(record, name) ? record[name] : undefined;
}

/** The `attributes` map: all but `cognito:*`, narrowed to the allowlist when there is one. */
function attributeMap(mapping: RowMapping, user: MappedUser): Record<string, string> {
  const allowlist = mapping.attributeAllowlist;
  return Object.fromEntries(
    Object.entries(user.attributes).filter(
      ([name]) =>
        !name.startsWith(COGNITO_INTERNAL_PREFIX) && (!allowlist || allowlist.includes(name)),
    ),
  );
}

/**
 * The managed columns a user's state decides, each with its value or
 * `undefined` when the column must be absent (no e-mail, an attribute the
 * user does not have). `userLastModifiedAt` only when the state was read
 * from the pool.
 */
function managedValues(mapping: RowMapping, user: MappedUser): ManagedValue[] {
  const email = own(user.attributes, 'email');
  const verified = own(user.attributes, 'email_verified');
  const state: Record<(typeof STATE_FIELDS)[number], unknown> = {
    sub: own(user.attributes, 'sub') ?? '',
    userPoolId: user.userPoolId,
    email: email === '' ? undefined : email,
    emailVerified: verified === undefined ? undefined : verified.toLowerCase() === 'true',
    attributes: attributeMap(mapping, user),
    enabled: user.enabled,
    status: user.status,
    userLastModifiedAt: user.lastModifiedAt,
  };
  const values: ManagedValue[] = [];
  for (const field of STATE_FIELDS) {
    const column = mapping.fields[field];
    if (column === undefined) continue;
    if (field === 'userLastModifiedAt' && user.lastModifiedAt === undefined) continue;
    values.push({ difference: { field, column }, value: state[field] });
  }
  const groupsColumn = mapping.fields.groups;
  if (groupsColumn !== undefined && user.groups !== undefined) {
    values.push({
      difference: { field: 'groups', column: groupsColumn },
      value: normalizeGroups(user.groups),
    });
  }
  for (const [name, column] of Object.entries(mapping.attributeColumns)) {
    values.push({
      difference: { field: 'attributeColumn', column, attribute: name },
      value: own(user.attributes, name),
    } as ManagedValue);
  }
  return values;
}

/**
 * The row a user should have under the mapping, as created now: the key,
 * every managed field the mapping keeps (under its column), the attribute
 * columns the user has values for, the constants, and the user's groups
 * (a sorted list, empty for a user in no group) when the `groups` field is
 * on and {@link MappedUser.groups} was read. For `{}` this is
 * today's row exactly (`toUserRow` plus `enabled`, `status`, `updatedAt`,
 * `userLastModifiedAt`, and `lastSignInAt` on a sign-in). Pure.
 *
 * @returns the row, or `undefined` when its key cannot be built (a key
 *   template uses `{sub}` and the user has none)
 */
export function expectedRow(
  mapping: RowMapping,
  user: MappedUser,
  options: ExpectedRowOptions,
): ExpectedRow | undefined {
  const key = renderRowKey(mapping, keyValuesOf(user));
  if (!key) return undefined;
  const nowIso = options.now.toISOString();
  const item: Record<string, unknown> = { ...key };
  const put = (field: RowManagedField, value: unknown) => {
    const column = mapping.fields[field];
    if (column !== undefined) item[column] = value;
  };
  put('source', options.source);
  put('createdAt', nowIso);
  put('updatedAt', nowIso);
  if (options.signIn === true) put('lastSignInAt', nowIso);
  for (const { difference, value } of managedValues(mapping, user)) {
    if (value !== undefined) item[difference.column] = value;
  }
  for (const [column, value] of Object.entries(mapping.constants)) item[column] = value;
  return { key, item };
}

/** One managed column of a row that differs from what the user's state gives. */
export interface RowDifference {
  /** The managed field, or `attributeColumn` for a Cognito attribute written as a column. */
  readonly field: RowField | 'attributeColumn';
  /** The row's column. */
  readonly column: string;
  /** The Cognito attribute: an entry of the `attributes` map, or the attribute of an attribute column. */
  readonly attribute?: string;
}

/** How an existing row stands against the row its user should have. */
export type RowComparison =
  | {
      /** No row at the user's key. */
      readonly kind: 'missing';
    }
  | {
      /** The row holds another `sub`: the username now belongs to another user; leave it alone. */
      readonly kind: 'reused-username';
      readonly rowSub: string;
    }
  | {
      /** The row holds a newer `userLastModifiedAt` than this state: leave it alone. */
      readonly kind: 'stale';
      readonly rowSub: string | undefined;
    }
  | {
      /** Every managed column matches. */
      readonly kind: 'in-sync';
      readonly rowSub: string;
    }
  | {
      /**
       * `differs`: same `sub`, some managed columns differ. `adopt`: a row
       * without `sub` at the user's key (written before this product): it
       * belongs to the user and gets the managed columns; nothing else of it changes.
       */
      readonly kind: 'differs' | 'adopt';
      /** The row's `sub` as read (`undefined` for `adopt`): a write requires it unchanged. */
      readonly rowSub: string | undefined;
      /** Columns to SET (managed only, never an app-owned column). */
      readonly set: Readonly<Record<string, unknown>>;
      /** Columns to REMOVE (managed only: an e-mail or attribute the user no longer has, `deletedAt`). */
      readonly remove: readonly string[];
      /** What differs, field by field (entries of the `attributes` map one by one). */
      readonly differences: readonly RowDifference[];
      /** The row was marked deleted and its user is in the pool: `deletedAt` is removed. */
      readonly restore: boolean;
    };

/** What a comparison needs besides the user and the row. */
export interface CompareRowOptions {
  /**
   * The time of the comparison: the version of a state without
   * `lastModifiedAt` (a trigger event), as converge does; without it such a
   * state is never judged stale. For `adopt`, `createdAt` of a row that has none.
   * @default - none
   */
  readonly now?: Date;
  /** `source` written when adopting a row that has none. @default - not written */
  readonly source?: string;
  /**
   * Whether a row whose managed columns all match but for its version
   * (`userLastModifiedAt` absent or older, e.g. a row the Post Confirmation
   * trigger wrote, whose event carries no `UserLastModifiedDate`, or a user
   * whose change touched no column of the row) differs. `false` makes such a
   * row `in-sync`: reconcile and the console write and show a row for its
   * data, and its version goes along with the next change. @default true
   */
  readonly versionAloneDiffers?: boolean;
}

function column(item: Readonly<Record<string, unknown>>, name: string | undefined): unknown {
  return name !== undefined && Object.hasOwn(item, name) ? item[name] : undefined;
}

/**
 * The one definition of "in sync": how the row at a user's key stands
 * against the row the user should have under the mapping. Compares only
 * managed columns (never `source`, the timestamps, constants or app-owned
 * columns): `sub`, `userPoolId`, `email`, `emailVerified`, the `attributes`
 * map, `enabled`, `status`, `userLastModifiedAt` (when the state was read
 * from the pool), the attribute columns, the groups (when the field is on
 * and the groups were read; the same names in any order or form match,
 * see `sameGroups`), and `deletedAt` (a marked row of a
 * present user is restored). A row without `sub` is adopted; a row whose
 * `sub` differs is a reused username; a row holding a newer
 * `userLastModifiedAt` is stale. For `{}` it agrees with `decideConverge`
 * (but for adoption, where converge said `username-reused`). Pure.
 */
export function compareRow(
  mapping: RowMapping,
  user: MappedUser,
  item: Readonly<Record<string, unknown>> | undefined,
  options: CompareRowOptions = {},
): RowComparison {
  if (item === undefined) return { kind: 'missing' };
  const userSub = own(user.attributes, 'sub') ?? '';
  const rowSub = rowSubOf(mapping, item);
  if (rowSub !== undefined && rowSub !== userSub) return { kind: 'reused-username', rowSub };

  const stored = column(item, mapping.fields.userLastModifiedAt);
  const version = user.lastModifiedAt ?? options.now?.toISOString();
  if (typeof stored === 'string' && version !== undefined && stored > version) {
    return { kind: 'stale', rowSub };
  }

  const set: Record<string, unknown> = {};
  const remove: string[] = [];
  const differences: RowDifference[] = [];
  for (const { difference, value } of managedValues(mapping, user)) {
    const actual = column(item, difference.column);
    if (value === undefined) {
      if (actual !== undefined) {
        remove.push(difference.column);
        differences.push(difference);
      }
      continue;
    }
    if (
      difference.field === 'groups'
        ? sameGroups(actual, value as UserGroups)
        : sameValue(actual, value)
    )
      continue;
    set[difference.column] = value;
    if (difference.field === 'attributes' && isRecord(actual) && isRecord(value)) {
      const names = new Set([...Object.keys(value), ...Object.keys(actual)]);
      for (const name of [...names].sort()) {
        if (column(actual, name) !== column(value, name)) {
          differences.push({ ...difference, attribute: name });
        }
      }
    } else differences.push(difference);
  }
  const deletedColumn = mapping.fields.deletedAt;
  const restore = column(item, deletedColumn) !== undefined;
  if (restore && deletedColumn !== undefined) {
    remove.push(deletedColumn);
    differences.push({ field: 'deletedAt', column: deletedColumn });
  }

  if (rowSub === undefined) {
    const addIfAbsent = (name: string | undefined, value: unknown) => {
      if (name !== undefined && value !== undefined && column(item, name) === undefined) {
        set[name] = value;
      }
    };
    addIfAbsent(mapping.fields.createdAt, options.now?.toISOString());
    addIfAbsent(mapping.fields.source, options.source);
    for (const [name, value] of Object.entries(mapping.constants)) addIfAbsent(name, value);
    return { kind: 'adopt', rowSub, set, remove, differences, restore };
  }
  const versionAlone =
    options.versionAloneDiffers === false &&
    differences.length === 1 &&
    differences[0]?.field === 'userLastModifiedAt';
  if (differences.length === 0 || versionAlone) return { kind: 'in-sync', rowSub };
  return { kind: 'differs', rowSub, set, remove, differences, restore };
}

/** A difference as one name, e.g. `email`, `attributes.given_name`, `firstName (given_name)`. */
export function describeDifference(difference: RowDifference): string {
  if (difference.field === 'attributes' && difference.attribute !== undefined) {
    return `${difference.column}.${difference.attribute}`;
  }
  if (difference.field === 'attributeColumn') {
    return `${difference.column} (${difference.attribute ?? ''})`;
  }
  return difference.column;
}

/** The conditional update that makes a `differs` or `adopt` row match (see {@link updateFor}). */
export interface MappedUpdate {
  /** Columns to SET, `updatedAt` (and `lastSignInAt` on a sign-in) included. */
  readonly set: Readonly<Record<string, unknown>>;
  /** Columns to REMOVE. */
  readonly remove: readonly string[];
  /** The `sub` column and the value it must still hold (`value` undefined: the column must be absent). */
  readonly expectSub: { readonly column: string; readonly value: string | undefined } | undefined;
  /** The version column and the newest value it may hold, so that an older read never replaces a newer one. */
  readonly notNewerThan: { readonly column: string; readonly value: string } | undefined;
}

/**
 * The write of a comparison that is `differs` or `adopt`: its SET and
 * REMOVE plus `updatedAt` (and `lastSignInAt` on a sign-in), conditional on
 * the row's `sub` being unchanged and its `userLastModifiedAt` not newer
 * than this state (the columns the mapping gives them). Pure.
 */
export function updateFor(
  mapping: RowMapping,
  user: MappedUser,
  comparison: Extract<RowComparison, { kind: 'differs' | 'adopt' }>,
  options: { readonly now: Date; readonly signIn?: boolean },
): MappedUpdate {
  const nowIso = options.now.toISOString();
  const set: Record<string, unknown> = { ...comparison.set };
  if (mapping.fields.updatedAt !== undefined) set[mapping.fields.updatedAt] = nowIso;
  if (options.signIn === true && mapping.fields.lastSignInAt !== undefined) {
    set[mapping.fields.lastSignInAt] = nowIso;
  }
  const subColumn = mapping.fields.sub;
  const versionColumn = mapping.fields.userLastModifiedAt;
  return {
    set,
    remove: comparison.remove,
    expectSub:
      subColumn === undefined ? undefined : { column: subColumn, value: comparison.rowSub },
    notNewerThan:
      versionColumn === undefined
        ? undefined
        : { column: versionColumn, value: user.lastModifiedAt ?? nowIso },
  };
}

/**
 * The columns a mapping manages besides the keys: every kept field, then
 * the opt-in fields that are on (`groups`), then the attribute columns.
 */
export function managedColumns(mapping: RowMapping): string[] {
  return [
    ...ROW_MANAGED_FIELDS.flatMap((field) => {
      const name = mapping.fields[field];
      return name === undefined ? [] : [name];
    }),
    ...(mapping.fields.groups === undefined ? [] : [mapping.fields.groups]),
    ...Object.values(mapping.attributeColumns),
  ];
}

/**
 * The managed columns a user's state wants absent from the row: the e-mail
 * or its verification the user does not have, the attribute columns of
 * attributes the user does not have. A write that SETs the expected row
 * REMOVEs these. Pure.
 */
export function absentColumns(mapping: RowMapping, user: MappedUser): string[] {
  return managedValues(mapping, user)
    .filter(({ value }) => value === undefined)
    .map(({ difference }) => difference.column);
}

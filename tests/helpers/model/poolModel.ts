// The model of the model-based test: a plain, in-memory user pool, and the row
// each of its users should have. Written from the documented row shape
// (docs/handlers.md, docs/lifecycle.md), not from the code that writes rows,
// so that the two can disagree.
import { KNOWN_DRIFT, type KnownDrift } from './knownDrift.js';

/**
 * How a user becomes a row. Today: the key attribute and the attribute
 * allowlist; a row-mapping feature widens this type and {@link expectedRow}.
 */
export interface RowMapping {
  /** The table's partition key attribute; it holds the username. */
  readonly keyAttribute: string;
  /** Attributes copied into `attributes`. @default - all but `cognito:*` */
  readonly userAttributes?: readonly string[];
}

/** The row mapping of today's defaults. */
export const DEFAULT_MAPPING: RowMapping = { keyAttribute: 'username' };

/** Statuses the model's users go through. */
export type PoolStatus = 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD';

/** What the model knows of a fact about the table: with faults, a write may or may not land. */
export type Knowledge = 'yes' | 'no' | 'maybe';

/** `source` of the rows each way in writes. */
export const SOURCES = {
  confirmSignUp: 'PostConfirmation_ConfirmSignUp',
  confirmForgotPassword: 'PostConfirmation_ConfirmForgotPassword',
  signIn: 'PostAuthentication_Authentication',
  converge: 'converge',
  reconcile: 'reconcile',
} as const;

/**
 * What the 2-second check tolerates for a user because of a defect listed in
 * `KNOWN_DRIFT` (nothing else: the final check after a reconcile never does).
 */
export interface DriftTolerance {
  /** The confirmation trigger wrote the row: `enabled` and `status` may be missing. */
  triggerRow?: boolean;
  /**
   * A call that named the user by an e-mail address was lost (and with it,
   * maybe, earlier ones that named them by that address): the row may still
   * show one of the states before, or be missing if only such calls created it.
   */
  lostCall?: {
    readonly befores: readonly ModelUser[];
    readonly rowMayBeMissing: boolean;
    readonly drift: KnownDrift;
  };
  /** A disabled user signed in: the sign-in refresh may have set `enabled: true`. */
  signedInDisabled?: boolean;
  /** Reconcile may have created the row: `enabled` and `status` may be missing. */
  reconcileRow?: boolean;
}

/**
 * One user of the model pool, and what the model knows of their row. Group
 * operations, once groups exist, add the user's groups here, a command per
 * operation in `commands.ts`, and the groups' place in the row to {@link expectedRow}.
 */
export interface ModelUser {
  /** A short name for printed sequences (`u0`, `u1`…). */
  readonly label: string;
  /** The username Cognito gave (in this pool, the `sub`). */
  readonly username: string;
  /** The user's `sub`. */
  readonly sub: string;
  /** The attributes as the pool holds them (`sub`, `email`, `given_name`…), `cognito:*` aside. */
  attributes: Record<string, string>;
  enabled: boolean;
  status: PoolStatus;
  deleted: boolean;
  password: string;
  /** Whether a function has written the user's row. */
  row: Knowledge;
  /**
   * What wrote the row first: a call (the trigger, the sign-in refresh), or
   * only a change signal, handled after the call answered (if the user is
   * deleted first, the signal finds no one and writes nothing, which is right
   * too), or only signals naming the user by an e-mail address.
   */
  rowBy: 'call' | 'signal' | 'signal-by-email';
  /**
   * The user's earlier states since the last write known to follow the pool
   * (a sign-in refresh, a signal naming the user by username or `sub`): the
   * row may show one of them if a later call by e-mail is lost.
   */
  sinceSync: ModelUser[];
  /** `source` of that row when the model knows which way wrote it first. */
  source: string | undefined;
  /** Whether the row carries `lastSignInAt`. */
  lastSignIn: Knowledge;
  /** Fields the app wrote into the row: no path may change or remove them. */
  appFields: Record<string, unknown>;
  drift: DriftTolerance;
}

/** The model pool of one sequence. */
export interface PoolModel {
  /** Unique per sequence: every e-mail address of the sequence carries it. */
  readonly tag: string;
  /** Change signals on. */
  readonly signals: boolean;
  /** Faults are injected: a function's write may or may not land. */
  readonly faulty: boolean;
  readonly users: ModelUser[];
  /** E-mail addresses handed out so far. */
  emails: number;
}

/** Creates an empty model pool. */
export function createPoolModel(options: {
  tag: string;
  signals: boolean;
  faulty: boolean;
}): PoolModel {
  return { ...options, users: [], emails: 0 };
}

/** A new e-mail address of the sequence, never used before. */
export function freshEmail(model: PoolModel): string {
  return `mb-${model.tag}-${model.emails++}@example.com`;
}

/** Users still in the pool. */
export function presentUsers(model: PoolModel): ModelUser[] {
  return model.users.filter((user) => !user.deleted);
}

/** Whether the e-mail address names a user in the pool now. */
export function emailInUse(model: PoolModel, email: string): boolean {
  return presentUsers(model).some((user) => user.attributes.email === email);
}

/** What a function's write leaves the model knowing: it landed, unless faults may have stopped it. */
export function written(model: PoolModel, before: Knowledge): Knowledge {
  if (before === 'yes') return 'yes';
  return model.faulty ? 'maybe' : 'yes';
}

/** Records that a way in created the row if it was missing, with this `source`. */
export function rowWritten(
  model: PoolModel,
  user: ModelUser,
  source: string,
  by: ModelUser['rowBy'] = 'call',
): void {
  if (user.row === 'no') {
    user.source = model.faulty ? undefined : source;
    user.rowBy = by;
  } else {
    if (user.row === 'maybe') user.source = undefined;
    if (by === 'call' || (by === 'signal' && user.rowBy === 'signal-by-email')) user.rowBy = by;
  }
  user.row = written(model, user.row);
}

/** Whether a user gets a row (every status but UNCONFIRMED, as reconcile decides). */
export function eligible(user: ModelUser): boolean {
  return user.status !== 'UNCONFIRMED';
}

/**
 * What the model knows of a user's row once a reconcile has run: every
 * eligible user in the pool has a row (created by reconcile if it was missing).
 */
export function reconciled(
  user: ModelUser,
  drift: ReadonlySet<KnownDrift> = KNOWN_DRIFT,
): ModelUser {
  const lost = user.drift.lostCall;
  // A known lost call may have left the row unwritten: reconcile then creates it.
  const row = lost?.rowMayBeMissing && drift.has(lost.drift) ? 'maybe' : user.row;
  if (user.deleted || !eligible(user) || row === 'yes') return { ...user, drift: {} };
  return {
    ...user,
    row: 'yes',
    rowBy: 'call',
    source: row === 'no' ? SOURCES.reconcile : undefined,
    drift: { reconcileRow: true },
  };
}

/** A deep copy of a user, as they are now (for a lost call's tolerance). */
export function snapshot(user: ModelUser): ModelUser {
  const { lostCall: _lost, ...drift } = user.drift;
  return structuredClone({ ...user, drift, sinceSync: [] });
}

/** The fields a row may carry whose values the model does not decide (only that they are well formed). */
const TIMESTAMPS = ['createdAt', 'updatedAt', 'userLastModifiedAt', 'lastSignInAt', 'deletedAt'];

/** What a user's row must hold. */
export interface ExpectedRow {
  /** Whether the row must exist, must not, or may either way (a write that faults may have stopped). */
  readonly exists: Knowledge;
  /** Fields the row must hold with exactly these values (the key included). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** Fields that must be present, with a value of the documented shape. */
  readonly present: readonly string[];
  /** Fields that may be present or absent. Any field in none of the three lists is wrong. */
  readonly optional: readonly string[];
  /** Values `source` may take. */
  readonly sources: readonly string[];
}

/**
 * The row a user should have, from the model alone: the one place that says
 * what a row holds, so that a row mapping (or groups) changes only this.
 *
 * - A user in the pool with a row: the key, `sub`, `userPoolId`, `email`
 *   and `emailVerified` when the user has them, `attributes` (allowlisted,
 *   never `cognito:*`), `enabled`, `status`, and the app's fields, exactly;
 *   `createdAt`; `lastSignInAt` when the user has signed in; no `deletedAt`.
 * - A deleted user's row (orphans marked): the key, `sub`, `userPoolId`, the
 *   app's fields exactly, `deletedAt` and `updatedAt`; none of the personal
 *   data (`email`, `emailVerified`, `attributes`, `lastSignInAt`); the
 *   lifecycle fields as they were last written.
 */
export function expectedRow(
  user: ModelUser,
  context: { readonly mapping: RowMapping; readonly userPoolId: string },
): ExpectedRow {
  const { mapping } = context;
  const identity = {
    [mapping.keyAttribute]: user.username,
    sub: user.sub,
    userPoolId: context.userPoolId,
    ...user.appFields,
  };
  const lastSignIn = user.lastSignIn;
  if (user.deleted) {
    return {
      exists: user.row === 'yes' && user.rowBy !== 'call' ? 'maybe' : user.row,
      fields: identity,
      // Marking erases the personal data (docs/privacy.md): `email`,
      // `emailVerified`, `attributes` and `lastSignInAt` must be gone.
      present: ['createdAt', 'deletedAt', 'source', 'updatedAt'],
      optional: ['enabled', 'status', 'userLastModifiedAt'],
      sources: Object.values(SOURCES),
    };
  }
  const attributes = Object.fromEntries(
    Object.entries(user.attributes).filter(
      ([name]) =>
        !name.startsWith('cognito:') &&
        (mapping.userAttributes === undefined || mapping.userAttributes.includes(name)),
    ),
  );
  const fields: Record<string, unknown> = {
    ...identity,
    attributes,
    enabled: user.enabled,
    status: user.status,
  };
  const email = user.attributes.email;
  if (email !== undefined && email !== '') fields.email = email;
  const verified = user.attributes.email_verified;
  if (verified !== undefined) fields.emailVerified = verified === 'true';
  return {
    exists: user.row,
    fields,
    present: ['createdAt', 'source', ...(lastSignIn === 'yes' ? ['lastSignInAt'] : [])],
    optional: [
      'updatedAt',
      'userLastModifiedAt',
      ...(lastSignIn === 'maybe' ? ['lastSignInAt'] : []),
    ],
    sources: user.source === undefined ? Object.values(SOURCES) : [user.source],
  };
}

/** A row the table may hold, and the known drifts it needs (none: the expected row). */
export type ToleratedRow = ExpectedRow & { readonly tolerates: readonly KnownDrift[] };

/**
 * The rows the table may hold for a user while a defect of `KNOWN_DRIFT` is
 * unfixed: the expected row first, then its variants for each tolerance the user has.
 */
export function toleratedRows(
  user: ModelUser,
  context: { readonly mapping: RowMapping; readonly userPoolId: string },
  drift: ReadonlySet<KnownDrift> = KNOWN_DRIFT,
): ToleratedRow[] {
  const bases: { user: ModelUser; drift?: KnownDrift }[] = [{ user }];
  const lost = user.drift.lostCall;
  const rows: ToleratedRow[] = [];
  if (lost && drift.has(lost.drift)) {
    for (const before of lost.befores) {
      bases.push({
        user: {
          ...before,
          appFields: user.appFields,
          lastSignIn: user.lastSignIn,
          row: user.row,
          rowBy: user.rowBy,
          source: user.source,
        },
        drift: lost.drift,
      });
    }
  }
  for (const { user: state, drift: lostDrift } of bases) {
    const base: ToleratedRow = {
      ...expectedRow(state, context),
      tolerates: lostDrift ? [lostDrift] : [],
    };
    rows.push(base);
    if (base.exists === 'no' || state.deleted) continue;
    const lacksState: KnownDrift | undefined =
      state.drift.triggerRow && drift.has('trigger-row-lacks-enabled-and-status')
        ? 'trigger-row-lacks-enabled-and-status'
        : state.drift.reconcileRow && drift.has('reconcile-row-lacks-enabled-and-status')
          ? 'reconcile-row-lacks-enabled-and-status'
          : undefined;
    if (lacksState) {
      const { enabled: _enabled, status: _status, ...fields } = base.fields;
      rows.push({
        ...base,
        fields,
        optional: [...base.optional, 'enabled', 'status'],
        tolerates: [...base.tolerates, lacksState],
      });
    }
    if (state.drift.signedInDisabled && drift.has('disabled-user-signs-in')) {
      rows.push({
        ...base,
        fields: { ...base.fields, enabled: true },
        tolerates: [...base.tolerates, 'disabled-user-signs-in'],
      });
    }
  }
  if (lost && drift.has(lost.drift) && lost.rowMayBeMissing) {
    rows.push({ ...expectedRow(user, context), exists: 'no', tolerates: [lost.drift] });
  }
  return rows;
}

/** Every way the row differs from what is expected, one line each (empty: it matches). */
export function rowProblems(
  row: Readonly<Record<string, unknown>> | undefined,
  expected: ExpectedRow,
): string[] {
  if (row === undefined) {
    return expected.exists === 'yes' ? ['the row is missing'] : [];
  }
  if (expected.exists === 'no') return [`there should be no row, found ${JSON.stringify(row)}`];
  const problems: string[] = [];
  for (const [field, value] of Object.entries(expected.fields)) {
    if (!deepEqual(row[field], value)) {
      problems.push(`${field} is ${JSON.stringify(row[field])}, expected ${JSON.stringify(value)}`);
    }
  }
  for (const field of expected.present) {
    if (row[field] === undefined) problems.push(`${field} is missing`);
  }
  for (const [field, value] of Object.entries(row)) {
    const listed =
      field in expected.fields ||
      expected.present.includes(field) ||
      expected.optional.includes(field);
    if (!listed) problems.push(`${field} should not be there (${JSON.stringify(value)})`);
    if (TIMESTAMPS.includes(field) && !isIsoTime(value)) {
      problems.push(`${field} is not an ISO-8601 time: ${JSON.stringify(value)}`);
    }
  }
  if (row.source !== undefined && !expected.sources.includes(String(row.source))) {
    problems.push(
      `source is ${JSON.stringify(row.source)}, expected one of ${expected.sources.join(', ')}`,
    );
  }
  return problems;
}

function isIsoTime(value: unknown): boolean {
  return typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(value);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return (
    keysA.length === keysB.length &&
    keysA.every((key) =>
      deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    )
  );
}

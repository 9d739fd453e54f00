// What the console's JSON API sends (users beside their rows, the activity
// log), shared by the server and the page (console/src): no imports, so that
// the page's build takes it as it is.

/**
 * How a user and its row relate, from the worst to the best:
 * - `row-missing`: the user should have a row (its status passes the filter) and has none;
 * - `attributes-differ`: the package's sync would change the row's managed fields;
 * - `orphaned-row`: a row whose key is no user of the pool;
 * - `row-marked-deleted`: the row carries `deletedAt` (whether or not the user is listed);
 * - `unconfirmed`: a user whose status gets no row (e.g. `UNCONFIRMED`), and has none;
 * - `in-sync`: the row matches the user.
 */
export type PairStatus =
  | 'row-missing'
  | 'attributes-differ'
  | 'orphaned-row'
  | 'row-marked-deleted'
  | 'unconfirmed'
  | 'in-sync';

/** Every {@link PairStatus}, in the order the console sorts and counts them. */
export const PAIR_STATUSES: readonly PairStatus[] = [
  'row-missing',
  'attributes-differ',
  'orphaned-row',
  'row-marked-deleted',
  'unconfirmed',
  'in-sync',
];

/** The words shown for each status. */
export const PAIR_STATUS_LABELS: Readonly<Record<PairStatus, string>> = {
  'row-missing': 'row missing',
  'attributes-differ': 'attributes differ',
  'orphaned-row': 'orphaned row',
  'row-marked-deleted': 'row marked deleted',
  unconfirmed: 'unconfirmed, no row yet',
  'in-sync': 'in sync',
};

/** What the console shows of a user. */
export interface PairUser {
  /** The Cognito username (the row's key). */
  readonly userName: string;
  /** The `email` attribute, when there is one. */
  readonly email?: string;
  /** `UserStatus`, e.g. `CONFIRMED`. */
  readonly status: string;
  /** Whether the user may sign in. */
  readonly enabled: boolean;
  /** Every attribute of the user. */
  readonly attributes: Readonly<Record<string, string>>;
  /**
   * The user's Cognito groups, each once, sorted by UTF-16 code unit (the
   * row's form); empty for a user in no group. @default - not read
   */
  readonly groups?: readonly string[];
}

/** A user and its row under one key, with their status. */
export interface Pair {
  /** The username, which is the row's key. */
  readonly key: string;
  /** How the two relate. */
  readonly status: PairStatus;
  /** The user, absent for an orphaned row. */
  readonly user?: PairUser;
  /** The row as stored, absent when it is missing. */
  readonly row?: Readonly<Record<string, unknown>>;
  /** Names of the row fields the package's sync would change (`attributes-differ`). */
  readonly differences: readonly string[];
}

/** Number of pairs of each status, and in all. */
export type PairCounts = Record<PairStatus, number> & { readonly total: number };

/** Whether a text names a {@link PairStatus}. */
export function isPairStatus(value: string): value is PairStatus {
  return (PAIR_STATUSES as readonly string[]).includes(value);
}

/** One invocation of the trigger or of reconcile, as the console shows it. */
export interface ActivityEntry {
  /** Increasing number of the entry, so that clients can tell new entries apart. */
  readonly id: number;
  /** When it was logged (ISO 8601). */
  readonly time: string;
  /**
   * What ran: the line's `triggerSource` (`PostConfirmation_ConfirmSignUp`…), else its
   * `eventName` (a change event's API name), else its `service`; or `reconcile`.
   */
  readonly source: string;
  /** The username concerned, with any e-mail address or phone number masked. */
  readonly username?: string;
  /** What it did: `created`, `already-present`, `skipped`, `failed`, `rejected`… */
  readonly outcome: string;
  /** How long it took, when logged. */
  readonly durationMs?: number;
  /** The log line's message, masked like the username. */
  readonly message: string;
  /** The log line's level. */
  readonly level: string;
  /** The error message of a failure, masked. */
  readonly error?: string;
}

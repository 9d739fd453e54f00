// The console's JSON API (served by the local stack under /api), as the page uses it.
// Users, rows and activity are typed by the server's own module.
import type {
  ActivityEntry,
  Pair,
  PairCounts,
  PairStatus,
  PairUser,
} from '../../src/local/console/apiTypes';

export { PAIR_STATUS_LABELS } from '../../src/local/console/apiTypes';
export type { ActivityEntry, Pair, PairCounts, PairStatus, PairUser };

/** One page of pairs. */
export interface PairPage {
  readonly takenAt: string;
  readonly durationMs: number;
  readonly counts: PairCounts;
  /** Every group of the pool, sorted. */
  readonly groups: readonly string[];
  readonly total: number;
  readonly offset: number;
  readonly limit: number;
  readonly items: readonly Pair[];
}

/** The stack's ids and endpoints. */
export interface Overview {
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly tableName: string;
  readonly keyAttribute: string;
  readonly confirmationCode: string;
  readonly cognitoEndpoint: string;
  readonly dynamodbEndpoint: string;
  /** What marking a row does; its `timeToLiveAttribute` holds a marked row's expiry. */
  readonly deletedRows?: {
    readonly retainPersonalData: boolean;
    readonly retentionDays?: number;
    readonly timeToLiveAttribute?: string;
  };
  /** The row column that holds the user's groups, when the row mapping keeps them. */
  readonly groupsColumn?: string;
  readonly statuses: readonly { readonly status: PairStatus; readonly label: string }[];
}

/** Counts of a finished reconcile run. */
export interface ReconcileSummary {
  readonly converged: boolean;
  readonly dryRun: boolean;
  readonly orphanMode: string;
  readonly usersListed: number;
  readonly usersEligible: number;
  readonly rowsScanned: number;
  readonly inSync: number;
  readonly toCreate: number;
  readonly orphans: number;
  readonly orphansAlreadyMarked: number;
  readonly orphansTooRecent: number;
  readonly toMark: number;
  readonly toDelete: number;
  readonly orphansReported: number;
  readonly markedButPresent: number;
  readonly created: number;
  readonly update: boolean;
  readonly toUpdate: number;
  readonly updated: number;
  readonly alreadyPresent: number;
  readonly marked: number;
  readonly deleted: number;
  readonly failed: number;
  readonly durationMs: number;
}

/** Where the reconcile run stands. */
export type ReconcileState =
  | { readonly state: 'idle' }
  | {
      readonly state: 'running';
      readonly id: number;
      readonly dryRun: boolean;
      readonly step: string;
      readonly listed: number;
      readonly scanned: number;
      readonly applied: number;
      readonly toApply: number;
    }
  | {
      readonly state: 'done';
      readonly id: number;
      readonly dryRun: boolean;
      readonly summary: ReconcileSummary;
      readonly problem?: string;
      readonly failures: readonly string[];
    }
  | {
      readonly state: 'failed';
      readonly id: number;
      readonly dryRun: boolean;
      readonly error: string;
    };

/** An error answered by the API, in words for the page. */
export class ApiError extends Error {
  override name = 'ApiError';
}

/** Reads a JSON resource. @throws ApiError with the server's explanation */
export async function getJson<T>(path: string): Promise<T> {
  return answer<T>(await send(path, { headers: { accept: 'application/json' } }));
}

/** Sends an action. @throws ApiError with the server's explanation */
export async function postJson<T>(path: string, body: unknown): Promise<T> {
  return answer<T>(
    await send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    }),
  );
}

async function send(path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(`api${path}`, init);
  } catch {
    throw new ApiError('The local stack does not answer: is "npm start" still running?');
  }
}

async function answer<T>(response: Response): Promise<T> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`The local stack answered ${response.status} without JSON.`);
  }
  if (!response.ok) {
    const error = (body as { error?: unknown }).error;
    throw new ApiError(typeof error === 'string' ? error : `Request failed (${response.status}).`);
  }
  return body as T;
}

/** A message to show after an action. */
export interface Outcome {
  readonly kind: 'success' | 'error';
  readonly text: string;
}

/** Runs an action and turns its answer or its error into an {@link Outcome}. */
export async function runAction(path: string, body: unknown): Promise<Outcome> {
  try {
    const { message } = await postJson<{ message: string }>(path, body);
    return { kind: 'success', text: message };
  } catch (error) {
    return { kind: 'error', text: (error as Error).message };
  }
}

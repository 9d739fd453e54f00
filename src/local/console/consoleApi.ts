import type { DeletedRowPolicy } from '../../domain/deletedRows.js';
import type { ActivityLog } from './activityLog.js';
import { isPairStatus, PAIR_STATUS_LABELS, PAIR_STATUSES } from './apiTypes.js';
import {
  type ActionResult,
  type ConsoleTarget,
  confirmUser,
  createGroup,
  deleteRow,
  deleteUser,
  describeActionError,
  putRow,
  setGroupMembership,
  setUserEnabled,
  signInUser,
  signUpUser,
  updateUserAttribute,
} from './consoleActions.js';
import {
  ConsoleInputError,
  optionalFlag,
  type RequestBody,
  requiredGroupName,
  requiredObject,
  requiredText,
} from './consoleInput.js';
import { pagePairs } from './pairUsersWithRows.js';
import type { ReconcileRunner } from './reconcileRunner.js';
import type { SyncSnapshotSource } from './syncSnapshot.js';

/** What the page is told about the stack. */
export interface ConsoleOverview {
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly tableName: string;
  readonly keyAttribute: string;
  readonly confirmationCode: string;
  readonly cognitoEndpoint: string;
  readonly dynamodbEndpoint: string;
  /**
   * What marking a row does: erasure, and the Time to Live attribute whose
   * expiry the page shows on marked rows (dynalite never acts on it).
   * @default - erase, no expiry
   */
  readonly deletedRows?: DeletedRowPolicy;
  /** The row column that holds the user's groups, when the row mapping keeps them. @default - none */
  readonly groupsColumn?: string;
}

/** Dependencies of {@link createConsoleApi}. */
export interface ConsoleApiOptions {
  /** Where actions go. */
  readonly target: ConsoleTarget;
  /** Facts shown in the header. */
  readonly overview: ConsoleOverview;
  /** Paired users and rows. */
  readonly snapshots: SyncSnapshotSource;
  /** Recent invocations. */
  readonly activity: ActivityLog;
  /** Reconcile runs. */
  readonly reconciler: ReconcileRunner;
}

/** A JSON answer. */
export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

/** One call of the JSON API. */
export interface ApiRequest {
  readonly method: string;
  /** Path below `/api`, e.g. `/pairs`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: RequestBody;
}

/** The console's JSON API as a function of a request. */
export type ConsoleApi = (request: ApiRequest) => Promise<ApiResponse>;

type Action = (target: ConsoleTarget, body: RequestBody) => Promise<ActionResult>;

const ACTIONS: Readonly<Record<string, Action>> = {
  '/users/sign-up': (target, body) =>
    signUpUser(target, {
      email: requiredText(body, 'email'),
      password: requiredText(body, 'password'),
      confirm: optionalFlag(body, 'confirm', true),
    }),
  '/users/confirm': (target, body) =>
    confirmUser(target, { username: requiredText(body, 'username') }),
  '/users/sign-in': (target, body) =>
    signInUser(target, {
      username: requiredText(body, 'username'),
      password: requiredText(body, 'password'),
    }),
  '/users/attribute': (target, body) =>
    updateUserAttribute(target, {
      username: requiredText(body, 'username'),
      name: requiredText(body, 'name'),
      value: typeof body.value === 'string' ? body.value : requiredText(body, 'value'),
    }),
  '/users/disable': (target, body) =>
    setUserEnabled(target, { username: requiredText(body, 'username'), enabled: false }),
  '/users/enable': (target, body) =>
    setUserEnabled(target, { username: requiredText(body, 'username'), enabled: true }),
  '/users/delete': (target, body) =>
    deleteUser(target, { username: requiredText(body, 'username') }),
  '/groups/create': (target, body) =>
    createGroup(target, { group: requiredGroupName(body, 'group') }),
  '/users/add-to-group': (target, body) =>
    setGroupMembership(target, {
      username: requiredText(body, 'username'),
      group: requiredGroupName(body, 'group'),
      member: true,
    }),
  '/users/remove-from-group': (target, body) =>
    setGroupMembership(target, {
      username: requiredText(body, 'username'),
      group: requiredGroupName(body, 'group'),
      member: false,
    }),
  '/rows/put': (target, body) => putRow(target, { row: requiredObject(body, 'row') }),
  '/rows/delete': (target, body) => deleteRow(target, { key: requiredText(body, 'key') }),
};

/**
 * The group actions, which no function logs (CreateGroup sends no change
 * signal): the console records them in the activity log itself, under the
 * `source` `console_<API call>` and with these outcomes when they worked.
 */
const RECORDED_ACTIONS: Readonly<Record<string, { source: string; outcome: string }>> = {
  '/groups/create': { source: 'console_CreateGroup', outcome: 'group-created' },
  '/users/add-to-group': { source: 'console_AdminAddUserToGroup', outcome: 'added-to-group' },
  '/users/remove-from-group': {
    source: 'console_AdminRemoveUserFromGroup',
    outcome: 'removed-from-group',
  },
};

/**
 * The console's JSON API, independent of HTTP:
 * - `GET /overview`: the stack's ids and endpoints;
 * - `GET /pairs?offset&limit&status&search`: one page of paired users and rows, and the counts;
 * - `GET /activity?limit`: recent invocations, newest first;
 * - `GET /reconcile`, `POST /reconcile {dryRun, orphans, noGrace, update}`: the reconcile run;
 * - `POST /users/…`, `POST /groups/create` and `POST /rows/…`: the actions,
 *   answering `{message}` or `{error}`; the group actions also go to the activity log.
 */
export function createConsoleApi(options: ConsoleApiOptions): ConsoleApi {
  return async (request: ApiRequest): Promise<ApiResponse> => {
    const { method, path, query, body } = request;
    if (method === 'GET' && path === '/overview') {
      return ok({
        ...options.overview,
        statuses: PAIR_STATUSES.map((status) => ({ status, label: PAIR_STATUS_LABELS[status] })),
      });
    }
    if (method === 'GET' && path === '/pairs') return pairs(options, query);
    if (method === 'GET' && path === '/activity') {
      const limit = Number(query.get('limit') ?? 50);
      return ok({
        entries: options.activity.recent(Number.isInteger(limit) && limit > 0 ? limit : 50),
      });
    }
    if (path === '/reconcile') {
      if (method === 'GET') return ok(options.reconciler.state());
      if (method === 'POST') {
        try {
          const state = options.reconciler.start({
            dryRun: optionalFlag(body, 'dryRun', true),
            orphans: typeof body.orphans === 'string' ? body.orphans : 'report',
            noGrace: optionalFlag(body, 'noGrace', false),
            update: optionalFlag(body, 'update', false),
          });
          return { status: 202, body: state };
        } catch (error) {
          return { status: 409, body: { error: describeActionError(error) } };
        }
      }
    }
    const action = Object.hasOwn(ACTIONS, path) ? ACTIONS[path] : undefined;
    if (action && method === 'POST') {
      const recorded = RECORDED_ACTIONS[path];
      const started = performance.now();
      const record = (outcome: string, message: string, level: string): void => {
        if (!recorded) return;
        options.activity.add({
          time: new Date().toISOString(),
          source: recorded.source,
          ...(typeof body.username === 'string' ? { username: body.username } : {}),
          outcome,
          durationMs: Math.round(performance.now() - started),
          message,
          level,
        });
      };
      try {
        const result = await action(options.target, body);
        options.snapshots.invalidate();
        if (recorded) record(recorded.outcome, result.message, 'info');
        return ok(result);
      } catch (error) {
        options.snapshots.invalidate();
        const status = error instanceof ConsoleInputError ? 400 : 422;
        const message = describeActionError(error);
        // Refused input made no call: nothing happened to log.
        if (status === 422) record('failed', message, 'warn');
        return { status, body: { error: message } };
      }
    }
    return { status: 404, body: { error: `No such API: ${method} /api${path}` } };
  };
}

async function pairs(options: ConsoleApiOptions, query: URLSearchParams): Promise<ApiResponse> {
  const status = query.get('status') ?? '';
  if (status !== '' && !isPairStatus(status)) {
    return {
      status: 400,
      body: { error: `Invalid input: "status" must be one of ${PAIR_STATUSES.join(', ')}.` },
    };
  }
  try {
    const snapshot = await options.snapshots.get();
    const page = pagePairs(snapshot.pairs, {
      offset: Number(query.get('offset') ?? 0) || 0,
      limit: Number(query.get('limit') ?? 50) || 50,
      ...(status ? { status } : {}),
      search: query.get('search') ?? '',
    });
    return ok({
      takenAt: snapshot.takenAt,
      durationMs: snapshot.durationMs,
      counts: snapshot.counts,
      groups: snapshot.groups,
      ...page,
    });
  } catch (error) {
    return {
      status: 503,
      body: { error: `Could not read the pool and the table: ${describeActionError(error)}` },
    };
  }
}

function ok(body: unknown): ApiResponse {
  return { status: 200, body };
}

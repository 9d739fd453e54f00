import { findRowsByGroup } from '../../aws/store/rowsByGroup.js';
import type { UserRef } from '../../domain/converge.js';
import type { GroupSignal } from '../../domain/groupSignal.js';
import { UserPoolReadError } from '../../shared/errors.js';
import { type InvocationRetrySettings, retryWithinDeadline } from '../../shared/invocationRetry.js';
import type { Logger } from '../../shared/logger.js';
import type { RateLimiter } from '../../shared/rateLimiter.js';
import {
  type ConvergeUserDependencies,
  convergeRowMapping,
  convergeUser,
  type RowOutcome,
} from '../converge/convergeUser.js';

/**
 * Users converged per second after a group is deleted: each costs an
 * `AdminGetUser` and an `AdminListGroupsForUser` call (the UserResourceRead
 * category, shared with the rest of the account's calls), so this stays well
 * below that category's quota (`GROUP_CALL_QUOTAS.userResourceRead`).
 */
export const GROUP_DELETION_RATE_PER_SECOND = 10;

/** Time kept back from the deadline before converging one more user, in milliseconds. */
export const GROUP_DELETION_MARGIN_MS = 500;

/** What a group signal needs. */
export interface GroupSignalContext {
  /** Where rows live and how the pool is read. */
  readonly converge: ConvergeUserDependencies;
  /** Structured logger. */
  readonly logger: Logger;
  /** Paces the users converged after a group's deletion. */
  readonly limiter: RateLimiter;
  /** Retry settings. @default - `INVOCATION_RETRY` */
  readonly retry?: InvocationRetrySettings | undefined;
}

/** What a group signal converged. */
export interface GroupSignalOutcome {
  /** One outcome per row converged. */
  readonly rows: readonly RowOutcome[];
  /** Rows of a deleted group's members not converged before the deadline (left to reconcile). */
  readonly left: number;
}

/** Why group signals are ignored when the row mapping keeps no groups. */
export const GROUPS_OFF_REASON = 'the row mapping keeps no groups (fields.groups is off)';

/**
 * Whether the rows keep the user's groups, so that group signals are acted on.
 */
export function groupsAreKept(deps: Pick<ConvergeUserDependencies, 'table' | 'mapping'>): boolean {
  return convergeRowMapping(deps).fields.groups !== undefined;
}

/**
 * Converges what a group signal names, within `deadlineMs`:
 * `AdminAddUserToGroup`/`AdminRemoveUserFromGroup` converge that user
 * (whose groups are read from the pool again); `DeleteGroup` converges every
 * user whose row holds the group, found by a filtered Scan (the pool cannot
 * list the members of a deleted group), paced by the limiter. Users not
 * reached before the deadline are counted in `left` and left to reconcile.
 *
 * @throws UserPoolReadError when the one user of a membership call could not
 *   be converged in time; the underlying error when Cognito or DynamoDB fails
 */
export async function convergeGroupSignal(
  ctx: GroupSignalContext,
  signal: GroupSignal,
  deadlineMs: number,
): Promise<GroupSignalOutcome> {
  const started = performance.now();
  const remaining = () => deadlineMs - (performance.now() - started);
  const within = <T>(work: (abortSignal: AbortSignal) => Promise<T>, what: string) =>
    retryWithinDeadline(work, {
      deadlineMs: Math.max(1, remaining()),
      onTimeout: () =>
        new UserPoolReadError(
          `could not ${what} of a ${signal.eventName} call within ${deadlineMs} ms`,
        ),
      retry: ctx.retry,
    });
  if (signal.kind === 'member') {
    const rows = await within(
      (abortSignal) =>
        convergeUser(
          ctx.converge,
          { username: signal.username },
          { abortSignal, userRemains: true },
        ),
      'converge the user',
    );
    return { rows, left: 0 };
  }
  const found = await within(
    (abortSignal) =>
      findRowsByGroup(
        { ...ctx.converge.table, rowMapping: convergeRowMapping(ctx.converge) },
        signal.groupName,
        { abortSignal },
      ),
    'find the rows',
  );
  const rows: RowOutcome[] = [];
  let index = 0;
  for (; index < found.length; index++) {
    const row = found[index];
    const ref = row && refOf(row.username, row.sub);
    if (!ref) continue;
    await ctx.limiter.take();
    if (remaining() <= GROUP_DELETION_MARGIN_MS) break;
    try {
      rows.push(
        ...(await within(
          (abortSignal) => convergeUser(ctx.converge, ref, { abortSignal, userRemains: true }),
          'converge a member',
        )),
      );
    } catch (error) {
      if (remaining() > GROUP_DELETION_MARGIN_MS) throw error;
      break;
    }
  }
  const left = found.length - index;
  if (left > 0) {
    ctx.logger.warn('group deletion left to reconcile', {
      eventName: signal.eventName,
      found: found.length,
      converged: index,
      left,
      reason: 'the deadline came first: the next reconcile run converges the rest',
    });
  }
  return { rows, left };
}

/** A found row's user: by the username its key holds, checked against its `sub`; else by the `sub`. */
function refOf(username: string | undefined, sub: string | undefined): UserRef | undefined {
  if (username !== undefined) return { username, sub };
  return sub === undefined ? undefined : { sub };
}

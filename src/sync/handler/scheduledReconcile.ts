import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { isContinueEvent } from '../../domain/reconcileEvent.js';
import type { ScheduledReconcileConfig } from '../../domain/scheduledConfig.js';
import { remainingTimeMs } from '../../shared/deadline.js';
import { ReconcileIncompleteError } from '../../shared/errors.js';
import { errorMessage } from '../../shared/failure.js';
import type { Logger } from '../../shared/logger.js';
import { METRIC, type MetricsEmitter, NO_METRICS } from '../../shared/metrics.js';
import {
  type ReconcileOptions,
  type ReconcileReport,
  type ReconcileSummary,
  reconcile,
  TIME_BUDGET_SPENT,
} from '../reconcile/reconcile.js';
import type { RunCheckpoints } from '../reconcile/runCheckpoints.js';
import { runSlice, type SliceOutcome, type SliceSkipReason } from '../reconcile/runSlice.js';
import type { RunState } from '../reconcile/runState.js';

export { sliceReserveMs } from '../reconcile/runSlice.js';

/** Dependencies of the scheduled reconcile function. */
export interface ScheduledReconcileDependencies {
  /** Validated configuration. */
  readonly config: ScheduledReconcileConfig;
  /** Cognito client. */
  readonly cognito: Pick<CognitoIdentityProviderClient, 'send'>;
  /** DynamoDB document client. */
  readonly dynamo: DynamoDBDocumentClient;
  /** Structured logger. */
  readonly logger: Logger;
  /** Metrics (one EMF line per invocation that runs). @default - none */
  readonly metrics?: MetricsEmitter;
  /**
   * Where a run that needs several invocations keeps its state (the state
   * table). Without it, each invocation is one whole run, stopped (and
   * failed) when the invocation's time runs out. @default - none
   */
  readonly checkpoints?: RunCheckpoints;
  /** Extra reconcile options (tests shorten backoffs). @default - none */
  readonly reconcileOptions?: Partial<
    Pick<ReconcileOptions, 'retry' | 'now' | 'orphanGraceMs' | 'rateLimiter'>
  >;
}

/**
 * What the function needs of Lambda's context object. A context whose
 * `getRemainingTimeInMillis` is missing, throws or returns no number is
 * treated as no context: the run is not cut into slices.
 */
export interface InvocationContext {
  /** Milliseconds left before the invocation times out. */
  getRemainingTimeInMillis?(): number;
  /** The invocation's id (the lease owner). */
  readonly awsRequestId?: string;
}

/** An invocation that did not run reconcile, and why. */
export interface SkippedInvocation {
  /** `no run in progress` (a continuation event), or `run held by another invocation`. */
  readonly skipped: SliceSkipReason;
}

/** A Lambda handler for the schedules: returns the run's counts (so far), or why it skipped. */
export type ScheduledReconcileHandler = (
  event?: unknown,
  context?: InvocationContext,
) => Promise<ReconcileSummary | SkippedInvocation>;

/**
 * Builds the scheduled reconcile function: parses the event, runs one slice
 * of the run (`runSlice`), logs what it did and returns the counts.
 *
 * With `checkpoints`, a run continues across invocations: each invocation
 * takes the run's lease, continues the saved run (or starts one, unless the
 * event is `CONTINUE_EVENT`), stops taking new pages when only its
 * reserve (see {@link sliceReserveMs}) is left, and saves where it stands;
 * the next invocation goes on from there. Without them, each invocation is
 * one run.
 *
 * Each invocation that runs writes one JSON log line with the counts (no
 * usernames, no attributes) and one metrics line (`MissingRowsFound`,
 * `RowsCreated`, `Orphans`, `FailedWrites`, `Converged`, `Duration`).
 *
 * @throws ReconcileIncompleteError (after logging) when the run has ended
 *   without converging, or stopped for another reason than its time budget,
 *   so that the function's error metric and retries apply
 */
export function createScheduledReconcileHandler(
  deps: ScheduledReconcileDependencies,
): ScheduledReconcileHandler {
  const { config, logger } = deps;
  const metrics = deps.metrics ?? NO_METRICS;
  const clock = deps.reconcileOptions?.now ?? (() => new Date());
  const where = { userPoolId: config.userPoolId, tableName: config.tableName };

  /** One reconcile call, its failed writes and its metrics logged. */
  const reconcileSlice = async (
    state: RunState | undefined,
    shouldStop: (() => boolean) | undefined,
  ): Promise<ReconcileReport> => {
    let report: ReconcileReport;
    try {
      report = await reconcile({
        ...deps.reconcileOptions,
        config,
        cognito: deps.cognito,
        dynamo: deps.dynamo,
        ...(state ? { state } : {}),
        ...(shouldStop ? { shouldStop } : {}),
      });
    } catch (error) {
      logger.error('reconcile failed', { ...where, error: errorMessage(error) });
      throw error;
    }
    for (const failure of report.failures.slice(0, 20)) {
      logger.warn('reconcile write failed', { action: failure.action, reason: failure.reason });
    }
    const { summary } = report;
    metrics.emit({
      [METRIC.missingRowsFound]: summary.toCreate,
      [METRIC.rowsCreated]: summary.created,
      [METRIC.rowsCreatedOrPresent]: summary.createdOrPresent,
      [METRIC.orphans]: summary.orphans,
      [METRIC.failedWrites]: summary.failed,
      [METRIC.converged]: summary.converged ? 1 : 0,
      [METRIC.duration]: summary.durationMs,
    });
    return report;
  };

  /** Logs what the slice did and returns it, or throws when the run needs attention. */
  const conclude = (outcome: SliceOutcome): ReconcileSummary | SkippedInvocation => {
    if (outcome.kind === 'skipped') {
      if (outcome.skipped === 'no run in progress') {
        logger.debug('reconcile skipped: no run in progress', where);
      } else logger.info('reconcile skipped: another invocation holds the run', where);
      return { skipped: outcome.skipped };
    }
    const { report } = outcome;
    const fields = { ...where, ...report.summary };
    if (outcome.kind === 'ended') {
      if (report.problem) {
        logger.error('reconcile not converged', { ...fields, problem: report.problem });
        throw new ReconcileIncompleteError(`reconcile did not converge: ${report.problem}`);
      }
      logger.info('reconcile done', fields);
      return report.summary;
    }
    if (report.summary.stopReason !== TIME_BUDGET_SPENT) {
      logger.error('reconcile stopped early; the next invocation continues it', {
        ...fields,
        problem: report.problem,
      });
      throw new ReconcileIncompleteError(`reconcile stopped early: ${report.problem}`);
    }
    logger.info('reconcile continues in the next invocation', fields);
    return report.summary;
  };

  return async (event, context) =>
    conclude(
      await runSlice({
        checkpoints: deps.checkpoints,
        invocation: { owner: context?.awsRequestId, remainingMs: () => remainingTimeMs(context) },
        continuation: isContinueEvent(event),
        now: clock().getTime(),
        reconcile: reconcileSlice,
        onDiscarded: (reason) =>
          logger.warn('saved reconcile run unreadable: starting a new run', {
            ...where,
            error: reason,
          }),
      }),
    );
}

import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { errorMessage } from '../domain/failure.js';
import { ReconcileIncompleteError } from '../errors.js';
import type { Logger } from '../logger.js';
import { METRIC, type MetricsEmitter, NO_METRICS } from '../metrics.js';
import { type ReconcileOptions, type ReconcileSummary, reconcile } from '../reconcile/reconcile.js';
import type { ScheduledReconcileConfig } from '../reconcile/scheduledConfig.js';

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
  /** Metrics (one EMF line per run). @default - none */
  readonly metrics?: MetricsEmitter;
  /** Extra reconcile options (tests shorten backoffs). @default - none */
  readonly reconcileOptions?: Partial<Pick<ReconcileOptions, 'retry' | 'now' | 'orphanGraceMs'>>;
}

/** A Lambda handler for a schedule: ignores its event, returns the run's counts. */
export type ScheduledReconcileHandler = (event?: unknown) => Promise<ReconcileSummary>;

/**
 * Builds the scheduled reconcile function: one reconcile run per invocation,
 * one JSON log line with the counts (no usernames, no attributes), one
 * metrics line (`MissingRowsFound`, `RowsCreated`, `Orphans`, `FailedWrites`,
 * `Converged`, `Duration`), and the counts as the result.
 *
 * @throws ReconcileIncompleteError (after logging) when the table has not
 *   converged or the run stopped early, so that the function's error metric
 *   and retries apply
 */
export function createScheduledReconcileHandler(
  deps: ScheduledReconcileDependencies,
): ScheduledReconcileHandler {
  const { config, logger } = deps;
  const metrics = deps.metrics ?? NO_METRICS;
  return async () => {
    let summary: ReconcileSummary;
    let problem: string | undefined;
    try {
      const report = await reconcile({
        ...deps.reconcileOptions,
        config,
        cognito: deps.cognito,
        dynamo: deps.dynamo,
      });
      summary = report.summary;
      problem = report.problem;
      for (const failure of report.failures.slice(0, 20)) {
        logger.warn('reconcile write failed', { action: failure.action, reason: failure.reason });
      }
    } catch (error) {
      logger.error('reconcile failed', {
        userPoolId: config.userPoolId,
        tableName: config.tableName,
        error: errorMessage(error),
      });
      throw error;
    }
    metrics.emit({
      [METRIC.missingRowsFound]: summary.toCreate,
      [METRIC.rowsCreated]: summary.created,
      [METRIC.rowsCreatedOrPresent]: summary.createdOrPresent,
      [METRIC.orphans]: summary.orphans,
      [METRIC.failedWrites]: summary.failed,
      [METRIC.converged]: summary.converged ? 1 : 0,
      [METRIC.duration]: summary.durationMs,
    });
    const fields = { userPoolId: config.userPoolId, tableName: config.tableName, ...summary };
    if (problem) {
      logger.error('reconcile not converged', { ...fields, problem });
      throw new ReconcileIncompleteError(`reconcile did not converge: ${problem}`);
    }
    logger.info('reconcile done', fields);
    return summary;
  };
}

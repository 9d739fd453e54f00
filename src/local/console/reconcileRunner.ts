import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeletedRowPolicy } from '../../domain/deletedRows.js';
import { parseReconcileSettings, valuesSource } from '../../domain/reconcileSettings.js';
import type { RowMapping } from '../../domain/rowMapping/document.js';
import { errorMessage } from '../../shared/failure.js';
import type { PlanCounts } from '../../sync/reconcile/plan.js';
import { type ReconcileSummary, reconcile } from '../../sync/reconcile/reconcile.js';
import type { ActivityLog } from './activityLog.js';
import { ConsoleInputError } from './consoleInput.js';

/** What a run is asked to do. */
export interface ReconcileRequest {
  /** Compute the plan and write nothing. */
  readonly dryRun: boolean;
  /** `report`, `mark` or `delete` orphaned rows. */
  readonly orphans: string;
  /** Treat rows created in the last 10 minutes as orphans too (no grace period). */
  readonly noGrace: boolean;
  /** Also update rows whose managed fields differ from the pool (`--update`). @default false */
  readonly update?: boolean;
}

/** Where a run stands. */
export type ReconcileRunState =
  | { readonly state: 'idle' }
  | {
      readonly state: 'running';
      readonly id: number;
      readonly dryRun: boolean;
      readonly startedAt: string;
      /** What it is doing, in words. */
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
      readonly startedAt: string;
      readonly summary: ReconcileSummary;
      /** Why the table has not converged, if it has not. */
      readonly problem?: string;
      /** The first failed writes. */
      readonly failures: readonly string[];
    }
  | {
      readonly state: 'failed';
      readonly id: number;
      readonly dryRun: boolean;
      readonly startedAt: string;
      readonly error: string;
    };

/** Options of {@link createReconcileRunner}. */
export interface ReconcileRunnerOptions {
  /** Cognito client pointed at the pool's API. */
  readonly cognito: Pick<CognitoIdentityProviderClient, 'send'>;
  /** DynamoDB document client pointed at the table's API. */
  readonly dynamo: DynamoDBDocumentClient;
  /** The pool. */
  readonly userPoolId: string;
  /** The table. */
  readonly tableName: string;
  /** Partition key attribute. */
  readonly keyAttribute: string;
  /** The row mapping, as every function of the stack writes by. @default - `{}` under `keyAttribute` */
  readonly rowMapping?: RowMapping;
  /** What marking an orphan does besides `deletedAt`. @default - erase, no expiry */
  readonly deletedRows?: DeletedRowPolicy;
  /** Where each run is recorded once finished. */
  readonly activity: ActivityLog;
  /** Called when a run has written something (to refresh what the console shows). */
  readonly onFinished?: () => void;
}

/** Runs reconcile one run at a time and tells where the run stands. */
export interface ReconcileRunner {
  /**
   * Starts a run in the background.
   *
   * @throws ConsoleInputError when a run is under way or an option is invalid
   */
  start(request: ReconcileRequest): ReconcileRunState;
  /** The current or last run. */
  state(): ReconcileRunState;
  /** Resolves when the run under way, if any, has ended. */
  settled(): Promise<void>;
}

/** ListUsers requests per second in the console's runs (the local pool needs no pacing). */
export const CONSOLE_LIST_RATE = '200';

/**
 * Runs the package's `reconcile` (the same code as the command line, with its
 * settings validated by `parseReconcileSettings`, the settings schema's parser) against the local stack,
 * keeping its progress for the page to poll.
 */
export function createReconcileRunner(options: ReconcileRunnerOptions): ReconcileRunner {
  let current: ReconcileRunState = { state: 'idle' };
  let running: Promise<void> = Promise.resolve();
  let runs = 0;

  const start = (request: ReconcileRequest): ReconcileRunState => {
    if (current.state === 'running') {
      throw new ConsoleInputError('a reconcile run is under way; wait for it to finish');
    }
    let config: ReturnType<typeof parseReconcileSettings>;
    try {
      // Every other setting keeps its default, as on the command line.
      config = {
        ...parseReconcileSettings(
          valuesSource({
            userPoolId: options.userPoolId,
            tableName: options.tableName,
            keyAttribute: options.keyAttribute,
            orphans: request.orphans,
            listRate: CONSOLE_LIST_RATE,
            dryRun: String(request.dryRun),
            update: String(request.update === true),
          }),
        ),
        ...(options.deletedRows ? { deletedRows: options.deletedRows } : {}),
        ...(options.rowMapping ? { rowMapping: options.rowMapping } : {}),
      };
    } catch (error) {
      throw new ConsoleInputError(errorMessage(error), { cause: error });
    }
    const id = ++runs;
    const startedAt = new Date().toISOString();
    const base = { id, dryRun: request.dryRun, startedAt };
    let progress = { step: 'starting', listed: 0, scanned: 0, applied: 0, toApply: 0 };
    const update = (change: Partial<typeof progress>): void => {
      progress = { ...progress, ...change };
      if (current.state === 'running' && current.id === id) {
        current = { state: 'running', ...base, ...progress };
      }
    };
    current = { state: 'running', ...base, ...progress };
    running = (async () => {
      try {
        const report = await reconcile({
          config,
          cognito: options.cognito,
          dynamo: options.dynamo,
          ...(request.noGrace ? { orphanGraceMs: 0 } : {}),
          progress: {
            listing: (listed) =>
              update({ step: 'listing the pool and scanning the table', listed }),
            scanning: (scanned) => update({ scanned }),
            planned: (counts: PlanCounts) =>
              update({
                step: request.dryRun ? 'planned (dry run: nothing written)' : 'writing',
                toApply: counts.toCreate + counts.toMark + counts.toDelete,
              }),
            applying: (done, total) => update({ step: 'writing', applied: done, toApply: total }),
          },
        });
        // A run whose reads failed after their retries reports why instead of
        // throwing: the console shows it as a failed run, with that reason.
        if (report.summary.stopReason !== undefined) throw new Error(report.summary.stopReason);
        current = {
          state: 'done',
          ...base,
          summary: report.summary,
          ...(report.problem ? { problem: report.problem } : {}),
          failures: report.failures
            .slice(0, 5)
            .map((failure) => `${failure.action} ${failure.key}: ${failure.reason}`),
        };
        options.activity.add({
          time: new Date().toISOString(),
          source: request.dryRun ? 'reconcile (dry run)' : 'reconcile',
          outcome: report.summary.converged ? 'converged' : 'not converged',
          durationMs: report.summary.durationMs,
          message: `${report.summary.created} created, ${report.summary.updated} updated, ${report.summary.marked} marked, ${report.summary.deleted} deleted, ${report.summary.failed} failed`,
          level: report.summary.converged ? 'info' : 'warn',
        });
      } catch (error) {
        const message = errorMessage(error);
        current = { state: 'failed', ...base, error: message };
        options.activity.add({
          time: new Date().toISOString(),
          source: request.dryRun ? 'reconcile (dry run)' : 'reconcile',
          outcome: 'failed',
          message: 'reconcile failed',
          error: message,
          level: 'error',
        });
      } finally {
        options.onFinished?.();
      }
    })();
    return current;
  };

  return { start, state: () => current, settled: () => running };
}

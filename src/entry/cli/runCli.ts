import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createCognitoClient } from '../../aws/pool/cognitoClient.js';
import { createDynamoDocumentClient } from '../../aws/store/dynamoClient.js';
import {
  COGNITO_ENDPOINT_VARIABLES,
  checkEndpointVariables,
  DYNAMODB_ENDPOINT_VARIABLES,
} from '../../domain/config.js';
import { ConfigError } from '../../shared/errors.js';
import { errorMessage } from '../../shared/failure.js';
import { packageVersion } from '../../shared/packageRoot.js';
import { plural } from '../../shared/plural.js';
import { type ReconcileOptions, reconcile } from '../../sync/reconcile/reconcile.js';
import type { RunState } from '../../sync/reconcile/runState.js';
import { readCheckpoint, removeCheckpoint, writeCheckpoint } from './checkpoint.js';
import { formatSummary } from './formatSummary.js';
import {
  type CliRequest,
  COMMAND_NAME,
  MAIN_USAGE,
  parseArgs,
  RECONCILE_USAGE,
  usagePointer,
} from './parseArgs.js';
import { createProgressReporter, type ProgressReporter, type TextStream } from './progress.js';

/** Exit code: the table has converged (or help was shown). */
export const EXIT_OK = 0;
/** Exit code: the table has not converged, or reconcile failed. */
export const EXIT_FAILED = 1;
/** Exit code: bad arguments. */
export const EXIT_USAGE = 2;
/** Exit code: interrupted (SIGINT), as shells report 128 + 2. */
export const EXIT_INTERRUPTED = 130;

/** The AWS clients reconcile uses; built from the SDK's environment when not given. */
export interface CliClients {
  /** Cognito client. */
  readonly cognito: Pick<CognitoIdentityProviderClient, 'send'>;
  /** DynamoDB document client. */
  readonly dynamo: DynamoDBDocumentClient;
}

/** Inputs of {@link runCli}. */
export interface RunCliOptions {
  /** Arguments after the script name, e.g. `['reconcile', '--dry-run']`. */
  readonly argv: readonly string[];
  /** Environment for the `USER_POOL_ID`/`TABLE_NAME` fallbacks. @default {} */
  readonly env?: NodeJS.ProcessEnv;
  /** Where the summary goes. */
  readonly stdout: TextStream;
  /** Where progress, usage and errors go. */
  readonly stderr: TextStream;
  /** AWS clients. @default - built from the SDK's standard environment */
  readonly clients?: CliClients;
  /** Extra reconcile options (tests shorten backoffs or race a write). @default - none */
  readonly reconcileOptions?: Partial<
    Pick<ReconcileOptions, 'retry' | 'orphanGraceMs' | 'beforeCreate' | 'now' | 'rateLimiter'>
  >;
  /** Aborted on SIGINT: the run stops, prints its summary so far and exits 130. @default - never */
  readonly signal?: AbortSignal;
  /** What `--version` prints. @default - the version in this package's `package.json` */
  readonly version?: string;
  /** Milliseconds between "still waiting" lines when nothing moves. @default 5000 */
  readonly heartbeatMs?: number;
}

/**
 * Runs the command line and returns its exit code; never calls
 * `process.exit`, so tests can drive it.
 */
export async function runCli(options: RunCliOptions): Promise<number> {
  const { stdout, stderr } = options;
  let request: CliRequest;
  try {
    request = parseArgs(options.argv, options.env ?? {});
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const topic = options.argv[0] === 'reconcile' ? 'reconcile' : 'main';
    stderr.write(`${COMMAND_NAME}: ${error.message}\n${usagePointer(topic)}\n`);
    return EXIT_USAGE;
  }
  if (request.kind === 'version') {
    stdout.write(`${options.version ?? packageVersion(import.meta.url)}\n`);
    return EXIT_OK;
  }
  if (request.kind === 'help') {
    stdout.write(request.topic === 'reconcile' ? RECONCILE_USAGE : MAIN_USAGE);
    return EXIT_OK;
  }

  const { config } = request;
  if (options.clients === undefined) {
    try {
      checkEndpointVariables(options.env ?? {}, [
        ...DYNAMODB_ENDPOINT_VARIABLES,
        ...COGNITO_ENDPOINT_VARIABLES,
      ]);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      stderr.write(`${COMMAND_NAME}: ${error.message}\n`);
      return EXIT_USAGE;
    }
  }
  const ownClients = options.clients === undefined;
  // One attempt per SDK call: reconcile retries every call on its own, so no
  // SDK retry quota is shared (and spent) across the run.
  const clients = options.clients ?? {
    cognito: createCognitoClient({ maxAttempts: 1 }),
    dynamo: createDynamoDocumentClient({
      maxAttempts: 1,
      requestTimeoutMs: 10_000,
      connectionTimeoutMs: 3000,
      maxSockets: Math.max(50, config.concurrency + config.scanSegments),
    }),
  };
  const progress = createProgressReporter({ stream: stderr });
  const limit = startTimeLimit(request.timeLimitSeconds, options.signal);
  const watched = watchCalls(progress);
  const heartbeat = setInterval(() => progress.heartbeat(), options.heartbeatMs ?? 5000);
  heartbeat.unref?.();
  const checkpointPath = request.checkpoint;
  let resumeState: RunState | undefined;
  if (checkpointPath) {
    const found = await readCheckpoint(checkpointPath, {
      userPoolId: config.userPoolId,
      tableName: config.tableName,
      now: new Date(),
    });
    if (found.kind === 'usable') {
      resumeState = found.state;
      stderr.write(
        `${COMMAND_NAME}: continuing run ${found.state.runId} from the checkpoint saved at ${found.savedAt}\n`,
      );
    } else if (found.kind === 'ignored') {
      stderr.write(`${COMMAND_NAME}: ignoring the checkpoint ${checkpointPath}: ${found.reason}\n`);
    }
  }
  try {
    const report = await reconcile({
      ...options.reconcileOptions,
      config,
      cognito: clients.cognito,
      dynamo: clients.dynamo,
      progress: watched.progress,
      ...(limit.signal ? { signal: limit.signal } : {}),
      ...(resumeState ? { state: resumeState } : {}),
    });
    progress.finish();
    stdout.write(
      request.json
        ? `${JSON.stringify(report.summary)}\n`
        : formatSummary(report, config.keyAttribute),
    );
    for (const failure of report.failures.slice(0, 10)) {
      stderr.write(`${COMMAND_NAME}: ${failure.action} ${failure.key} failed: ${failure.reason}\n`);
    }
    if (report.failures.length > 10) {
      stderr.write(
        `${COMMAND_NAME}: ... and ${plural(report.failures.length - 10, 'more failed write')}\n`,
      );
    }
    if (checkpointPath && !config.dryRun) {
      await saveCheckpoint(checkpointPath, report, stderr);
    }
    if (limit.reached()) {
      const waitingFor = watched.waitingFor();
      stderr.write(
        `${COMMAND_NAME}: time limit of ${request.timeLimitSeconds} s reached: no answer from ${describeEndpoint(waitingFor.service, options.env ?? {})} (${waitingFor.call}); raise it with --time-limit <s> (0 for none)${checkpointPath ? '; the next run continues from the checkpoint' : ''}\n`,
      );
      return EXIT_FAILED;
    }
    if (report.summary.stopReason === 'interrupted') {
      stderr.write(`${COMMAND_NAME}: interrupted: ${report.problem ?? 'stopped'}\n`);
      return EXIT_INTERRUPTED;
    }
    if (report.problem) {
      stderr.write(`${COMMAND_NAME}: not converged: ${report.problem}\n`);
      return EXIT_FAILED;
    }
    if (report.summary.orphansReported > 0) {
      stderr.write(
        `${COMMAND_NAME}: ${plural(report.summary.orphansReported, 'orphaned row')} reported and left in place (use --orphans mark or --orphans delete)\n`,
      );
    }
    return EXIT_OK;
  } catch (error) {
    progress.finish();
    const message = errorMessage(error);
    if (request.json) stdout.write(`${JSON.stringify({ converged: false, error: message })}\n`);
    stderr.write(`${COMMAND_NAME}: reconcile failed: ${message}\n`);
    return EXIT_FAILED;
  } finally {
    limit.clear();
    clearInterval(heartbeat);
    if (ownClients) {
      (clients.cognito as CognitoIdentityProviderClient).destroy?.();
      clients.dynamo.destroy();
    }
  }
}

async function saveCheckpoint(
  path: string,
  report: Awaited<ReturnType<typeof reconcile>>,
  stderr: TextStream,
): Promise<void> {
  try {
    if (report.state) {
      await writeCheckpoint(path, report.state, new Date());
      stderr.write(
        `${COMMAND_NAME}: saved a checkpoint to ${path}: the next run continues there\n`,
      );
    } else {
      await removeCheckpoint(path);
    }
  } catch (error) {
    stderr.write(
      `${COMMAND_NAME}: could not save the checkpoint ${path}: ${errorMessage(error)}\n`,
    );
  }
}

/** A run's time limit: a signal that fires at the limit or on `interrupt`. */
function startTimeLimit(
  seconds: number,
  interrupt: AbortSignal | undefined,
): { signal: AbortSignal | undefined; reached(): boolean; clear(): void } {
  if (seconds <= 0) return { signal: interrupt, reached: () => false, clear: () => {} };
  const controller = new AbortController();
  let reached = false;
  const timer = setTimeout(() => {
    reached = true;
    controller.abort();
  }, seconds * 1000);
  const onInterrupt = (): void => controller.abort();
  interrupt?.addEventListener('abort', onInterrupt, { once: true });
  if (interrupt?.aborted) controller.abort();
  return {
    signal: controller.signal,
    reached: () => reached && !interrupt?.aborted,
    clear: () => {
      clearTimeout(timer);
      interrupt?.removeEventListener('abort', onInterrupt);
    },
  };
}

/** The service a call goes to. */
type Service = 'Cognito' | 'DynamoDB';

/**
 * Wraps the progress reporter to remember what the run is waiting for: the
 * call that failed last, else ListUsers until the pool is listed, then
 * DynamoDB's writes and scan.
 */
function watchCalls(progress: ProgressReporter): {
  progress: ProgressReporter;
  waitingFor(): { service: Service; call: string };
} {
  let lastRetried: string | undefined;
  let listed = false;
  return {
    progress: {
      ...progress,
      listing: (count, pages) => progress.listing?.(count, pages),
      planned: (counts) => {
        listed = true;
        progress.planned?.(counts);
      },
      retrying: (call, attempt, reason, delayMs) => {
        lastRetried = call;
        progress.retrying?.(call, attempt, reason, delayMs);
      },
    },
    waitingFor: () => {
      const call = lastRetried ?? (listed ? 'Scan or writes' : 'ListUsers');
      return { service: call === 'ListUsers' ? 'Cognito' : 'DynamoDB', call };
    },
  };
}

/** The endpoint of a service as the SDK resolves it from the environment, for messages. */
function describeEndpoint(service: Service, env: NodeJS.ProcessEnv): string {
  const specific =
    service === 'Cognito'
      ? env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER
      : env.AWS_ENDPOINT_URL_DYNAMODB;
  const url = specific || env.AWS_ENDPOINT_URL;
  if (url) return `${service} at ${url}`;
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  return `${service}${region ? ` in ${region}` : ''}`;
}

import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConfigError } from '../errors.js';
import { createCognitoClient } from '../pool/cognitoClient.js';
import { type ReconcileOptions, reconcile } from '../reconcile/reconcile.js';
import { createDynamoDocumentClient } from '../store/dynamoClient.js';
import { formatSummary } from './formatSummary.js';
import {
  type CliRequest,
  COMMAND_NAME,
  MAIN_USAGE,
  parseArgs,
  RECONCILE_USAGE,
} from './parseArgs.js';
import { createProgressReporter, type TextStream } from './progress.js';

/** Exit code: the table has converged (or help was shown). */
export const EXIT_OK = 0;
/** Exit code: the table has not converged, or reconcile failed. */
export const EXIT_FAILED = 1;
/** Exit code: bad arguments. */
export const EXIT_USAGE = 2;

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
    const reconcileUsage = options.argv[0] === 'reconcile';
    stderr.write(
      `${COMMAND_NAME}: ${error.message}\n\n${reconcileUsage ? RECONCILE_USAGE : MAIN_USAGE}`,
    );
    return EXIT_USAGE;
  }
  if (request.kind === 'help') {
    stdout.write(request.topic === 'reconcile' ? RECONCILE_USAGE : MAIN_USAGE);
    return EXIT_OK;
  }

  const { config } = request;
  const ownClients = options.clients === undefined;
  const clients = options.clients ?? {
    cognito: createCognitoClient(),
    dynamo: createDynamoDocumentClient({
      requestTimeoutMs: 10_000,
      connectionTimeoutMs: 3000,
      maxSockets: Math.max(50, config.concurrency + config.scanSegments),
    }),
  };
  const progress = createProgressReporter({ stream: stderr });
  try {
    const report = await reconcile({
      ...options.reconcileOptions,
      config,
      cognito: clients.cognito,
      dynamo: clients.dynamo,
      progress,
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
      stderr.write(`${COMMAND_NAME}: ... and ${report.failures.length - 10} more failed writes\n`);
    }
    if (report.problem) {
      stderr.write(`${COMMAND_NAME}: not converged: ${report.problem}\n`);
      return EXIT_FAILED;
    }
    if (report.summary.orphansReported > 0) {
      stderr.write(
        `${COMMAND_NAME}: ${report.summary.orphansReported} orphaned rows reported and left in place (use --orphans mark or --orphans delete)\n`,
      );
    }
    return EXIT_OK;
  } catch (error) {
    progress.finish();
    stderr.write(
      `${COMMAND_NAME}: reconcile failed: ${(error as Error).message ?? String(error)}\n`,
    );
    return EXIT_FAILED;
  } finally {
    if (ownClients) {
      (clients.cognito as CognitoIdentityProviderClient).destroy?.();
      clients.dynamo.destroy();
    }
  }
}

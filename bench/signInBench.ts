import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoServer } from '../src/local/dynamoServer.js';
import { startDelayProxy } from './delayProxy.js';
import { runWorker, workerEnv } from './handlerBench.js';
import { ensureReadyTable } from './readyTable.js';
import { type Summary, summarize } from './stats.js';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The deployable Post Authentication bundle (built by `npm run build`). */
export const SIGN_IN_BUNDLE = here('../dist/lambda/post-authentication/index.mjs');

/** The sign-in refresh's latency on one network, against a bare UpdateItem of the same item. */
export interface SignInLatencyRow {
  /** Milliseconds added to each DynamoDB request (0: dynalite as it is). */
  readonly delayMs: number;
  /** The bundle's handler, per sign-in. */
  readonly ours: Summary;
  /** A bare UpdateItem of the same item on a stock client. */
  readonly bare: Summary;
  /** GetItem, then that UpdateItem: what a sign-in paid before. */
  readonly getThenUpdate: Summary;
  /** p50 ours / bare. */
  readonly p50Ratio: number;
  /** p99 ours / bare. */
  readonly p99Ratio: number;
}

/** A real-shaped Post Authentication event (the worker gives each call its own user). */
function signInEvent() {
  return {
    version: '1',
    region: 'us-east-1',
    userPoolId: 'us-east-1_bench',
    userName: 'template',
    triggerSource: 'PostAuthentication_Authentication',
    callerContext: { awsSdkVersion: 'aws-sdk-js-3', clientId: 'bench-client' },
    request: {
      userAttributes: {
        sub: 'template',
        email: 'template@example.com',
        email_verified: 'true',
        'cognito:user_status': 'CONFIRMED',
        given_name: 'Bench',
      },
      newDeviceUsed: false,
    },
    response: {},
  };
}

/**
 * The latency a sign-in's refresh adds: the Post Authentication bundle in a
 * fresh process, against a bare UpdateItem of the same item (and the old
 * GetItem + UpdateItem), call by call interleaved, `count` each, on users who
 * have a row; once against dynalite as it is, once with each DynamoDB request
 * delayed by `delayMs` (a simulated round trip). Fails when a sign-in was not
 * recorded.
 */
export async function measureSignInLatency(options: {
  readonly count: number;
  readonly delayMs: number;
}): Promise<SignInLatencyRow[]> {
  const dynamo = await startDynamoServer({ host: '127.0.0.1', port: 0 });
  const admin = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const rows: SignInLatencyRow[] = [];
  try {
    await ensureReadyTable(admin, { tableName: 'bench-signin', keyAttribute: 'username' });
    for (const delayMs of [0, options.delayMs]) {
      const proxy = delayMs > 0 ? await startDelayProxy(dynamo.endpoint, delayMs) : undefined;
      try {
        const target = {
          dynamodbEndpoint: proxy?.endpoint ?? dynamo.endpoint,
          tableName: 'bench-signin',
        };
        const { report } = await runWorker(
          [here('./workers/signInLatency.mjs'), SIGN_IN_BUNDLE],
          workerEnv(target, {
            COUNT: String(options.count),
            PREFIX: `si-${delayMs}-${Date.now().toString(36)}`,
            EVENT: JSON.stringify(signInEvent()),
          }),
          { drainStdout: true },
        );
        if (report.recorded !== options.count) {
          throw new Error(
            `the sign-in bench recorded ${report.recorded} of ${options.count} sign-ins`,
          );
        }
        const ours = summarize(report.ours as number[]);
        const bare = summarize(report.bare as number[]);
        rows.push({
          delayMs,
          ours,
          bare,
          getThenUpdate: summarize(report.getThenUpdate as number[]),
          p50Ratio: ours.p50 / bare.p50,
          p99Ratio: ours.p99 / bare.p99,
        });
      } finally {
        await proxy?.close();
      }
    }
  } finally {
    admin.destroy();
    await dynamo.close();
  }
  return rows;
}

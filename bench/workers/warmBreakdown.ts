// Runs in its own process: where our handler's warm time goes. COUNT
// sequential invocations of each variant against one DynamoDB endpoint,
// interleaved, after a warm-up. Every variant writes the same kind of row.
// - floor: a bare conditional put of the row (command built beforehand) plus
//   one JSON log line: the floor;
// - floorSignal: the floor with a fresh AbortController's signal per call;
// - floorDefaultClient: the floor with the SDK's default request handler;
// - ours: the handler as deployed (createDynamoDocumentClient, logging on);
// - oursQuiet: the handler with logging off;
// - oursDefaultClient: the handler on a client with the SDK's default request
//   handler (no timeouts, no agent settings).
// Prints the samples as JSON on stderr. env: COUNT, WARM_UP, TABLE_NAME,
// AWS_ENDPOINT_URL_DYNAMODB, region and credentials.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDocumentClient } from '../../src/aws/store/dynamoClient.js';
import { createLogger } from '../../src/shared/logger.js';
import { createPostConfirmationHandler } from '../../src/sync/handler/postConfirmation.js';
import { barePutOf, benchEvent } from '../events.js';
import { type TimedVariant, timeInterleaved } from './interleaved.js';

const count = Number(process.env.COUNT ?? '1000');
// Every row is new: a key written before (by another section or run) would take
// the already-present path (a failed condition, an SDK exception) instead.
const run = `wb${process.pid}${Date.now().toString(36)}`;
const tableName = process.env.TABLE_NAME ?? 'bench-users';
const config = { tableName, keyAttribute: 'username', logLevel: 'info' as const };
const custom = createDynamoDocumentClient();
const plain = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const context = { getRemainingTimeInMillis: () => 5000 };
const handlerOn = (client: DynamoDBDocumentClient, level: 'info' | 'silent') =>
  createPostConfirmationHandler({ config, client, logger: createLogger({ level }) });
const ours = handlerOn(custom, 'info');
const oursQuiet = handlerOn(custom, 'silent');
const oursDefaultClient = handlerOn(plain, 'info');

const putOf = (id: string) => barePutOf(id, tableName);
const logLine = (id: string, started: number) =>
  process.stdout.write(
    `${JSON.stringify({
      level: 'info',
      message: 'post confirmation handled',
      timestamp: new Date().toISOString(),
      username: id,
      userPoolId: 'us-east-1_bench',
      triggerSource: 'PostConfirmation_ConfirmSignUp',
      outcome: 'created',
      durationMs: Math.round(performance.now() - started),
    })}\n`,
  );

/** Each variant prepares its input (untimed), then returns the timed call. */
const variants: Record<string, TimedVariant> = {
  floor: (i) => {
    const id = `${run}-floor-${i}`;
    const command = putOf(id);
    return async () => {
      const started = performance.now();
      await custom.send(command);
      logLine(id, started);
    };
  },
  floorSignal: (i) => {
    const id = `${run}-signal-${i}`;
    const command = putOf(id);
    return async () => {
      const started = performance.now();
      await custom.send(command, { abortSignal: new AbortController().signal });
      logLine(id, started);
    };
  },
  floorDefaultClient: (i) => {
    const id = `${run}-plain-${i}`;
    const command = putOf(id);
    return async () => {
      const started = performance.now();
      await plain.send(command);
      logLine(id, started);
    };
  },
  ours: (i) => {
    const event = benchEvent(`${run}-ours-${i}`);
    return () => ours(event, context);
  },
  oursQuiet: (i) => {
    const event = benchEvent(`${run}-quiet-${i}`);
    return () => oursQuiet(event, context);
  },
  oursDefaultClient: (i) => {
    const event = benchEvent(`${run}-oursplain-${i}`);
    return () => oursDefaultClient(event, context);
  },
};

const samples = await timeInterleaved(variants, count, Number(process.env.WARM_UP ?? '20'));
// Untimed check: every invocation wrote a new row (none took the already-present path).
let rowsWritten = 0;
let start: Record<string, unknown> | undefined;
do {
  const page = await custom.send(
    new ScanCommand({
      TableName: tableName,
      Select: 'COUNT',
      FilterExpression: 'begins_with(#key, :run)',
      ExpressionAttributeNames: { '#key': 'username' },
      ExpressionAttributeValues: { ':run': `${run}-` },
      ExclusiveStartKey: start,
    }),
  );
  rowsWritten += page.Count ?? 0;
  start = page.LastEvaluatedKey;
} while (start);
custom.destroy();
plain.destroy();
process.stderr.write(`${JSON.stringify({ ...samples, rowsWritten: [rowsWritten] })}\n`);

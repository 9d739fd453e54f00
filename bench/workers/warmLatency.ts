import { createPostConfirmationHandler } from '../../src/handler/postConfirmation.js';
import { createLogger } from '../../src/logger.js';
import { createDynamoDocumentClient } from '../../src/store/dynamoClient.js';
import { handler as tutorialHandler } from '../baseline/tutorialHandler.js';
import { barePutOf, benchEvent } from '../events.js';
import { type TimedVariant, timeInterleaved } from './interleaved.js';

const count = Number(process.env.COUNT ?? '1000');
const tableName = process.env.TABLE_NAME ?? 'bench-users';
const config = { tableName, keyAttribute: 'username', logLevel: 'info' as const };
const client = createDynamoDocumentClient();
const ours = createPostConfirmationHandler({ config, client, logger: createLogger() });
const context = { getRemainingTimeInMillis: () => 5000 };

/** Each variant prepares its input (untimed), then returns the timed call. */
const variants: Record<string, TimedVariant> = {
  ours: (i) => {
    const event = benchEvent(`ours-${i}`);
    return () => ours(event, context);
  },
  bare: (i) => {
    const command = barePutOf(`bare-${i}`, tableName);
    return () => client.send(command);
  },
  tutorial: (i) => {
    const event = benchEvent(`tutorial-${i}`);
    return () => tutorialHandler(event);
  },
};

// Warm every variant up (connections, JIT) before measuring.
const samples = await timeInterleaved(variants, count, 20);
client.destroy();
process.stderr.write(`${JSON.stringify(samples)}\n`);

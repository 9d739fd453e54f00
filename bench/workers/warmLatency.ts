import { createPostConfirmationHandler } from '../../src/handler/postConfirmation.js';
import { createLogger } from '../../src/logger.js';
import { createDynamoDocumentClient } from '../../src/store/dynamoClient.js';
import { handler as tutorialHandler } from '../baseline/tutorialHandler.js';
import { barePutOf, benchEvent } from '../events.js';

const count = Number(process.env.COUNT ?? '1000');
const tableName = process.env.TABLE_NAME ?? 'bench-users';
const config = { tableName, keyAttribute: 'username', logLevel: 'info' as const };
const client = createDynamoDocumentClient();
const ours = createPostConfirmationHandler({ config, client, logger: createLogger() });
const context = { getRemainingTimeInMillis: () => 5000 };

/** Each variant prepares its input (untimed), then returns the timed call. */
const variants: Record<string, (i: number) => () => Promise<unknown>> = {
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

const names = Object.keys(variants);
const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
const call = (name: string, i: number) =>
  (variants[name] as (i: number) => () => Promise<unknown>)(i);
// Warm every variant up (connections, JIT) before measuring.
for (const name of names) for (let i = 1; i <= 20; i++) await call(name, -i)();
for (let i = 0; i < count; i++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(i + k) % names.length] as string;
    const timed = call(name, i);
    const started = performance.now();
    await timed();
    samples[name]?.push(performance.now() - started);
  }
}
client.destroy();
process.stderr.write(`${JSON.stringify(samples)}\n`);

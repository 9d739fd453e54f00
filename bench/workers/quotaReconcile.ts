// Runs in its own process, so that its memory figures are reconcile's own:
// one full reconcile (the project's `reconcile`, through its public options)
// against the endpoints given, then prints its summary, timings and memory as
// one JSON line on stderr. Run with --expose-gc.
// env: COGNITO_ENDPOINT, DYNAMODB_ENDPOINT, USER_POOL_ID, TABLE_NAME,
// LIST_RATE, LIST_CHAINS (optional), region and credentials.
import { createCognitoClient } from '../../src/pool/cognitoClient.js';
import { reconcile } from '../../src/reconcile/reconcile.js';
import { parseReconcileSettings, valuesSource } from '../../src/reconcile/settings.js';
import { createDynamoDocumentClient } from '../../src/store/dynamoClient.js';

const required = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const cognito = createCognitoClient({
  endpoint: required('COGNITO_ENDPOINT'),
  region: 'us-east-1',
});
const dynamo = createDynamoDocumentClient({
  endpoint: required('DYNAMODB_ENDPOINT'),
  region: 'us-east-1',
  requestTimeoutMs: 10_000,
  connectionTimeoutMs: 3000,
});

// What the process holds before reconcile starts (modules, clients), after a full GC.
globalThis.gc?.();
const before = process.memoryUsage();
let peakHeapUsed = before.heapUsed;
let peakRss = before.rss;
const sampler = setInterval(() => {
  const { heapUsed, rss } = process.memoryUsage();
  peakHeapUsed = Math.max(peakHeapUsed, heapUsed);
  peakRss = Math.max(peakRss, rss);
}, 20);

let listedAt = 0;
let plannedAt = 0;
const started = performance.now();
const report = await reconcile({
  // Every other setting keeps its default.
  config: parseReconcileSettings(
    valuesSource({
      userPoolId: required('USER_POOL_ID'),
      tableName: required('TABLE_NAME'),
      listRate: required('LIST_RATE'),
      // Absent: reconcile chooses the pages in flight.
      ...(process.env.LIST_CHAINS ? { listChains: process.env.LIST_CHAINS } : {}),
    }),
  ),
  cognito,
  dynamo,
  progress: {
    listing: () => {
      listedAt = performance.now() - started;
    },
    planned: () => {
      plannedAt = performance.now() - started;
    },
  },
});
const durationMs = performance.now() - started;
clearInterval(sampler);
const { heapUsed, rss } = process.memoryUsage();
peakHeapUsed = Math.max(peakHeapUsed, heapUsed);
peakRss = Math.max(peakRss, rss);
cognito.destroy();
dynamo.destroy();
process.stderr.write(
  `${JSON.stringify({
    durationMs,
    listedMs: listedAt,
    plannedMs: plannedAt,
    summary: report.summary,
    memory: {
      baselineRssKb: Math.round(before.rss / 1024),
      baselineHeapKb: Math.round(before.heapUsed / 1024),
      maxRssKb: Math.max(process.resourceUsage().maxRSS, Math.round(peakRss / 1024)),
      peakHeapKb: Math.round(peakHeapUsed / 1024),
    },
  })}\n`,
);

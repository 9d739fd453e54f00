// Runs in its own process, so that its memory figures are reconcile's own:
// one full reconcile (the project's `reconcile`, through its public options)
// against the endpoints given, then prints its summary, timings and memory as
// one JSON line on stderr. Run with --expose-gc. Besides peak RSS and heap, it
// records the heap in use just after each full (mark-compact) collection V8
// ran by itself during the run (what the run retains, without forcing a
// collection that would change the peak RSS), and after a forced one at the end.
// env: COGNITO_ENDPOINT, DYNAMODB_ENDPOINT, USER_POOL_ID, TABLE_NAME,
// LIST_RATE, LIST_CHAINS (optional), region and credentials.
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { createCognitoClient } from '../../src/aws/pool/cognitoClient.js';
import { createDynamoDocumentClient } from '../../src/aws/store/dynamoClient.js';
import { parseReconcileSettings, valuesSource } from '../../src/domain/reconcileSettings.js';
import { reconcile } from '../../src/sync/reconcile/reconcile.js';

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
// Heap in use after each full collection of the run: live objects plus what the collection left.
let peakLiveHeap = before.heapUsed;
let majorCollections = 0;
const collections = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const { detail } = entry as unknown as { detail?: { kind?: number } };
    if (detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
    majorCollections++;
    const used = getHeapStatistics().used_heap_size;
    peakLiveHeap = Math.max(peakLiveHeap, used);
    peakHeapUsed = Math.max(peakHeapUsed, used);
  }
});
collections.observe({ entryTypes: ['gc'] });

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
collections.disconnect();
const { heapUsed, rss } = process.memoryUsage();
peakHeapUsed = Math.max(peakHeapUsed, heapUsed);
peakRss = Math.max(peakRss, rss);
// What the run still holds once it is over (its report, the clients' state), after a full GC.
globalThis.gc?.();
const endHeapUsed = process.memoryUsage().heapUsed;
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
      peakLiveHeapKb: Math.round(peakLiveHeap / 1024),
      majorCollections,
      endHeapKb: Math.round(endHeapUsed / 1024),
    },
  })}\n`,
);

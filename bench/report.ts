import type { BenchResults } from './runBench.js';
import { round } from './stats.js';

const ms = (value: number) => `${round(value, 1)} ms`;
const ratio = (value: number) => `${round(value, 3)}`;
const kb = (bytes: number) => `${round(bytes / 1024, 1)} KB`;

/** Renders the results as Markdown tables (also readable in a terminal). */
export function formatResults(results: BenchResults): string {
  const { machine } = results;
  const lines: string[] = [
    `Machine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.platform}; ${machine.date}`,
    '',
  ];
  const cold = results.coldStart;
  if (cold) {
    lines.push(
      `### Cold start (fresh process: import the bundle + handle one event; median of ${cold.runs} runs each, interleaved)`,
      '',
      '| bundle | size | process start → handled (p50) | import (p50) | first invocation (p50) | spawn → exit (p50) |',
      '|---|---|---|---|---|---|',
      `| ours (dist/lambda/post-confirmation/index.mjs) | ${kb(cold.bundleBytes.ours)} | ${ms(cold.ours.totalMs.p50)} | ${ms(cold.ours.importMs.p50)} | ${ms(cold.ours.firstInvokeMs.p50)} | ${ms(cold.ours.wallMs.p50)} |`,
      `| tutorial handler | ${kb(cold.bundleBytes.baseline)} | ${ms(cold.baseline.totalMs.p50)} | ${ms(cold.baseline.importMs.p50)} | ${ms(cold.baseline.firstInvokeMs.p50)} | ${ms(cold.baseline.wallMs.p50)} |`,
      '',
      `Ratio ours / tutorial (process start → handled, p50): **${ratio(cold.ratio)}** (target ≤ 1.15); import + first invocation alone (Node's boot excluded): ${ratio(cold.bundleRatio)}`,
      '',
    );
  }
  const warm = results.warm;
  if (warm) {
    lines.push(
      `### Warm latency (${warm.count} sequential invocations per variant, interleaved, against dynalite)`,
      '',
      '| variant | p50 | p99 | mean |',
      '|---|---|---|---|',
      `| ours (handler: validate, map, conditional put, log) | ${ms(warm.ours.p50)} | ${ms(warm.ours.p99)} | ${ms(warm.ours.mean)} |`,
      `| bare conditional PutCommand (same row, same client) | ${ms(warm.bare.p50)} | ${ms(warm.bare.p99)} | ${ms(warm.bare.mean)} |`,
      `| tutorial handler (unconditional put, own client) | ${ms(warm.tutorial.p50)} | ${ms(warm.tutorial.p99)} | ${ms(warm.tutorial.mean)} |`,
      '',
      `Ratio ours / bare: p50 **${ratio(warm.p50Ratio)}** (target ≤ 1.10), p99 ${ratio(warm.p99Ratio)}`,
      '',
    );
  }
  const memory = results.memory;
  if (memory) {
    lines.push(
      `### Peak RSS (a process importing the bundle and handling ${memory.count} events)`,
      '',
      '| bundle | peak RSS | heap retained after a full GC |',
      '|---|---|---|',
      `| ours | ${round(memory.ours.maxRssKb / 1024, 1)} MB | ${round(memory.ours.retainedHeapKb / 1024, 1)} MB |`,
      `| tutorial handler | ${round(memory.baseline.maxRssKb / 1024, 1)} MB | ${round(memory.baseline.retainedHeapKb / 1024, 1)} MB |`,
      '',
      `Ratio ours / tutorial (peak RSS): **${ratio(memory.ratio)}**`,
      '',
    );
  }
  const rec = results.reconcile;
  if (rec) {
    lines.push(
      `### Reconcile vs the naive loop (empty table; simulated round trip: ${rec.delay.dynamodbMs} ms per DynamoDB request, ${rec.delay.cognitoMs} ms per Cognito request)`,
      '',
      '| users | network | naive loop | users/s | reconcile | of which listing + scan | users/s | speed-up |',
      '|---|---|---|---|---|---|---|---|',
      ...rec.rows.map(
        (row) =>
          `| ${row.users} | ${row.network} | ${ms(row.naiveMs)} | ${round(row.naiveUsersPerSecond, 0)} | ${ms(row.reconcileMs)} | ${ms(row.reconcileListMs)} | ${round(row.reconcileUsersPerSecond, 0)} | **×${round(row.speedup, 2)}** |`,
      ),
      '',
      ...Object.entries(rec.growth).map(
        ([network, growth]) =>
          `Growth (${network}): reconcile time grew ${round(growth, 2)} × as fast as the number of users (1 = linear)`,
      ),
      '',
    );
  }
  return lines.join('\n');
}

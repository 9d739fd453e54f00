import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatResults, goalRows } from '../../bench/report.js';
import { QUICK_BENCH } from '../../bench/run.js';
import { runBench } from '../../bench/runBench.js';

// A smoke run of the whole harness with tiny counts: it checks that every
// section measures what it claims and that the report shows it. It asserts no
// timing: `npm run bench` is where the figures come from.
describe('Benchmark harness (smoke run with tiny counts)', () => {
  it('measures every section and reports it', async () => {
    const results = await runBench({ ...QUICK_BENCH, log: () => {} });
    const { coldStart, warm, memory, reconcile, quota, listing, backfill, localStack, change } =
      results;

    assert.ok(coldStart);
    assert.equal(coldStart.ours.totalMs.n, QUICK_BENCH.coldRuns);
    assert.equal(coldStart.baseline.totalMs.n, QUICK_BENCH.coldRuns);
    assert.ok(coldStart.ours.importMs.p50 > 0 && coldStart.ours.firstInvokeMs.p50 > 0);
    assert.ok(Number.isFinite(coldStart.ratio) && coldStart.ratio > 0);
    assert.ok(Number.isFinite(coldStart.bundleRatio) && coldStart.bundleRatio > 0);
    assert.ok(coldStart.ours.bundleMs.p50 < coldStart.ours.totalMs.p50, 'boot excluded');
    assert.ok(coldStart.bundleBytes.ours > 100_000 && coldStart.bundleBytes.ours < 450 * 1024);
    assert.ok(coldStart.bundleBytes.baseline > 100_000, 'the baseline bundles the SDK too');

    assert.ok(warm);
    for (const variant of [warm.ours, warm.floor]) {
      assert.equal(variant.n, QUICK_BENCH.bundleWarm.count, 'every round timed its share');
      assert.ok(variant.p50 > 0 && variant.p99 >= variant.p50);
    }
    assert.equal(warm.rounds, QUICK_BENCH.bundleWarm.rounds);
    assert.ok(Number.isFinite(warm.p50Ratio) && warm.p50Ratio > 0);

    const { warmBreakdown } = results;
    assert.ok(warmBreakdown);
    for (const variant of Object.values(warmBreakdown.variants)) {
      assert.equal(variant.n, QUICK_BENCH.warmCount);
      assert.ok(variant.p50 > 0);
    }
    assert.equal(Object.keys(warmBreakdown.variants).length, 6);
    assert.ok(Number.isFinite(warmBreakdown.p50Ratio) && warmBreakdown.p50Ratio > 0);

    assert.ok(memory);
    for (const figures of [memory.ours, memory.baseline]) {
      assert.ok(figures.maxRssKb > 10_000, 'peak RSS measured');
      assert.ok(figures.retainedHeapKb > 0 && figures.retainedHeapKb < figures.maxRssKb);
    }

    assert.ok(reconcile);
    assert.deepEqual(
      reconcile.rows.map((row) => `${row.users}/${row.network}`),
      ['10/raw', '10/simulated', '30/raw', '30/simulated'],
    );
    for (const row of reconcile.rows) {
      assert.ok(row.naiveMs > 0 && row.reconcileMs > 0 && row.reconcileListMs > 0);
      assert.ok(row.reconcileListMs <= row.reconcileMs);
      assert.ok(Number.isFinite(row.speedup));
    }
    assert.deepEqual(Object.keys(reconcile.growth).sort(), ['raw', 'simulated']);

    assert.ok(listing);
    assert.equal(listing.rows.length, QUICK_BENCH.listingMatrix.rates.length);
    for (const row of listing.rows) {
      assert.equal(row.correct, true);
      assert.equal(row.listChains, undefined, 'the defaults');
      assert.equal(row.listRequests - row.throttled, row.shardedPages, 'one call per shard page');
    }
    assert.ok(backfill);
    assert.equal(backfill.row.seededRows, 0);
    assert.equal(backfill.row.created, QUICK_BENCH.backfillUsers);
    assert.equal(backfill.row.correct, true);
    // What the run retains: the heap after V8's own full collections, and after a forced one at the end.
    assert.ok(backfill.row.peakLiveHeapKb >= backfill.row.baselineHeapKb);
    assert.ok(backfill.row.peakLiveHeapKb <= backfill.row.peakHeapKb);
    assert.ok(backfill.row.endHeapKb > 0 && Number.isInteger(backfill.row.majorCollections));

    assert.ok(quota);
    assert.equal(quota.listRate, 30);
    assert.deepEqual(
      quota.rows.map((row) => row.users),
      QUICK_BENCH.quotaSizes,
    );
    for (const row of quota.rows) {
      assert.equal(row.correct, true, 'every missing row created, no seeded row rewritten');
      assert.equal(row.seededRows, row.users - row.missing);
      assert.equal(row.created, row.missing);
      assert.equal(row.pages, Math.ceil(row.users / 60));
      assert.ok(row.listRequests >= row.pages, 'one ListUsers call per page at least');
      assert.ok(row.reconcileMs > 0 && Number.isFinite(row.ratio) && row.ratio > 0);
      // Peaks are at least where the run started (a tiny run may not grow at all).
      assert.ok(row.maxRssKb >= row.baselineRssKb, `peak RSS ${row.maxRssKb} KB`);
      assert.ok(row.peakHeapKb >= row.baselineHeapKb, `peak heap ${row.peakHeapKb} KB`);
    }

    assert.ok(localStack);
    assert.equal(localStack.cold.n, QUICK_BENCH.stackRuns);
    assert.equal(localStack.warm.n, QUICK_BENCH.stackRuns);
    assert.ok(localStack.cold.p50 > 0 && localStack.warm.p50 > 0);

    assert.ok(change);
    assert.equal(change.users, QUICK_BENCH.changeUsers);
    for (const figures of [change.update, change.disable, change.delete]) {
      assert.equal(figures.n, QUICK_BENCH.changeUsers, 'every change reached its row');
      assert.ok(figures.p50 > 0, `p50 ${figures.p50}`);
      assert.ok(figures.p95 >= figures.p50 && figures.max >= figures.p95, JSON.stringify(figures));
    }

    const { slices, scale } = results;
    assert.ok(slices);
    assert.equal(slices.correct, true, 'converged, every user served once, no state left');
    assert.equal(slices.usersServed, QUICK_BENCH.slices.users);
    assert.ok(slices.invocations > 1, `${slices.invocations} invocations: the pool needs several`);
    assert.deepEqual(slices.slices.at(-1)?.outcome, 'no run in progress');
    assert.equal(slices.created, slices.missing);

    assert.ok(scale);
    assert.equal(scale.distinct, QUICK_BENCH.scaleUsers);
    assert.equal(scale.savedBytes, QUICK_BENCH.scaleUsers * 8);
    assert.ok(
      scale.heldBytes >= scale.savedBytes * 2 && scale.heldBytes <= scale.savedBytes * 8,
      `held ${scale.heldBytes} bytes for ${scale.savedBytes} saved`,
    );
    assert.ok(scale.loadMs >= 0, `load ${scale.loadMs} ms`);
    assert.ok(scale.buildMs > 0, `build ${scale.buildMs} ms`);

    const { checkpoints } = results;
    assert.ok(checkpoints);
    assert.equal(checkpoints.correct, true, 'both checkpoints load back every fingerprint');
    assert.equal(checkpoints.rows.length, QUICK_BENCH.checkpoints.saves);
    // Each appending save writes the fingerprints listed since the one before, not all of them.
    const segmentBytes = QUICK_BENCH.checkpoints.fingerprints * 8;
    assert.ok(checkpoints.whole.bytes > 1.5 * segmentBytes, `whole: ${checkpoints.whole.bytes} B`);
    assert.ok(
      checkpoints.appended.bytes < 1.2 * segmentBytes,
      `appended: ${checkpoints.appended.bytes} B`,
    );

    const { consoleLoad } = results;
    assert.ok(consoleLoad);
    const consoleShown = !('skipped' in consoleLoad);
    if (!('skipped' in consoleLoad)) {
      assert.equal(consoleLoad.users, QUICK_BENCH.consoleLoad.users);
      assert.equal(consoleLoad.shown.n, QUICK_BENCH.consoleLoad.runs);
      assert.ok(consoleLoad.shown.p50 >= consoleLoad.loaded.p50 && consoleLoad.loaded.p50 > 0);
    }

    const { signIn } = results;
    assert.ok(signIn);
    assert.deepEqual(
      signIn.rows.map((row) => row.delayMs),
      [0, QUICK_BENCH.signIn.delayMs],
    );
    for (const row of signIn.rows) {
      for (const variant of [row.ours, row.bare, row.getThenUpdate]) {
        assert.equal(variant.n, QUICK_BENCH.signIn.count);
      }
      assert.ok(Number.isFinite(row.p50Ratio) && row.p50Ratio > 0);
    }

    assert.deepEqual(
      goalRows(results).map((goal) => goal.target),
      [
        '≤ 1.10',
        '≤ 1.10',
        '≤ 0.90',
        '≤ 1.05',
        '≤ 0.5 KB',
        '≤ 1.05, 0 throttled',
        '≤ 0.5 KB',
        ...(consoleShown ? ['≤ 1000 ms'] : []),
        'completes over several invocations, no user skipped or listed twice',
        '≤ 2000 ms',
        '≤ 1000 ms',
      ],
    );

    const report = formatResults(results);
    for (const heading of [
      'Cold start',
      'Warm latency',
      'Peak RSS',
      'Reconcile vs the naive loop',
      'Warm breakdown',
      'Reconcile at the ListUsers quota',
      'Reconcile with its defaults at each rate and round trip',
      'First backfill',
      'What the run retains',
      'Local stack readiness',
      'Change latency',
      'Scheduled reconcile over several invocations',
      'Fingerprints of',
      'Checkpoint saves of a run',
      'Console page load',
      'Sign-in refresh',
      '### Goals',
    ]) {
      assert.ok(report.includes(heading), `the report has a "${heading}" section`);
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProgressReporter } from '../../../src/entry/cli/progress.js';
import type { PlanCounts } from '../../../src/sync/reconcile/plan.js';
import { ZERO_RUN_COUNTS } from '../../../src/sync/reconcile/runState.js';

const COUNTS: PlanCounts = {
  ...ZERO_RUN_COUNTS,
  usersListed: 120,
  usersEligible: 120,
  rowsScanned: 10,
  inSync: 10,
  toCreate: 110,
};

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { chunks, stream: { isTTY, columns: 100, write: (chunk: string) => chunks.push(chunk) } };
}

describe('Function: createProgressReporter', () => {
  it('on a terminal, redraws one line with listing, scanning and the writes under way, then a bar', () => {
    const { chunks, stream: out } = stream(true);
    let clock = 0;
    const progress = createProgressReporter({ stream: out, now: () => (clock += 1000) });
    progress.scanning?.(10);
    progress.listing?.(60, 1);
    progress.applying?.(20, 50);
    progress.planned?.(COUNTS);
    progress.applying?.(110, 110);
    progress.finish();
    assert.ok(chunks.every((chunk) => !chunk.includes('\n') || chunk.startsWith('listed')));
    assert.ok(
      chunks.some((chunk) => chunk.startsWith('\rlisting users: 60 (1 page) | scanning rows: 10')),
    );
    assert.ok(
      chunks.some((chunk) => chunk.includes('| written: 20/50')),
      'writes during listing shown',
    );
    assert.ok(
      chunks.some((chunk) =>
        chunk.includes(
          'listed 120 users in 1 page: 110 to create; now scanning the table for orphaned rows\n',
        ),
      ),
    );
    assert.ok(chunks.some((chunk) => chunk.includes(`writing [${'#'.repeat(24)}] 110/110`)));
    assert.match(chunks.at(-1) ?? '', /^\r {99}\r$/, 'the bar is cleared at the end');
  });

  it('elsewhere, writes whole lines: few while working, the plan, and the final count', () => {
    const { chunks, stream: out } = stream(false);
    let clock = 0;
    const progress = createProgressReporter({ stream: out, now: () => clock, lineMs: 5000 });
    for (let page = 1; page <= 50; page++) {
      clock += 10;
      progress.listing?.(page * 60, page);
      progress.applying?.(page * 60, page * 60);
    }
    progress.planned?.(COUNTS);
    progress.applying?.(3000, 3000);
    progress.finish();
    const lines = chunks.join('').split('\n').filter(Boolean);
    assert.ok(lines.length <= 4, `few lines: ${JSON.stringify(lines)}`);
    assert.ok(lines.some((line) => line.startsWith('listed 120 users in 50 pages')));
    assert.equal(lines.at(-1), 'wrote 3000/3000');
    assert.ok(chunks.every((chunk) => !chunk.includes('\r')));
  });

  it('does not claim a scan count before the table is scanned, and says 1 page, 1 user, 1 row', () => {
    const { chunks, stream: out } = stream(true);
    const progress = createProgressReporter({ stream: out, now: () => 0, redrawMs: 0 });
    progress.listing?.(1, 1);
    progress.scanning?.(1);
    progress.planned?.({ ...COUNTS, usersListed: 1, toCreate: 1, rowsScanned: 0 });
    const text = chunks.join('');
    assert.match(text, /listing users: 1 \(1 page\) \| scanning rows: 1/);
    assert.match(text, /listed 1 user in 1 page: 1 to create;/);
    assert.doesNotMatch(text, /scanned 0 rows|1 pages|1 users|1 rows/);
  });
});

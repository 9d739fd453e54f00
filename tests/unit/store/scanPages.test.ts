import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  initialScanPosition,
  parseScanPosition,
  type ScanPosition,
  scanPages,
} from '../../../src/aws/store/scanPages.js';
import { scanProjection } from '../../../src/aws/store/scanProjection.js';
import { TableReadError } from '../../../src/shared/errors.js';
import { FakeTable, NO_WAIT, sdkError } from '../reconcile/fakes.js';

function tableOf(rows: number): FakeTable {
  const table = new FakeTable();
  table.pageSize = 7;
  for (let i = 0; i < rows; i++)
    table.put({ username: `u${i}`, createdAt: `2030-01-0${(i % 9) + 1}` });
  return table;
}

const OPTIONS = {
  tableName: 'users',
  keyAttribute: 'username',
  projection: scanProjection({ keyAttribute: 'username' }),
  retry: NO_WAIT,
};

describe('Function: scanPages', () => {
  it('hands every row to onPage exactly once, with its createdAt', async () => {
    const table = tableOf(100);
    const seen: string[] = [];
    const result = await scanPages(table.client, {
      ...OPTIONS,
      position: initialScanPosition(3),
      onPage: (rows) => {
        for (const row of rows) {
          seen.push(row.key);
          assert.match(row.createdAt ?? '', /^2030-01-0\d$/);
        }
      },
    });
    assert.equal(result.complete, true);
    assert.deepEqual(result.position, {
      segments: [{ done: true }, { done: true }, { done: true }],
    });
    assert.deepEqual(seen.toSorted(), [...table.rows.keys()].toSorted());
  });

  it('stops at a page boundary when asked, and resuming reads exactly the rest', async () => {
    const table = tableOf(100);
    const seen: string[] = [];
    let pages = 0;
    const first = await scanPages(table.client, {
      ...OPTIONS,
      position: initialScanPosition(2),
      shouldStop: () => pages >= 5,
      onPage: (rows) => {
        pages++;
        seen.push(...rows.map((row) => row.key));
      },
    });
    assert.equal(first.complete, false);
    assert.ok(seen.length < 100);
    // Through JSON, as a checkpoint stores it.
    const saved = parseScanPosition(JSON.parse(JSON.stringify(first.position)));
    const second = await scanPages(table.client, {
      ...OPTIONS,
      position: saved,
      onPage: (rows) => {
        seen.push(...rows.map((row) => row.key));
      },
    });
    assert.equal(second.complete, true);
    assert.equal(seen.length, 100, 'no row read twice');
    assert.equal(new Set(seen).size, 100, 'no row skipped');
  });

  it('waits for onPage before the next page of the same segment, and the position never runs ahead of it', async () => {
    const table = tableOf(30);
    const positions: ScanPosition[] = [];
    let processed = 0;
    await scanPages(table.client, {
      ...OPTIONS,
      position: initialScanPosition(1),
      onPage: async (rows, position) => {
        const callsBefore = table.calls.length;
        await new Promise((resolve) => setTimeout(resolve, 5));
        assert.equal(table.calls.length, callsBefore, 'no request while a page is processed');
        processed += rows.length;
        positions.push(position);
      },
    });
    assert.equal(processed, 30);
    assert.equal(positions.at(-1)?.segments[0]?.done, true);
    assert.equal(positions[0]?.segments[0]?.done, false);
  });

  it('retries a transient error, and after its retries throws a TableReadError carrying the position to resume from', async () => {
    const table = tableOf(20);
    table.scanFailures.push(sdkError('ProvisionedThroughputExceededException'));
    const seen: string[] = [];
    const done = await scanPages(table.client, {
      ...OPTIONS,
      position: initialScanPosition(1),
      onPage: (rows) => {
        seen.push(...rows.map((row) => row.key));
      },
    });
    assert.equal(done.complete, true);
    assert.equal(seen.length, 20);

    const failing = tableOf(20);
    let pages = 0;
    const failed = await scanPages(failing.client, {
      ...OPTIONS,
      position: initialScanPosition(1),
      onPage: () => {
        pages++;
        if (pages === 1) failing.scanFailures.push(sdkError('AccessDeniedException', 'denied'));
      },
    });
    const { error } = failed;
    assert.ok(error instanceof TableReadError);
    assert.match(
      error.message,
      /could not scan table "users" \(segment 0 of 1\): AccessDeniedException: denied/,
    );
    assert.equal(failed.complete, false);
    assert.deepEqual(failed.position.segments[0]?.startKey, { username: 'u14' });
  });
});

describe('Function: parseScanPosition', () => {
  it('accepts what initialScanPosition gives and refuses bad shapes, saying what is wrong', () => {
    assert.deepEqual(parseScanPosition(initialScanPosition(2)), initialScanPosition(2));
    assert.throws(() => parseScanPosition({}), /non-empty "segments" list/);
    assert.throws(() => parseScanPosition({ segments: [{}] }), /segment 0 needs a boolean "done"/);
    assert.throws(
      () => parseScanPosition({ segments: [{ done: false, startKey: { username: 5 } }] }),
      /segment 0 has an invalid "startKey"/,
    );
  });
});

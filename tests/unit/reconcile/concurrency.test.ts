import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { forEachConcurrent } from '../../../src/reconcile/concurrency.js';

describe('Function: forEachConcurrent', () => {
  it('processes every item with no more than the given number in flight', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const seen: number[] = [];
    await forEachConcurrent(
      Array.from({ length: 50 }, (_, i) => i),
      4,
      async (item) => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await delay(1);
        seen.push(item);
        inFlight--;
      },
    );
    assert.equal(maxInFlight, 4);
    assert.deepEqual(
      seen.toSorted((a, b) => a - b),
      Array.from({ length: 50 }, (_, i) => i),
    );
  });

  it('does nothing on an empty list', async () => {
    let calls = 0;
    await forEachConcurrent([], 8, async () => {
      calls++;
    });
    assert.equal(calls, 0);
  });

  it('stops handing out items after a rejection and rethrows it', async () => {
    const started: number[] = [];
    await assert.rejects(
      forEachConcurrent([1, 2, 3, 4, 5], 1, async (item) => {
        started.push(item);
        if (item === 2) throw new Error('boom');
      }),
      /boom/,
    );
    assert.deepEqual(started, [1, 2]);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { percentile, round, summarize } from '../../../bench/stats.js';

describe('Function: summarize', () => {
  it('computes nearest-rank percentiles, mean, min and max', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    const summary = summarize(values);
    assert.equal(summary.n, 100);
    assert.equal(summary.p50, 50);
    assert.equal(summary.p99, 99);
    assert.equal(summary.mean, 50.5);
    assert.equal(summary.min, 1);
    assert.equal(summary.max, 100);
  });

  it('handles one value and no value', () => {
    assert.equal(summarize([7]).p99, 7);
    assert.ok(Number.isNaN(summarize([]).p50));
    assert.ok(Number.isNaN(percentile([], 50)));
  });

  it('rounds for reports', () => {
    assert.equal(round(1.23456, 2), 1.23);
    assert.equal(round(2.5, 0), 3);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBenchArgs, QUICK_BENCH } from '../../../bench/run.js';
import { FULL_BENCH } from '../../../bench/runBench.js';

describe('Function: parseBenchArgs', () => {
  it('runs the full benchmark by default, writing bench/results.json', () => {
    const { settings, out } = parseBenchArgs([]);
    assert.deepEqual(settings, FULL_BENCH);
    assert.match(out, /bench\/results\.json$/);
    assert.ok(FULL_BENCH.coldRuns >= 15, 'at least 15 cold starts per bundle');
    assert.deepEqual(FULL_BENCH.reconcileSizes, [1000, 10_000]);
    assert.deepEqual(FULL_BENCH.delay, { dynamodbMs: 5, cognitoMs: 30 });
    assert.deepEqual(FULL_BENCH.quotaSizes, [20_000, 100_000]);
    assert.deepEqual(FULL_BENCH.listingMatrix, {
      users: 20_000,
      rates: [10, 30],
      roundTripsMs: [30, 100, 300],
      baselineChains: [16],
    });
    assert.equal(FULL_BENCH.backfillUsers, 100_000);
    assert.deepEqual(FULL_BENCH.sections, [
      'cold',
      'warm',
      'memory',
      'reconcile',
      'quota',
      'listing',
      'backfill',
      'stack',
      'change',
      'slices',
      'scale',
      'checkpoints',
      'console',
      'signin',
    ]);
    assert.deepEqual(FULL_BENCH.slices, { users: 30_000, invocationMs: 10_000, listRate: 10 });
    assert.equal(FULL_BENCH.scaleUsers, 10_000_000);
    assert.equal(FULL_BENCH.changeUsers, 100);
  });

  const cases: [string[], Partial<typeof FULL_BENCH>, string?][] = [
    [['--quick'], { ...QUICK_BENCH }],
    [['--sections', 'cold,warm'], { sections: ['cold', 'warm'] }],
    [['--sections', 'quota,stack'], { sections: ['quota', 'stack'] }],
    [['--sections', 'change'], { sections: ['change'] }],
    [['--sections', 'signin'], { sections: ['signin'] }],
    [['--sections', 'reconcile', '--quick'], { ...QUICK_BENCH, sections: ['reconcile'] }],
    [['--out', '/tmp/x.json'], {}, '/tmp/x.json'],
  ];
  for (const [args, expected, out] of cases) {
    it(`parses ${args.join(' ')}`, () => {
      const parsed = parseBenchArgs(args);
      for (const [key, value] of Object.entries(expected)) {
        assert.deepEqual(parsed.settings[key as keyof typeof FULL_BENCH], value, key);
      }
      if (out) assert.equal(parsed.out, out);
    });
  }

  it('fails on an unknown section, naming it', () => {
    assert.throws(() => parseBenchArgs(['--sections', 'cold,speed']), /"cold,speed"/);
  });

  it('fails on an unknown argument', () => {
    assert.throws(() => parseBenchArgs(['--fast']), /unknown argument "--fast"/);
  });
});

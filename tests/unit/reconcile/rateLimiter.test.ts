import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRateLimiter } from '../../../src/shared/rateLimiter.js';

function fakeClock() {
  let time = 0;
  return {
    now: () => time,
    sleep: async (ms: number) => {
      time += ms;
    },
    get time() {
      return time;
    },
  };
}

describe('Function: createRateLimiter', () => {
  it('lets a burst through at once, then paces requests at the rate', async () => {
    // Prepare
    const clock = fakeClock();
    const limiter = createRateLimiter({
      ratePerSecond: 5,
      burst: 2,
      now: clock.now,
      sleep: clock.sleep,
    });
    const times: number[] = [];

    // Act
    for (let i = 0; i < 5; i++) {
      await limiter.take();
      times.push(clock.time);
    }

    // Assess
    assert.deepEqual(times, [0, 0, 200, 400, 600]);
  });

  it('serves concurrent callers in order without exceeding the rate', async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({
      ratePerSecond: 10,
      burst: 1,
      now: clock.now,
      sleep: clock.sleep,
    });
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        await limiter.take();
        order.push(i);
      }),
    );
    assert.deepEqual(order, [0, 1, 2, 3]);
    assert.equal(clock.time, 300);
  });

  it('refills after an idle period, up to the burst', async () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({
      ratePerSecond: 1,
      burst: 2,
      now: clock.now,
      sleep: clock.sleep,
    });
    await limiter.take();
    await limiter.take();
    await clock.sleep(10_000);
    const before = clock.time;
    await limiter.take();
    await limiter.take();
    assert.equal(clock.time, before);
    await limiter.take();
    assert.equal(clock.time, before + 1000);
  });

  it('fails on a rate that is not positive', () => {
    assert.throws(() => createRateLimiter({ ratePerSecond: 0 }), /ratePerSecond must be above 0/);
  });
});

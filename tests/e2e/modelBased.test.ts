// The whole loop against a model of the pool (see tests/helpers/model/): a
// fixed seed and short sequences here; `npm run test:soak` runs thousands.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { type LoopStacks, loopProperty, startLoopStacks } from '../helpers/model/loop.js';

/** Fixed, so that `npm test` runs the same sequences every time; with 24 runs it covers each setting at least 3 times. */
const SEED = 3;
const RUNS = 24;
const MAX_COMMANDS = 12;

describe('Model-based: the table follows the pool whatever happens to its users', () => {
  let stacks: LoopStacks;
  before(async () => {
    stacks = await startLoopStacks();
  });
  after(async () => {
    await stacks?.stop();
  });

  it('keeps every invariant over random sequences, with change signals on and off, at 0, 10 and 30% faults', async (t) => {
    await fc.assert(loopProperty(stacks, { maxCommands: MAX_COMMANDS }), {
      seed: SEED,
      numRuns: RUNS,
      includeErrorInReport: true,
    });
    const { configs, faults, operations } = stacks.coverage;
    t.diagnostic(
      `settings ${JSON.stringify(Object.fromEntries(configs))}; faults injected ${faults}`,
    );
    t.diagnostic(
      `rows accepted only by an entry of KNOWN_DRIFT: ${JSON.stringify(Object.fromEntries(stacks.coverage.drifts))}`,
    );
    t.diagnostic(`operations ${JSON.stringify(Object.fromEntries(operations))}`);
    // The fixed seed covers every setting and every operation, and faults were injected.
    assert.equal(configs.size, 6, `settings run: ${[...configs.keys()].join('; ')}`);
    assert.equal(operations.size, 14, `operations run: ${[...operations.keys()].join(', ')}`);
    assert.ok(faults > 0, 'no fault was injected');
  });
});

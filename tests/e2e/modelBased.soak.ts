// `npm run test:soak`: the model-based test of tests/e2e/modelBased.test.ts with
// many more and longer sequences and a random seed. Replay a failure with the
// seed and path it prints: SOAK_SEED=<seed> SOAK_PATH=<path> npm run test:soak
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { type LoopStacks, loopProperty, startLoopStacks } from '../helpers/model/loop.js';

const seed = process.env.SOAK_SEED ? Number(process.env.SOAK_SEED) : Date.now() % 2 ** 31;
const path = process.env.SOAK_PATH || undefined;
const runs = process.env.SOAK_RUNS ? Number(process.env.SOAK_RUNS) : 2000;
const maxCommands = process.env.SOAK_MAX_COMMANDS ? Number(process.env.SOAK_MAX_COMMANDS) : 25;

describe('Soak: the table follows the pool whatever happens to its users', () => {
  let stacks: LoopStacks;
  before(async () => {
    stacks = await startLoopStacks();
  });
  after(async () => {
    await stacks?.stop();
  });

  it(`keeps every invariant over ${runs} random sequences (seed ${seed})`, async (t) => {
    t.diagnostic(
      `SOAK_SEED=${seed} SOAK_RUNS=${runs} SOAK_MAX_COMMANDS=${maxCommands}${path ? ` SOAK_PATH=${path}` : ''}`,
    );
    let passed = 0;
    const started = Date.now();
    const onSequence = () => {
      passed++;
      if (passed % 100 === 0) {
        const seconds = Math.round((Date.now() - started) / 1000);
        process.stderr.write(`soak: ${passed} sequences kept every invariant (${seconds} s)\n`);
      }
    };
    const details = await fc.check(loopProperty(stacks, { maxCommands, onSequence }), {
      seed,
      numRuns: runs,
      includeErrorInReport: true,
      ...(path ? { path } : {}),
    });
    const { configs, faults } = stacks.coverage;
    t.diagnostic(
      `settings ${JSON.stringify(Object.fromEntries(configs))}; faults injected ${faults}`,
    );
    t.diagnostic(
      `rows accepted only by an entry of KNOWN_DRIFT: ${JSON.stringify(Object.fromEntries(stacks.coverage.drifts))}`,
    );
    if (details.failed) {
      const replay = `SOAK_SEED=${details.seed} SOAK_PATH=${details.counterexamplePath} npm run test:soak`;
      throw new Error(`${fc.defaultReportMessage(details)}\n\nReplay: ${replay}`);
    }
  });
});

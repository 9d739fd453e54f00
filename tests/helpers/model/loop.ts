// The model-based test of the whole loop: random sequences of pool operations
// against the local stack, with change signals on or off and seeded faults
// between the functions (and reconcile) and the servers, then the invariants.
import fc from 'fast-check';
import { clientsFor, scanRows, startTestStack } from '../../../harness/localStack.js';
import { createCognitoClient } from '../../../src/aws/pool/cognitoClient.js';
import { createDynamoDocumentClient } from '../../../src/aws/store/dynamoClient.js';
import { runCli } from '../../../src/entry/cli/runCli.js';
import { LOCAL_CREDENTIALS, type LocalStack } from '../../../src/local/startLocalStack.js';
import { type FaultKind, type FaultProxy, startFaultProxy } from '../faultProxy.js';
import { POOL_CAST, POOL_COMMANDS, type TracedModel, type World } from './commands.js';
import { KNOWN_DRIFT } from './knownDrift.js';
import { checkLogs } from './logChecks.js';
import {
  createPoolModel,
  DEFAULT_MAPPING,
  type ModelUser,
  reconciled,
  rowProblems,
  type ToleratedRow,
  toleratedRows,
} from './poolModel.js';

/** One sequence's setting: change signals, and the share of calls that fault. */
export interface LoopConfig {
  readonly signals: boolean;
  /** Percent of the functions' and reconcile's calls to DynamoDB and to Cognito that fault. */
  readonly faultPercent: 0 | 10 | 30;
  /** Seed of the faults (each proxy derives its own from it). */
  readonly faultSeed: number;
}

/** The faults at 30%: resets (before and after the server acted), 5xx (JSON and HTML), throttling, delays. */
const THIRTY_PERCENT: Partial<Record<FaultKind, number>> = {
  delay: 0.06,
  'reset-before': 0.06,
  'reset-after': 0.05,
  'http500-json': 0.04,
  'http500-html': 0.03,
  throttle: 0.06,
};

function faultRates(percent: number): Partial<Record<FaultKind, number>> {
  return Object.fromEntries(
    Object.entries(THIRTY_PERCENT).map(([kind, rate]) => [kind, (rate * percent) / 30]),
  );
}

/** The bound of the issue: with change signals on and no faults, the table follows within 2 s. */
export const CONVERGE_WITHIN_MS = 2000;

/** A stack of the loop, with the fault proxies its functions call through and their log lines. */
interface LoopWorld extends World {
  readonly dynamoProxy: FaultProxy;
  readonly cognitoProxy: FaultProxy;
  /** Every log line of the stack's functions. */
  readonly logs: string[];
  /** Reconcile's clients, through the same proxies as the functions. */
  readonly reconcileClients: {
    readonly cognito: ReturnType<typeof createCognitoClient>;
    readonly dynamo: ReturnType<typeof createDynamoDocumentClient>;
  };
}

/** What the runs covered, for the test to assert that it tested what it says. */
export interface LoopCoverage {
  /** Runs per `signals/faultPercent`. */
  readonly configs: Map<string, number>;
  /** Faults injected in all. */
  faults: number;
  /** Operations run, by name. */
  readonly operations: Map<string, number>;
  /** Rows that matched only thanks to an entry of `KNOWN_DRIFT`, by entry. */
  readonly drifts: Map<string, number>;
}

/** The two stacks (change signals on and off) the sequences share. */
export interface LoopStacks {
  readonly on: LoopWorld;
  readonly off: LoopWorld;
  readonly coverage: LoopCoverage;
  stop(): Promise<void>;
}

async function startWorld(signals: boolean): Promise<LoopWorld> {
  const logs: string[] = [];
  const proxies: Partial<Record<'dynamodb' | 'cognito', FaultProxy>> = {};
  const stack: LocalStack = await startTestStack(
    { changeSignals: signals },
    {
      functionLogSink: (line) => logs.push(line),
      functionEndpoint: async (service, endpoint) => {
        const proxy = await startFaultProxy({
          target: endpoint,
          service,
          seed: 0,
          rates: {},
          maxDelayMs: 300,
        });
        proxies[service] = proxy;
        return proxy.endpoint;
      },
    },
  );
  const dynamoProxy = proxies.dynamodb;
  const cognitoProxy = proxies.cognito;
  if (!dynamoProxy || !cognitoProxy)
    throw new Error('the stack did not route its functions through the proxies');
  const reconcileClients = {
    // As the command line builds them: one attempt per SDK call, reconcile retries on its own.
    cognito: createCognitoClient({
      endpoint: cognitoProxy.endpoint,
      region: stack.region,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    }),
    dynamo: createDynamoDocumentClient({
      endpoint: dynamoProxy.endpoint,
      region: stack.region,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
      requestTimeoutMs: 10_000,
      connectionTimeoutMs: 3000,
    }),
  };
  return {
    stack,
    clients: clientsFor(stack),
    mapping: DEFAULT_MAPPING,
    drift: KNOWN_DRIFT,
    usernames: new Set(),
    dynamoProxy,
    cognitoProxy,
    logs,
    reconcileClients,
  };
}

async function stopWorld(world: LoopWorld | undefined): Promise<void> {
  if (!world) return;
  world.clients.destroy();
  world.reconcileClients.cognito.destroy();
  world.reconcileClients.dynamo.destroy();
  await world.stack.stop();
  await world.dynamoProxy.close();
  await world.cognitoProxy.close();
}

/** Starts the two stacks of the loop (change signals on, and off). */
export async function startLoopStacks(): Promise<LoopStacks> {
  const [on, off] = await Promise.all([startWorld(true), startWorld(false)]);
  return {
    on,
    off,
    coverage: { configs: new Map(), faults: 0, operations: new Map(), drifts: new Map() },
    stop: async () => {
      await Promise.all([stopWorld(on), stopWorld(off)]);
    },
  };
}

/** The sequences' settings. */
export const loopConfig: fc.Arbitrary<LoopConfig> = fc.record({
  signals: fc.boolean(),
  faultPercent: fc.constantFrom<LoopConfig['faultPercent']>(0, 10, 30),
  faultSeed: fc.nat(),
});

/** The property: every sequence, under every setting, keeps the invariants. */
export function loopProperty(
  stacks: LoopStacks,
  options: {
    readonly maxCommands: number;
    /** Called after each sequence that kept every invariant. @default - nothing */
    readonly onSequence?: () => void;
  },
) {
  return fc.asyncProperty(
    loopConfig,
    POOL_CAST,
    fc.commands(POOL_COMMANDS, { maxCommands: options.maxCommands, size: 'max' }),
    async (config, cast, commands) => {
      await runSequence(stacks, config, [...cast, ...commands]);
      options.onSequence?.();
    },
  );
}

let sequences = 0;

/** Runs one sequence on the stack of its setting, then checks every invariant. */
export async function runSequence(
  stacks: LoopStacks,
  config: LoopConfig,
  commands: Iterable<fc.AsyncCommand<TracedModel, World>>,
): Promise<void> {
  const world = config.signals ? stacks.on : stacks.off;
  await world.stack.settle();
  const rates = faultRates(config.faultPercent);
  world.dynamoProxy.configure({ seed: config.faultSeed, rates });
  world.cognitoProxy.configure({ seed: config.faultSeed + 1, rates });
  const firstLog = world.logs.length;
  const model: TracedModel = {
    ...createPoolModel({
      tag: `${process.pid.toString(36)}${(sequences++).toString(36)}`,
      signals: config.signals,
      faulty: config.faultPercent > 0,
    }),
    trace: [],
  };
  const context = { mapping: world.mapping, userPoolId: world.stack.userPoolId };
  const fail = (what: string, detail: string): never => {
    throw new Error(
      `${what}\n${detail}\nsetting: ${JSON.stringify(config)}\nsteps:\n  ${model.trace.join('\n  ')}`,
    );
  };
  try {
    await fc.asyncModelRun(() => ({ model, real: world }), commands);
  } catch (error) {
    fail(
      'an operation did not answer as the model says',
      error instanceof Error ? error.message : String(error),
    );
  }
  const lastOperation = performance.now();

  // With change signals on and no faults, the table follows the pool within 2 s, without a reconcile.
  if (config.signals && config.faultPercent === 0) {
    const follows = async (drifts: Map<string, number>) =>
      tableProblems(world, model, (user) => toleratedRows(user, context), drifts);
    let drifts = new Map<string, number>();
    let problems = await follows(drifts);
    while (problems.length > 0 && performance.now() - lastOperation < CONVERGE_WITHIN_MS) {
      await new Promise((resolve) => setTimeout(resolve, 40));
      drifts = new Map();
      problems = await follows(drifts);
    }
    countDrifts(stacks.coverage, drifts);
    if (problems.length > 0) {
      fail(
        `the table did not follow the pool within ${CONVERGE_WITHIN_MS} ms (no reconcile)`,
        problems.join('\n'),
      );
    }
  }

  // In every case, one `reconcile --update` (orphans marked) makes the table equal the model.
  await world.stack.settle();
  const run = await reconcileOnce(world);
  if (run.code !== 0) fail(`reconcile --update exited ${run.code}`, `${run.stdout}\n${run.stderr}`);
  const drifts = new Map<string, number>();
  const problems = await tableProblems(
    world,
    model,
    (user) => toleratedRows(reconciled(user), context),
    drifts,
  );
  countDrifts(stacks.coverage, drifts);
  if (problems.length > 0)
    fail('after reconcile --update the table differs from the model', problems.join('\n'));

  const logProblems = checkLogs(world.logs.slice(firstLog), [run.stdout, run.stderr]);
  if (logProblems.length > 0) fail('the log lines break a rule', logProblems.join('\n'));

  const key = `signals ${config.signals ? 'on' : 'off'}, ${config.faultPercent}% faults`;
  stacks.coverage.configs.set(key, (stacks.coverage.configs.get(key) ?? 0) + 1);
  for (const proxy of [world.dynamoProxy, world.cognitoProxy]) {
    stacks.coverage.faults += Object.values(proxy.stats().faults).reduce((sum, n) => sum + n, 0);
  }
  for (const step of model.trace) {
    const name = step.split(/[ (]/)[0] ?? step;
    stacks.coverage.operations.set(name, (stacks.coverage.operations.get(name) ?? 0) + 1);
  }
}

function countDrifts(coverage: LoopCoverage, drifts: ReadonlyMap<string, number>): void {
  for (const [entry, count] of drifts) {
    coverage.drifts.set(entry, (coverage.drifts.get(entry) ?? 0) + count);
  }
}

/** Runs `cognito-user-sync reconcile --update --orphans mark` as the command line does, through the proxies. */
async function reconcileOnce(
  world: LoopWorld,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli({
    argv: [
      'reconcile',
      '--user-pool-id',
      world.stack.userPoolId,
      '--table',
      world.stack.tableName,
      '--update',
      '--orphans',
      'mark',
      '--list-rate',
      '1000',
      '--json',
    ],
    stdout: { isTTY: false, write: (chunk: string) => (stdout += chunk) },
    stderr: { isTTY: false, write: (chunk: string) => (stderr += chunk) },
    clients: world.reconcileClients,
    // Rows of this sequence are seconds old: judge them as orphans at once (the
    // console's "include rows created in the last 10 minutes"); shorter backoffs.
    reconcileOptions: { orphanGraceMs: 0, retry: { baseDelayMs: 10, maxDelayMs: 100 } },
  });
  return { code, stdout, stderr };
}

/** Every way the table differs from the model for the sequence's users, and rows of nobody. */
async function tableProblems(
  world: LoopWorld,
  model: TracedModel,
  expectations: (user: ModelUser) => ToleratedRow[],
  drifts?: Map<string, number>,
): Promise<string[]> {
  const key = world.mapping.keyAttribute;
  const rows = new Map(
    (await scanRows(world.stack, world.clients)).map((row) => [String(row[key]), row]),
  );
  const problems: string[] = [];
  for (const user of model.users) {
    const row = rows.get(user.username);
    const candidates = expectations(user);
    const found = candidates.map((expected) => rowProblems(row, expected));
    const match = found.findIndex((list) => list.length === 0);
    if (match >= 0) {
      for (const entry of candidates[match]?.tolerates ?? []) {
        drifts?.set(entry, (drifts.get(entry) ?? 0) + 1);
      }
      continue;
    }
    problems.push(`${describeUser(user)}: ${(found[0] ?? []).join('; ')}`);
  }
  for (const [name, row] of rows) {
    if (!world.usernames.has(name))
      problems.push(`row ${name} belongs to no user: ${JSON.stringify(row)}`);
  }
  return problems;
}

function describeUser(user: ModelUser): string {
  const state = user.deleted ? 'deleted' : `${user.status}${user.enabled ? '' : ', disabled'}`;
  return `${user.label} (${state}, row ${user.row})`;
}

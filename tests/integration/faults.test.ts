// Fault injection: a seeded proxy in front of the local Cognito API and of
// dynalite drops, resets, delays, throttles and fails requests (JSON and
// HTML 500s), and black-holes some. Faults are bounded in rate and in count,
// and clients use short timeouts, so the suite stays within a few seconds.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createCognitoClient } from '../../src/aws/pool/cognitoClient.js';
import { createDynamoDocumentClient } from '../../src/aws/store/dynamoClient.js';
import type { HandlerConfig } from '../../src/domain/config.js';
import { runCli } from '../../src/entry/cli/runCli.js';
import { createPostConfirmationHandler } from '../../src/sync/handler/postConfirmation.js';
import { type FaultKind, type FaultProxy, startFaultProxy } from '../helpers/faultProxy.js';
import { signUpEventFor } from '../helpers/fixtures.js';
import { startHangingServer } from '../helpers/hangingServer.js';
import { captureLogs } from '../helpers/logs.js';
import { OLD, type ReconcileWorld, startReconcileWorld } from './reconcileFixtures.js';

/** 30% of requests fail, in every way the proxy knows. */
const THIRTY_PERCENT: Partial<Record<FaultKind, number>> = {
  delay: 0.04,
  'reset-before': 0.05,
  'reset-after': 0.05,
  'http500-json': 0.04,
  'http500-html': 0.04,
  throttle: 0.05,
  'black-hole': 0.03,
};

/** 40% of requests fail (the warm-container trigger scenario). */
const FORTY_PERCENT: Partial<Record<FaultKind, number>> = {
  delay: 0.04,
  'reset-before': 0.1,
  'reset-after': 0.1,
  'http500-json': 0.05,
  'http500-html': 0.05,
  throttle: 0.04,
  'black-hole': 0.02,
};

function capture() {
  const chunks: string[] = [];
  return {
    stream: { isTTY: false, write: (chunk: string) => chunks.push(chunk) },
    text: () => chunks.join(''),
  };
}

describe('Integration: reconcile through injected faults', () => {
  let world: ReconcileWorld;
  let users: string[];
  let cognitoProxy: FaultProxy;
  let dynamoProxy: FaultProxy;

  before(async () => {
    world = await startReconcileWorld();
    users = await world.createUsers(200, 'faults');
  });
  after(async () => {
    await cognitoProxy?.close();
    await dynamoProxy?.close();
    await world?.close();
  });

  it('loses no user, overwrites no row and tells the truth in one run with 30% faults on both sides', async (t) => {
    // Prepare: some users already have a row (written by "someone else"),
    // and two rows belong to users who are gone.
    const present = users.slice(0, 20);
    for (const key of present) {
      await world.putRow({ username: key, sub: 'kept', source: 'earlier', createdAt: OLD });
    }
    // Their subs are UUIDs, as Cognito's are: the listing's 16 sub shards cover them.
    for (const [index, key] of ['gone-1', 'gone-2'].entries()) {
      const sub = `${'ab'[index]}0000000-0000-4000-8000-000000000000`;
      await world.putRow({ username: key, sub, source: 'earlier', createdAt: OLD });
    }
    cognitoProxy = await startFaultProxy({
      target: world.stack.cognitoEndpoint,
      service: 'cognito',
      // This seed fails 4 of the first 5 ListUsers requests (HTML 500, black
      // hole, reset after and before the server saw it): retries are certain.
      seed: 72,
      rates: THIRTY_PERCENT,
      maxDelayMs: 1500,
      maxFaults: 200,
    });
    dynamoProxy = await startFaultProxy({
      target: world.stack.dynamodbEndpoint,
      service: 'dynamodb',
      seed: 1129,
      rates: THIRTY_PERCENT,
      maxDelayMs: 1500,
      maxFaults: 200,
    });
    const cognito = createCognitoClient({
      endpoint: cognitoProxy.endpoint,
      region: world.stack.region,
      maxAttempts: 1,
      connectionTimeoutMs: 500,
      requestTimeoutMs: 1000,
    });
    const dynamo = createDynamoDocumentClient({
      endpoint: dynamoProxy.endpoint,
      region: world.stack.region,
      maxAttempts: 1,
      requestTimeoutMs: 1000,
    });
    const stdout = capture();
    const stderr = capture();

    // Act
    const code = await runCli({
      argv: [
        'reconcile',
        '--user-pool-id',
        world.stack.userPoolId,
        '--table',
        world.stack.tableName,
        '--orphans',
        'mark',
        '--list-rate',
        '1000',
        '--json',
      ],
      stdout: stdout.stream,
      stderr: stderr.stream,
      clients: { cognito, dynamo },
      reconcileOptions: { retry: { baseDelayMs: 20, maxDelayMs: 200 } },
    });
    cognito.destroy();
    dynamo.destroy();

    // Assess: the faults happened, on both sides.
    const cognitoFaults = cognitoProxy.stats().faults;
    const dynamoFaults = dynamoProxy.stats().faults;
    const total = (faults: Record<string, number>) =>
      Object.values(faults).reduce((sum, n) => sum + n, 0);
    assert.ok(total(cognitoFaults) >= 3, `Cognito faults: ${JSON.stringify(cognitoFaults)}`);
    assert.ok(total(dynamoFaults) >= 20, `DynamoDB faults: ${JSON.stringify(dynamoFaults)}`);

    // Exit code and summary.
    assert.equal(code, 0, stderr.text());
    const summary = JSON.parse(stdout.text());
    t.diagnostic(
      `faults: Cognito ${JSON.stringify(cognitoFaults)}, DynamoDB ${JSON.stringify(dynamoFaults)}; ` +
        `created ${summary.created}, created-or-present ${summary.createdOrPresent}, retries ${summary.retries}, ${summary.durationMs} ms`,
    );
    assert.equal(summary.converged, true);
    assert.equal(summary.failed, 0);
    assert.equal(summary.usersListed, 200);
    assert.equal(summary.toCreate, 180);
    assert.equal(summary.created + summary.createdOrPresent + summary.alreadyPresent, 180);
    assert.equal(summary.toMark, 2);
    assert.equal(summary.marked + summary.markedOrSkipped, 2);

    // No user lost, no row overwritten, orphans marked.
    const rows = await world.rows();
    for (const key of users) assert.ok(rows.has(key), `user ${key} has a row`);
    for (const key of present) {
      assert.equal(rows.get(key)?.source, 'earlier', `row ${key} is untouched`);
      assert.equal(rows.get(key)?.sub, 'kept');
    }
    const written = [...rows.values()].filter((row) => row.source === 'reconcile').length;
    assert.equal(
      written,
      summary.created + summary.createdOrPresent,
      'every row it wrote is counted',
    );
    assert.equal(summary.alreadyPresent, 0, 'no row of its own is counted as someone else’s');
    assert.ok(rows.get('gone-1')?.deletedAt && rows.get('gone-2')?.deletedAt);
  });

  it('stops within its timeouts, says why and prints its summary when Cognito never answers', async () => {
    const silent = await startHangingServer();
    const cognito = createCognitoClient({
      endpoint: silent.endpoint,
      region: world.stack.region,
      maxAttempts: 1,
      requestTimeoutMs: 200,
    });
    const stdout = capture();
    const stderr = capture();
    const started = performance.now();
    try {
      const code = await runCli({
        argv: [
          'reconcile',
          '--user-pool-id',
          world.stack.userPoolId,
          '--table',
          world.stack.tableName,
          '--json',
        ],
        stdout: stdout.stream,
        stderr: stderr.stream,
        clients: { cognito, dynamo: world.dynamo },
        reconcileOptions: { retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 } },
      });
      assert.equal(code, 1);
      const summary = JSON.parse(stdout.text());
      assert.equal(summary.converged, false);
      assert.match(summary.stopReason, /page 1\): no answer within the request timeout/);
      assert.match(
        stderr.text(),
        /ListUsers attempt 1 failed \(no answer within the request timeout/,
      );
      assert.ok(performance.now() - started < 5000);
    } finally {
      cognito.destroy();
      await silent.close();
    }
  });

  it('builds a Cognito client whose calls time out by default (no endless wait)', async () => {
    const client = createCognitoClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' });
    const handler = client.config.requestHandler as unknown as {
      configProvider: Promise<{ requestTimeout?: number; connectionTimeout?: number }>;
    };
    const settings = await handler.configProvider;
    assert.equal(settings.requestTimeout, 10_000);
    assert.equal(settings.connectionTimeout, 3000);
    client.destroy();
  });

  it('the local ListUsers accepts Limit 0, as Cognito does', async () => {
    const { Users } = await world.cognito.send(
      new ListUsersCommand({ UserPoolId: world.stack.userPoolId, Limit: 0 }),
    );
    assert.ok(Array.isArray(Users));
  });
});

describe('Integration: the trigger through injected faults', () => {
  let world: ReconcileWorld;
  let proxy: FaultProxy;
  /** The trigger, as deployed but for its client's one attempt, against `endpoint`. */
  const triggerBehind = (
    endpoint: string,
    options: { readonly requestTimeoutMs: number; readonly deadlineMs: number },
  ) => {
    const client = createDynamoDocumentClient({
      endpoint,
      region: world.stack.region,
      maxAttempts: 1,
      requestTimeoutMs: options.requestTimeoutMs,
    });
    const logs = captureLogs();
    const config: HandlerConfig = {
      tableName: world.stack.tableName,
      keyAttribute: 'username',
      logLevel: 'info',
    };
    const handler = createPostConfirmationHandler({
      config,
      client,
      logger: logs.logger,
      deadlineMs: options.deadlineMs,
    });
    return { client, logs, handler };
  };

  before(async () => {
    world = await startReconcileWorld();
  });
  after(async () => {
    await proxy?.close();
    await world?.close();
  });

  it('keeps retrying in one warm container under 40% faults, never past the deadline, never overwriting', async (t) => {
    proxy = await startFaultProxy({
      target: world.stack.dynamodbEndpoint,
      service: 'dynamodb',
      seed: 40,
      rates: FORTY_PERCENT,
      maxDelayMs: 1000,
    });
    const deadlineMs = 3500;
    const { client, logs, handler } = triggerBehind(proxy.endpoint, {
      requestTimeoutMs: 500,
      deadlineMs,
    });
    const names = Array.from({ length: 100 }, (_, i) => `trigger-${String(i).padStart(3, '0')}`);
    const earlier = names.slice(0, 10);
    for (const key of earlier) {
      await world.putRow({ username: key, sub: 'kept', source: 'earlier', createdAt: OLD });
    }

    let slowest = 0;
    for (const name of names) {
      const started = performance.now();
      const event = signUpEventFor(name);
      assert.equal(await handler(event), event, 'the event is always returned');
      slowest = Math.max(slowest, performance.now() - started);
    }
    client.destroy();

    const outcomes = logs.records().map((record) => String(record.outcome));
    const failed = outcomes.filter((outcome) => outcome === 'failed').length;
    const faults = Object.values(proxy.stats().faults).reduce((sum, n) => sum + n, 0);
    t.diagnostic(
      `requests ${proxy.stats().requests}, faults ${JSON.stringify(proxy.stats().faults)}, failed ${failed}, slowest ${Math.round(slowest)} ms`,
    );
    assert.ok(faults >= 30, `faults injected: ${faults}`);
    assert.ok(slowest < deadlineMs + 500, `slowest invocation: ${Math.round(slowest)} ms`);
    assert.ok(failed <= 3, `failed invocations: ${failed} of ${names.length}`);
    const rows = await world.rows();
    for (const key of earlier) assert.equal(rows.get(key)?.source, 'earlier', `${key} untouched`);
    const landed = names.filter((name) => rows.has(name)).length;
    assert.ok(landed >= names.length - failed, `rows present: ${landed}`);
  });

  it('returns every event within the deadline when DynamoDB swallows every request', async () => {
    const blackHole = await startFaultProxy({
      target: world.stack.dynamodbEndpoint,
      service: 'dynamodb',
      seed: 7,
      rates: { 'black-hole': 1 },
    });
    const deadlineMs = 1000;
    const { client, logs, handler } = triggerBehind(blackHole.endpoint, {
      requestTimeoutMs: 400,
      deadlineMs,
    });
    try {
      const durations = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const started = performance.now();
          const event = signUpEventFor(`silent-${i}`);
          assert.equal(await handler(event), event);
          return performance.now() - started;
        }),
      );
      const slowest = Math.max(...durations);
      assert.ok(slowest < deadlineMs + 250 + 250, `slowest: ${Math.round(slowest)} ms`);
      const outcomes = logs.records().map((record) => record.outcome);
      assert.deepEqual(new Set(outcomes), new Set(['failed']));
    } finally {
      client.destroy();
      await blackHole.close();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CognitoIdentityProviderClient,
  ListUsersCommand,
  type ListUsersCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  type SimulatedCognito,
  simulatedSub,
  simulatedUser,
  startSimulatedCognito,
  THROTTLED_STATUS,
} from '../../../bench/simulatedCognito.js';

const clientFor = (server: SimulatedCognito) =>
  new CognitoIdentityProviderClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    maxAttempts: 1,
  });

async function listAll(
  client: CognitoIdentityProviderClient,
  userPoolId: string,
  limit?: number,
  filter?: string,
): Promise<ListUsersCommandOutput[]> {
  const pages: ListUsersCommandOutput[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListUsersCommand({
        UserPoolId: userPoolId,
        ...(limit === undefined ? {} : { Limit: limit }),
        ...(filter ? { Filter: filter } : {}),
        ...(token ? { PaginationToken: token } : {}),
      }),
    );
    pages.push(page);
    token = page.PaginationToken;
  } while (token);
  return pages;
}

async function failureOf(
  promise: Promise<unknown>,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  assert.fail('the call succeeded');
}

describe('Function: simulatedSub', () => {
  it('gives the same version-4-shaped UUID for the same index, and distinct ones across a large pool', () => {
    assert.equal(simulatedSub(12_345), simulatedSub(12_345));
    assert.match(
      simulatedSub(0),
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    const subs = new Set<string>();
    for (let i = 0; i < 20_000; i++) subs.add(simulatedSub(i));
    assert.equal(subs.size, 20_000);
  });
});

describe('Function: startSimulatedCognito (with the AWS SDK client)', () => {
  describe('paging', () => {
    let server: SimulatedCognito;
    let client: CognitoIdentityProviderClient;
    before(async () => {
      server = await startSimulatedCognito({ users: 250, requestsPerSecond: 10_000, delayMs: 0 });
      client = clientFor(server);
    });
    after(async () => {
      client.destroy();
      await server.close();
    });

    it('returns every user exactly once, 60 a page by default, with no token on the last page', async () => {
      const pages = await listAll(client, server.userPoolId);
      assert.deepEqual(
        pages.map((page) => page.Users?.length),
        [60, 60, 60, 60, 10],
      );
      const names = pages.flatMap((page) => (page.Users ?? []).map((user) => user.Username));
      assert.equal(new Set(names).size, 250);
      assert.deepEqual(
        names,
        Array.from({ length: 250 }, (_, i) => simulatedSub(i)),
      );
      assert.equal(pages.at(-1)?.PaginationToken, undefined);
    });

    it('takes Limit 0 as 60 and honours a smaller Limit', async () => {
      assert.equal((await listAll(client, server.userPoolId, 0)).length, 5);
      const pages = await listAll(client, server.userPoolId, 25);
      assert.equal(pages.length, 10);
      assert.ok(pages.every((page) => page.Users?.length === 25));
    });

    it('serves users shaped like Cognito users', async () => {
      const [page] = await listAll(client, server.userPoolId, 60).then((all) => all.slice(0, 1));
      const user = page?.Users?.[7];
      assert.ok(user);
      const attributes = Object.fromEntries((user.Attributes ?? []).map((a) => [a.Name, a.Value]));
      assert.equal(user.Username, simulatedSub(7));
      assert.equal(attributes.sub, user.Username);
      assert.equal(attributes.email, 'user7@example.com');
      assert.equal(attributes.email_verified, 'false');
      assert.equal(user.UserStatus, 'CONFIRMED');
      assert.equal(user.Enabled, true);
      assert.ok(user.UserCreateDate instanceof Date && user.UserLastModifiedDate instanceof Date);
      assert.equal(user.UserCreateDate.getTime(), simulatedUser(7).UserCreateDate * 1000);
    });

    it('splits the pool into disjoint shards with sub ^= prefix filters, each paged on its own', async () => {
      const shards = await Promise.all(
        [...'0123456789abcdef'].map((digit) =>
          listAll(client, server.userPoolId, 7, `sub ^= "${digit}"`),
        ),
      );
      const names = shards.flatMap((pages) =>
        pages.flatMap((page) => (page.Users ?? []).map((user) => user.Username as string)),
      );
      assert.equal(names.length, 250);
      assert.deepEqual(
        [...names].sort(),
        Array.from({ length: 250 }, (_, i) => simulatedSub(i)).sort(),
      );
      const exact = await listAll(
        client,
        server.userPoolId,
        undefined,
        `username = "${simulatedSub(42)}"`,
      );
      assert.deepEqual(
        exact.flatMap((page) => (page.Users ?? []).map((user) => user.Username)),
        [simulatedSub(42)],
      );
    });

    it('refuses a token issued for another filter', async () => {
      const first = await client.send(
        new ListUsersCommand({ UserPoolId: server.userPoolId, Limit: 10 }),
      );
      const reused = await failureOf(
        client.send(
          new ListUsersCommand({
            UserPoolId: server.userPoolId,
            Filter: 'sub ^= "0"',
            PaginationToken: first.PaginationToken,
          }),
        ),
      );
      assert.equal(reused.name, 'InvalidParameterException');
    });

    it('refuses a Limit above 60, a forged token, another pool and an unsupported Filter, naming the problem', async () => {
      const tooBig = await failureOf(
        client.send(new ListUsersCommand({ UserPoolId: server.userPoolId, Limit: 61 })),
      );
      assert.equal(tooBig.name, 'InvalidParameterException');
      assert.equal(tooBig.$metadata?.httpStatusCode, 400);
      assert.match(tooBig.message, /'61' at 'limit'/);
      const forged = await failureOf(
        client.send(
          new ListUsersCommand({
            UserPoolId: server.userPoolId,
            PaginationToken: Buffer.from('120:forged').toString('base64url'),
          }),
        ),
      );
      assert.equal(forged.name, 'InvalidParameterException');
      const otherPool = await failureOf(
        client.send(new ListUsersCommand({ UserPoolId: 'us-east-1_Other' })),
      );
      assert.equal(otherPool.name, 'ResourceNotFoundException');
      const filtered = await failureOf(
        client.send(new ListUsersCommand({ UserPoolId: server.userPoolId, Filter: 'email = "x"' })),
      );
      assert.equal(filtered.name, 'InvalidParameterException');
      assert.match(filtered.message, /filters on sub or username/);
    });
  });

  describe('quota', () => {
    it('answers the requests above 30 a second with TooManyRequestsException', async () => {
      // A frozen clock: the bucket refills only when the test moves time on.
      let clock = 0;
      const server = await startSimulatedCognito({ users: 100, delayMs: 5, now: () => clock });
      const client = clientFor(server);
      try {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 40 }, () =>
            client.send(new ListUsersCommand({ UserPoolId: server.userPoolId, Limit: 10 })),
          ),
        );
        const failures = outcomes.flatMap((outcome) =>
          outcome.status === 'rejected'
            ? [outcome.reason as Error & { $metadata?: { httpStatusCode?: number } }]
            : [],
        );
        assert.equal(outcomes.length - failures.length, 30);
        assert.equal(failures.length, 10);
        for (const failure of failures) {
          assert.equal(failure.name, 'TooManyRequestsException');
          assert.equal(failure.$metadata?.httpStatusCode, THROTTLED_STATUS);
        }
        assert.deepEqual(
          { requests: server.stats().requests, throttled: server.stats().throttled },
          { requests: 40, throttled: 10 },
        );

        clock += 500;
        const halfSecond = await Promise.allSettled(
          Array.from({ length: 20 }, () =>
            client.send(new ListUsersCommand({ UserPoolId: server.userPoolId })),
          ),
        );
        assert.equal(halfSecond.filter((outcome) => outcome.status === 'fulfilled').length, 15);
      } finally {
        client.destroy();
        await server.close();
      }
    });
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import {
  type SimulatedCognito,
  simulatedSub,
  startSimulatedCognito,
} from '../../../bench/simulatedCognito.js';
import {
  type ListingPosition,
  listPoolUsers,
  type PoolUser,
  parseListingPosition,
} from '../../../src/aws/pool/listPoolUsers.js';
import { createRateLimiter } from '../../../src/shared/rateLimiter.js';

const USERS = 2_500;

describe('Function: listPoolUsers, over HTTP against the simulated Cognito', () => {
  let server: SimulatedCognito;
  let client: CognitoIdentityProviderClient;

  before(async () => {
    server = await startSimulatedCognito({ users: USERS, requestsPerSecond: 10_000, delayMs: 2 });
    client = new CognitoIdentityProviderClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
    });
  });

  after(async () => {
    client.destroy();
    await server.close();
  });

  const list = (position?: ListingPosition, shouldStop?: () => boolean) => {
    const users: PoolUser[] = [];
    const run = listPoolUsers(client, {
      userPoolId: server.userPoolId,
      rateLimiter: createRateLimiter({ ratePerSecond: 10_000 }),
      ...(position ? { position } : {}),
      ...(shouldStop ? { shouldStop } : {}),
      onPage: (page) => {
        users.push(...page);
      },
    });
    return run.then((result) => ({ result, users }));
  };

  it('lists every user exactly once through the 16 sub ^= filters, stopped and resumed from a JSON position', async () => {
    // Prepare
    const expected = Array.from({ length: USERS }, (_, index) => simulatedSub(index)).sort();
    const requestsBefore = server.stats().requests;

    // Act: stop after 10 pages, store the position as JSON, resume from it
    let pages = 0;
    const first = await list(undefined, () => ++pages > 10);
    const stored = JSON.stringify(first.result.position);
    const second = await list(parseListingPosition(JSON.parse(stored)));

    // Assess
    assert.equal(first.result.complete, false);
    assert.equal(second.result.complete, true);
    const listed = [...first.users, ...second.users].map((user) => user.attributes.sub ?? '');
    assert.equal(listed.length, USERS);
    assert.deepEqual(listed.sort(), expected);
    const stats = server.stats();
    assert.equal(stats.rejected, 0);
    assert.equal(stats.requests - requestsBefore, first.result.pages + second.result.pages);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RateLimiter } from '../../../src/shared/rateLimiter.js';
import {
  GroupMemberships,
  readGroupMemberships,
} from '../../../src/sync/reconcile/groupMemberships.js';

describe('Class: GroupMemberships', () => {
  it("gives each user's groups sorted, each once, and nothing for users in no group", () => {
    const memberships = new GroupMemberships(['editors', 'admins', 'Beta'], 7);
    memberships.add('ana', 0);
    memberships.add('ana', 1);
    memberships.add('ana', 1);
    memberships.add('ana', 2);
    memberships.add('bo', 0);

    assert.deepEqual(memberships.groupsOf('ana'), ['Beta', 'admins', 'editors']);
    assert.deepEqual(memberships.groupsOf('bo'), ['editors']);
    assert.deepEqual(memberships.groupsOf('cy'), []);
    assert.equal(memberships.members, 2);
    assert.equal(memberships.groupCount, 3);
  });
});

describe('Function: readGroupMemberships', () => {
  it("lists the groups, then each group's members page by page, pacing each call with its own limiter", async () => {
    const members: Record<string, string[]> = {
      admins: ['ana'],
      editors: Array.from({ length: 130 }, (_, i) => `user-${i}`).concat('ana'),
      empty: [],
    };
    const sent: string[] = [];
    const client = {
      send: async (command: unknown) => {
        const { input } = command as { input: Record<string, unknown> };
        const name = (command as object).constructor.name;
        sent.push(name);
        const start = input.NextToken ? Number(input.NextToken) : 0;
        if (name === 'ListGroupsCommand') {
          return { Groups: Object.keys(members).map((GroupName) => ({ GroupName })) };
        }
        const all = members[String(input.GroupName)] ?? [];
        const page = all.slice(start, start + 60).map((Username) => ({ Username }));
        return {
          Users: page,
          ...(start + 60 < all.length ? { NextToken: String(start + 60) } : {}),
        };
      },
    };
    const counting = (): RateLimiter & { taken: number } => {
      const limiter = { taken: 0, take: async () => void limiter.taken++ };
      return limiter;
    };
    const groupsLimiter = counting();
    const membersLimiter = counting();

    const memberships = await readGroupMemberships(client, 'us-east-1_Pool1', {
      groupsLimiter,
      membersLimiter,
    });

    assert.deepEqual(memberships.groupsOf('ana'), ['admins', 'editors']);
    assert.deepEqual(memberships.groupsOf('user-129'), ['editors']);
    assert.deepEqual(memberships.groupsOf('nobody'), []);
    assert.equal(memberships.members, 131);
    assert.equal(groupsLimiter.taken, 1, 'one ListGroups page');
    assert.equal(
      membersLimiter.taken,
      1 + 3 + 1,
      'ListUsersInGroup pages: admins 1, editors 3, empty 1',
    );
    assert.equal(sent.length, 6);
  });
});

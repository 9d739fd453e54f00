import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodePageToken,
  encodePageToken,
  MAX_LIST_USERS_LIMIT,
  pageOfUsers,
  parseListUsersLimit,
} from '../../../src/local/pagedListUsers.js';

const users = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ Username: `user-${String(i).padStart(4, '0')}` }));

const shuffled = <T>(items: T[]): T[] =>
  items
    .map((item, i) => ({ item, key: (i * 7919) % items.length }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);

function pageAll(all: { Username: string }[], limit?: number, filter?: string) {
  const pages: string[][] = [];
  let paginationToken: string | undefined;
  do {
    const page = pageOfUsers(all, { userPoolId: 'pool', filter, limit, paginationToken });
    pages.push(page.users.map((user) => user.Username));
    paginationToken = page.paginationToken;
  } while (paginationToken);
  return pages;
}

describe('Function: parseListUsersLimit', () => {
  it('defaults to 60', () => {
    assert.equal(parseListUsersLimit(undefined), MAX_LIST_USERS_LIMIT);
  });

  for (const limit of [1, 30, 60]) {
    it(`accepts ${limit}`, () => {
      assert.equal(parseListUsersLimit(limit), limit);
    });
  }

  it('takes 0 as the default of 60, as the API model allows 0', () => {
    assert.equal(parseListUsersLimit(0), MAX_LIST_USERS_LIMIT);
  });

  for (const limit of [61, -5, 1.5, '10']) {
    it(`throws InvalidParameterException for ${JSON.stringify(limit)}`, () => {
      assert.throws(() => parseListUsersLimit(limit), { code: 'InvalidParameterException' });
    });
  }
});

describe('Function: pageOfUsers', () => {
  it('cuts 150 users into pages of 60, 60 and 30, each user once, in username order', () => {
    const all = users(150);

    const pages = pageAll(shuffled(all));

    assert.deepEqual(
      pages.map((page) => page.length),
      [60, 60, 30],
    );
    assert.deepEqual(
      pages.flat(),
      all.map((user) => user.Username),
    );
  });

  it('gives no token when the page holds the last user', () => {
    assert.deepEqual(pageOfUsers(users(60), { userPoolId: 'pool' }).paginationToken, undefined);
    assert.deepEqual(pageOfUsers([], { userPoolId: 'pool' }), { users: [] });
  });

  it('neither repeats nor skips users present throughout when users are added between pages', () => {
    const all = users(100);
    const first = pageOfUsers(all, { userPoolId: 'pool', limit: 50 });
    const grown = [...all, { Username: 'user-0000a' }, { Username: 'user-9999' }];

    const second = pageOfUsers(grown, {
      userPoolId: 'pool',
      limit: 60,
      paginationToken: first.paginationToken,
    });

    const seen = [...first.users, ...second.users].map((user) => user.Username);
    assert.equal(new Set(seen).size, seen.length);
    for (const user of all) assert.ok(seen.includes(user.Username), user.Username);
  });

  it('throws InvalidParameterException for a token of another pool or filter', () => {
    const token = encodePageToken('pool', 'email ^= "a"', 'user-0001');

    assert.throws(() => decodePageToken(token, 'other', 'email ^= "a"'), {
      code: 'InvalidParameterException',
    });
    assert.throws(() => decodePageToken(token, 'pool', undefined), {
      code: 'InvalidParameterException',
    });
    assert.equal(decodePageToken(token, 'pool', 'email ^= "a"'), 'user-0001');
  });

  for (const token of ['garbage', '', 42, Buffer.from('{"v":2}').toString('base64url')]) {
    it(`throws InvalidParameterException for the token ${JSON.stringify(token)}`, () => {
      assert.throws(() => pageOfUsers(users(3), { userPoolId: 'pool', paginationToken: token }), {
        code: 'InvalidParameterException',
      });
    });
  }
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  ListUsersCommand,
  type ListUsersCommandInput,
  paginateListUsers,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import { clientsFor, type StackClients, startTestStack } from '../../harness/localStack.js';
import type { LocalStack } from '../../src/local/startLocalStack.js';

describe('Local stack: ListUsers paging', () => {
  let stack: LocalStack;
  let clients: StackClients;
  const usernames = new Set<string>();

  const listAll = async (input: Omit<ListUsersCommandInput, 'UserPoolId'> = {}) => {
    const pages: UserType[][] = [];
    let token: string | undefined;
    do {
      const page = await clients.cognito.send(
        new ListUsersCommand({ UserPoolId: stack.userPoolId, ...input, PaginationToken: token }),
      );
      pages.push(page.Users ?? []);
      token = page.PaginationToken;
    } while (token);
    return pages;
  };

  before(async () => {
    stack = await startTestStack();
    clients = clientsFor(stack);
    for (let batch = 0; batch < 6; batch++) {
      const created = await Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          clients.cognito.send(
            new AdminCreateUserCommand({
              UserPoolId: stack.userPoolId,
              Username: `paged-${batch * 25 + i}@example.com`,
              UserAttributes: [{ Name: 'email', Value: `paged-${batch * 25 + i}@example.com` }],
              MessageAction: 'SUPPRESS',
            }),
          ),
        ),
      );
      for (const { User } of created) usernames.add(User?.Username ?? '');
    }
  });

  after(async () => {
    clients.destroy();
    await stack.stop();
  });

  it('returns 150 users in pages of 60, 60 and 30, each once', async () => {
    const pages = await listAll();

    assert.deepEqual(
      pages.map((page) => page.length),
      [60, 60, 30],
    );
    const listed = pages.flat().map((user) => user.Username);
    assert.equal(new Set(listed).size, 150);
    assert.deepEqual(new Set(listed), usernames);
  });

  it('honours Limit', async () => {
    const pages = await listAll({ Limit: 25 });

    assert.deepEqual(
      pages.map((page) => page.length),
      [25, 25, 25, 25, 25, 25],
    );
    assert.equal(new Set(pages.flat().map((user) => user.Username)).size, 150);
  });

  it('lists in the same order every time', async () => {
    const first = (await listAll({ Limit: 7 })).flat().map((user) => user.Username);
    const second = (await listAll({ Limit: 60 })).flat().map((user) => user.Username);

    assert.deepEqual(first, second);
  });

  it('works with the SDK paginator', async () => {
    let count = 0;
    let pages = 0;
    for await (const page of paginateListUsers(
      { client: clients.cognito, pageSize: 50 },
      { UserPoolId: stack.userPoolId },
    )) {
      pages++;
      count += page.Users?.length ?? 0;
    }

    assert.equal(pages, 3);
    assert.equal(count, 150);
  });

  it('keeps Filter working across pages', async () => {
    const pages = await listAll({ Filter: 'email ^= "paged-1"', Limit: 20 });

    const emails = pages
      .flat()
      .map((user) => user.Attributes?.find((a) => a.Name === 'email')?.Value ?? '');
    // paged-1, paged-10..19, paged-100..149
    assert.equal(emails.length, 1 + 10 + 50);
    assert.ok(emails.every((email) => email.startsWith('paged-1')));
    assert.deepEqual(
      pages.map((page) => page.length),
      [20, 20, 20, 1],
    );
  });

  it('returns only the attributes asked for with AttributesToGet', async () => {
    const { Users = [] } = await clients.cognito.send(
      new ListUsersCommand({ UserPoolId: stack.userPoolId, Limit: 3, AttributesToGet: ['email'] }),
    );

    assert.equal(Users.length, 3);
    for (const user of Users) {
      assert.deepEqual(
        user.Attributes?.map((a) => a.Name),
        ['email'],
      );
    }
  });

  it('accepts Limit 0, which the API model allows, as the default page', async () => {
    const { Users = [] } = await clients.cognito.send(
      new ListUsersCommand({ UserPoolId: stack.userPoolId, Limit: 0 }),
    );
    assert.ok(Users.length > 0);
  });

  for (const limit of [61, -1]) {
    it(`fails with InvalidParameterException for Limit ${limit}`, async () => {
      await assert.rejects(
        clients.cognito.send(new ListUsersCommand({ UserPoolId: stack.userPoolId, Limit: limit })),
        { name: 'InvalidParameterException' },
      );
    });
  }

  it('fails with InvalidParameterException for a malformed token', async () => {
    await assert.rejects(
      clients.cognito.send(
        new ListUsersCommand({ UserPoolId: stack.userPoolId, PaginationToken: 'not-a-token' }),
      ),
      { name: 'InvalidParameterException' },
    );
  });

  it('fails with InvalidParameterException for a token used with another filter', async () => {
    const { PaginationToken } = await clients.cognito.send(
      new ListUsersCommand({ UserPoolId: stack.userPoolId, Limit: 10 }),
    );

    await assert.rejects(
      clients.cognito.send(
        new ListUsersCommand({
          UserPoolId: stack.userPoolId,
          Filter: 'email ^= "paged"',
          PaginationToken,
        }),
      ),
      { name: 'InvalidParameterException' },
    );
  });
});

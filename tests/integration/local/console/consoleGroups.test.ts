import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  clientsFor,
  type StackClients,
  signUpAndConfirm,
  startTestStack,
} from '../../../../harness/localStack.js';
import type { LocalStack } from '../../../../src/local/startLocalStack.js';

interface GroupPair {
  key: string;
  status: string;
  user?: { userName: string; email?: string; groups?: string[] };
  row?: Record<string, unknown>;
  differences: string[];
}

interface PairsAnswer {
  groups: string[];
  items: GroupPair[];
}

interface ActivityAnswer {
  entries: { source: string; outcome: string; username?: string; message: string }[];
}

describe("The console's groups on the local stack (the mapping keeps groups)", () => {
  let stack: LocalStack;
  let clients: StackClients;
  let username: string;
  const email = 'grace@example.com';

  before(async () => {
    stack = await startTestStack({
      changeSignals: false,
      rowMapping: JSON.stringify({ fields: { groups: 'groups' } }),
    });
    clients = clientsFor(stack);
    username = await signUpAndConfirm(stack, clients, email);
  });

  after(async () => {
    clients?.destroy();
    await stack?.stop();
  });

  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(new URL(`api${path}`, stack.consoleUrl));
    assert.equal(response.status, 200, path);
    return (await response.json()) as T;
  };
  const post = async (path: string, body: unknown): Promise<[number, Record<string, string>]> => {
    const response = await fetch(new URL(`api${path}`, stack.consoleUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return [response.status, (await response.json()) as Record<string, string>];
  };
  const pairs = () => get<PairsAnswer>(`/pairs?search=${encodeURIComponent(email)}`);
  const pair = async (): Promise<GroupPair> => {
    const found = (await pairs()).items.find((item) => item.user?.email === email);
    assert.ok(found, 'the user is listed');
    return found;
  };
  const reconcile = async (): Promise<void> => {
    const response = await fetch(new URL('api/reconcile', stack.consoleUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dryRun: false, update: true, orphans: 'report' }),
    });
    assert.equal(response.status, 202);
    for (;;) {
      const state = await get<{ state: string }>('/reconcile');
      if (state.state !== 'running') {
        assert.equal(state.state, 'done');
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('tells the page which row column holds the groups, and shows the user in no group', async () => {
    const overview = await get<{ groupsColumn?: string }>('/overview');
    assert.equal(overview.groupsColumn, 'groups');
    const answer = await pairs();
    assert.deepEqual(answer.groups, []);
    assert.deepEqual(answer.items[0]?.user?.groups, []);
  });

  it('creates a group, and refuses the same name again without touching the group', async () => {
    const [status, answer] = await post('/groups/create', { group: 'admins' });
    assert.equal(status, 200);
    assert.equal(answer.message, 'Created group "admins" in the pool.');
    assert.deepEqual((await pairs()).groups, ['admins']);

    const [again, refused] = await post('/groups/create', { group: 'admins' });
    assert.equal(again, 422);
    assert.equal(refused.error, 'The pool already has a group named "admins".');
  });

  it("adds the user to groups: the snapshot shows the user's groups beside the row's, and reconcile writes them", async () => {
    assert.equal((await post('/groups/create', { group: 'readers' }))[0], 200);
    for (const group of ['readers', 'admins']) {
      const [status, answer] = await post('/users/add-to-group', { username, group });
      assert.equal(status, 200);
      assert.equal(answer.message, `Added ${username} to group "${group}".`);
    }

    const added = await pair();
    assert.deepEqual(added.user?.groups, ['admins', 'readers']);
    // Whether a change signal has converged the row yet or not, the status says which.
    const rowHasThem = JSON.stringify(added.row?.groups) === JSON.stringify(['admins', 'readers']);
    assert.equal(added.differences.includes('groups'), !rowHasThem);
    assert.equal(added.status, rowHasThem ? 'in-sync' : 'attributes-differ');

    await reconcile();
    const reconciled = await pair();
    assert.deepEqual(reconciled.row?.groups, ['admins', 'readers']);
    assert.equal(reconciled.status, 'in-sync');
  });

  it("removes the user from a group: the user's groups shrink and the row then differs", async () => {
    const [status, answer] = await post('/users/remove-from-group', { username, group: 'readers' });
    assert.equal(status, 200);
    assert.equal(answer.message, `Removed ${username} from group "readers".`);

    const removed = await pair();
    assert.deepEqual(removed.user?.groups, ['admins']);
    const rowHasThem = JSON.stringify(removed.row?.groups) === JSON.stringify(['admins']);
    assert.equal(removed.differences.includes('groups'), !rowHasThem);
    assert.deepEqual((await pairs()).groups, ['admins', 'readers'], 'the group itself stays');
  });

  it('refuses bad input naming the field, and a missing group or user in plain words', async () => {
    const cases: [string, unknown, number, string][] = [
      ['/groups/create', {}, 400, 'Invalid input: "group" is required.'],
      [
        '/groups/create',
        { group: 'two words' },
        400,
        'Invalid input: "group" may hold only letters, digits, symbols and punctuation (no spaces or control characters).',
      ],
      [
        '/groups/create',
        { group: 'g'.repeat(129) },
        400,
        'Invalid input: "group" must be at most 128 characters (it has 129).',
      ],
      ['/users/add-to-group', { group: 'admins' }, 400, 'Invalid input: "username" is required.'],
      ['/users/remove-from-group', { username }, 400, 'Invalid input: "group" is required.'],
      [
        '/users/add-to-group',
        { username, group: 'nobody' },
        422,
        'The pool has no group named "nobody".',
      ],
    ];
    for (const [path, body, status, error] of cases) {
      const [answered, answer] = await post(path, body);
      assert.equal(answered, status, `${path} ${JSON.stringify(body)}`);
      assert.equal(answer.error, error);
    }
    const [unknownUser, answer] = await post('/users/add-to-group', {
      username: 'no-such-user',
      group: 'admins',
    });
    assert.equal(unknownUser, 422);
    assert.match(answer.error ?? '', /^No such user in the pool\./);
    assert.deepEqual((await pair()).user?.groups, ['admins'], 'nothing changed');
  });

  it('lists the group actions in the activity log, refusals included, without e-mail addresses', async () => {
    const { entries } = await get<ActivityAnswer>('/activity?limit=200');
    const console = entries.filter((entry) => entry.source.startsWith('console_'));
    const seen = console.map((entry) => `${entry.source} ${entry.outcome}`).reverse();
    assert.deepEqual(seen, [
      'console_CreateGroup group-created',
      'console_CreateGroup failed',
      'console_CreateGroup group-created',
      'console_AdminAddUserToGroup added-to-group',
      'console_AdminAddUserToGroup added-to-group',
      'console_AdminRemoveUserFromGroup removed-from-group',
      'console_AdminAddUserToGroup failed',
      'console_AdminAddUserToGroup failed',
    ]);
    const removal = console.find((entry) => entry.outcome === 'removed-from-group');
    assert.equal(removal?.username, username);
    assert.match(removal?.message ?? '', /from group "readers"/);
    assert.ok(!JSON.stringify(entries).includes(email));
  });
});

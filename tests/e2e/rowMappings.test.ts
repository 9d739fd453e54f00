import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type CommandClients,
  clientsFor,
  commandClientsFor,
  type StackClients,
  signIn,
  signUpAndConfirm,
  startTestStack,
} from '../../harness/localStack.js';
import type { RowMappingDocument } from '../../src/domain/rowMapping/document.js';
import { runCli } from '../../src/entry/cli/runCli.js';
import type { LocalStack } from '../../src/local/startLocalStack.js';

/** A change reaches the table within 2 seconds (the lifecycle's promise). */
const WITHIN_MS = 2000;

type Row = Record<string, unknown>;

/** A user of the pool, and how the mapping keys their row. */
interface KeyedUser {
  readonly username: string;
  readonly sub: string;
  readonly email: string;
}

/** One of the row mapping's examples as written in its contract, and what its rows must be. */
interface MappingCase {
  readonly name: string;
  readonly document: RowMappingDocument;
  readonly keyOf: (user: KeyedUser) => Row;
  /** Checks a live user's row: exactly the mapped columns, no default name in their place. */
  readonly checkRow: (row: Row, user: KeyedUser) => void;
  /** Items of other entities the table holds, which no path may touch. */
  readonly others: readonly Row[];
}

const CASES: readonly MappingCase[] = [
  {
    name: "1. the tutorial's table: key username, the e-mail in useremail",
    document: { fields: { email: 'useremail' } },
    keyOf: (user) => ({ username: user.username }),
    checkRow: (row, user) => {
      assert.equal(row.useremail, user.email);
      assert.equal('email' in row, false, 'no email column: useremail holds it');
      assert.equal(row.sub, user.sub);
      assert.deepEqual((row.attributes as Row).email, user.email);
    },
    others: [],
  },
  {
    name: '2. a single-table design shared with other entities',
    document: {
      key: { attribute: 'pk', template: 'USER#{sub}' },
      sortKey: { attribute: 'sk', template: 'PROFILE' },
      constants: { entityType: 'User' },
    },
    keyOf: (user) => ({ pk: `USER#${user.sub}`, sk: 'PROFILE' }),
    checkRow: (row, user) => {
      assert.equal(row.entityType, 'User');
      assert.equal(row.email, user.email);
      assert.equal(row.sub, user.sub);
      assert.equal('username' in row, false, 'the key is pk and sk, no username column');
    },
    others: [
      { pk: 'ORDER#1', sk: 'ORDER', entityType: 'Order', total: 42 },
      { pk: 'ORDER#1', sk: 'ITEM#1', entityType: 'OrderItem', sku: 'A' },
      { pk: 'PRODUCT#9', sk: 'PROFILE', entityType: 'Product', name: 'a product, not a user' },
    ],
  },
  {
    name: '3. keyed by sub, no attribute map, chosen attributes as columns',
    document: {
      key: { attribute: 'userId', template: '{sub}' },
      fields: { attributes: false },
      attributes: { given_name: 'firstName', 'custom:plan': 'plan' },
    },
    keyOf: (user) => ({ userId: user.sub }),
    checkRow: (row, user) => {
      assert.equal(row.userId, user.sub);
      assert.equal('attributes' in row, false, 'no attributes map');
      assert.equal(row.email, user.email);
    },
    others: [],
  },
];

for (const mapping of CASES) {
  describe(`Local stack under row mapping ${mapping.name}`, () => {
    let stack: LocalStack;
    let clients: StackClients;
    let reconcileClients: CommandClients;
    let counter = 0;
    const newEmail = (): string => `map-${++counter}-${Date.now()}@example.com`;

    const rowAt = async (key: Row): Promise<Row | undefined> =>
      (
        await clients.dynamo.send(
          new GetCommand({ TableName: stack.tableName, Key: key, ConsistentRead: true }),
        )
      ).Item;
    const waitForRow = async (
      key: Row,
      check: (row: Row | undefined) => boolean,
    ): Promise<Row | undefined> => {
      const started = Date.now();
      for (;;) {
        const row = await rowAt(key);
        if (check(row)) return row;
        if (Date.now() - started > WITHIN_MS)
          assert.fail(`the row did not change within ${WITHIN_MS} ms: ${JSON.stringify(row)}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    const userNamed = async (email: string): Promise<KeyedUser> => {
      const user = await clients.cognito.send(
        new AdminGetUserCommand({ UserPoolId: stack.userPoolId, Username: email }),
      );
      const sub = user.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
      assert.ok(user.Username && sub);
      return { username: user.Username, sub, email };
    };
    const reconcile = async (expectedCode: number, ...flags: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli({
        argv: [
          'reconcile',
          '--user-pool-id',
          stack.userPoolId,
          '--table',
          stack.tableName,
          '--row-mapping',
          JSON.stringify(mapping.document),
          '--list-rate',
          '1000',
          '--json',
          ...flags,
        ],
        stdout: { isTTY: false, write: (chunk: string) => (stdout += chunk) },
        stderr: { isTTY: false, write: (chunk: string) => (stderr += chunk) },
        clients: reconcileClients,
        reconcileOptions: { orphanGraceMs: 0 },
      });
      assert.equal(code, expectedCode, stderr);
      return JSON.parse(stdout) as Record<string, unknown>;
    };
    const allItems = async (): Promise<Row[]> =>
      (
        await clients.dynamo.send(
          new ScanCommand({ TableName: stack.tableName, ConsistentRead: true }),
        )
      ).Items ?? [];

    before(async () => {
      stack = await startTestStack({ rowMapping: mapping.document });
      clients = clientsFor(stack);
      reconcileClients = commandClientsFor(stack);
      for (const item of mapping.others)
        await clients.dynamo.send(new PutCommand({ TableName: stack.tableName, Item: item }));
    });

    after(async () => {
      clients?.destroy();
      reconcileClients?.destroy();
      await stack?.stop();
    });

    it('sign-up, sign-in, an attribute change, disable and deletion give exactly the mapped row', async () => {
      const email = newEmail();
      await signUpAndConfirm(stack, clients, email);
      const user = await userNamed(email);
      const key = mapping.keyOf(user);

      const created = await waitForRow(key, (row) => row !== undefined);
      assert.ok(created);
      mapping.checkRow(created, user);
      assert.equal(created.enabled, true);

      assert.equal(await signIn(stack, clients, email), true);
      await waitForRow(key, (row) => typeof row?.lastSignInAt === 'string');

      await clients.cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: stack.userPoolId,
          Username: user.username,
          UserAttributes: [{ Name: 'given_name', Value: 'Ada' }],
        }),
      );
      const column = mapping.document.attributes?.given_name;
      const givenName = (row: Row | undefined) =>
        column ? row?.[column] : (row?.attributes as Row | undefined)?.given_name;
      const changed = await waitForRow(key, (row) => givenName(row) === 'Ada');
      assert.ok(changed);
      mapping.checkRow(changed, user);

      await clients.cognito.send(
        new AdminDisableUserCommand({ UserPoolId: stack.userPoolId, Username: user.username }),
      );
      await waitForRow(key, (row) => row?.enabled === false);

      await clients.cognito.send(
        new AdminDeleteUserCommand({ UserPoolId: stack.userPoolId, Username: user.username }),
      );
      const marked = await waitForRow(key, (row) => typeof row?.deletedAt === 'string');
      assert.ok(marked);
      for (const column of ['email', 'useremail', 'attributes', 'firstName', 'lastSignInAt']) {
        assert.equal(column in marked, false, `${column} is erased from a deleted user's row`);
      }
    });

    it('reconcile: a dry run writes nothing, then it creates, updates and marks exactly the mapped rows, and no other item', async () => {
      // A user the trigger never saw (created by an administrator), one whose row was edited, an orphan.
      const missingEmail = newEmail();
      await clients.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: stack.userPoolId,
          Username: missingEmail,
          UserAttributes: [{ Name: 'email', Value: missingEmail }],
          MessageAction: 'SUPPRESS',
        }),
      );
      const missing = await userNamed(missingEmail);
      // The change signal of AdminCreateUser wrote its row: lose it, as a failed write would.
      await waitForRow(mapping.keyOf(missing), (row) => row !== undefined);
      await clients.dynamo.send(
        new DeleteCommand({ TableName: stack.tableName, Key: mapping.keyOf(missing) }),
      );
      const editedEmail = newEmail();
      await signUpAndConfirm(stack, clients, editedEmail);
      const edited = await userNamed(editedEmail);
      await waitForRow(mapping.keyOf(edited), (row) => row !== undefined);
      await clients.dynamo.send(
        new UpdateCommand({
          TableName: stack.tableName,
          Key: mapping.keyOf(edited),
          UpdateExpression: 'SET #enabled = :no, #app = :app',
          ExpressionAttributeNames: { '#enabled': 'enabled', '#app': 'appField' },
          ExpressionAttributeValues: { ':no': false, ':app': 'kept' },
        }),
      );
      const gone = {
        username: 'gone-user',
        sub: '00000000-0000-4000-8000-00000000dead',
        email: 'gone@example.com',
      };
      const orphan = {
        ...mapping.keyOf(gone),
        sub: gone.sub,
        createdAt: '2020-01-01T00:00:00.000Z',
      };
      await clients.dynamo.send(new PutCommand({ TableName: stack.tableName, Item: orphan }));
      const before = await allItems();

      // A dry run that finds work exits 1 (not converged) and writes nothing.
      const plan = await reconcile(1, '--dry-run', '--update', '--orphans', 'mark');
      assert.deepEqual(await allItems(), before, 'a dry run writes nothing');
      assert.match(JSON.stringify(plan), /"toCreate":1/);

      await reconcile(0, '--update', '--orphans', 'mark');

      const createdRow = await rowAt(mapping.keyOf(missing));
      assert.ok(createdRow, 'the missing user got a row');
      mapping.checkRow(createdRow, missing);
      const updatedRow = await rowAt(mapping.keyOf(edited));
      assert.equal(updatedRow?.enabled, true, 'the edited managed field is put back');
      assert.equal(updatedRow?.appField, 'kept', 'an app field is kept');
      const orphanRow = await rowAt(mapping.keyOf(gone));
      assert.equal(typeof orphanRow?.deletedAt, 'string', 'the orphan is marked');
      for (const item of mapping.others) {
        const after = await rowAt({ pk: item.pk, sk: item.sk });
        assert.deepEqual(after, item, `${String(item.pk)} ${String(item.sk)} is untouched`);
      }
      await clients.dynamo.send(
        new DeleteCommand({ TableName: stack.tableName, Key: mapping.keyOf(gone) }),
      );
    });
  });
}

describe('Local stack: migrating from the tutorial (mapping 1)', () => {
  it('adopts the rows the tutorial wrote, keeping useremail, and writes useremail for new users', async () => {
    const stack = await startTestStack({ rowMapping: { fields: { email: 'useremail' } } });
    const clients = clientsFor(stack);
    const reconcileClients = commandClientsFor(stack);
    try {
      // A user from before, with the row the tutorial's trigger wrote.
      const oldEmail = `tutorial-${Date.now()}@example.com`;
      await clients.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: stack.userPoolId,
          Username: oldEmail,
          UserAttributes: [{ Name: 'email', Value: oldEmail }],
          MessageAction: 'SUPPRESS',
        }),
      );
      const old = await clients.cognito.send(
        new AdminGetUserCommand({ UserPoolId: stack.userPoolId, Username: oldEmail }),
      );
      assert.ok(old.Username);
      await clients.dynamo.send(
        new PutCommand({
          TableName: stack.tableName,
          Item: { username: old.Username, useremail: oldEmail, favouriteColour: 'teal' },
        }),
      );

      let stderr = '';
      const code = await runCli({
        argv: [
          'reconcile',
          '--user-pool-id',
          stack.userPoolId,
          '--table',
          stack.tableName,
          '--row-mapping',
          '{"fields":{"email":"useremail"}}',
          '--update',
          '--list-rate',
          '1000',
        ],
        stdout: { isTTY: false, write: () => {} },
        stderr: { isTTY: false, write: (chunk: string) => (stderr += chunk) },
        clients: reconcileClients,
      });
      assert.equal(code, 0, stderr);

      const adopted = (
        await clients.dynamo.send(
          new GetCommand({
            TableName: stack.tableName,
            Key: { username: old.Username },
            ConsistentRead: true,
          }),
        )
      ).Item;
      assert.equal(adopted?.useremail, oldEmail, 'useremail is kept');
      assert.equal(adopted?.favouriteColour, 'teal', "the app's own field is kept");
      assert.equal(typeof adopted?.sub, 'string', 'the managed fields are added');
      assert.equal('email' in (adopted ?? {}), false);

      const newEmail = `tutorial-new-${Date.now()}@example.com`;
      await signUpAndConfirm(stack, clients, newEmail);
      const fresh = await clients.cognito.send(
        new AdminGetUserCommand({ UserPoolId: stack.userPoolId, Username: newEmail }),
      );
      const row = (
        await clients.dynamo.send(
          new GetCommand({
            TableName: stack.tableName,
            Key: { username: fresh.Username },
            ConsistentRead: true,
          }),
        )
      ).Item;
      assert.equal(row?.useremail, newEmail, 'a new user gets useremail, not email');
      assert.equal('email' in (row ?? {}), false);
    } finally {
      clients.destroy();
      reconcileClients.destroy();
      await stack.stop();
    }
  });
});

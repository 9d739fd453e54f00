import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminGetUserCommand,
  ListUsersCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { CreateTableCommand, type KeySchemaElement } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import type { PostAuthenticationTriggerEvent } from 'aws-lambda';
import { createDynamoDocumentClient } from '../../src/aws/store/dynamoClient.js';
import type { ChangeSignalConfig } from '../../src/domain/changeSignalConfig.js';
import type { HandlerConfig } from '../../src/domain/config.js';
import type { UserState } from '../../src/domain/converge.js';
import { createChangeSignalHandler } from '../../src/sync/handler/changeSignal.js';
import { createPostAuthenticationHandler } from '../../src/sync/handler/postAuthentication.js';
import { createPostConfirmationHandler } from '../../src/sync/handler/postConfirmation.js';
import { startDynalite, type TestDynalite } from '../helpers/dynalite.js';
import { signUpEvent } from '../helpers/fixtures.js';
import { captureLogs } from '../helpers/logs.js';
import {
  EXAMPLE_MAPPINGS,
  type ExampleMapping,
  exampleMapping,
  exampleRow,
  type RowValues,
} from '../helpers/rowMappings.js';

// The sign-up fixture's user.
const POOL = 'eu-west-1_AbCdEfGhI';
const SUB = '5b6c2f1e-8a4d-4c1b-9e7f-0a1b2c3d4e5f';
const USERNAME = 'jane';
const EMAIL = 'jane.doe@example.com';
const T = (minute: number) => `2026-11-29T12:0${minute}:00.000Z`;
const MODIFIED = (minute: number) => `2026-11-29T12:0${minute}:30.000Z`;

/** One user, as the pool reports them (AdminGetUser, ListUsers by sub), changeable. */
function fakePool() {
  let user: UserState | undefined;
  const describe = (state: UserState) => ({
    Username: state.username,
    UserAttributes: Object.entries(state.attributes).map(([Name, Value]) => ({ Name, Value })),
    Attributes: Object.entries(state.attributes).map(([Name, Value]) => ({ Name, Value })),
    Enabled: state.enabled,
    UserStatus: state.status,
    UserLastModifiedDate: new Date(state.lastModifiedAt ?? 0),
  });
  const cognito = {
    send: async (command: unknown) => {
      if (command instanceof AdminGetUserCommand) {
        if (!user || command.input.Username !== user.username) {
          throw new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });
        }
        return describe(user);
      }
      if (command instanceof ListUsersCommand) {
        const match = user && command.input.Filter === `sub = "${user.attributes.sub}"`;
        return { Users: match && user ? [describe(user)] : [] };
      }
      throw new Error('unexpected command');
    },
  };
  return {
    cognito,
    set: (next: UserState | undefined) => {
      user = next;
    },
  };
}

function poolUser(attributes: Record<string, string>, patch: Partial<UserState>): UserState {
  return {
    username: USERNAME,
    userPoolId: POOL,
    attributes,
    enabled: true,
    status: 'CONFIRMED',
    ...patch,
  };
}

function changeEvent(eventName: string, sub?: string) {
  return {
    source: 'aws.cognito-idp',
    'detail-type': 'AWS API Call via CloudTrail',
    detail: {
      eventSource: 'cognito-idp.amazonaws.com',
      eventName,
      requestParameters: { userPoolId: POOL, username: USERNAME },
      ...(sub === undefined ? {} : { additionalEventData: { sub } }),
    },
  };
}

const ATTRIBUTES = {
  sub: SUB,
  email_verified: 'true',
  email: EMAIL,
  given_name: 'Jane',
  'custom:plan': 'pro',
};

describe('Integration: the row mapping in every single-user path (dynalite)', () => {
  let dynalite: TestDynalite;
  let client: DynamoDBDocumentClient;

  before(async () => {
    dynalite = await startDynalite();
    client = createDynamoDocumentClient({ endpoint: dynalite.endpoint });
  });
  after(async () => {
    client.destroy();
    await dynalite.close();
  });

  async function createTable(name: ExampleMapping, tableName: string = name): Promise<string> {
    const mapping = exampleMapping(name);
    const keys = [mapping.key.attribute, ...(mapping.sortKey ? [mapping.sortKey.attribute] : [])];
    const KeySchema: KeySchemaElement[] = keys.map((AttributeName, index) => ({
      AttributeName,
      KeyType: index === 0 ? 'HASH' : 'RANGE',
    }));
    await dynalite.client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: keys.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
        KeySchema,
      }),
    );
    return tableName;
  }

  /** Every item of the table, the user's row and any other entity. */
  async function items(tableName: string) {
    return (await client.send(new ScanCommand({ TableName: tableName }))).Items ?? [];
  }

  for (const name of ['tutorial', 'singleTable', 'bySub'] as const) {
    it(`${name}: trigger, sign-in, attribute change, disable and delete write exactly the mapped row`, async () => {
      const tableName = await createTable(name);
      const mapping = exampleMapping(name);
      let now = T(0);
      const clock = () => new Date(now);
      const config: HandlerConfig = {
        tableName,
        keyAttribute: 'username',
        logLevel: 'silent',
        rowMapping: mapping,
      };
      const logs = captureLogs();
      const rowOf = async () => {
        const all = (await items(tableName)).filter((item) => item.entityType !== 'Organisation');
        assert.equal(all.length, 1, 'one user row');
        return all[0];
      };
      const expect = (values: Omit<RowValues, 'username' | 'sub'>) =>
        exampleRow(name, { username: USERNAME, sub: SUB, userPoolId: POOL, ...values });

      // Another entity of a shared table, which no path may touch.
      const other = { pk: 'ORG#1', sk: 'PROFILE', entityType: 'Organisation', email: EMAIL };
      if (name === 'singleTable')
        await client.send(new PutCommand({ TableName: tableName, Item: other }));

      // 1. Confirmation.
      const confirm = createPostConfirmationHandler({
        config,
        client,
        logger: logs.logger,
        now: clock,
      });
      await confirm(
        signUpEvent((event) => {
          event.userName = USERNAME;
        }),
      );
      const created = {
        email: EMAIL,
        attributes: ATTRIBUTES,
        emailVerified: true,
        source: 'PostConfirmation_ConfirmSignUp',
        createdAt: T(0),
        updatedAt: T(0),
        enabled: true,
        status: 'CONFIRMED',
      };
      assert.deepEqual(await rowOf(), expect(created));

      // 2. Sign-in: lastSignInAt, in one conditional write.
      now = T(1);
      const signIn = createPostAuthenticationHandler({
        config,
        client,
        logger: logs.logger,
        now: clock,
      });
      const authentication = signUpEvent((event) => {
        event.userName = USERNAME;
        event.triggerSource = 'PostAuthentication_Authentication';
      }) as unknown as PostAuthenticationTriggerEvent;
      await signIn(authentication);
      const signedIn = { ...created, updatedAt: T(1), lastSignInAt: T(1) };
      assert.deepEqual(await rowOf(), expect(signedIn));

      // 3. Attribute change, read from the pool by the change signal.
      const pool = fakePool();
      const signals = createChangeSignalHandler({
        config: {
          ...config,
          userPoolId: POOL,
          onDeleted: 'mark',
          subIndexName: undefined,
        } satisfies ChangeSignalConfig,
        cognito: pool.cognito,
        client,
        logger: logs.logger,
        now: clock,
      });
      now = T(2);
      const changed = { ...ATTRIBUTES, given_name: 'Janet' } as Record<string, string>;
      delete changed['custom:plan'];
      pool.set(poolUser(changed, { lastModifiedAt: MODIFIED(2) }));
      const update = await signals(changeEvent('AdminUpdateUserAttributes'));
      assert.deepEqual(update.rows, [{ key: USERNAME, outcome: 'updated' }]);
      const updated = {
        ...signedIn,
        attributes: changed,
        updatedAt: T(2),
        userLastModifiedAt: MODIFIED(2),
      };
      assert.deepEqual(await rowOf(), expect(updated));

      // 4. Disable.
      now = T(3);
      pool.set(poolUser(changed, { enabled: false, lastModifiedAt: MODIFIED(3) }));
      await signals(changeEvent('AdminDisableUser'));
      const disabled = {
        ...updated,
        enabled: false,
        updatedAt: T(3),
        userLastModifiedAt: MODIFIED(3),
      };
      assert.deepEqual(await rowOf(), expect(disabled));

      // 5. Delete: marked, the mapped personal data erased (the attribute columns too).
      now = T(4);
      pool.set(undefined);
      if (name !== 'tutorial') {
        // Keyed by sub: a deletion naming only the username cannot render the
        // key (the pool no longer has the user): the row is left to reconcile.
        const unnamed = await signals(changeEvent('AdminDeleteUser'));
        assert.deepEqual(unnamed.rows, [{ key: undefined, outcome: 'no-row' }]);
        assert.deepEqual(await rowOf(), expect(disabled));
      }
      const deletion = await signals(changeEvent('AdminDeleteUser', SUB));
      assert.deepEqual(
        deletion.rows.map((row) => row.outcome),
        ['marked'],
      );
      const {
        email: _email,
        emailVerified: _verified,
        attributes: _attributes,
        lastSignInAt: _signIn,
        ...kept
      } = disabled;
      assert.deepEqual(await rowOf(), expect({ ...kept, deletedAt: T(4), updatedAt: T(4) }));

      if (name === 'singleTable') {
        assert.deepEqual(
          (await items(tableName)).find((item) => item.pk === 'ORG#1'),
          other,
          'the other entity is untouched',
        );
      }
    });
  }

  it('tutorial: the trigger adopts the tutorial row, keeping useremail and every app column', async () => {
    const tableName = await createTable('tutorial', 'tutorial-adopted');
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { username: USERNAME, useremail: 'old@example.com', plan: 'gold' },
      }),
    );
    const logs = captureLogs();
    const confirm = createPostConfirmationHandler({
      config: {
        tableName,
        keyAttribute: 'username',
        logLevel: 'info',
        rowMapping: exampleMapping('tutorial'),
      },
      client,
      logger: logs.logger,
      now: () => new Date(T(0)),
    });
    await confirm(
      signUpEvent((event) => {
        event.userName = USERNAME;
      }),
    );
    assert.equal(logs.records()[0]?.outcome, 'adopted');
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: { username: USERNAME } }),
    );
    assert.deepEqual(Item, {
      username: USERNAME,
      // The mapped e-mail column: the address Cognito holds now.
      useremail: EMAIL,
      plan: 'gold',
      sub: SUB,
      userPoolId: POOL,
      emailVerified: true,
      attributes: ATTRIBUTES,
      source: 'PostConfirmation_ConfirmSignUp',
      createdAt: T(0),
      updatedAt: T(0),
      enabled: true,
      status: 'CONFIRMED',
    });
  });

  it('today ({}): the sign-in adopts the tutorial row and keeps its useremail column', async () => {
    await dynalite.client.send(
      new CreateTableCommand({
        TableName: 'today',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'username', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'username', KeyType: 'HASH' }],
      }),
    );
    await client.send(
      new PutCommand({
        TableName: 'today',
        Item: { username: USERNAME, useremail: 'jane.doe@example.com' },
      }),
    );
    const logs = captureLogs();
    const signIn = createPostAuthenticationHandler({
      config: {
        tableName: 'today',
        keyAttribute: 'username',
        logLevel: 'info',
        rowMapping: exampleMapping('today'),
      },
      client,
      logger: logs.logger,
      now: () => new Date(T(1)),
    });
    await signIn(
      signUpEvent((event) => {
        event.userName = USERNAME;
        event.triggerSource = 'PostAuthentication_Authentication';
      }) as unknown as PostAuthenticationTriggerEvent,
    );
    assert.equal(logs.records().at(-1)?.outcome, 'adopted');
    const row = (await items('today'))[0];
    assert.equal(row?.useremail, 'jane.doe@example.com');
    assert.equal(row?.email, EMAIL);
    assert.equal(row?.sub, SUB);
    assert.equal(row?.lastSignInAt, T(1));
  });

  it('tutorial: a change signal adopts the tutorial row, keeping every app column', async () => {
    const tableName = await createTable('tutorial', 'tutorial-converged');
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: { username: USERNAME, useremail: EMAIL, plan: 'gold' },
      }),
    );
    const pool = fakePool();
    pool.set(poolUser(ATTRIBUTES, { lastModifiedAt: MODIFIED(2) }));
    const signals = createChangeSignalHandler({
      config: {
        tableName,
        keyAttribute: 'username',
        logLevel: 'silent',
        rowMapping: exampleMapping('tutorial'),
        userPoolId: POOL,
        onDeleted: 'mark',
        subIndexName: undefined,
      },
      cognito: pool.cognito,
      client,
      logger: captureLogs().logger,
      now: () => new Date(T(2)),
    });
    const result = await signals(changeEvent('AdminUpdateUserAttributes'));
    assert.deepEqual(result.rows, [{ key: USERNAME, outcome: 'adopted' }]);
    assert.deepEqual((await items(tableName))[0], {
      username: USERNAME,
      useremail: EMAIL,
      plan: 'gold',
      sub: SUB,
      userPoolId: POOL,
      emailVerified: true,
      attributes: ATTRIBUTES,
      source: 'converge',
      createdAt: T(2),
      updatedAt: T(2),
      enabled: true,
      status: 'CONFIRMED',
      userLastModifiedAt: MODIFIED(2),
    });
  });

  it('tutorial: a row of another sub at the key is a reused username, left untouched', async () => {
    await dynalite.client.send(
      new CreateTableCommand({
        TableName: 'reused',
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'username', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'username', KeyType: 'HASH' }],
      }),
    );
    const previous = { username: USERNAME, useremail: 'old@example.com', sub: 'another-sub' };
    await client.send(new PutCommand({ TableName: 'reused', Item: previous }));
    const logs = captureLogs();
    const config = {
      tableName: 'reused',
      keyAttribute: 'username',
      logLevel: 'info' as const,
      rowMapping: exampleMapping('tutorial'),
    };
    await createPostConfirmationHandler({ config, client, logger: logs.logger })(
      signUpEvent((event) => {
        event.userName = USERNAME;
      }),
    );
    await createPostAuthenticationHandler({ config, client, logger: logs.logger })(
      signUpEvent((event) => {
        event.userName = USERNAME;
        event.triggerSource = 'PostAuthentication_Authentication';
      }) as unknown as PostAuthenticationTriggerEvent,
    );
    assert.deepEqual(
      logs.records().map((record) => record.outcome),
      ['already-present', 'username-reused'],
    );
    assert.deepEqual(await items('reused'), [previous]);
  });

  it('names every example document the helpers use', () => {
    assert.deepEqual(Object.keys(EXAMPLE_MAPPINGS), ['tutorial', 'singleTable', 'bySub', 'today']);
  });
});

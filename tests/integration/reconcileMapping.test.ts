import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ensureUserTable } from '../../src/aws/store/ensureTable.js';
import type { RowMapping } from '../../src/domain/rowMapping/document.js';
import { resolveRowMapping } from '../../src/domain/rowMapping/validate.js';
import { reconcile } from '../../src/sync/reconcile/reconcile.js';
import { OLD, type ReconcileWorld, startReconcileWorld } from './reconcileFixtures.js';

const FAST_RETRY = { sleep: async () => {} };

/** The issue's mappings 1-3. */
const TUTORIAL = resolveRowMapping({ fields: { email: 'useremail' } });
const SINGLE_TABLE = resolveRowMapping({
  key: { attribute: 'pk', template: 'USER#{sub}' },
  sortKey: { attribute: 'sk', template: 'PROFILE' },
  constants: { entityType: 'User' },
});
const BY_SUB = resolveRowMapping({
  key: { attribute: 'userId', template: '{sub}' },
  fields: { attributes: false },
  attributes: { given_name: 'firstName', 'custom:plan': 'plan' },
});

type Item = Record<string, unknown>;

describe('Integration: reconcile under a row mapping', () => {
  let world: ReconcileWorld;
  let users: { username: string; sub: string; email: string; status: string }[];
  let tableCount = 0;

  before(async () => {
    world = await startReconcileWorld();
    const names = await world.createUsers(4, 'mapped');
    users = [];
    for (const [index, username] of names.entries()) {
      const user = await world.cognito.send(
        new AdminGetUserCommand({ UserPoolId: world.stack.userPoolId, Username: username }),
      );
      const sub = user.UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
      users.push({
        username,
        sub: sub as string,
        email: `mapped-${index}@example.com`,
        status: user.UserStatus as string,
      });
    }
  });
  after(async () => {
    await world?.close();
  });

  /** A new table of the mapping's keys in the stack's DynamoDB. */
  const newTable = async (mapping: RowMapping): Promise<string> => {
    const tableName = `mapped-${++tableCount}`;
    await ensureUserTable(world.dynamo, {
      tableName,
      keyAttribute: mapping.key.attribute,
      sortKeyAttribute: mapping.sortKey?.attribute,
    });
    return tableName;
  };
  const items = async (tableName: string): Promise<Item[]> => {
    const found: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await world.dynamo.send(
        new ScanCommand({ TableName: tableName, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      found.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return found;
  };
  const put = (tableName: string, item: Item) =>
    world.dynamo.send(new PutCommand({ TableName: tableName, Item: item }));
  const run = (
    tableName: string,
    rowMapping: RowMapping,
    patch: Parameters<ReconcileWorld['config']>[0] = {},
  ) =>
    reconcile({
      cognito: world.cognito,
      dynamo: world.dynamo,
      retry: FAST_RETRY,
      orphanGraceMs: 0,
      config: world.config({ tableName, rowMapping, ...patch }),
    });
  /** The managed columns every created row has under its own name (mapping 2). */
  const expectedProfile = (user: (typeof users)[number], row: Item): Item => ({
    pk: `USER#${user.sub}`,
    sk: 'PROFILE',
    entityType: 'User',
    sub: user.sub,
    userPoolId: world.stack.userPoolId,
    email: user.email,
    attributes: row.attributes,
    source: 'reconcile',
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    enabled: true,
    status: user.status,
    userLastModifiedAt: row.userLastModifiedAt,
    ...(row.emailVerified !== undefined ? { emailVerified: row.emailVerified } : {}),
  });

  it('deletes orphaned user rows in a shared table and touches no order or other entity (mapping 2)', async () => {
    // Prepare: orders, products, a user's other items, and two orphaned user rows
    const tableName = await newTable(SINGLE_TABLE);
    const first = users[0] as (typeof users)[number];
    const others: Item[] = [
      { pk: 'ORDER#1', sk: 'ORDER#1', total: 30, createdAt: OLD },
      { pk: 'ORDER#1', sk: 'ITEM#1', sku: 'A-1', createdAt: OLD },
      { pk: 'PRODUCT#7', sk: 'PROFILE', name: 'Lamp', createdAt: OLD },
      { pk: `USER#${first.sub}`, sk: 'ORDER#9', total: 12, createdAt: OLD },
      { pk: 'USERS', sk: 'PROFILE', note: 'not a user row: no USER# prefix', createdAt: OLD },
      { pk: 'USER#gone-sub', sk: 'SETTINGS', theme: 'dark', createdAt: OLD },
    ];
    for (const item of others) await put(tableName, item);
    await put(tableName, { pk: 'USER#gone-sub', sk: 'PROFILE', sub: 'gone-sub', createdAt: OLD });
    // Says nothing of its age: the pool is asked about its sub before it is deleted.
    await put(tableName, { pk: 'USER#undated-sub', sk: 'PROFILE', sub: 'undated-sub' });
    const before = await items(tableName);

    // Act
    const report = await run(tableName, SINGLE_TABLE, { orphans: 'delete' });

    // Assess
    assert.equal(report.summary.converged, true, report.problem);
    assert.equal(report.summary.created, users.length);
    assert.equal(report.summary.deleted, 2);
    // The sweep (after the creates) considers the user rows only: the new ones and the orphans.
    assert.equal(report.summary.rowsScanned, users.length + 2);
    assert.deepEqual([...report.plan.deletes].sort(), [
      'USER#gone-sub PROFILE',
      'USER#undated-sub PROFILE',
    ]);
    const afterRun = await items(tableName);
    const key = (item: Item) => `${String(item.pk)}|${String(item.sk)}`;
    const byKey = new Map(afterRun.map((item) => [key(item), item]));
    for (const item of others) assert.deepEqual(byKey.get(key(item)), item, key(item));
    assert.equal(byKey.has('USER#gone-sub|PROFILE'), false);
    assert.equal(byKey.has('USER#undated-sub|PROFILE'), false);
    for (const user of users) {
      const row = byKey.get(`USER#${user.sub}|PROFILE`) as Item;
      assert.deepEqual(row, expectedProfile(user, row));
    }
    assert.equal(afterRun.length, others.length + users.length);
    assert.equal(before.length, others.length + 2);

    // A second run changes nothing, and no other item becomes an orphan
    const again = await run(tableName, SINGLE_TABLE, { orphans: 'delete', update: true });
    assert.equal(again.summary.toCreate + again.summary.toDelete + again.summary.toUpdate, 0);
    assert.deepEqual(await items(tableName), afterRun);
  });

  it('plans, creates, updates and marks exactly the mapped rows keyed by sub (mapping 3)', async () => {
    const tableName = await newTable(BY_SUB);
    await put(tableName, {
      userId: 'gone-sub',
      sub: 'gone-sub',
      firstName: 'Gone',
      createdAt: OLD,
    });

    const dry = await run(tableName, BY_SUB, { dryRun: true, orphans: 'mark' });
    assert.equal(dry.summary.toCreate, users.length);
    assert.equal(dry.summary.toMark, 1);
    assert.deepEqual(dry.plan.marks, ['gone-sub']);
    assert.equal((await items(tableName)).length, 1, 'a dry run writes nothing');

    const created = await run(tableName, BY_SUB, { orphans: 'mark' });
    assert.equal(created.summary.created, users.length);
    assert.equal(created.summary.marked, 1);
    const rows = new Map((await items(tableName)).map((item) => [String(item.userId), item]));
    for (const [index, user] of users.entries()) {
      const row = rows.get(user.sub) as Item;
      // Exactly the mapped row: no attributes map, no username, no plan column (the user has none).
      assert.deepEqual(row, {
        userId: user.sub,
        sub: user.sub,
        userPoolId: world.stack.userPoolId,
        email: user.email,
        firstName: `Given ${index}`,
        source: 'reconcile',
        createdAt: row.createdAt,
        updatedAt: row.updatedAt,
        enabled: true,
        status: user.status,
        userLastModifiedAt: row.userLastModifiedAt,
        ...(row.emailVerified !== undefined ? { emailVerified: row.emailVerified } : {}),
      });
    }
    const marked = rows.get('gone-sub') as Item;
    assert.equal(typeof marked.deletedAt, 'string');
    assert.equal('firstName' in marked, false, 'attribute columns are personal data, erased');

    const user = users[1] as (typeof users)[number];
    await world.cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: world.stack.userPoolId,
        Username: user.username,
        UserAttributes: [{ Name: 'given_name', Value: 'Renamed' }],
      }),
    );
    const updated = await run(tableName, BY_SUB, { update: true, orphans: 'mark' });
    assert.equal(updated.summary.toUpdate, 1);
    assert.equal(updated.summary.updated, 1);
    const row = (await items(tableName)).find((item) => item.userId === user.sub) as Item;
    assert.equal(row.firstName, 'Renamed');
    assert.equal('attributes' in row, false);
  });

  it("--update adopts the tutorial's { username, useremail } rows, keeping every other field (mapping 1)", async () => {
    const tableName = await newTable(TUTORIAL);
    const [first, second] = users as [(typeof users)[number], (typeof users)[number]];
    await put(tableName, { username: first.username, useremail: first.email, plan: 'gold' });
    await put(tableName, { username: second.username, useremail: 'old@example.com' });

    const plain = await run(tableName, TUTORIAL, { dryRun: true });
    assert.equal(plain.summary.toCreate, users.length - 2);
    assert.equal(plain.summary.toAdopt, 0, 'only --update adopts');
    assert.equal(plain.summary.inSync, 2);

    const report = await run(tableName, TUTORIAL, { update: true });
    assert.equal(report.summary.converged, true, report.problem);
    assert.equal(report.summary.toAdopt, 2);
    assert.equal(report.summary.adopted, 2);
    assert.equal(report.summary.created, users.length - 2);
    const rows = new Map((await items(tableName)).map((item) => [String(item.username), item]));
    const adopted = rows.get(first.username) as Item;
    assert.equal(adopted.plan, 'gold');
    assert.equal(adopted.useremail, first.email);
    assert.equal(adopted.sub, first.sub);
    assert.equal(adopted.source, 'reconcile');
    assert.equal(typeof adopted.createdAt, 'string');
    assert.equal('email' in adopted, false, 'the e-mail lives in useremail');
    assert.equal((rows.get(second.username) as Item).useremail, second.email);
    for (const row of rows.values()) assert.equal('email' in row, false);
    const third = users[2] as (typeof users)[number];
    const createdRow = rows.get(third.username) as Item;
    assert.deepEqual(createdRow, {
      username: third.username,
      sub: third.sub,
      userPoolId: world.stack.userPoolId,
      useremail: third.email,
      attributes: createdRow.attributes,
      source: 'reconcile',
      createdAt: createdRow.createdAt,
      updatedAt: createdRow.updatedAt,
      enabled: true,
      status: third.status,
      userLastModifiedAt: createdRow.userLastModifiedAt,
      ...(createdRow.emailVerified !== undefined
        ? { emailVerified: createdRow.emailVerified }
        : {}),
    });
    assert.equal((createdRow.attributes as Record<string, string>).email, third.email);

    const again = await run(tableName, TUTORIAL, { update: true });
    assert.equal(again.summary.toAdopt + again.summary.toUpdate + again.summary.toCreate, 0);
  });

  it('stops before writing when the table does not have the mapping keys, and does not say to run again', async () => {
    const tableName = await newTable(TUTORIAL);
    const report = await run(tableName, SINGLE_TABLE, { orphans: 'delete' });
    assert.equal(report.summary.converged, false);
    assert.match(
      report.summary.stopReason ?? '',
      /table "mapped-\d+" does not have the row mapping's keys: its partition key is "username", but the row mapping's key attribute is "pk"; it has no sort key, but the row mapping's sortKey is "sk"/,
    );
    assert.doesNotMatch(report.problem ?? '', /run again/);
    assert.equal(report.summary.usersListed, 0);
    assert.deepEqual(await items(tableName), []);
  });
});

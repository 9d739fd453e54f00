import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDocumentClient } from '../../src/aws/store/dynamoClient.js';
import { ensureUserTable } from '../../src/aws/store/ensureTable.js';
import type { UserState } from '../../src/domain/converge.js';
import { recordSignIn } from '../../src/sync/converge/recordSignIn.js';
import { startDynalite, type TestDynalite } from '../helpers/dynalite.js';

const POOL = 'us-east-1_Pool1';
const SUB = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const SIGNED_IN_AT = '2026-11-29T12:00:00.000Z';
const SOURCE = 'PostAuthentication_Authentication';

/** The state a sign-in event of Jane carries. */
function signIn(attributes: Record<string, string> = {}): UserState {
  return {
    username: 'jane',
    userPoolId: POOL,
    attributes: {
      sub: SUB,
      email: 'jane@example.com',
      email_verified: 'true',
      given_name: 'Jane',
      ...attributes,
    },
    enabled: true,
    status: 'CONFIRMED',
    lastModifiedAt: undefined,
  };
}

describe('Function: recordSignIn (against dynalite)', () => {
  let dynalite: TestDynalite;
  let doc: DynamoDBDocumentClient;
  let sent: string[];
  let table: string;
  let tables = 0;

  const settings = () => ({
    table: { client: doc, tableName: table, keyAttribute: 'username' },
    mapping: { keyAttribute: 'username' },
    now: () => new Date(SIGNED_IN_AT),
  });
  const getRow = async (key = 'jane') =>
    (await doc.send(new GetCommand({ TableName: table, Key: { username: key } }))).Item;
  const putRow = (item: Record<string, unknown>) =>
    doc.send(new PutCommand({ TableName: table, Item: { username: 'jane', ...item } }));

  before(async () => {
    dynalite = await startDynalite();
    const client = createDynamoDocumentClient({ endpoint: dynalite.endpoint, region: 'us-east-1' });
    // Counts the calls the code under test makes (the tests' own reads go through too).
    doc = {
      send: (command: { constructor: { name: string } }, options?: unknown) => {
        sent.push(command.constructor.name);
        return (client.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, options);
      },
      destroy: () => client.destroy(),
    } as unknown as DynamoDBDocumentClient;
  });
  beforeEach(async () => {
    if (table) await dynalite.client.send(new DeleteTableCommand({ TableName: table }));
    table = `signin-${++tables}`;
    await ensureUserTable(dynalite.client, { tableName: table, keyAttribute: 'username' });
    sent = [];
  });
  after(async () => {
    doc.destroy();
    await dynalite.close();
  });

  it('creates the missing row in one UpdateItem, shaped like a converge-created row', async () => {
    assert.equal(await recordSignIn(settings(), signIn(), { source: SOURCE }), 'created');
    assert.deepEqual(sent, ['UpdateItemCommand'], 'one round trip');
    assert.deepEqual(await getRow(), {
      username: 'jane',
      sub: SUB,
      userPoolId: POOL,
      email: 'jane@example.com',
      emailVerified: true,
      attributes: {
        sub: SUB,
        email: 'jane@example.com',
        email_verified: 'true',
        given_name: 'Jane',
      },
      source: SOURCE,
      createdAt: SIGNED_IN_AT,
      enabled: true,
      status: 'CONFIRMED',
      updatedAt: SIGNED_IN_AT,
      lastSignInAt: SIGNED_IN_AT,
    });
  });

  it('refreshes the user own row in one UpdateItem, keeping source, createdAt and app-owned fields', async () => {
    await putRow({
      sub: SUB,
      userPoolId: POOL,
      email: 'old@example.com',
      emailVerified: false,
      attributes: { sub: SUB },
      source: 'PostConfirmation_ConfirmSignUp',
      createdAt: '2026-01-01T00:00:00.000Z',
      plan: 'pro',
    });
    assert.equal(await recordSignIn(settings(), signIn(), { source: SOURCE }), 'updated');
    assert.deepEqual(sent, ['PutCommand', 'UpdateItemCommand']);
    const row = await getRow();
    assert.equal(row?.email, 'jane@example.com');
    assert.equal(row?.emailVerified, true);
    assert.equal(row?.lastSignInAt, SIGNED_IN_AT);
    assert.equal(row?.source, 'PostConfirmation_ConfirmSignUp');
    assert.equal(row?.createdAt, '2026-01-01T00:00:00.000Z');
    assert.equal(row?.plan, 'pro');
  });

  it('says signed-in when only lastSignInAt changed, and removes an e-mail the user no longer has', async () => {
    await recordSignIn(settings(), signIn(), { source: SOURCE });
    assert.equal(await recordSignIn(settings(), signIn(), { source: SOURCE }), 'signed-in');
    const { email: _email, email_verified: _verified, ...phoneOnly } = signIn().attributes;
    const phoneUser = { ...signIn(), attributes: { ...phoneOnly, phone_number: '+15555550100' } };
    assert.equal(await recordSignIn(settings(), phoneUser, { source: SOURCE }), 'updated');
    const row = await getRow();
    assert.equal(row?.email, undefined);
    assert.equal(row?.emailVerified, undefined);
  });

  it('adopts a row without sub at the user key, keeping every other field', async () => {
    await putRow({ plan: 'pro', createdAt: '2025-05-05T00:00:00.000Z', nickname: 'jd' });
    assert.equal(await recordSignIn(settings(), signIn(), { source: SOURCE }), 'adopted');
    const row = await getRow();
    assert.equal(row?.sub, SUB);
    assert.equal(row?.plan, 'pro');
    assert.equal(row?.nickname, 'jd');
    assert.equal(row?.createdAt, '2025-05-05T00:00:00.000Z', 'set once: kept');
    assert.equal(row?.source, SOURCE, 'the row had none');
    assert.equal(row?.lastSignInAt, SIGNED_IN_AT);
  });

  it('leaves the row of another sub untouched (a reused username)', async () => {
    const other = { sub: 'ffffffff-0000-1111-2222-333333333333', email: 'old@example.com' };
    await putRow(other);
    assert.equal(await recordSignIn(settings(), signIn(), { source: SOURCE }), 'username-reused');
    assert.deepEqual(await getRow(), { username: 'jane', ...other });
  });

  it('records only lastSignInAt on a row holding a state Cognito modified after the sign-in', async () => {
    await putRow({
      sub: SUB,
      enabled: false,
      email: 'new@example.com',
      userLastModifiedAt: '2026-11-29T13:00:00.000Z',
    });
    assert.equal(await recordSignIn(settings(), signIn(), { source: SOURCE }), 'signed-in');
    const row = await getRow();
    assert.equal(row?.lastSignInAt, SIGNED_IN_AT);
    assert.equal(row?.enabled, false);
    assert.equal(row?.email, 'new@example.com');
  });

  it('writes nothing on a newer row marked deleted (stale), and restores an older one', async () => {
    await putRow({
      sub: SUB,
      deletedAt: '2026-11-29T13:30:00.000Z',
      userLastModifiedAt: '2026-11-29T13:00:00.000Z',
    });
    assert.equal(await recordSignIn(settings(), signIn(), { source: SOURCE }), 'stale');
    assert.equal((await getRow())?.lastSignInAt, undefined);
    await putRow({ sub: SUB, deletedAt: '2026-11-29T11:00:00.000Z' });
    assert.equal(await recordSignIn(settings(), signIn(), { source: SOURCE }), 'restored');
    assert.equal((await getRow())?.deletedAt, undefined);
  });

  it('creates no row for a user who may not have one (UNCONFIRMED), but refreshes an existing one', async () => {
    const unconfirmed = { ...signIn(), status: 'UNCONFIRMED' };
    assert.equal(await recordSignIn(settings(), unconfirmed, { source: SOURCE }), 'not-eligible');
    assert.equal(await getRow(), undefined);
    await putRow({ sub: SUB });
    assert.equal(await recordSignIn(settings(), unconfirmed, { source: SOURCE }), 'updated');
    assert.equal((await getRow())?.status, 'UNCONFIRMED');
  });

  it('keeps attribute names such as constructor or toString as they are', async () => {
    const user = signIn();
    const attributes = { ...user.attributes, constructor: 'c', toString: 't' };
    await recordSignIn(settings(), { ...user, attributes }, { source: SOURCE });
    const stored = (await getRow())?.attributes as Record<string, unknown>;
    assert.ok(Object.hasOwn(stored, 'constructor') && Object.hasOwn(stored, 'toString'));
    assert.equal(stored.constructor, 'c');
    assert.equal(stored.toString, 't');
    assert.equal(
      await recordSignIn(settings(), { ...user, attributes }, { source: SOURCE }),
      'signed-in',
    );
  });
});

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { readGroupsWith } from '../../src/aws/pool/groupPages.js';
import { createSignedGroupsLister } from '../../src/aws/pool/signedGroupsCall.js';
import { createDynamoDocumentClient } from '../../src/aws/store/dynamoClient.js';
import { ensureUserTable } from '../../src/aws/store/ensureTable.js';
import type { HandlerConfig } from '../../src/domain/config.js';
import { resolveRowMapping } from '../../src/domain/rowMapping/validate.js';
import { createPostConfirmationHandler } from '../../src/sync/handler/postConfirmation.js';
import { startDynalite, type TestDynalite } from '../helpers/dynalite.js';
import { expectedSignUpRow, signUpEvent } from '../helpers/fixtures.js';
import { captureLogs } from '../helpers/logs.js';

const AT = '2026-11-28T10:00:00.000Z';
const CONFIG: HandlerConfig = {
  tableName: 'users',
  keyAttribute: 'username',
  logLevel: 'debug',
  onWriteFailure: 'reject',
  rowMapping: resolveRowMapping({ fields: { groups: 'memberOf' } }),
};

/** A Cognito endpoint answering AdminListGroupsForUser in two pages, or failing. */
function startCognito(mode: { fail: boolean }) {
  const requests: {
    target: string | undefined;
    authorization: string | undefined;
    body: Record<string, unknown>;
  }[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      requests.push({
        target: request.headers['x-amz-target'] as string | undefined,
        authorization: request.headers.authorization,
        body,
      });
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      if (mode.fail) {
        response.statusCode = 400;
        response.end(JSON.stringify({ __type: 'AccessDeniedException', message: 'denied' }));
        return;
      }
      response.end(
        JSON.stringify(
          body.NextToken
            ? { Groups: [{ GroupName: 'admins' }] }
            : { Groups: [{ GroupName: 'editors' }], NextToken: 'page-2' },
        ),
      );
    });
  });
  return { server, requests };
}

describe('Integration: the trigger writes the groups the user already has (dynalite, a Cognito endpoint)', () => {
  let dynalite: TestDynalite;
  let client: DynamoDBDocumentClient;
  const mode = { fail: false };
  const cognito = startCognito(mode);
  let endpoint: string;

  before(async () => {
    dynalite = await startDynalite();
    client = createDynamoDocumentClient({ endpoint: dynalite.endpoint });
    await ensureUserTable(dynalite.client, { tableName: 'users', keyAttribute: 'username' });
    await new Promise<void>((resolve) => cognito.server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(cognito.server.address() as AddressInfo).port}`;
  });
  after(async () => {
    client.destroy();
    await dynalite.close();
    await new Promise((resolve) => (cognito.server as Server).close(resolve));
  });

  const handler = (logs = captureLogs()) => {
    const listPage = createSignedGroupsLister({
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      region: 'eu-west-1',
      endpoint,
    });
    return createPostConfirmationHandler({
      config: CONFIG,
      client,
      logger: logs.logger,
      now: () => new Date(AT),
      readGroups: (pool, username, signal) =>
        readGroupsWith(listPage, pool, username, { retry: { signal, maxAttempts: 1 } }),
    });
  };
  const rowOf = async (username: string) =>
    (await client.send(new GetCommand({ TableName: 'users', Key: { username } }))).Item;

  it('reads every page with a signed call and writes the sorted list with the row', async () => {
    const event = signUpEvent();
    await handler()(event);
    const row = await rowOf(event.userName);
    assert.deepEqual(row, { ...expectedSignUpRow(AT), memberOf: ['admins', 'editors'] });
    assert.equal(cognito.requests.length, 2);
    assert.equal(
      cognito.requests[0]?.target,
      'AWSCognitoIdentityProviderService.AdminListGroupsForUser',
    );
    assert.match(cognito.requests[0]?.authorization ?? '', /^AWS4-HMAC-SHA256 Credential=local\//);
    assert.equal(cognito.requests[0]?.body.UserPoolId, event.userPoolId);
  });

  it('writes the row without groups when the read is refused, and logs it', async () => {
    mode.fail = true;
    const logs = captureLogs();
    const event = signUpEvent((e) => {
      e.userName = 'other-user';
      e.request.userAttributes.sub = 'other-user';
    });
    await handler(logs)(event);
    const row = await rowOf('other-user');
    assert.ok(row);
    assert.equal(Object.hasOwn(row, 'memberOf'), false);
    const warning = logs.records().find((r) => r.message === 'post confirmation groups unread');
    assert.match(String(warning?.error), /AccessDeniedException/);
  });
});

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ensureUserTable } from '../../src/aws/store/ensureTable.js';
import { startDynalite, type TestDynalite } from '../helpers/dynalite.js';
import { signUpEvent } from '../helpers/fixtures.js';
import { invokeLambdaBundle, lambdaBundlePath } from '../helpers/lambdaBundle.js';
import { PII_VALUES } from '../helpers/logs.js';

const bundle = lambdaBundlePath('post-confirmation');
const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };

/** Handles one event with the bundle in a fresh process, with dummy credentials. */
const invokeBundle = (env: Record<string, string>, event: unknown) =>
  invokeLambdaBundle('post-confirmation', { ...CREDENTIALS, ...env }, event);

describe('Artifact: dist/lambda/post-confirmation/index.mjs', () => {
  let dynalite: TestDynalite;

  before(async () => {
    assert.ok(existsSync(bundle), `${bundle} is missing: run npm run build`);
    dynalite = await startDynalite();
    await ensureUserTable(dynalite.client, { tableName: 'bundle-users', keyAttribute: 'username' });
  });
  after(async () => {
    await dynalite.close();
  });

  it('handles an event in a fresh process: writes the row, returns the event, logs one PII-free line carrying the metrics', async () => {
    const event = signUpEvent();
    const { stdout, stderr } = await invokeBundle(
      { TABLE_NAME: 'bundle-users', AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint },
      event,
    );
    const result = stderr.slice(stderr.indexOf('RESULT ') + 'RESULT '.length);
    assert.deepEqual(JSON.parse(result), event);
    const lines = stdout.trim().split('\n');
    assert.equal(lines.length, 1, 'one line: the log line carries the EMF metrics');
    const record = JSON.parse(lines[0] ?? '{}');
    assert.equal(record._aws.CloudWatchMetrics[0].Namespace, 'CognitoUserSync');
    assert.equal(record.RowsCreated, 1);
    assert.equal(record.outcome, 'created');
    assert.equal(record.service, 'cognito-user-sync');
    for (const value of PII_VALUES) assert.ok(!stdout.includes(value), `leaks ${value}`);
    const doc = DynamoDBDocumentClient.from(dynalite.client);
    const { Item } = await doc.send(
      new GetCommand({ TableName: 'bundle-users', Key: { username: event.userName } }),
    );
    assert.equal(Item?.sub, event.request.userAttributes.sub);
    assert.equal(Item?.email, 'jane.doe@example.com');
  });

  it('with a bare {} context, uses the default deadline: writes the row and returns the event', async () => {
    const event = signUpEvent();
    const { stderr } = await invokeLambdaBundle(
      'post-confirmation',
      { ...CREDENTIALS, TABLE_NAME: 'bundle-users', AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint },
      event,
      '{}',
    );
    const result = stderr.slice(stderr.indexOf('RESULT ') + 'RESULT '.length);
    assert.deepEqual(JSON.parse(result), event);
    const doc = DynamoDBDocumentClient.from(dynalite.client);
    const { Item } = await doc.send(
      new GetCommand({ TableName: 'bundle-users', Key: { username: event.userName } }),
    );
    assert.equal(Item?.sub, event.request.userAttributes.sub);
  });

  it('fails at cold start naming TABLE_NAME when it is missing', async () => {
    await assert.rejects(invokeBundle({}, signUpEvent()), (error: unknown) => {
      const { stderr } = error as { stderr: string };
      assert.ok(
        /ConfigError\]?: TABLE_NAME is required/.test(stderr),
        `stderr names the error: ${stderr.slice(-300)}`,
      );
      return true;
    });
  });

  it('fails at cold start naming AWS_ENDPOINT_URL_DYNAMODB when it is not a URL', async () => {
    await assert.rejects(
      invokeBundle(
        { TABLE_NAME: 'bundle-users', AWS_ENDPOINT_URL_DYNAMODB: '127.0.0.1:8000' },
        signUpEvent(),
      ),
      (error: unknown) => {
        const { stderr } = error as { stderr: string };
        assert.ok(
          /ConfigError\]?: AWS_ENDPOINT_URL_DYNAMODB must be an http:\/\/ or https:\/\/ URL/.test(
            stderr,
          ),
          `stderr names the variable: ${stderr.slice(-300)}`,
        );
        return true;
      },
    );
  });
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { OWN_TRIGGER_ENTRY } from '../../examples/own-trigger/OwnTriggerStack.js';
import { lambdaBundleOptions } from '../../scripts/esbuildOptions.mjs';
import { ensureUserTable } from '../../src/aws/store/ensureTable.js';
import { startDynalite, type TestDynalite } from '../helpers/dynalite.js';
import { signUpEvent } from '../helpers/fixtures.js';
import { invokeBundleFile } from '../helpers/lambdaBundle.js';
import { PII_VALUES } from '../helpers/logs.js';
import { useTempDir } from '../helpers/tempDir.js';

const CREDENTIALS = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' };
/** The package's root entry, as the example imports it (`cognito-user-sync`). */
const PACKAGE_ENTRY = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
/** The tutorial's row, as the example's stack sets it. */
const ROW_MAPPING = JSON.stringify({ fields: { email: 'useremail' } });

/** The log lines a bundle wrote, parsed. */
function linesOf(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function resultOf(stderr: string): unknown {
  return JSON.parse(stderr.slice(stderr.indexOf('RESULT ') + 'RESULT '.length));
}

describe('Example: examples/own-trigger, its handler bundled and invoked', () => {
  const dir = useTempDir('own-trigger-');
  let dynalite: TestDynalite;
  let bundle: string;

  before(async () => {
    bundle = join(dir.path, 'index.mjs');
    // As NodejsFunction bundles it: one ESM file, cognito-user-sync and the AWS SDK inside.
    await build({
      ...lambdaBundleOptions({ entry: OWN_TRIGGER_ENTRY, outfile: bundle }),
      alias: { 'cognito-user-sync': PACKAGE_ENTRY },
    });
    dynalite = await startDynalite();
    await ensureUserTable(dynalite.client, { tableName: 'own-users', keyAttribute: 'username' });
  });
  after(async () => {
    await dynalite.close();
  });

  it('writes the row, then runs the code of its own, and returns the event', async () => {
    const event = signUpEvent();

    const { stdout, stderr } = await invokeBundleFile(
      bundle,
      {
        ...CREDENTIALS,
        TABLE_NAME: 'own-users',
        KEY_ATTRIBUTE: 'username',
        ROW_MAPPING,
        AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
      },
      event,
    );

    assert.deepEqual(resultOf(stderr), event);
    const lines = linesOf(stdout);
    assert.deepEqual(
      lines.map((line) => line.message),
      ['post confirmation handled', 'welcome queued'],
      'the row first, then the code of its own',
    );
    assert.equal(lines[0]?.outcome, 'created');
    assert.equal(lines[1]?.sub, event.request.userAttributes.sub);
    for (const value of PII_VALUES) assert.ok(!stdout.includes(value), `leaks ${value}`);
    const { Item } = await DynamoDBDocumentClient.from(dynalite.client).send(
      new GetCommand({ TableName: 'own-users', Key: { username: event.userName } }),
    );
    assert.equal(Item?.sub, event.request.userAttributes.sub);
  });

  it('still runs the code of its own when the row cannot be written', async () => {
    const event = signUpEvent();

    const { stdout, stderr } = await invokeBundleFile(
      bundle,
      {
        ...CREDENTIALS,
        TABLE_NAME: 'no-such-table',
        ROW_MAPPING,
        AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
      },
      event,
    );

    assert.deepEqual(resultOf(stderr), event);
    const lines = linesOf(stdout);
    assert.deepEqual(
      lines.map((line) => line.message),
      ['post confirmation failed', 'welcome queued'],
    );
    assert.equal(lines[0]?.level, 'error');
    assert.equal(lines[0]?.WriteFailures, 1);
  });

  it('fails at cold start on a bad ROW_MAPPING, naming the path', async () => {
    await assert.rejects(
      invokeBundleFile(
        bundle,
        {
          ...CREDENTIALS,
          TABLE_NAME: 'own-users',
          ROW_MAPPING: '{"fields":{"email":3}}',
          AWS_ENDPOINT_URL_DYNAMODB: dynalite.endpoint,
        },
        signUpEvent(),
      ),
      (error: { stderr?: string }) =>
        /ROW_MAPPING is invalid: fields\.email: expected a string or false, got 3/.test(
          error.stderr ?? '',
        ),
    );
  });
});

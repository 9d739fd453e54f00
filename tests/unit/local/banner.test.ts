import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderBanner, renderExportLines, shellQuote } from '../../../src/local/banner.js';
import type { StackFacts } from '../../../src/local/stackFile.js';

const facts: StackFacts = {
  region: 'us-east-1',
  userPoolId: 'local_abc123',
  userPoolClientId: 'client123',
  tableName: 'users',
  cognitoEndpoint: 'http://127.0.0.1:9230',
  dynamodbEndpoint: 'http://127.0.0.1:8000',
  lambdaEndpoint: 'http://127.0.0.1:9001',
  consoleUrl: 'http://127.0.0.1:9002/',
  confirmationCode: '123456',
  keyAttribute: 'username',
};

describe('Function: renderExportLines', () => {
  it('points the SDK at the stack with the standard variables, dummy credentials and the ids', () => {
    assert.deepEqual(renderExportLines(facts), [
      'export AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=http://127.0.0.1:9230',
      'export AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000',
      'export AWS_REGION=us-east-1',
      'export AWS_DEFAULT_REGION=us-east-1',
      'export AWS_ACCESS_KEY_ID=local',
      'export AWS_SECRET_ACCESS_KEY=local',
      'export USER_POOL_ID=local_abc123',
      'export USER_POOL_CLIENT_ID=client123',
      'export TABLE_NAME=users',
    ]);
  });
});

describe('Function: renderBanner', () => {
  it("names the table's sort key under a row mapping that has one", () => {
    const banner = renderBanner(
      {
        ...facts,
        keyAttribute: 'pk',
        rowKeys: {
          key: { attribute: 'pk', template: 'USER#{sub}' },
          sortKey: { attribute: 'sk', template: 'PROFILE' },
        },
      },
      { dataDir: undefined, stackFile: '/repo/.local/stack.json' },
    );
    assert.match(banner, /users \(key: pk, sort key: sk\)/);
    assert.match(
      renderBanner(facts, { dataDir: undefined, stackFile: 'x' }),
      /users \(key: username\)/,
    );
  });

  it('shows the endpoints, ids, code, data directory and export lines', () => {
    const banner = renderBanner(facts, {
      dataDir: '/repo/.local',
      stackFile: '/repo/.local/stack.json',
    });

    for (const expected of [
      'http://127.0.0.1:9230',
      'http://127.0.0.1:8000',
      'http://127.0.0.1:9001',
      'Console            http://127.0.0.1:9002/',
      'local_abc123',
      'client123',
      'Confirmation code  123456',
      '/repo/.local/stack.json',
      'export USER_POOL_CLIENT_ID=client123',
      'npm run demo',
    ]) {
      assert.ok(banner.includes(expected), expected);
    }
  });

  it('says that older AWS CLIs ignore the endpoint variables and need --endpoint-url', () => {
    const banner = renderBanner(facts, { dataDir: undefined, stackFile: 's.json' });
    assert.match(
      banner,
      /Older AWS CLIs \(Debian's 2\.9\) ignore the AWS_ENDPOINT_URL_\* variables: pass --endpoint-url/,
    );
    assert.ok(
      banner.includes(
        'aws cognito-idp list-users --user-pool-id local_abc123 --endpoint-url http://127.0.0.1:9230',
      ),
    );
    assert.ok(
      banner.includes('aws dynamodb scan --table-name users --endpoint-url http://127.0.0.1:8000'),
    );
  });

  it('says when the data is in memory', () => {
    assert.match(renderBanner(facts, { dataDir: undefined, stackFile: 's.json' }), /in memory/);
  });
});

describe('Function: shellQuote', () => {
  it('leaves plain values alone and quotes the others', () => {
    assert.equal(shellQuote('http://127.0.0.1:1'), 'http://127.0.0.1:1');
    assert.equal(shellQuote("it's here"), `'it'\\''s here'`);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readGroupsWith } from '../../../src/aws/pool/groupPages.js';
import { createSignedGroupsLister, signRequest } from '../../../src/aws/pool/signedGroupsCall.js';

const NOW = new Date('2026-12-01T10:00:00.000Z');
const CREDENTIALS = { accessKeyId: 'AKID', secretAccessKey: 'SECRET', sessionToken: 'TOKEN' };

/** A fetch answering each call in turn, recording the requests. */
function scriptedFetch(answers: { status: number; body: unknown; type?: string }[]) {
  const requests: { url: string; headers: Record<string, string>; body: string }[] = [];
  const fetch = (async (url: URL, init: RequestInit) => {
    requests.push({
      url: String(url),
      headers: init.headers as Record<string, string>,
      body: String(init.body),
    });
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)];
    assert.ok(answer);
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: answer.type ? { 'x-amzn-errortype': answer.type } : {},
    });
  }) as unknown as typeof globalThis.fetch;
  return { fetch, requests };
}

describe('Function: signRequest', () => {
  it('gives the signature of the AWS Signature Version 4 test suite (get-vanilla)', () => {
    const headers = signRequest(
      { method: 'GET', host: 'example.amazonaws.com', path: '/', headers: {}, body: '' },
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      { region: 'us-east-1', service: 'service', now: new Date('2015-08-30T12:36:00Z') },
    );
    assert.equal(
      headers.authorization,
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
    assert.equal(headers['x-amz-date'], '20150830T123600Z');
  });
});

describe('Function: createSignedGroupsLister', () => {
  it('sends AdminListGroupsForUser signed, page by page, to the regional endpoint', async () => {
    const { fetch, requests } = scriptedFetch([
      { status: 200, body: { Groups: [{ GroupName: 'b' }], NextToken: 't1' } },
      { status: 200, body: { Groups: [{ GroupName: 'a' }] } },
    ]);
    const lister = createSignedGroupsLister({
      credentials: async () => CREDENTIALS,
      env: { AWS_REGION: 'eu-west-1' },
      fetch,
      now: () => NOW,
    });
    assert.deepEqual(await readGroupsWith(lister, 'eu-west-1_Pool', 'jane'), ['a', 'b']);
    assert.equal(requests.length, 2);
    assert.equal(requests[0]?.url, 'https://cognito-idp.eu-west-1.amazonaws.com/');
    const headers = requests[0]?.headers ?? {};
    assert.equal(
      headers['x-amz-target'],
      'AWSCognitoIdentityProviderService.AdminListGroupsForUser',
    );
    assert.equal(headers['content-type'], 'application/x-amz-json-1.1');
    assert.equal(headers['x-amz-security-token'], 'TOKEN');
    assert.match(
      headers.authorization ?? '',
      /^AWS4-HMAC-SHA256 Credential=AKID\/20261201\/eu-west-1\/cognito-idp\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$/,
    );
    assert.deepEqual(JSON.parse(requests[0]?.body ?? ''), {
      UserPoolId: 'eu-west-1_Pool',
      Username: 'jane',
      Limit: 60,
    });
    assert.equal(JSON.parse(requests[1]?.body ?? '').NextToken, 't1');
  });

  it('takes the endpoint from AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER', async () => {
    const { fetch, requests } = scriptedFetch([{ status: 200, body: { Groups: [] } }]);
    const lister = createSignedGroupsLister({
      credentials: CREDENTIALS,
      env: {
        AWS_REGION: 'us-east-1',
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: 'http://127.0.0.1:9229',
      },
      fetch,
    });
    assert.deepEqual(await readGroupsWith(lister, 'p', 'u'), []);
    assert.equal(requests[0]?.url, 'http://127.0.0.1:9229/');
  });

  it('answers undefined for a user the pool does not have, and retries a 5xx answer', async () => {
    const missing = scriptedFetch([
      { status: 400, body: { __type: 'UserNotFoundException', message: 'User does not exist.' } },
    ]);
    const lister = createSignedGroupsLister({
      credentials: CREDENTIALS,
      env: {},
      region: 'us-east-1',
      fetch: missing.fetch,
    });
    assert.equal(await readGroupsWith(lister, 'p', 'gone'), undefined);

    const flaky = scriptedFetch([
      { status: 500, body: { __type: 'InternalErrorException' } },
      { status: 200, body: { Groups: [{ GroupName: 'x' }] } },
    ]);
    const retried = createSignedGroupsLister({
      credentials: CREDENTIALS,
      env: {},
      region: 'us-east-1',
      fetch: flaky.fetch,
    });
    const retry = { baseDelayMs: 1, maxDelayMs: 1 };
    assert.deepEqual(await readGroupsWith(retried, 'p', 'u', { retry }), ['x']);
    assert.equal(flaky.requests.length, 2);
  });

  it('fails with a UserPoolReadError naming the service error, never the username', async () => {
    const denied = scriptedFetch([
      {
        status: 400,
        body: { message: 'not authorized' },
        type: 'AccessDeniedException:http://internal.amazon.com/',
      },
    ]);
    const lister = createSignedGroupsLister({
      credentials: CREDENTIALS,
      env: {},
      region: 'us-east-1',
      fetch: denied.fetch,
    });
    await assert.rejects(readGroupsWith(lister, 'p', 'jane.doe@example.com'), (error: Error) => {
      assert.equal(error.name, 'UserPoolReadError');
      assert.match(error.message, /AccessDeniedException/);
      assert.equal(error.message.includes('jane.doe'), false);
      return true;
    });
    assert.equal(denied.requests.length, 1);
  });
});

import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { signUpEvent } from '../helpers/fixtures.js';
import { invokeLambdaBundle, lambdaBundlePath } from '../helpers/lambdaBundle.js';
import { useTempDir } from '../helpers/tempDir.js';

const lambdaDir = dirname(dirname(lambdaBundlePath('post-confirmation')));

/** What the recording endpoint saw of one request. */
interface SeenRequest {
  readonly target: string;
  readonly authorization: string;
  /** The SDK's `amz-sdk-request` header: `attempt=N; max=M`. */
  readonly sdkRequest: string;
}

/**
 * An endpoint that records who signed each request and answers every one
 * with a ValidationException (not retried), standing in for both DynamoDB
 * and Cognito: the test looks only at how the bundles sign their calls.
 */
async function startRecordingEndpoint(): Promise<{
  url: string;
  seen: SeenRequest[];
  /** How many of the next requests are answered with a throttling error first. */
  throttle: { next: number };
  close(): Promise<void>;
}> {
  const seen: SeenRequest[] = [];
  const throttle = { next: 0 };
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      seen.push({
        target: String(request.headers['x-amz-target'] ?? ''),
        authorization: String(request.headers.authorization ?? ''),
        sdkRequest: String(request.headers['amz-sdk-request'] ?? ''),
      });
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      if (throttle.next > 0) {
        throttle.next--;
        const type = String(request.headers['x-amz-target']).startsWith('DynamoDB')
          ? 'ThrottlingException'
          : 'TooManyRequestsException';
        response.end(JSON.stringify({ __type: type, message: 'Rate exceeded' }));
        return;
      }
      response.end(JSON.stringify({ __type: 'ValidationException', message: 'recorded' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    throttle,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Each deployable bundle, with the event that makes it call AWS and the variables it needs. */
const BUNDLES: Record<string, { event: unknown; env: Record<string, string>; calls: string }> = {
  'post-confirmation': {
    event: signUpEvent(),
    env: { TABLE_NAME: 'users' },
    calls: 'DynamoDB_20120810.PutItem',
  },
  'post-authentication': {
    event: signUpEvent((event) => {
      event.triggerSource = 'PostAuthentication_Authentication' as typeof event.triggerSource;
    }),
    env: { TABLE_NAME: 'users' },
    // One conditional UpdateItem records the sign-in.
    calls: 'DynamoDB_20120810.UpdateItem',
  },
  'change-signal': {
    event: {
      source: 'aws.cognito-idp',
      'detail-type': 'AWS API Call via CloudTrail',
      detail: {
        eventSource: 'cognito-idp.amazonaws.com',
        eventName: 'AdminDisableUser',
        requestParameters: { userPoolId: 'us-east-1_Pool1', username: 'jane' },
      },
    },
    env: { TABLE_NAME: 'users', USER_POOL_ID: 'us-east-1_Pool1' },
    calls: 'AWSCognitoIdentityProviderService.AdminGetUser',
  },
  'scheduled-reconcile': {
    event: {},
    env: { TABLE_NAME: 'users', USER_POOL_ID: 'us-east-1_Pool1' },
    calls: 'AWSCognitoIdentityProviderService.ListUsers',
  },
};

/** Handles the bundle's event in a fresh process; a failed process is an outcome, not an error. */
function invoke(
  name: string,
  env: Record<string, string>,
  context?: string,
): Promise<{ stdout: string; stderr: string }> {
  return invokeLambdaBundle(name, env, BUNDLES[name]?.event, context).catch(
    (error: { stdout: string; stderr: string }) => error,
  );
}

describe('Artifact: the Lambda bundles and their credentials', () => {
  let endpoint: Awaited<ReturnType<typeof startRecordingEndpoint>>;
  const home = useTempDir('cus-bundle-home-');

  before(async () => {
    endpoint = await startRecordingEndpoint();
  });
  after(async () => {
    await endpoint.close();
  });

  // The scheduled reconcile, with both SDK clients, the row mapping and DescribeTable, is the largest.
  it('ships one bundle per function, each under 336 KB', () => {
    assert.deepEqual(readdirSync(lambdaDir).sort(), Object.keys(BUNDLES).sort());
    for (const name of Object.keys(BUNDLES)) {
      const { size } = statSync(lambdaBundlePath(name));
      assert.ok(size < 336 * 1024, `${name}: ${size} bytes`);
    }
  });

  for (const name of Object.keys(BUNDLES)) {
    it(`${name}: signs its calls with the keys Lambda sets, and with none set names them instead of reading a profile`, async () => {
      const spec = BUNDLES[name];
      assert.ok(spec);
      const endpoints = {
        AWS_ENDPOINT_URL_DYNAMODB: endpoint.url,
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint.url,
        ...spec.env,
      };

      endpoint.seen.length = 0;
      await invoke(name, {
        ...endpoints,
        AWS_ACCESS_KEY_ID: 'AKIDFROMLAMBDA',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_SESSION_TOKEN: 'token',
      });
      const call = endpoint.seen.find((request) => request.target === spec.calls);
      assert.ok(call, `${name} called ${spec.calls}: ${JSON.stringify(endpoint.seen)}`);
      assert.match(call.authorization, /Credential=AKIDFROMLAMBDA\//);

      // A profile the SDK's default chain would find, and no Lambda variables.
      const profileHome = join(home.path, name);
      mkdirSync(join(profileHome, '.aws'), { recursive: true });
      writeFileSync(
        join(profileHome, '.aws', 'credentials'),
        '[default]\naws_access_key_id = AKIDFROMPROFILE\naws_secret_access_key = secret\n',
      );
      endpoint.seen.length = 0;
      const { stdout, stderr } = await invoke(name, { ...endpoints, HOME: profileHome });
      assert.deepEqual(endpoint.seen, [], 'no call leaves unsigned or signed with the profile');
      assert.match(
        stdout + stderr,
        /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set/,
        `${name} names the variables`,
      );
    });
  }

  for (const name of Object.keys(BUNDLES)) {
    it(`${name}: a context without a usable getRemainingTimeInMillis means the default deadline, not a crash`, async () => {
      const spec = BUNDLES[name];
      assert.ok(spec);
      const env = {
        AWS_ENDPOINT_URL_DYNAMODB: endpoint.url,
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint.url,
        AWS_ACCESS_KEY_ID: 'AKIDFROMLAMBDA',
        AWS_SECRET_ACCESS_KEY: 'secret',
        ...spec.env,
      };
      for (const context of [
        '{}',
        "{ getRemainingTimeInMillis: () => { throw new Error('no clock'); } }",
        "{ getRemainingTimeInMillis: () => 'soon' }",
      ]) {
        endpoint.seen.length = 0;
        const { stdout, stderr } = await invoke(name, env, context);
        assert.doesNotMatch(stdout + stderr, /is not a function|no clock/, context);
        assert.ok(
          endpoint.seen.some((request) => request.target === spec.calls),
          `${name} with ${context} called ${spec.calls}: ${JSON.stringify(endpoint.seen)}`,
        );
      }
    });
  }

  for (const name of ['post-confirmation', 'post-authentication', 'change-signal']) {
    it(`${name}: retries throttling on its own, per invocation, with the SDK's retries (and their shared quota) off`, async () => {
      const spec = BUNDLES[name];
      assert.ok(spec);
      endpoint.seen.length = 0;
      endpoint.throttle.next = 4;
      await invoke(name, {
        AWS_ENDPOINT_URL_DYNAMODB: endpoint.url,
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: endpoint.url,
        AWS_ACCESS_KEY_ID: 'AKIDFROMLAMBDA',
        AWS_SECRET_ACCESS_KEY: 'secret',
        ...spec.env,
      });
      endpoint.throttle.next = 0;
      const calls = endpoint.seen.filter((request) => request.target === spec.calls);
      // Four throttled answers, then the call goes through (and is answered with a validation error).
      assert.equal(calls.length, 5, `${name} called ${spec.calls} ${calls.length} times`);
      for (const call of calls) assert.match(call.sdkRequest, /^attempt=1; max=1$/, name);
    });
  }
});

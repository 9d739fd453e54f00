import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lambdaEnvironmentCredentials } from '../../src/aws/lambdaCredentials.js';
import { ConfigError } from '../../src/shared/errors.js';

async function resolve(env: NodeJS.ProcessEnv): Promise<unknown> {
  const provider = lambdaEnvironmentCredentials(env);
  assert.equal(typeof provider, 'function');
  return (provider as () => Promise<unknown>)();
}

describe('Function: lambdaEnvironmentCredentials', () => {
  it("resolves the execution role's keys and session token from the variables Lambda sets", async () => {
    assert.deepEqual(
      await resolve({
        AWS_ACCESS_KEY_ID: 'AKID',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_SESSION_TOKEN: 'token',
      }),
      { accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'token' },
    );
  });

  it('leaves the session token out when it is not set (long-term keys)', async () => {
    assert.deepEqual(
      await resolve({ AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret' }),
      {
        accessKeyId: 'AKID',
        secretAccessKey: 'secret',
      },
    );
  });

  it('reads the variables when first asked, not when built', async () => {
    const env: NodeJS.ProcessEnv = {};
    const provider = lambdaEnvironmentCredentials(env) as () => Promise<unknown>;
    env.AWS_ACCESS_KEY_ID = 'AKID';
    env.AWS_SECRET_ACCESS_KEY = 'secret';
    assert.deepEqual(await provider(), { accessKeyId: 'AKID', secretAccessKey: 'secret' });
  });

  it('rejects with a ConfigError naming each missing variable, empty ones included', async () => {
    await assert.rejects(resolve({ AWS_SESSION_TOKEN: 'token' }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /^AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set/);
      return true;
    });
    await assert.rejects(resolve({ AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: '' }), {
      name: 'ConfigError',
      message: /^AWS_SECRET_ACCESS_KEY is not set: .*execution role/,
    });
    await assert.rejects(resolve({ AWS_SECRET_ACCESS_KEY: 'secret' }), {
      message: /^AWS_ACCESS_KEY_ID is not set/,
    });
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type InvokeServer, startInvokeServer } from '../../src/local/invokeServer.js';

describe('Function: startInvokeServer', () => {
  let server: InvokeServer;
  const invoke = (name: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${server.endpoint}/2015-03-31/functions/${encodeURIComponent(name)}/invocations`, {
      method: 'POST',
      body,
      headers: { 'x-amz-invocation-type': 'RequestResponse', ...headers },
    });

  before(async () => {
    server = await startInvokeServer({
      host: '127.0.0.1',
      port: 0,
      timeoutMs: 200,
      functions: {
        echo: async (event, context) => ({
          event,
          functionName: context.functionName,
          remaining: context.getRemainingTimeInMillis() > 0,
        }),
        fail: async () => {
          const error = new Error('the table is gone');
          error.name = 'TableWriteError';
          throw error;
        },
        hang: () => new Promise(() => {}),
      },
    });
  });

  after(async () => {
    await server.close();
  });

  it('answers with what the function returns', async () => {
    const response = await invoke('echo', '{"a":1}');

    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-amz-function-error'), null);
    assert.deepEqual(await response.json(), {
      event: { a: 1 },
      functionName: 'echo',
      remaining: true,
    });
  });

  it('accepts the function as an ARN with a qualifier', async () => {
    const response = await invoke('arn:aws:lambda:us-east-1:123456789012:function:echo:1', '{}');

    assert.equal(response.status, 200);
  });

  it('reports a thrown error as Lambda does: 200, X-Amz-Function-Error and the error', async () => {
    const response = await invoke('fail', '{}');

    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-amz-function-error'), 'Unhandled');
    assert.deepEqual(await response.json(), {
      errorType: 'TableWriteError',
      errorMessage: 'the table is gone',
    });
  });

  it('reports a function that runs too long as timed out', async () => {
    const response = await invoke('hang', '{}');

    assert.equal(response.headers.get('x-amz-function-error'), 'Unhandled');
    assert.equal(((await response.json()) as { errorType: string }).errorType, 'Sandbox.Timedout');
  });

  it('answers 404 ResourceNotFoundException for an unknown function', async () => {
    const response = await invoke('nope', '{}');

    assert.equal(response.status, 404);
    assert.equal(response.headers.get('x-amzn-errortype'), 'ResourceNotFoundException');
    assert.match(((await response.json()) as { message: string }).message, /nope/);
  });

  it('answers 400 InvalidRequestContentException for a body that is not JSON', async () => {
    const response = await invoke('echo', '{not json');

    assert.equal(response.status, 400);
    assert.equal(response.headers.get('x-amzn-errortype'), 'InvalidRequestContentException');
    await response.body?.cancel();
  });

  it('answers 202 at once for an asynchronous invocation', async () => {
    const response = await invoke('echo', '{}', { 'x-amz-invocation-type': 'Event' });

    assert.equal(response.status, 202);
    await response.body?.cancel();
  });
});

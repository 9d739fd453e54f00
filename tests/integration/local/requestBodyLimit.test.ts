import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CONSOLE_MAX_BODY_BYTES,
  type ConsoleServer,
  startConsoleServer,
} from '../../../src/local/console/consoleServer.js';
import {
  INVOKE_MAX_BODY_BYTES,
  type InvokeServer,
  startInvokeServer,
} from '../../../src/local/invokeServer.js';
import { RequestBodyTooLargeError } from '../../../src/local/support/readBody.js';

describe('The local servers: one body reader, each with its limit', () => {
  let invoke: InvokeServer;
  let console: ConsoleServer;
  const received: unknown[] = [];

  before(async () => {
    invoke = await startInvokeServer({
      host: '127.0.0.1',
      port: 0,
      functions: {
        echo: async (event) => {
          received.push(event);
          return event;
        },
      },
    });
    console = await startConsoleServer({
      host: '127.0.0.1',
      port: 0,
      api: async (request) => {
        received.push(request.body);
        return { status: 200, body: { ok: true } };
      },
    });
  });

  after(async () => {
    await invoke.close();
    await console.close();
  });

  const postInvoke = (body: string) =>
    fetch(`${invoke.endpoint}/2015-03-31/functions/echo/invocations`, { method: 'POST', body });
  const postConsole = (body: string) =>
    fetch(`${console.url}api/users/sign-up`, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json' },
    });
  /** A JSON object of exactly `bytes` bytes. */
  const jsonOf = (bytes: number) => `{"a":"${'x'.repeat(bytes - 8)}"}`;

  it('words the limits the same way, from the one error', () => {
    assert.equal(
      new RequestBodyTooLargeError(INVOKE_MAX_BODY_BYTES).message,
      'the request body is over 6 MB',
    );
    assert.equal(
      new RequestBodyTooLargeError(CONSOLE_MAX_BODY_BYTES).message,
      'the request body is over 256 KB',
    );
  });

  it('accepts a body of exactly the limit on both servers', async () => {
    received.length = 0;
    const invoked = await postInvoke(jsonOf(INVOKE_MAX_BODY_BYTES));
    assert.equal(invoked.status, 200);
    await invoked.arrayBuffer();
    const posted = await postConsole(jsonOf(CONSOLE_MAX_BODY_BYTES));
    assert.equal(posted.status, 200);
    await posted.arrayBuffer();
    assert.equal(received.length, 2);
  });

  it('refuses a body one byte over the limit on both servers, running nothing', async () => {
    received.length = 0;
    const invoked = await postInvoke(jsonOf(INVOKE_MAX_BODY_BYTES + 1));
    assert.equal(invoked.status, 413);
    assert.equal(invoked.headers.get('x-amzn-errortype'), 'RequestTooLargeException');
    assert.deepEqual(await invoked.json(), {
      Type: 'User',
      message: 'Request must be smaller than 6 MB',
    });
    const posted = await postConsole(jsonOf(CONSOLE_MAX_BODY_BYTES + 1));
    assert.equal(posted.status, 400);
    assert.deepEqual(await posted.json(), {
      error: `Invalid input: ${new RequestBodyTooLargeError(CONSOLE_MAX_BODY_BYTES).message}.`,
    });
    assert.equal(received.length, 0);
  });
});

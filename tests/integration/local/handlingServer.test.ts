import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { closeServer, createHandlingServer } from '../../../src/local/support/ports.js';

/** GETs a path; resolves with the status and body, or with the error that cut the answer. */
function get(
  port: number,
  path: string,
): Promise<{ status?: number; body?: string; error?: Error }> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        body += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode, body }));
      response.on('error', (error) => resolve({ error }));
      response.on('aborted', () => resolve({ error: new Error('aborted') }));
    });
    req.on('error', (error) => resolve({ error }));
    req.end();
  });
}

describe('Function: createHandlingServer', () => {
  const failures: string[] = [];
  const server = createHandlingServer(
    async (req, response) => {
      if (req.url === '/ok') {
        response.end('fine');
        return;
      }
      if (req.url === '/midway') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.write('half');
      }
      throw new Error(`broke on ${req.url}`);
    },
    (response, error) => {
      failures.push((error as Error).message);
      response.writeHead(500).end(`failed: ${(error as Error).message}`);
    },
  );
  let port = 0;
  before(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => closeServer(server));

  it('answers with the handler', async () => {
    assert.deepEqual(await get(port, '/ok'), { status: 200, body: 'fine' });
  });

  it('answers a failure with fail while no header has been sent', async () => {
    assert.deepEqual(await get(port, '/early'), { status: 500, body: 'failed: broke on /early' });
    assert.deepEqual(failures, ['broke on /early']);
  });

  it('cuts the connection when the answer was already under way', async () => {
    failures.length = 0;
    const answer = await get(port, '/midway');
    assert.ok(answer.error, `the client sees the answer cut: ${JSON.stringify(answer)}`);
    assert.deepEqual(failures, [], 'fail is not called once headers are sent');
  });
});

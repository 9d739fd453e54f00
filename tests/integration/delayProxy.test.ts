import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type DelayProxy, startDelayProxy } from '../../bench/delayProxy.js';

describe('Benchmark tool: startDelayProxy', () => {
  let upstream: ReturnType<typeof createServer>;
  let proxy: DelayProxy;
  let upstreamUrl: string;

  before(async () => {
    upstream = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        response.writeHead(201, { 'x-echo-path': request.url ?? '' });
        response.end(`echo:${body}`);
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const { port } = upstream.address() as AddressInfo;
    upstreamUrl = `http://127.0.0.1:${port}`;
    proxy = await startDelayProxy(upstreamUrl, 40);
  });
  after(async () => {
    await proxy.close();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
  });

  it('forwards method, path, body, status and headers after at least the delay', async () => {
    const started = performance.now();
    const response = await fetch(`${proxy.endpoint}/some/path?x=1`, { method: 'POST', body: 'hi' });
    const elapsed = performance.now() - started;
    assert.equal(response.status, 201);
    assert.equal(response.headers.get('x-echo-path'), '/some/path?x=1');
    assert.equal(await response.text(), 'echo:hi');
    assert.ok(elapsed >= 39, `held ${elapsed} ms`);
    assert.equal(proxy.requests(), 1);
  });

  it('delays concurrent requests independently (they overlap)', async () => {
    const slow = await startDelayProxy(upstreamUrl, 200);
    try {
      const started = performance.now();
      await Promise.all(
        Array.from({ length: 10 }, () =>
          fetch(slow.endpoint, { method: 'POST', body: 'x' }).then((r) => r.text()),
        ),
      );
      const elapsed = performance.now() - started;
      assert.ok(elapsed >= 199, `held ${elapsed} ms`);
      // One after the other they would take 2 s.
      assert.ok(elapsed < 1500, `10 requests took ${elapsed} ms: they were serialised`);
      assert.equal(slow.requests(), 10);
    } finally {
      await slow.close();
    }
  });
});

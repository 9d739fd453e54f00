import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A proxy that holds every request for a fixed time before forwarding it. */
export interface DelayProxy {
  /** `http://127.0.0.1:<port>`: point clients here instead of at the target. */
  readonly endpoint: string;
  /** Requests forwarded so far. */
  readonly requests: () => number;
  /** Stops the proxy. */
  close(): Promise<void>;
}

/**
 * Starts an HTTP proxy on a free loopback port that forwards every request to
 * `target` after `delayMs`: a simulated network round trip, as a client on AWS
 * pays one per request to DynamoDB or Cognito. Requests are delayed
 * independently, so concurrent requests overlap as they would on a network.
 */
export async function startDelayProxy(target: string, delayMs: number): Promise<DelayProxy> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  let count = 0;
  const server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      setTimeout(() => {
        count++;
        const forwarded = request(
          {
            host: upstream.hostname,
            port: upstream.port,
            method: incoming.method,
            path: incoming.url,
            headers: { ...incoming.headers, host: upstream.host },
            agent,
          },
          (response) => {
            outgoing.writeHead(response.statusCode ?? 502, response.headers);
            response.pipe(outgoing);
          },
        );
        forwarded.on('error', (error) => {
          outgoing.writeHead(502, { 'content-type': 'text/plain' });
          outgoing.end(`delay proxy: ${error.message}`);
        });
        forwarded.end(Buffer.concat(chunks));
      }, delayMs);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => count,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}

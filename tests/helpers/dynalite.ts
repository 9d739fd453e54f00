import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';

/** A dynalite server started by a test. */
export interface TestDynalite {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** The port it listens on. */
  readonly port: number;
  /** A raw client pointed at it. */
  readonly client: DynamoDBClient;
  /** Stops the server and the client. */
  close(): Promise<void>;
}

/** Starts an in-memory dynalite on a free loopback port. */
export async function startDynalite(options: { path?: string } = {}): Promise<TestDynalite> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...options });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1' });
  return {
    endpoint,
    port,
    client,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startDynamoServer } from '../../src/local/dynamoServer.js';

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

/** Starts an in-memory dynalite (the local stack's) on a free loopback port, with a client. */
export async function startDynalite(): Promise<TestDynalite> {
  const server = await startDynamoServer({ host: '127.0.0.1', port: 0 });
  const client = new DynamoDBClient({ endpoint: server.endpoint, region: 'us-east-1' });
  return {
    endpoint: server.endpoint,
    port: server.port,
    client,
    close: async () => {
      client.destroy();
      await server.close();
    },
  };
}

import dynalite from 'dynalite';
import { closeServer, listenOn, urlHost } from './support/ports.js';

/** Options of {@link startDynamoServer}. */
export interface DynamoServerOptions {
  /** LevelDB directory. @default - in memory */
  readonly path?: string | undefined;
  /** Interface to bind. */
  readonly host: string;
  /** Port to bind; 0 picks a free one. */
  readonly port: number;
}

/** A running DynamoDB-API server. */
export interface DynamoServer {
  /** `http://<host>:<port>` */
  readonly endpoint: string;
  /** The port bound. */
  readonly port: number;
  /** Stops the server and closes its database. */
  close(): Promise<void>;
}

/**
 * Starts dynalite, a DynamoDB-API server, in this process. Tables are ACTIVE as
 * soon as they are created (no simulated delay).
 */
export async function startDynamoServer(options: DynamoServerOptions): Promise<DynamoServer> {
  const server = dynalite({
    ...(options.path ? { path: options.path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  const port = await listenOn(server, options.host, options.port, {
    service: 'DynamoDB',
    setting: '--dynamodb-port (dynamodbPort)',
  });
  return {
    endpoint: `http://${urlHost(options.host)}:${port}`,
    port,
    close: () => closeServer(server),
  };
}

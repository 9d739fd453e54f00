import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalStackError } from './localStackError.js';

/** Highest TCP port. */
const MAX_PORT = 65535;

/**
 * Checks a port given as text (a flag or a variable) or as a number (an
 * option): a whole number from 0 (a free port) to 65535. The one port check
 * of the local stack.
 *
 * @throws LocalStackError naming `source` and the bad value
 */
export function parsePort(value: string | number, source: string): number {
  const port =
    typeof value === 'number' ? value : /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(port) || port < 0 || port > MAX_PORT) {
    throw new LocalStackError(
      `${source} must be a port from 0 to ${MAX_PORT}, got ${JSON.stringify(value)}`,
    );
  }
  return port;
}

/** What a port is for, to name it in errors (e.g. `Cognito`, with the option that sets it). */
export interface PortRole {
  /** The service, e.g. `DynamoDB`. */
  readonly service: string;
  /** How to change the port, e.g. `--dynamodb-port / dynamodbPort`. */
  readonly setting: string;
}

/**
 * Binds a server to a host and port (0 picks a free port) and returns the port bound.
 *
 * @throws LocalStackError naming the port and the setting that changes it when the
 *   port is in use or may not be bound
 */
export async function listenOn(
  server: Server,
  host: string,
  port: number,
  role: PortRole,
): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(portError(error, host, port, role));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
  return (server.address() as AddressInfo).port;
}

function portError(
  error: NodeJS.ErrnoException,
  host: string,
  port: number,
  role: PortRole,
): LocalStackError {
  const where = `${role.service} port ${port} on ${host}`;
  if (error.code === 'EADDRINUSE') {
    return new LocalStackError(
      `${where} is already in use: stop what holds it or choose another port with ${role.setting}`,
      { cause: error },
    );
  }
  if (error.code === 'EACCES') {
    return new LocalStackError(
      `${where} may not be bound (permission denied): choose a port above 1023 with ${role.setting}`,
      { cause: error },
    );
  }
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
    return new LocalStackError(`${where}: host ${host} is not an address of this machine`, {
      cause: error,
    });
  }
  return new LocalStackError(`${where} could not be bound: ${error.message}`, { cause: error });
}

/**
 * An HTTP server that runs `handle` for each request. When `handle` rejects,
 * `fail` answers with the error if no header was sent yet; otherwise the
 * connection is cut, since the answer is already under way.
 */
export function createHandlingServer(
  handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  fail: (response: ServerResponse, error: unknown) => void,
): Server {
  return createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) fail(response, error);
      else response.destroy();
    });
  });
}

/** Stops a server: refuses new connections, ends idle ones, and cuts the rest after `graceMs`. */
export async function closeServer(server: Server, graceMs = 1000): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}

/** Brackets an IPv6 literal for use in a URL. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

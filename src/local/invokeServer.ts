import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage } from '../shared/failure.js';
import { closeServer, createHandlingServer, listenOn, urlHost } from './support/ports.js';
import { RequestBodyTooLargeError, readBody } from './support/readBody.js';

/** The Lambda context given to a function run by the invoke server. */
export interface LocalLambdaContext {
  readonly functionName: string;
  readonly awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

/** A function the invoke server can run: takes the event, returns the result. */
export type LocalFunction = (event: unknown, context: LocalLambdaContext) => Promise<unknown>;

/** Options of {@link startInvokeServer}. */
export interface InvokeServerOptions {
  /** Functions by name. */
  readonly functions: Readonly<Record<string, LocalFunction>>;
  /** Interface to bind. */
  readonly host: string;
  /** Port to bind; 0 picks a free one. */
  readonly port: number;
  /** Milliseconds a function may run before the invocation fails as timed out. @default 6000 */
  readonly timeoutMs?: number;
}

/** A running Lambda Invoke API endpoint. */
export interface InvokeServer {
  /** `http://<host>:<port>` */
  readonly endpoint: string;
  /** The port bound. */
  readonly port: number;
  /** Stops the server. */
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
/** The largest event the endpoint accepts: Lambda's limit of a synchronous invocation's payload. */
export const INVOKE_MAX_BODY_BYTES = 6 * 1024 * 1024;

/**
 * Extracts the function name from an Invoke API path. The name may be given as
 * a name, a partial ARN (`123456789012:function:name`) or a full ARN, with or
 * without a `:qualifier`.
 *
 * @returns the bare function name, or `undefined` when the path is not an invocation
 */
export function functionNameFromPath(path: string): string | undefined {
  const [pathname] = path.split('?');
  const match = INVOKE_PATH.exec(pathname ?? '');
  if (!match?.[1]) return undefined;
  let name: string;
  try {
    name = decodeURIComponent(match[1]);
  } catch {
    return undefined;
  }
  const parts = name.split(':');
  const at = parts.indexOf('function');
  if (at >= 0) return parts[at + 1] || undefined;
  return parts[0] || undefined;
}

/**
 * Starts a small HTTP server speaking the Lambda Invoke API
 * (`POST /2015-03-31/functions/<name>/invocations`, synchronous invocations):
 * the request body is the event, the response body the function's result.
 * A function that throws answers 200 with `X-Amz-Function-Error: Unhandled`
 * and `{errorType, errorMessage}`, as Lambda does; an unknown function answers
 * 404 `ResourceNotFoundException`.
 */
export async function startInvokeServer(options: InvokeServerOptions): Promise<InvokeServer> {
  const timeoutMs = options.timeoutMs ?? 6000;
  const server = createHandlingServer(
    (request, response) => handle(request, response, options.functions, timeoutMs),
    (response, error) => sendError(response, 500, 'ServiceException', errorMessage(error)),
  );
  const port = await listenOn(server, options.host, options.port, {
    service: 'Lambda',
    setting: '--lambda-port (lambdaPort)',
  });
  return {
    endpoint: `http://${urlHost(options.host)}:${port}`,
    port,
    close: () => closeServer(server),
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  functions: Readonly<Record<string, LocalFunction>>,
  timeoutMs: number,
): Promise<void> {
  const name = functionNameFromPath(request.url ?? '/');
  if (request.method !== 'POST' || name === undefined) {
    request.resume();
    sendError(response, 404, 'UnknownOperationException', 'Unknown operation');
    return;
  }
  const fn = Object.hasOwn(functions, name) ? functions[name] : undefined;
  if (!fn) {
    request.resume();
    sendError(response, 404, 'ResourceNotFoundException', `Function not found: ${name}`);
    return;
  }
  let body: string;
  try {
    body = await readBody(request, INVOKE_MAX_BODY_BYTES);
  } catch (error) {
    if (!(error instanceof RequestBodyTooLargeError)) throw error;
    sendError(response, 413, 'RequestTooLargeException', 'Request must be smaller than 6 MB');
    return;
  }
  let event: unknown;
  try {
    event = body.length === 0 ? {} : JSON.parse(body);
  } catch {
    sendError(response, 400, 'InvalidRequestContentException', 'Could not parse request body');
    return;
  }
  const requestId = randomUUID();
  const invocationType = request.headers['x-amz-invocation-type'];
  if (invocationType === 'DryRun') {
    response.writeHead(204, { 'x-amzn-RequestId': requestId }).end();
    return;
  }
  const outcome = run(fn, event, name, requestId, timeoutMs);
  if (invocationType === 'Event') {
    outcome.catch(() => {});
    response.writeHead(202, { 'x-amzn-RequestId': requestId }).end();
    return;
  }
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'x-amzn-RequestId': requestId,
    'X-Amz-Executed-Version': '$LATEST',
  };
  try {
    const result = await outcome;
    response.writeHead(200, headers).end(JSON.stringify(result ?? null));
  } catch (error) {
    const { errorType, errorMessage } = describeError(error);
    response
      .writeHead(200, { ...headers, 'X-Amz-Function-Error': 'Unhandled' })
      .end(JSON.stringify({ errorType, errorMessage }));
  }
}

async function run(
  fn: LocalFunction,
  event: unknown,
  functionName: string,
  awsRequestId: string,
  timeoutMs: number,
): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new Error(`Task timed out after ${(timeoutMs / 1000).toFixed(2)} seconds`);
      error.name = 'Sandbox.Timedout';
      reject(error);
    }, timeoutMs);
  });
  const context: LocalLambdaContext = {
    functionName,
    awsRequestId,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    return await Promise.race([fn(event, context), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function describeError(error: unknown): { errorType: string; errorMessage: string } {
  if (error instanceof Error) return { errorType: error.name, errorMessage: error.message };
  return { errorType: 'Error', errorMessage: String(error) };
}

function sendError(response: ServerResponse, status: number, type: string, message: string): void {
  response
    .writeHead(status, { 'Content-Type': 'application/json', 'x-amzn-ErrorType': type })
    .end(JSON.stringify({ Type: 'User', message }));
}

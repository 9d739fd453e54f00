import type { IncomingMessage } from 'node:http';
import { UserSyncError } from '../../shared/errors.js';

/** A request body was larger than the server accepts. */
export class RequestBodyTooLargeError extends UserSyncError {
  override name = 'RequestBodyTooLargeError';

  /**
   * @param limitBytes - the most bytes the server accepts
   */
  constructor(readonly limitBytes: number) {
    super(`the request body is over ${formatLimit(limitBytes)}`);
  }
}

/** `256 KB`, `6 MB`: a limit in binary units, as the servers state it. */
function formatLimit(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
  return `${bytes} bytes`;
}

/**
 * Reads a request's body as UTF-8 text, up to `limitBytes`: the one body
 * reader of the local servers (the Lambda invoke endpoint, the console).
 *
 * @throws RequestBodyTooLargeError as soon as the body passes `limitBytes`
 */
export async function readBody(request: IncomingMessage, limitBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new RequestBodyTooLargeError(limitBytes);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

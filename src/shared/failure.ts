/**
 * Reading a failed AWS call: what went wrong in one line, whether another
 * attempt may succeed, and whether the request may have taken effect. Pure:
 * it only inspects the error object the SDK threw (or one of ours wrapping it).
 */

/** Error names AWS services use when they throttle a caller (Cognito and DynamoDB). */
export const THROTTLING_ERROR_NAMES: readonly string[] = [
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'Throttling',
];

/** Socket error codes that mean the connection broke or never carried an answer. */
export const NETWORK_ERROR_CODES: readonly string[] = [
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
];

interface ErrorFacts {
  readonly name: string;
  readonly message: string;
  readonly code: string | undefined;
  readonly status: number | undefined;
  readonly fault: string | undefined;
  readonly attempts: number | undefined;
}

function facts(error: unknown): ErrorFacts {
  if (!(error instanceof Error)) {
    return {
      name: 'Error',
      message: String(error),
      code: undefined,
      status: undefined,
      fault: undefined,
      attempts: undefined,
    };
  }
  const raw = error as Error & {
    code?: unknown;
    $fault?: unknown;
    $metadata?: { httpStatusCode?: unknown; attempts?: unknown };
  };
  return {
    name: error.name,
    message: error.message,
    code: typeof raw.code === 'string' ? raw.code : undefined,
    status:
      typeof raw.$metadata?.httpStatusCode === 'number' ? raw.$metadata.httpStatusCode : undefined,
    fault: typeof raw.$fault === 'string' ? raw.$fault : undefined,
    attempts: typeof raw.$metadata?.attempts === 'number' ? raw.$metadata.attempts : undefined,
  };
}

/** The error and the errors it wraps (`cause`), outermost first, at most 5 deep. */
function chain(error: unknown): unknown[] {
  const errors: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && errors.length < 5) {
    errors.push(current);
    current = current instanceof Error ? current.cause : undefined;
  }
  return errors;
}

/** The innermost SDK-looking error of a chain (one with `$metadata` or a socket `code`), else the error. */
function rootFacts(error: unknown): ErrorFacts {
  const found = chain(error)
    .map(facts)
    .reverse()
    .find((item) => item.status !== undefined || item.code !== undefined);
  return found ?? facts(error);
}

/** Name of a thrown error (an SDK exception's name, e.g. `ConditionalCheckFailedException`), or `Error`. */
export function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

/**
 * The message of anything thrown or rejected, also when it is not an `Error`
 * (`null`, a string, an object).
 */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** Whether an error (or one it wraps) is a service throttling the caller. */
export function isThrottling(error: unknown): boolean {
  return chain(error).some((item) => THROTTLING_ERROR_NAMES.includes(facts(item).name));
}

/**
 * Whether DynamoDB refused an item because the configured key attribute is
 * not the table's partition key (a `ValidationException` about the key, or an
 * error of ours wrapping one).
 */
export function isKeyMismatch(error: unknown): boolean {
  const cause = keyCause(error);
  return (
    errorName(cause) === 'ValidationException' &&
    /missing the key|required keys|key element does not match/i.test((cause as Error).message)
  );
}

/** The DynamoDB validation error behind a store error (its cause), or the error itself. */
function keyCause(error: unknown): unknown {
  return error instanceof Error && error.name !== 'ValidationException' ? error.cause : error;
}

/** Whether an error (or one it wraps) is an abort (a deadline or an interruption). */
export function isAbort(error: unknown): boolean {
  return chain(error).some((item) => facts(item).name === 'AbortError');
}

/**
 * Whether another attempt may succeed: throttling, any 5xx answer (JSON or
 * not), a broken or refused connection, or a timeout. A 4xx answer other than
 * throttling (a validation error, a failed condition, a missing table…) and
 * an abort are not transient.
 */
export function isTransient(error: unknown): boolean {
  if (isAbort(error)) return false;
  if (isThrottling(error)) return true;
  return chain(error).some((item) => {
    const f = facts(item);
    if (f.status !== undefined && f.status >= 500) return true;
    if (f.fault === 'server') return true;
    if (f.code !== undefined && NETWORK_ERROR_CODES.includes(f.code)) return true;
    return f.name === 'TimeoutError' || f.name === 'RequestTimeout';
  });
}

/**
 * Whether the request may have reached the service and taken effect although
 * the call failed: a reset or a timeout after sending, or a 5xx answer. A
 * throttling answer, a refused connection and a connect timeout mean it did not.
 */
export function mayHaveLanded(error: unknown): boolean {
  if (isThrottling(error)) return false;
  const f = rootFacts(error);
  if (f.code === 'ECONNREFUSED') return false;
  if (/without establishing a connection/i.test(f.message)) return false;
  return isTransient(error);
}

const CODE_WORDS: Record<string, string> = {
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset (broken pipe)',
  ECONNREFUSED: 'connection refused',
  ECONNABORTED: 'connection aborted',
  ETIMEDOUT: 'no answer within the request timeout',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
};

/** The key attributes a refused item was written with, for the hint of a key mismatch. */
export interface WrittenKeys {
  /** The partition key attribute written. */
  readonly partition: string;
  /** The sort key attribute written, when there is one. */
  readonly sort?: string | undefined;
}

const MISSING_KEY = /missing the key (\S+) in the item/i;

/**
 * Says why a call failed, in one line: the HTTP status when there was an
 * answer, "connection reset" when the connection was reset, the attempts when
 * there were several. A body that is not JSON (an HTML error page) is named
 * as such, never quoted. A key mismatch (see {@link isKeyMismatch}) adds
 * which key attribute the item lacks, when DynamoDB says, and the keys it
 * was written with, when `keys` gives them (the row mapping's).
 *
 * @param error - what the call threw
 * @param service - the service called, for the abort wording (e.g. `DynamoDB`)
 * @param keys - the key attributes the item was written with
 */
export function describeFailure(
  error: unknown,
  service = 'the service',
  keys?: WrittenKeys,
): string {
  const text = describeAnswer(error, service);
  if (!isKeyMismatch(error)) return text;
  const written = keys
    ? `the row mapping's key is "${keys.partition}"${keys.sort ? ` with the sort key "${keys.sort}"` : ' with no sort key'}`
    : undefined;
  const missing = MISSING_KEY.exec(String((keyCause(error) as Error).message))?.[1];
  if (missing !== undefined) {
    const sortKeyHint = keys?.sort
      ? `or "${missing}" is the table's sort key, and the row mapping's sortKey.attribute must name it`
      : `or "${missing}" is the table's sort key, which the row mapping must give (sortKey)`;
    return `${text}; the table's key attribute "${missing}" is missing from the row${written ? ` (${written})` : ''}: either the table's partition key is not the configured key attribute (KEY_ATTRIBUTE, or --key-attribute, or the row mapping's key.attribute), ${sortKeyHint}`;
  }
  return `${text}; the table's partition key is not the configured key attribute (KEY_ATTRIBUTE, or --key-attribute)${written ? `, or the table's sort key is not the row mapping's: ${written}` : ''}`;
}

function describeAnswer(error: unknown, service: string): string {
  if (isAbort(error)) return `the deadline passed before ${service} answered`;
  const f = rootFacts(error);
  const tries = f.attempts !== undefined && f.attempts > 1 ? ` (after ${f.attempts} attempts)` : '';
  if (f.code !== undefined && CODE_WORDS[f.code] !== undefined) {
    return `${CODE_WORDS[f.code]} (${f.code})${tries}`;
  }
  const firstLine = (f.message.split('\n')[0] ?? '').trim();
  if (f.status !== undefined) {
    const notJson =
      f.name === 'SyntaxError' || /Deserialization error|is not valid JSON/.test(f.message);
    if (notJson) return `HTTP ${f.status} with a body that is not JSON${tries}`;
    return `${f.name} (HTTP ${f.status}): ${firstLine}${tries}`;
  }
  if (f.name === 'TimeoutError') return `timed out: ${firstLine}${tries}`;
  return `${f.name}: ${firstLine}${tries}`;
}

/** Whether DynamoDB refused a write because its condition failed (`ConditionalCheckFailedException`). */
export function isConditionFailure(error: unknown): boolean {
  return errorName(error) === 'ConditionalCheckFailedException';
}

import { ConfigError } from '../shared/errors.js';
import type { LogLevel } from '../shared/logger.js';
import { ROW_MANAGED_FIELDS, type RowMapping } from './rowMapping/document.js';

/** How a user becomes a row: shared by the trigger and the reconcile command. */
export interface MappingConfig {
  /** Name of the table's partition key attribute, which holds the Cognito username. */
  readonly keyAttribute: string;
  /** Attribute names copied into `attributes`; `undefined` copies all but `cognito:*`. */
  readonly userAttributes?: readonly string[] | undefined;
  /**
   * The resolved row mapping, which every path reads rows by (see `rowMappingOf`).
   * @default - today's row under `keyAttribute` and `userAttributes`
   */
  readonly rowMapping?: RowMapping | undefined;
}

/**
 * What the trigger does when the row cannot be written:
 * - `continue` (default): log an error, count a `WriteFailures` metric and
 *   return the event, so the sign-up completes; reconcile writes the row later;
 * - `reject`: also fail the invocation, so the caller sees an error (Cognito
 *   has confirmed the user anyway, and will not call the trigger again).
 */
export const WRITE_FAILURE_MODES = ['continue', 'reject'] as const;

/** One of {@link WRITE_FAILURE_MODES}. */
export type WriteFailureMode = (typeof WRITE_FAILURE_MODES)[number];

/** The handler's configuration, read once at cold start. */
export interface HandlerConfig extends MappingConfig {
  /** DynamoDB table name. */
  readonly tableName: string;
  /** Minimum level of log lines written. */
  readonly logLevel: LogLevel;
  /** What a failed write does. @default 'continue' */
  readonly onWriteFailure?: WriteFailureMode;
  /**
   * The row mapping (`ROW_MAPPING`; `{}`, today's row, when unset).
   * `readHandlerConfig` always sets it.
   * @default - today's row under `keyAttribute` and `userAttributes`
   */
  readonly rowMapping?: RowMapping | undefined;
}

/** Default partition key attribute name. */
export const DEFAULT_KEY_ATTRIBUTE = 'username';

const ATTRIBUTE_NAME = /^[A-Za-z0-9_.:-]{1,255}$/;

/**
 * Checks the partition key attribute name.
 *
 * @throws ConfigError when it is not 1-255 characters of letters, digits, `_ . : -`,
 *   or collides with a field of the row ({@link ROW_MANAGED_FIELDS})
 */
export function parseKeyAttribute(value: string | undefined, source: string): string {
  return parseColumnName(value?.trim() || DEFAULT_KEY_ATTRIBUTE, source);
}

/**
 * Checks the name of a column the package writes besides its managed fields
 * (the key attribute, the Time to Live attribute).
 *
 * @throws ConfigError when it is not 1-255 characters of letters, digits, `_ . : -`,
 *   or collides with a field of the row ({@link ROW_MANAGED_FIELDS})
 */
export function parseColumnName(name: string, source: string): string {
  if (!ATTRIBUTE_NAME.test(name)) {
    throw new ConfigError(
      `${source} must be 1-255 characters of A-Z a-z 0-9 _ . : -, got "${name}"`,
    );
  }
  if ((ROW_MANAGED_FIELDS as readonly string[]).includes(name)) {
    throw new ConfigError(
      `${source} must not be one of the row's own fields (${ROW_MANAGED_FIELDS.join(', ')}), got "${name}"`,
    );
  }
  return name;
}

/**
 * Parses a comma-separated attribute allowlist.
 *
 * @returns the names, or `undefined` (copy all) when the value is empty or absent
 * @throws ConfigError naming the first invalid entry
 */
export function parseAttributeList(
  value: string | undefined,
  source: string,
): readonly string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const names = value.split(',').map((entry) => entry.trim());
  for (const name of names) {
    if (!ATTRIBUTE_NAME.test(name)) {
      throw new ConfigError(
        `${source} must be a comma-separated list of attribute names, got an invalid entry "${name}"`,
      );
    }
  }
  return [...new Set(names)];
}

/** Endpoint variables the DynamoDB client reads. */
export const DYNAMODB_ENDPOINT_VARIABLES = [
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL',
] as const;

/** Endpoint variables the Cognito client reads. */
export const COGNITO_ENDPOINT_VARIABLES = [
  'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER',
  'AWS_ENDPOINT_URL',
] as const;

/**
 * Checks the endpoint variables the AWS SDK will read, so that a bad one is
 * reported once, at start, naming the variable, rather than as `Invalid URL`
 * on every call. Unset or empty variables are fine (the SDK's default).
 *
 * @throws ConfigError when a set variable is not an `http://` or `https://`
 *   URL with a host and a valid port
 */
export function checkEndpointVariables(env: NodeJS.ProcessEnv, names: readonly string[]): void {
  for (const name of names) {
    const value = env[name]?.trim();
    if (!value) continue;
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
      throw new ConfigError(
        `${name} must be an http:// or https:// URL with a host and an optional port from 1 to 65535 (e.g. http://127.0.0.1:8000), got "${value}"`,
      );
    }
  }
}

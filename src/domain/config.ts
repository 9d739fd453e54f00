import { type EnvironmentSpec, readEnvironment } from '../shared/environment.js';
import { ConfigError } from '../shared/errors.js';
import { LOG_LEVELS, type LogLevel } from '../shared/logger.js';
import { ROW_MANAGED_FIELDS, type RowMapping } from './rowMapping/document.js';

/** How a user becomes a row: shared by the trigger and the reconcile command. */
export interface MappingConfig {
  /** Name of the table's partition key attribute, which holds the Cognito username. */
  readonly keyAttribute: string;
  /** Attribute names copied into `attributes`; `undefined` copies all but `cognito:*`. */
  readonly userAttributes?: readonly string[] | undefined;
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
  /** How a user becomes a row (`ROW_MAPPING`). @default - `{}` under `keyAttribute` */
  readonly rowMapping?: RowMapping;
}

/** Default partition key attribute name. */
export const DEFAULT_KEY_ATTRIBUTE = 'username';

/**
 * Row fields written by this package: the key attribute may not take one of
 * these names. The managed fields' one list ({@link ROW_MANAGED_FIELDS}).
 */
export const RESERVED_ROW_FIELDS: readonly string[] = ROW_MANAGED_FIELDS;

const ATTRIBUTE_NAME = /^[A-Za-z0-9_.:-]{1,255}$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * Checks a DynamoDB table name.
 *
 * @param value - the candidate name
 * @param source - where it came from, for the error message (e.g. `TABLE_NAME`)
 * @throws ConfigError when it is empty or not a valid DynamoDB table name
 */
export function parseTableName(value: string | undefined, source: string): string {
  const name = value?.trim();
  if (!name) throw new ConfigError(`${source} is required (the DynamoDB table name)`);
  if (!TABLE_NAME.test(name)) {
    throw new ConfigError(`${source} must be 3-255 characters of A-Z a-z 0-9 _ . -, got "${name}"`);
  }
  return name;
}

/**
 * Checks the partition key attribute name.
 *
 * @throws ConfigError when it is not 1-255 characters of letters, digits, `_ . : -`,
 *   or collides with a field of the row ({@link RESERVED_ROW_FIELDS})
 */
export function parseKeyAttribute(value: string | undefined, source: string): string {
  return parseColumnName(value?.trim() || DEFAULT_KEY_ATTRIBUTE, source);
}

/**
 * Checks the name of a column the package writes besides its managed fields
 * (the key attribute, the Time to Live attribute).
 *
 * @throws ConfigError when it is not 1-255 characters of letters, digits, `_ . : -`,
 *   or collides with a field of the row ({@link RESERVED_ROW_FIELDS})
 */
export function parseColumnName(name: string, source: string): string {
  if (!ATTRIBUTE_NAME.test(name)) {
    throw new ConfigError(
      `${source} must be 1-255 characters of A-Z a-z 0-9 _ . : -, got "${name}"`,
    );
  }
  if (RESERVED_ROW_FIELDS.includes(name)) {
    throw new ConfigError(
      `${source} must not be one of the row's own fields (${RESERVED_ROW_FIELDS.join(', ')}), got "${name}"`,
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

/**
 * Parses a log level (case-insensitive).
 *
 * @throws ConfigError when it is not one of {@link LOG_LEVELS}
 */
export function parseLogLevel(value: string | undefined, source: string): LogLevel {
  const level = (value?.trim() || 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new ConfigError(`${source} must be one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
  }
  return level as LogLevel;
}

/**
 * Parses the write failure mode (case-insensitive).
 *
 * @throws ConfigError when it is not one of {@link WRITE_FAILURE_MODES}
 */
export function parseWriteFailureMode(value: string | undefined, source: string): WriteFailureMode {
  const mode = (value?.trim() || 'continue').toLowerCase();
  if (!(WRITE_FAILURE_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError(
      `${source} must be one of ${WRITE_FAILURE_MODES.join(', ')}, got "${value}"`,
    );
  }
  return mode as WriteFailureMode;
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

/**
 * The environment of the trigger functions (Post Confirmation, Post
 * Authentication; the change-signal function reads these too, but
 * `ON_WRITE_FAILURE`), by the {@link HandlerConfig} field each one fills.
 */
export const HANDLER_ENVIRONMENT = {
  tableName: {
    name: 'TABLE_NAME',
    doc: 'the table to write',
    defaultText: 'required',
    parse: parseTableName,
  },
  keyAttribute: {
    name: 'KEY_ATTRIBUTE',
    doc: "the table's partition key (a string attribute holding the username); not one of the row's own fields",
    defaultText: DEFAULT_KEY_ATTRIBUTE,
    parse: parseKeyAttribute,
  },
  userAttributes: {
    name: 'USER_ATTRIBUTES',
    doc: 'comma-separated allowlist of the attributes copied into `attributes`, e.g. `email,given_name,custom:plan`',
    defaultText: 'all but cognito:*',
    parse: parseAttributeList,
  },
  logLevel: {
    name: 'LOG_LEVEL',
    doc: LOG_LEVELS.join(', '),
    defaultText: 'info',
    parse: parseLogLevel,
  },
  onWriteFailure: {
    name: 'ON_WRITE_FAILURE',
    doc: 'Post Confirmation only: `continue` (log, count, return the event) or `reject` (fail the invocation) when the row cannot be written',
    defaultText: 'continue',
    parse: parseWriteFailureMode,
  },
} as const satisfies EnvironmentSpec;

/**
 * Reads and validates the handler's configuration from the environment
 * ({@link HANDLER_ENVIRONMENT}), after checking the endpoint variables the
 * DynamoDB client will read (`AWS_ENDPOINT_URL_DYNAMODB`, `AWS_ENDPOINT_URL`).
 *
 * @throws ConfigError naming the variable that is missing or invalid
 */
export function readHandlerConfig(env: NodeJS.ProcessEnv = process.env): HandlerConfig {
  checkEndpointVariables(env, DYNAMODB_ENDPOINT_VARIABLES);
  return readEnvironment(HANDLER_ENVIRONMENT, env);
}

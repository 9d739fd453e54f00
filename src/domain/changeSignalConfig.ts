import { ConfigError } from '../errors.js';
import { parseUserPoolId } from '../reconcile/config.js';
import {
  COGNITO_ENDPOINT_VARIABLES,
  checkEndpointVariables,
  type HandlerConfig,
  readHandlerConfig,
} from './config.js';
import type { DeletedUserMode } from './converge.js';

/** Modes of {@link ChangeSignalConfig.onDeleted}. */
export const DELETED_USER_MODES: readonly DeletedUserMode[] = ['mark', 'delete'];

/** The change-signal function's configuration, read once at cold start. */
export interface ChangeSignalConfig extends HandlerConfig {
  /** The pool whose users are converged. */
  readonly userPoolId: string;
  /** Mark or delete the row of a deleted user. */
  readonly onDeleted: DeletedUserMode;
  /** Global secondary index keyed by `sub`; `undefined` when the table has none. */
  readonly subIndexName: string | undefined;
}

const INDEX_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * Parses a deleted-user mode (case-insensitive).
 *
 * @throws ConfigError when it is not `mark` or `delete`
 */
export function parseDeletedUserMode(value: string | undefined, source: string): DeletedUserMode {
  const mode = (value?.trim() || 'mark').toLowerCase();
  if (!(DELETED_USER_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError(
      `${source} must be one of ${DELETED_USER_MODES.join(', ')}, got "${value}"`,
    );
  }
  return mode as DeletedUserMode;
}

/**
 * Checks an index name; empty or absent means no index.
 *
 * @throws ConfigError when it is not a valid DynamoDB index name
 */
export function parseIndexName(value: string | undefined, source: string): string | undefined {
  const name = value?.trim();
  if (!name) return undefined;
  if (!INDEX_NAME.test(name)) {
    throw new ConfigError(`${source} must be 3-255 characters of A-Z a-z 0-9 _ . -, got "${name}"`);
  }
  return name;
}

/**
 * Reads the change-signal function's configuration: the handler's variables
 * (`TABLE_NAME`, `KEY_ATTRIBUTE`, `USER_ATTRIBUTES`, `LOG_LEVEL`) plus:
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | `USER_POOL_ID` | pool whose users are converged | required |
 * | `ON_DELETED` | `mark` (set `deletedAt`) or `delete` the row of a deleted user | `mark` |
 * | `SUB_INDEX` | GSI keyed by `sub`, to find a deleted user's row by `sub` | none |
 *
 * @throws ConfigError naming the variable that is missing or invalid
 */
export function readChangeSignalConfig(env: NodeJS.ProcessEnv = process.env): ChangeSignalConfig {
  // The Cognito endpoint too: this function reads the pool. `ON_WRITE_FAILURE`
  // is the confirmation trigger's setting, not this function's.
  checkEndpointVariables(env, COGNITO_ENDPOINT_VARIABLES);
  const { onWriteFailure: _confirmationOnly, ...handlerConfig } = readHandlerConfig(env);
  return {
    ...handlerConfig,
    userPoolId: parseUserPoolId(env.USER_POOL_ID, 'USER_POOL_ID'),
    onDeleted: parseDeletedUserMode(env.ON_DELETED, 'ON_DELETED'),
    subIndexName: parseIndexName(env.SUB_INDEX, 'SUB_INDEX'),
  };
}

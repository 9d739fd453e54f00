import { type EnvironmentSpec, readEnvironment } from '../shared/environment.js';
import { ConfigError } from '../shared/errors.js';
import {
  COGNITO_ENDPOINT_VARIABLES,
  checkEndpointVariables,
  type HandlerConfig,
  readHandlerConfig,
} from './config.js';
import type { DeletedUserMode } from './converge.js';
import {
  type DeletedRowPolicy,
  isDefaultDeletedRowPolicy,
  readDeletedRowPolicy,
} from './deletedRows.js';
import { parseUserPoolId } from './reconcileConfig.js';

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
  /**
   * Erasure and retention of marked rows (`DELETED_ROW_ENVIRONMENT`).
   * @default DEFAULT_DELETED_ROW_POLICY - erase personal data, no expiry
   */
  readonly deletedRows?: DeletedRowPolicy;
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
 * The change-signal function's own environment, besides the handler's
 * (`HANDLER_ENVIRONMENT` but `ON_WRITE_FAILURE`), by the
 * {@link ChangeSignalConfig} field each one fills.
 */
export const CHANGE_SIGNAL_ENVIRONMENT = {
  userPoolId: {
    name: 'USER_POOL_ID',
    doc: 'the pool whose users are converged (signals from other pools are ignored)',
    defaultText: 'required',
    parse: parseUserPoolId,
  },
  onDeleted: {
    name: 'ON_DELETED',
    doc: '`mark` (set `deletedAt`) or `delete` the row of a deleted user',
    defaultText: 'mark',
    parse: parseDeletedUserMode,
  },
  subIndexName: {
    name: 'SUB_INDEX',
    doc: "a global secondary index keyed by `sub`, to find a deleted user's row by `sub`",
    defaultText: 'none',
    parse: parseIndexName,
  },
} as const satisfies EnvironmentSpec;

/**
 * Reads the change-signal function's configuration: the handler's variables
 * but `ON_WRITE_FAILURE` (the confirmation trigger's), plus
 * {@link CHANGE_SIGNAL_ENVIRONMENT} and `DELETED_ROW_ENVIRONMENT`, after
 * checking the Cognito endpoint variables (this function reads the pool).
 *
 * @throws ConfigError naming the variable that is missing or invalid
 */
export function readChangeSignalConfig(env: NodeJS.ProcessEnv = process.env): ChangeSignalConfig {
  checkEndpointVariables(env, COGNITO_ENDPOINT_VARIABLES);
  const { onWriteFailure: _confirmationOnly, ...handlerConfig } = readHandlerConfig(env);
  const deletedRows = readDeletedRowPolicy(env, handlerConfig.keyAttribute);
  return {
    ...handlerConfig,
    ...readEnvironment(CHANGE_SIGNAL_ENVIRONMENT, env),
    ...(isDefaultDeletedRowPolicy(deletedRows) ? {} : { deletedRows }),
  };
}

import {
  type LogLevel,
  parseAttributeList,
  parseKeyAttribute,
  parseLogLevel,
  parseTableName,
} from '../domain/config.js';
import { ConfigError } from '../errors.js';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_LIST_RATE,
  DEFAULT_SCAN_SEGMENTS,
  DEFAULT_STATUS_FILTER,
  MAX_CONCURRENCY,
  MAX_LIST_RATE,
  MAX_SCAN_SEGMENTS,
  parseBoolean,
  parseIntegerInRange,
  parseOrphanMode,
  parseRate,
  parseStatusList,
  parseUserPoolId,
  type ReconcileConfig,
} from './config.js';

/** The scheduled reconcile function's configuration, read once at cold start. */
export interface ScheduledReconcileConfig extends ReconcileConfig {
  /** Minimum level of log lines written. */
  readonly logLevel: LogLevel;
}

/**
 * Reads and validates the scheduled reconcile function's configuration.
 *
 * | variable | meaning | default |
 * |---|---|---|
 * | `USER_POOL_ID` | pool to list | required |
 * | `TABLE_NAME` | table to fill | required |
 * | `KEY_ATTRIBUTE` | partition key attribute name | `username` |
 * | `USER_ATTRIBUTES` | comma-separated allowlist for `attributes` | all but `cognito:*` |
 * | `USER_STATUSES` | comma-separated statuses that get a row | all but `UNCONFIRMED` |
 * | `INCLUDE_UNCONFIRMED` | `true` gives `UNCONFIRMED` users a row too | `false` |
 * | `ORPHANS` | `report`, `mark` or `delete` | `report` |
 * | `FAIL_ON_ORPHANS` | `true` fails the run when orphans are left unmarked | `false` |
 * | `CONCURRENCY` | writes in flight, 1-256 | `16` |
 * | `LIST_RATE` | ListUsers requests per second | `10` |
 * | `SCAN_SEGMENTS` | parallel Scan segments, 1-64 | `4` |
 * | `DRY_RUN` | `true` plans and logs without writing | `false` |
 * | `LOG_LEVEL` | `debug`, `info`, `warn`, `error`, `silent` | `info` |
 *
 * @throws ConfigError naming the variable that is missing or invalid
 */
export function readScheduledReconcileConfig(
  env: NodeJS.ProcessEnv = process.env,
): ScheduledReconcileConfig {
  const only = parseStatusList(env.USER_STATUSES, 'USER_STATUSES');
  const includeUnconfirmed = parseBoolean(env.INCLUDE_UNCONFIRMED, 'INCLUDE_UNCONFIRMED');
  if (only && includeUnconfirmed) {
    throw new ConfigError('USER_STATUSES and INCLUDE_UNCONFIRMED cannot be set together');
  }
  return {
    userPoolId: parseUserPoolId(env.USER_POOL_ID, 'USER_POOL_ID'),
    tableName: parseTableName(env.TABLE_NAME, 'TABLE_NAME'),
    keyAttribute: parseKeyAttribute(env.KEY_ATTRIBUTE, 'KEY_ATTRIBUTE'),
    userAttributes: parseAttributeList(env.USER_ATTRIBUTES, 'USER_ATTRIBUTES'),
    statusFilter: only ?? (includeUnconfirmed ? { except: [] } : DEFAULT_STATUS_FILTER),
    orphans: parseOrphanMode(env.ORPHANS, 'ORPHANS'),
    failOnOrphans: parseBoolean(env.FAIL_ON_ORPHANS, 'FAIL_ON_ORPHANS'),
    concurrency: parseIntegerInRange(env.CONCURRENCY, 'CONCURRENCY', {
      min: 1,
      max: MAX_CONCURRENCY,
      default: DEFAULT_CONCURRENCY,
    }),
    listRate: parseRate(env.LIST_RATE, 'LIST_RATE', {
      max: MAX_LIST_RATE,
      default: DEFAULT_LIST_RATE,
    }),
    scanSegments: parseIntegerInRange(env.SCAN_SEGMENTS, 'SCAN_SEGMENTS', {
      min: 1,
      max: MAX_SCAN_SEGMENTS,
      default: DEFAULT_SCAN_SEGMENTS,
    }),
    dryRun: parseBoolean(env.DRY_RUN, 'DRY_RUN'),
    logLevel: parseLogLevel(env.LOG_LEVEL, 'LOG_LEVEL'),
  };
}

import { type LogLevel, parseLogLevel } from '../domain/config.js';
import {
  parseBoolean,
  parseReconcileSettings,
  type RawSetting,
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
  const setting = (name: string): RawSetting => ({ value: env[name], name });
  return {
    ...parseReconcileSettings({
      userPoolId: setting('USER_POOL_ID'),
      tableName: setting('TABLE_NAME'),
      keyAttribute: setting('KEY_ATTRIBUTE'),
      userAttributes: setting('USER_ATTRIBUTES'),
      statuses: setting('USER_STATUSES'),
      includeUnconfirmed: {
        value: parseBoolean(env.INCLUDE_UNCONFIRMED, 'INCLUDE_UNCONFIRMED'),
        name: 'INCLUDE_UNCONFIRMED',
      },
      orphans: setting('ORPHANS'),
      failOnOrphans: parseBoolean(env.FAIL_ON_ORPHANS, 'FAIL_ON_ORPHANS'),
      concurrency: setting('CONCURRENCY'),
      listRate: setting('LIST_RATE'),
      scanSegments: setting('SCAN_SEGMENTS'),
      dryRun: parseBoolean(env.DRY_RUN, 'DRY_RUN'),
    }),
    logLevel: parseLogLevel(env.LOG_LEVEL, 'LOG_LEVEL'),
  };
}

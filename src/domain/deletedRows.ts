import { ConfigError } from '../shared/errors.js';
import { parseIntegerInRange } from '../shared/parse.js';
import { parseColumnName } from './config.js';

/**
 * What marking a row deleted does besides setting `deletedAt`: whether the
 * personal data goes (`PERSONAL_DATA_FIELDS`), and whether DynamoDB's Time to
 * Live deletes the row later. One policy for every path that marks (change
 * signals and converge, reconcile's `orphans: mark`, the local console) and
 * for the restores that undo a mark.
 */
export interface DeletedRowPolicy {
  /**
   * Keep the personal-data fields on a marked row (a legal hold). `false`
   * (the default) erases them in the write that marks the row.
   */
  readonly retainPersonalData: boolean;
  /**
   * Whole days a marked row is kept before its Time to Live attribute lets
   * DynamoDB delete it; `undefined`: no expiry is written.
   */
  readonly retentionDays: number | undefined;
  /**
   * The row's Time to Live attribute (epoch seconds): SET on marking when
   * {@link retentionDays} is set, REMOVEd on a restore. `undefined` (no
   * retention and no attribute named): the package never touches it.
   */
  readonly timeToLiveAttribute: string | undefined;
}

/** Marking erases personal data, writes no expiry: the default. */
export const DEFAULT_DELETED_ROW_POLICY: DeletedRowPolicy = {
  retainPersonalData: false,
  retentionDays: undefined,
  timeToLiveAttribute: undefined,
};

/** The Time to Live attribute used when a retention is set and no attribute is named. */
export const DEFAULT_TIME_TO_LIVE_ATTRIBUTE = 'expiresAt';

/** Longest retention accepted, in days (ten years). */
export const MAX_RETENTION_DAYS = 3650;

const SECONDS_PER_DAY = 86_400;

/**
 * Parses a retention in whole days, 1-{@link MAX_RETENTION_DAYS}; empty or
 * absent means none.
 *
 * @throws ConfigError when it is not a whole number in range
 */
export function parseRetentionDays(value: string | undefined, source: string): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return parseIntegerInRange(value, source, { min: 1, max: MAX_RETENTION_DAYS, default: 1 });
}

/**
 * Checks the name of the Time to Live attribute; empty or absent means none
 * named.
 *
 * @throws ConfigError when it is not 1-255 characters of letters, digits,
 *   `_ . : -`, or is one of the row's own fields
 */
export function parseTimeToLiveAttribute(
  value: string | undefined,
  source: string,
): string | undefined {
  const name = value?.trim();
  return name ? parseColumnName(name, source) : undefined;
}

/**
 * The three settings of a {@link DeletedRowPolicy}, parsed, by their keys
 * (`DELETED_ROW_SETTINGS` in `settings.ts` declares them).
 */
export interface DeletedRowSettings {
  /** Keep personal data on marked rows (a legal hold). */
  readonly retainPersonalDataOfDeletedUsers: boolean;
  /** Days before DynamoDB's Time to Live deletes a marked row; `undefined`: never. */
  readonly deletedRowRetentionDays: number | undefined;
  /** The Time to Live attribute; `undefined`: the default with a retention, else none. */
  readonly timeToLiveAttribute: string | undefined;
}

/**
 * Builds the policy from its parsed settings: the Time to Live attribute
 * defaults to {@link DEFAULT_TIME_TO_LIVE_ATTRIBUTE} when a retention is set.
 *
 * @param names - the name each setting was given under, for error messages
 * @throws ConfigError when the Time to Live attribute is the table's key attribute
 */
export function toDeletedRowPolicy(
  values: DeletedRowSettings,
  keyAttribute: string,
  names: { readonly timeToLiveAttribute: string; readonly keyAttribute: string },
): DeletedRowPolicy {
  const timeToLiveAttribute =
    values.timeToLiveAttribute ??
    (values.deletedRowRetentionDays !== undefined ? DEFAULT_TIME_TO_LIVE_ATTRIBUTE : undefined);
  if (timeToLiveAttribute !== undefined && timeToLiveAttribute === keyAttribute) {
    throw new ConfigError(
      `${names.timeToLiveAttribute} must differ from ${names.keyAttribute}, got "${timeToLiveAttribute}" for both`,
    );
  }
  return {
    retainPersonalData: values.retainPersonalDataOfDeletedUsers,
    retentionDays: values.deletedRowRetentionDays,
    timeToLiveAttribute,
  };
}

/**
 * The settings that give a function this policy: those that differ from the
 * defaults (the construct renders them as the function's variables).
 */
export function deletedRowSettingsOf(policy: DeletedRowPolicy): Partial<DeletedRowSettings> {
  return {
    ...(policy.retainPersonalData ? { retainPersonalDataOfDeletedUsers: true } : {}),
    ...(policy.retentionDays !== undefined
      ? { deletedRowRetentionDays: policy.retentionDays }
      : {}),
    ...(policy.timeToLiveAttribute !== undefined
      ? { timeToLiveAttribute: policy.timeToLiveAttribute }
      : {}),
  };
}

/** Whether a policy is {@link DEFAULT_DELETED_ROW_POLICY} (configurations leave it out then). */
export function isDefaultDeletedRowPolicy(policy: DeletedRowPolicy): boolean {
  return (
    !policy.retainPersonalData &&
    policy.retentionDays === undefined &&
    policy.timeToLiveAttribute === undefined
  );
}

/**
 * The Time to Live value of a row marked at `deletedAt` and kept `days`:
 * whole seconds since the epoch, as DynamoDB's TTL requires (a Number).
 */
export function expiryOf(deletedAt: Date, days: number): number {
  return Math.floor(deletedAt.getTime() / 1000) + days * SECONDS_PER_DAY;
}

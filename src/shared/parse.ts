/** Parsers of setting values given as text, one per kind of value, shared by every family of settings. */
import { ConfigError } from './errors.js';

/**
 * Parses a whole number in `[min, max]`.
 *
 * @throws ConfigError when it is not an integer in range
 */
export function parseIntegerInRange(
  value: string | undefined,
  source: string,
  range: { readonly min: number; readonly max: number; readonly default: number },
): number {
  if (value === undefined || value.trim() === '') return range.default;
  const text = value.trim();
  const number = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < range.min || number > range.max) {
    throw new ConfigError(
      `${source} must be a whole number from ${range.min} to ${range.max}, got "${value}"`,
    );
  }
  return number;
}

/**
 * Parses a yes/no setting given as text (case-insensitive; empty is `false`):
 * the one boolean parser of the package (reconcile, the local stack).
 *
 * @throws ConfigError when it is not `true`/`false`, `1`/`0`, `yes`/`no` or `on`/`off`
 */
export function parseBoolean(value: string | undefined, source: string): boolean {
  if (value === undefined || value.trim() === '') return false;
  const text = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  throw new ConfigError(`${source} must be true or false, got "${value}"`);
}

/**
 * Parses one of a fixed list of words (case-insensitive; empty or absent is
 * `fallback`): the one parser of every mode and level setting.
 *
 * @throws ConfigError when it is not one of `allowed`
 */
export function parseEnum<const T extends string>(
  value: string | undefined,
  source: string,
  allowed: readonly T[],
  fallback: NoInfer<T>,
): T {
  const word = (value?.trim() || fallback).toLowerCase();
  const found = allowed.find((candidate) => candidate === word);
  if (found === undefined) {
    throw new ConfigError(`${source} must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return found;
}

const DYNAMODB_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * Checks the name of a DynamoDB table or index (3-255 characters of
 * `A-Z a-z 0-9 _ . -`): the one check of every table and index name.
 *
 * @param required - what the name is, for the error when it is missing (e.g.
 *   `the DynamoDB table name`); without it, empty or absent means none
 * @throws ConfigError when it is required and missing, or not a valid name
 */
export function parseDynamoName(
  value: string | undefined,
  source: string,
  required: string,
): string;
export function parseDynamoName(value: string | undefined, source: string): string | undefined;
export function parseDynamoName(
  value: string | undefined,
  source: string,
  required?: string,
): string | undefined {
  const name = value?.trim();
  if (!name) {
    if (required === undefined) return undefined;
    throw new ConfigError(`${source} is required (${required})`);
  }
  if (!DYNAMODB_NAME.test(name)) {
    throw new ConfigError(`${source} must be 3-255 characters of A-Z a-z 0-9 _ . -, got "${name}"`);
  }
  return name;
}

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

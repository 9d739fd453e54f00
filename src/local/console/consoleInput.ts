import { LocalStackError } from '../support/localStackError.js';

/** A request to the console's JSON API is malformed; the message names the field. */
export class ConsoleInputError extends LocalStackError {
  override name = 'ConsoleInputError';
}

/** A request body, as parsed JSON. */
export type RequestBody = Readonly<Record<string, unknown>>;

/**
 * Reads a required, non-empty string field (trimmed).
 *
 * @throws ConsoleInputError naming the field when it is missing, empty or not a string
 */
export function requiredText(body: RequestBody, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConsoleInputError(`"${name}" is required`);
  }
  return value.trim();
}

/**
 * Reads an optional boolean field.
 *
 * @throws ConsoleInputError when it is present and not a boolean
 */
export function optionalFlag(body: RequestBody, name: string, fallback: boolean): boolean {
  const value = body[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ConsoleInputError(`"${name}" must be true or false`);
  return value;
}

/**
 * Reads a field that must be a JSON object.
 *
 * @throws ConsoleInputError when it is missing or not an object
 */
export function requiredObject(body: RequestBody, name: string): Record<string, unknown> {
  const value = body[name];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConsoleInputError(`"${name}" must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

/**
 * Parses a request body.
 *
 * @throws ConsoleInputError when it is not a JSON object
 */
export function parseBody(text: string): RequestBody {
  let value: unknown;
  try {
    value = text.trim() === '' ? {} : JSON.parse(text);
  } catch {
    throw new ConsoleInputError('the request body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConsoleInputError('the request body must be a JSON object');
  }
  return value as RequestBody;
}

/** Longest group name Cognito accepts. */
export const MAX_GROUP_NAME_LENGTH = 128;

// Letters, marks, symbols, numbers and punctuation: no spaces or control characters.
const GROUP_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;

/**
 * Reads a required group name as Cognito's group calls take it: 1 to 128
 * characters, letters, marks, symbols, numbers and punctuation only (the
 * `GroupName` pattern `[\p{L}\p{M}\p{S}\p{N}\p{P}]+` of `CreateGroup`,
 * `AdminAddUserToGroup` and `AdminRemoveUserFromGroup`). Not trimmed: a
 * space is refused rather than dropped.
 *
 * @throws ConsoleInputError naming the field and what is wrong with it
 */
export function requiredGroupName(body: RequestBody, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value === '')
    throw new ConsoleInputError(`"${name}" is required`);
  const length = [...value].length;
  if (length > MAX_GROUP_NAME_LENGTH) {
    throw new ConsoleInputError(
      `"${name}" must be at most ${MAX_GROUP_NAME_LENGTH} characters (it has ${length})`,
    );
  }
  if (!GROUP_NAME.test(value)) {
    throw new ConsoleInputError(
      `"${name}" may hold only letters, digits, symbols and punctuation (no spaces or control characters)`,
    );
  }
  return value;
}

import type { KeyPlaceholder, KeyTemplate, KeyValues, RowMapping } from './document.js';
import { matchTemplate, renderTemplate } from './templates.js';

/** The key attributes of one row and their values, e.g. `{ pk: 'USER#…', sk: 'PROFILE' }`. */
export type RowKey = Readonly<Record<string, string>>;

/** A user as far as its key goes. */
export interface KeyedUser {
  /** The Cognito username. */
  readonly username: string;
  /** The pool's id. */
  readonly userPoolId: string;
  /** The user's attributes; `sub` is read from them. */
  readonly attributes: Readonly<Record<string, string>>;
}

/** The placeholders' values for a user: `{sub}`, `{username}`, `{userPoolId}`. */
export function keyValuesOf(user: KeyedUser): KeyValues {
  const sub = Object.hasOwn(user.attributes, 'sub') ? user.attributes.sub : undefined;
  return { sub: sub ?? '', username: user.username, userPoolId: user.userPoolId };
}

function keysOf(mapping: RowMapping): KeyTemplate[] {
  return mapping.sortKey ? [mapping.key, mapping.sortKey] : [mapping.key];
}

/**
 * Renders the key of a user's row under the mapping (partition key, and
 * sort key when there is one). Pure.
 *
 * @returns the key, or `undefined` when a placeholder it uses is empty (a user without a `sub`)
 */
export function renderRowKey(mapping: RowMapping, values: KeyValues): RowKey | undefined {
  const key: Record<string, string> = {};
  for (const template of keysOf(mapping)) {
    const value = renderTemplate(template, values);
    if (value === undefined) return undefined;
    key[template.attribute] = value;
  }
  return key;
}

/** What {@link matchRowKey} reads from an item whose key matches the mapping. */
export interface MatchedKey {
  /** The item's key attributes. */
  readonly key: RowKey;
  /** The placeholders' values read back from the key (those the templates use). */
  readonly values: Partial<Record<KeyPlaceholder, string>>;
}

/**
 * Whether an item is a user row by its key: every key attribute is a string
 * matching its template (in a table shared with other entities, only these
 * items are user rows). Reads the placeholders' values back. Pure.
 *
 * @returns the key and the values, or `undefined` when the item is not a user row
 */
export function matchRowKey(
  mapping: RowMapping,
  item: Readonly<Record<string, unknown>>,
): MatchedKey | undefined {
  const key: Record<string, string> = {};
  const values: Partial<Record<KeyPlaceholder, string>> = {};
  for (const template of keysOf(mapping)) {
    const value = Object.hasOwn(item, template.attribute) ? item[template.attribute] : undefined;
    const matched = matchTemplate(template, value);
    if (!matched) return undefined;
    key[template.attribute] = value as string;
    Object.assign(values, matched);
  }
  return { key, values };
}

/** Whether an item's key matches the mapping's templates (see {@link matchRowKey}). Pure. */
export function isUserRow(mapping: RowMapping, item: Readonly<Record<string, unknown>>): boolean {
  return matchRowKey(mapping, item) !== undefined;
}

/**
 * One string per row key, for maps and sets (`JSON` of the values in key
 * order), e.g. to pair users with rows. Pure.
 */
export function rowKeyId(mapping: RowMapping, key: RowKey): string {
  return JSON.stringify(keysOf(mapping).map((template) => key[template.attribute] ?? null));
}

/**
 * The `sub` a row holds: its `sub` column when the mapping has one and it is
 * a string, else the `{sub}` its key carries; `undefined` for neither (a row
 * from before this product, or not a user row). Pure.
 */
export function rowSubOf(
  mapping: RowMapping,
  item: Readonly<Record<string, unknown>>,
): string | undefined {
  const column = mapping.fields.sub;
  if (column !== undefined) {
    const value = Object.hasOwn(item, column) ? item[column] : undefined;
    return typeof value === 'string' ? value : undefined;
  }
  return matchRowKey(mapping, item)?.values.sub;
}

import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/**
 * Converts a row (strings, numbers, booleans, `null`, lists such as the
 * `groups` column, and nested plain maps)
 * into DynamoDB's attribute-value form. Unlike the document client's
 * marshaller, it keeps every own property whatever its name: an attribute
 * named `__proto__`, `constructor` or `toString` is written as it is.
 * `undefined` values are left out.
 *
 * @throws TypeError naming the field when a value has another type
 */
export function toAttributeItem(
  row: Readonly<Record<string, unknown>>,
): Record<string, AttributeValue> {
  return toAttributeMap(row, '');
}

function toAttributeMap(
  value: Readonly<Record<string, unknown>>,
  path: string,
): Record<string, AttributeValue> {
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .map(([name, field]) => [name, toAttributeValue(field, `${path}${path ? '.' : ''}${name}`)]),
  );
}

function toAttributeValue(value: unknown, path: string): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'boolean') return { BOOL: value };
  if (typeof value === 'number' && Number.isFinite(value)) return { N: String(value) };
  if (value === null) return { NULL: true };
  if (Array.isArray(value)) {
    return { L: value.map((entry, index) => toAttributeValue(entry, `${path}[${index}]`)) };
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    return { M: toAttributeMap(value as Record<string, unknown>, path) };
  }
  throw new TypeError(`field "${path}" of the row has an unsupported type (${typeof value})`);
}

/**
 * Converts an item in DynamoDB's attribute-value form back into plain values
 * (strings, numbers, booleans, `null`, maps, lists), keeping every own property
 * whatever its name, like {@link toAttributeItem}. Sets and binaries are kept in
 * their attribute-value form: no managed field holds them.
 */
export function fromAttributeItem(
  item: Readonly<Record<string, AttributeValue>>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(item).map(([name, value]) => [name, fromAttributeValue(value)]),
  );
}

function fromAttributeValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.N !== undefined) return Number(value.N);
  if (value.NULL !== undefined) return null;
  if (value.M !== undefined) return fromAttributeItem(value.M);
  if (value.L !== undefined) return value.L.map(fromAttributeValue);
  return value;
}

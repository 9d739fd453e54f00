import type { RowMapping } from './document.js';

/** One attribute of a table's primary key, as DescribeTable reports it. */
export interface KeySchemaAttribute {
  /** The attribute's name. */
  readonly name: string;
  /** Its type: `S` (string), `N` (number) or `B` (binary). */
  readonly type: string;
}

/** A table's primary key: its partition key and, when it has one, its sort key. */
export interface TableKeySchema {
  /** The partition key (`HASH`). */
  readonly partitionKey: KeySchemaAttribute;
  /** The sort key (`RANGE`), when the table has one. */
  readonly sortKey?: KeySchemaAttribute | undefined;
}

/**
 * How a table's primary key differs from the keys a row mapping writes,
 * in one sentence naming the mismatch (a missing or extra sort key, another
 * key name, a key that is not a string), or `undefined` when they match.
 * Every key a mapping writes is a string (`S`). Pure.
 */
export function keySchemaMismatch(
  mapping: RowMapping,
  schema: TableKeySchema,
  tableName: string,
): string | undefined {
  const problems: string[] = [];
  const expected = mapping.key.attribute;
  if (schema.partitionKey.name !== expected) {
    problems.push(
      `its partition key is "${schema.partitionKey.name}", but the row mapping's key attribute is "${expected}"`,
    );
  } else if (schema.partitionKey.type !== 'S') {
    problems.push(
      `its partition key "${expected}" is of type ${schema.partitionKey.type}, but the row mapping writes strings (S)`,
    );
  }
  const sortKey = mapping.sortKey?.attribute;
  if (sortKey === undefined && schema.sortKey !== undefined) {
    problems.push(
      `it has the sort key "${schema.sortKey.name}", but the row mapping has no sortKey`,
    );
  } else if (sortKey !== undefined && schema.sortKey === undefined) {
    problems.push(`it has no sort key, but the row mapping's sortKey is "${sortKey}"`);
  } else if (sortKey !== undefined && schema.sortKey !== undefined) {
    if (schema.sortKey.name !== sortKey) {
      problems.push(
        `its sort key is "${schema.sortKey.name}", but the row mapping's sortKey attribute is "${sortKey}"`,
      );
    } else if (schema.sortKey.type !== 'S') {
      problems.push(
        `its sort key "${sortKey}" is of type ${schema.sortKey.type}, but the row mapping writes strings (S)`,
      );
    }
  }
  if (problems.length === 0) return undefined;
  return `table "${tableName}" does not have the row mapping's keys: ${problems.join('; ')} (fix the row mapping's key and sortKey, or keyAttribute, to match the table)`;
}

import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { matchRowKey, type RowKey, rowSubOf } from '../../domain/rowMapping/keys.js';
import { keyScanFilter } from '../../domain/rowMapping/scan.js';
import { TableReadError } from '../../shared/errors.js';
import {
  type CallOptions,
  describeFailure,
  signalOf,
  tableRowMapping,
  type UserTableOptions,
} from './userTable.js';

/** A user row a filtered scan found: its key, the username its key holds, its `sub`. */
export interface FoundRow {
  /** The row's key attributes. */
  readonly key: RowKey;
  /** The username the key holds, when its template has `{username}`. */
  readonly username: string | undefined;
  /** The row's `sub`; `undefined` when the row has none. */
  readonly sub: string | undefined;
}

/** What to look for: a filter over the row's columns, with its names and values. */
export interface RowFilter {
  /** The condition, e.g. `contains(#groups, :group)`. */
  readonly expression: string;
  /** Its attribute names. */
  readonly names: Readonly<Record<string, string>>;
  /** Its values. */
  readonly values: Readonly<Record<string, unknown>>;
  /** What the scan is for, in the error: e.g. `the rows of a group` (never a value). */
  readonly purpose: string;
}

/**
 * Scans the whole table for the user rows that match `filter`, narrowed to
 * the row mapping's key pattern (so other entities of a shared table are
 * never returned), with only the keys and `sub` projected, page by page.
 * It reads every row: it serves the rare lookups nothing indexes (an alias
 * that changed, a deleted group).
 *
 * @throws TableReadError when a page could not be read, saying why (naming `filter.purpose`, never a value)
 */
export async function scanFilteredRows(
  table: UserTableOptions,
  filter: RowFilter,
  options: CallOptions = {},
): Promise<FoundRow[]> {
  const mapping = tableRowMapping(table);
  const keyFilter = keyScanFilter(mapping);
  const projected = [
    mapping.key.attribute,
    ...(mapping.sortKey ? [mapping.sortKey.attribute] : []),
    ...(mapping.fields.sub === undefined ? [] : [mapping.fields.sub]),
  ];
  const names: Record<string, string> = { ...filter.names };
  projected.forEach((name, position) => {
    names[`#p${position}`] = name;
  });
  const rows: FoundRow[] = [];
  let startKey: Record<string, unknown> | undefined;
  try {
    do {
      const page = await table.client.send(
        new ScanCommand({
          TableName: table.tableName,
          FilterExpression: keyFilter.FilterExpression
            ? `(${filter.expression}) AND ${keyFilter.FilterExpression}`
            : filter.expression,
          ProjectionExpression: projected.map((_, position) => `#p${position}`).join(', '),
          ExpressionAttributeNames: { ...names, ...keyFilter.ExpressionAttributeNames },
          ExpressionAttributeValues: { ...filter.values, ...keyFilter.ExpressionAttributeValues },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
        signalOf(options),
      );
      for (const item of page.Items ?? []) {
        const matched = matchRowKey(mapping, item);
        if (!matched) continue;
        rows.push({
          key: matched.key,
          username: matched.values.username,
          sub: rowSubOf(mapping, item),
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  } catch (error) {
    throw new TableReadError(
      `could not scan table "${table.tableName}" for ${filter.purpose}: ${describeFailure(error, mapping)}`,
      { cause: error },
    );
  }
  return rows;
}

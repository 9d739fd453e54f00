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

/** A row that holds a group: its key, and the username and `sub` it carries. */
export interface GroupRow {
  /** The row's key attributes. */
  readonly key: RowKey;
  /** The username the key holds, when its template has `{username}`. */
  readonly username: string | undefined;
  /** The row's `sub`; `undefined` when the row has none. */
  readonly sub: string | undefined;
}

/**
 * Finds the user rows whose groups column (the mapping's `groups` field)
 * holds `groupName`: a Scan filtered `contains(<groups column>, :group)`
 * (narrowed to the mapping's key pattern; keys and `sub` projected), page by
 * page. `contains` matches an element of a list or a string set
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Functions,
 * verified for sets, assumed for lists and shown against dynalite by the
 * tests). The rows are not indexed by group (a key attribute must be a
 * scalar), so this reads every row: it serves the rare deletion of a group,
 * whose members the pool can no longer list. A mapping without the field
 * scans nothing.
 *
 * @throws TableReadError when a page could not be read, saying why (never the group's name)
 */
export async function findRowsByGroup(
  table: UserTableOptions,
  groupName: string,
  options: CallOptions = {},
): Promise<GroupRow[]> {
  const mapping = tableRowMapping(table);
  const column = mapping.fields.groups;
  if (column === undefined) return [];
  const keyFilter = keyScanFilter(mapping);
  const projected = [
    mapping.key.attribute,
    ...(mapping.sortKey ? [mapping.sortKey.attribute] : []),
    ...(mapping.fields.sub === undefined ? [] : [mapping.fields.sub]),
  ];
  const names: Record<string, string> = { '#groups': column };
  projected.forEach((name, position) => {
    names[`#p${position}`] = name;
  });
  const rows: GroupRow[] = [];
  let startKey: Record<string, unknown> | undefined;
  try {
    do {
      const page = await table.client.send(
        new ScanCommand({
          TableName: table.tableName,
          FilterExpression: keyFilter.FilterExpression
            ? `contains(#groups, :group) AND ${keyFilter.FilterExpression}`
            : 'contains(#groups, :group)',
          ProjectionExpression: projected.map((_, position) => `#p${position}`).join(', '),
          ExpressionAttributeNames: { ...names, ...keyFilter.ExpressionAttributeNames },
          ExpressionAttributeValues: {
            ':group': groupName,
            ...keyFilter.ExpressionAttributeValues,
          },
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
      `could not scan table "${table.tableName}" for the rows of a group: ${describeFailure(error, mapping)}`,
      { cause: error },
    );
  }
  return rows;
}

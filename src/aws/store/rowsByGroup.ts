import { type FoundRow, scanFilteredRows } from './filteredRowScan.js';
import { type CallOptions, tableRowMapping, type UserTableOptions } from './userTable.js';

/** A row that holds a group: its key, and the username and `sub` it carries. */
export type GroupRow = FoundRow;

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
  return scanFilteredRows(
    table,
    {
      expression: 'contains(#groups, :group)',
      names: { '#groups': column },
      values: { ':group': groupName },
      purpose: 'the rows of a group',
    },
    options,
  );
}

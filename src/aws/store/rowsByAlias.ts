import { ALIAS_ATTRIBUTES } from '../../domain/converge.js';
import type { RowKey } from '../../domain/rowMapping/keys.js';
import { scanFilteredRows } from './filteredRowScan.js';
import { type CallOptions, tableRowMapping, type UserTableOptions } from './userTable.js';

/** A row found by an alias it holds: its key and the `sub` it carries. */
export interface AliasedRow {
  /** The row's key attributes. */
  readonly key: RowKey;
  /** The row's `sub`; `undefined` when the row has none. */
  readonly sub: string | undefined;
}

/**
 * Finds the user rows that hold `alias` as their e-mail address, phone
 * number or preferred username, in the columns the row mapping gives them:
 * the `email` column, the entries `phone_number` and `preferred_username`
 * of the `attributes` map, and the top-level attribute columns of `email`,
 * `phone_number` and `preferred_username`. These are the rows of the user a
 * signal named by an alias that has changed since. Rows are not indexed by
 * alias, so this is a filtered Scan of the whole table (narrowed to the
 * mapping's key pattern; keys and `sub` projected), page by page: it costs a
 * read of every row, and is meant for the rare signal nothing else
 * resolves. A mapping that keeps none of these columns scans nothing.
 *
 * @throws TableReadError when a page could not be read, saying why (never the alias)
 */
export async function findRowsByAlias(
  table: UserTableOptions,
  alias: string,
  options: CallOptions = {},
): Promise<AliasedRow[]> {
  const mapping = tableRowMapping(table);
  const names: Record<string, string> = {};
  const matches: string[] = [];
  let index = 0;
  const column = (path: readonly string[]) => {
    const aliases = path.map((part) => {
      const placeholder = `#a${index++}`;
      names[placeholder] = part;
      return placeholder;
    });
    matches.push(`${aliases.join('.')} = :alias`);
  };
  if (mapping.fields.email !== undefined) column([mapping.fields.email]);
  const map = mapping.fields.attributes;
  if (map !== undefined) {
    for (const name of ['phone_number', 'preferred_username']) column([map, name]);
  }
  for (const name of ALIAS_ATTRIBUTES) {
    const attributeColumn = Object.hasOwn(mapping.attributeColumns, name)
      ? mapping.attributeColumns[name]
      : undefined;
    if (attributeColumn !== undefined) column([attributeColumn]);
  }
  if (matches.length === 0) return [];
  const found = await scanFilteredRows(
    table,
    {
      expression: matches.join(' OR '),
      names,
      values: { ':alias': alias },
      purpose: 'the rows of an alias',
    },
    options,
  );
  return found.map(({ key, sub }) => ({ key, sub }));
}

import type { RowMapping } from '../../domain/rowMapping/document.js';

/** The SET and REMOVE clauses of an upsert of a mapped row, with their names and values. */
export interface UpsertClauses {
  /** `SET … [REMOVE …]`. */
  readonly UpdateExpression: string;
  /** Placeholder `#f<n>` to column. */
  readonly names: Record<string, string>;
  /** Placeholder `:v<n>` to value. */
  readonly values: Record<string, unknown>;
}

/**
 * The clauses that write a mapped row into whatever is at its key, pure:
 * SET of every column of `columns` but the key attributes (those with an
 * `undefined` value left out), `source`, `createdAt` and the constants with
 * `if_not_exists` (written once: a row that has them keeps them), and
 * REMOVE of `remove`. Columns not named are never touched.
 */
export function upsertClauses(
  mapping: RowMapping,
  columns: Readonly<Record<string, unknown>>,
  remove: readonly string[],
): UpsertClauses {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  let index = 0;
  const name = (column: string): string => {
    const alias = `#f${index++}`;
    names[alias] = column;
    return alias;
  };
  const keys = new Set([
    mapping.key.attribute,
    ...(mapping.sortKey ? [mapping.sortKey.attribute] : []),
  ]);
  const setOnce = new Set([
    ...[mapping.fields.source, mapping.fields.createdAt].filter((column) => column !== undefined),
    ...Object.keys(mapping.constants),
  ]);
  for (const [column, value] of Object.entries(columns)) {
    if (keys.has(column) || value === undefined) continue;
    const alias = name(column);
    const placeholder = `:v${index}`;
    values[placeholder] = value;
    sets.push(
      setOnce.has(column)
        ? `${alias} = if_not_exists(${alias}, ${placeholder})`
        : `${alias} = ${placeholder}`,
    );
  }
  const removed = remove.map(name);
  return {
    UpdateExpression: `SET ${sets.join(', ')}${removed.length > 0 ? ` REMOVE ${removed.join(', ')}` : ''}`,
    names,
    values,
  };
}

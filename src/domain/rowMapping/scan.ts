import { ROW_MANAGED_FIELDS, type RowManagedField, type RowMapping } from './document.js';
import { isConstantTemplate, literalPrefix } from './templates.js';

/** A Scan's FilterExpression with its names and values; `{}` when nothing can be filtered. */
export interface KeyFilter {
  /** e.g. `begins_with(#rk0, :rk0) AND #rk1 = :rk1`. */
  readonly FilterExpression?: string;
  /** Placeholder `#rk<n>` to key attribute. */
  readonly ExpressionAttributeNames?: Readonly<Record<string, string>>;
  /** Placeholder `:rk<n>` to the literal text it compares with. */
  readonly ExpressionAttributeValues?: Readonly<Record<string, string>>;
}

/**
 * The Scan filter of "items whose keys may match the mapping": for each key
 * attribute, `= :literal` for a template without placeholders (a sort key
 * `PROFILE`) and `begins_with(…, :prefix)` for one that starts with literal
 * text (`USER#{sub}`); nothing for a template that starts with a
 * placeholder. It narrows what the Scan returns, not what it reads, so every
 * returned item is still checked with `matchRowKey`. Placeholders `#rk<n>`,
 * `:rk<n>` never clash with a projection's. Pure.
 */
export function keyScanFilter(mapping: RowMapping): KeyFilter {
  const conditions: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, string> = {};
  const templates = mapping.sortKey ? [mapping.key, mapping.sortKey] : [mapping.key];
  templates.forEach((template, index) => {
    const prefix = literalPrefix(template);
    if (prefix === '') return;
    names[`#rk${index}`] = template.attribute;
    values[`:rk${index}`] = prefix;
    conditions.push(
      isConstantTemplate(template)
        ? `#rk${index} = :rk${index}`
        : `begins_with(#rk${index}, :rk${index})`,
    );
  });
  if (conditions.length === 0) return {};
  return {
    FilterExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * The columns to read of a row: the key attributes, the columns of the
 * given managed fields (those the mapping keeps), and with every field (the
 * default) the top-level attribute columns too. App-owned columns and
 * constants are never read. Pure.
 *
 * @param fields - the managed fields a path needs, e.g. `['sub', 'createdAt', 'deletedAt']`
 *   for orphan detection @default - every managed field, for comparing rows
 */
export function rowColumns(
  mapping: RowMapping,
  fields: readonly RowManagedField[] = ROW_MANAGED_FIELDS,
): string[] {
  const all = fields === ROW_MANAGED_FIELDS;
  const columns = [
    mapping.key.attribute,
    ...(mapping.sortKey ? [mapping.sortKey.attribute] : []),
    ...fields.flatMap((field) => {
      const column = mapping.fields[field];
      return column === undefined ? [] : [column];
    }),
    ...(all && mapping.fields.groups !== undefined ? [mapping.fields.groups] : []),
    ...(all ? Object.values(mapping.attributeColumns) : []),
  ];
  return [...new Set(columns)];
}

/**
 * The ProjectionExpression of {@link rowColumns}, every name through a
 * placeholder `#rp<n>` (reserved words and names such as `__proto__` stay
 * valid). Pure.
 */
export function rowProjection(
  mapping: RowMapping,
  fields?: readonly RowManagedField[],
): { ProjectionExpression: string; ExpressionAttributeNames: Record<string, string> } {
  const columns = rowColumns(mapping, fields);
  return {
    ProjectionExpression: columns.map((_, index) => `#rp${index}`).join(', '),
    ExpressionAttributeNames: Object.fromEntries(
      columns.map((column, index) => [`#rp${index}`, column]),
    ),
  };
}

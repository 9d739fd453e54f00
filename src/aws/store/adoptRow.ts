import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { RowMapping } from '../../domain/rowMapping/document.js';
import { toAttributeItem } from './attributeItem.js';
import { conditionalWrite } from './conditionalWrite.js';
import { upsertClauses } from './rowUpsert.js';
import { type CallOptions, signalOf, tableRowMapping, type UserTableOptions } from './userTable.js';

/** What adopting a row writes: the row the user should have, and the columns the user has no value for. */
export interface RowAdoption {
  /** The row the mapping gives the user (`expectedRow`), key included. */
  readonly row: Readonly<Record<string, unknown>>;
  /** Managed columns to REMOVE (`absentColumns`: an e-mail or attribute column the user does not have). */
  readonly absent: readonly string[];
  /** ISO-8601 version of the state written: a row holding a newer `userLastModifiedAt` is left alone. */
  readonly notNewerThan: string;
}

/**
 * The UpdateItem of an adoption under the row mapping, pure: the columns of
 * the user's row SET (`source`, `createdAt` and the constants only when the
 * row lacks them), `deletedAt` and the absent columns REMOVEd, on a row that
 * exists at the key and has no `sub` (written before this product) nor a
 * newer `userLastModifiedAt`. Every other column of the row is kept.
 *
 * @returns the expression, or `undefined` when the mapping keeps no `sub`
 *   column (the key carries the `sub`: no row at the key lacks it)
 */
export function buildAdoptRow(mapping: RowMapping, adoption: RowAdoption) {
  const subColumn = mapping.fields.sub;
  if (subColumn === undefined) return undefined;
  const remove = [
    ...(mapping.fields.deletedAt === undefined ? [] : [mapping.fields.deletedAt]),
    ...adoption.absent.filter((column) => adoption.row[column] === undefined),
  ];
  const { UpdateExpression, names, values } = upsertClauses(mapping, adoption.row, remove);
  names['#key'] = mapping.key.attribute;
  names['#sub'] = subColumn;
  const conditions = ['attribute_exists(#key)', 'attribute_not_exists(#sub)'];
  if (mapping.fields.userLastModifiedAt !== undefined) {
    names['#version'] = mapping.fields.userLastModifiedAt;
    values[':version'] = adoption.notNewerThan;
    conditions.push('(attribute_not_exists(#version) OR #version <= :version)');
  }
  return {
    UpdateExpression,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: toAttributeItem(values),
  };
}

/**
 * Adopts the row at a user's key when it has no `sub`, with one conditional
 * UpdateItem (see {@link buildAdoptRow}), without reading it first: a failed
 * condition (no row, a row of some `sub`, a newer state) is `conflict`, and
 * the row is left untouched.
 *
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function adoptRow(
  table: UserTableOptions,
  adoption: RowAdoption,
  options: CallOptions = {},
): Promise<'adopted' | 'conflict'> {
  const mapping = tableRowMapping(table);
  const update = buildAdoptRow(mapping, adoption);
  if (!update) return 'conflict';
  const key = Object.fromEntries(
    [mapping.key, ...(mapping.sortKey ? [mapping.sortKey] : [])].map((template) => [
      template.attribute,
      adoption.row[template.attribute],
    ]),
  );
  const result = await conditionalWrite(
    () =>
      table.client.send(
        new UpdateItemCommand({
          TableName: table.tableName,
          Key: toAttributeItem(key),
          ...update,
        }),
        signalOf(options),
      ),
    { failure: `could not adopt the user's row in table "${table.tableName}"`, mapping },
  );
  return result.kind === 'written' ? 'adopted' : 'conflict';
}

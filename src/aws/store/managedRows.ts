import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RowMapping } from '../../domain/rowMapping/document.js';
import { matchRowKey, type RowKey } from '../../domain/rowMapping/keys.js';
import { TableReadError } from '../../shared/errors.js';
import { conditionalWrite } from './conditionalWrite.js';
import {
  type CallOptions,
  describeFailure,
  type RowKeyRef,
  rowKeyFor,
  signalOf,
  tableRowMapping,
  type UserTableOptions,
} from './userTable.js';

/** Result of a conditional write of managed fields: `conflict` when the row changed since it was read. */
export type ConditionalOutcome = 'written' | 'conflict';

/** An update of managed columns (see `decideConverge`, `updateFor`). */
export interface ManagedUpdate {
  /** Managed columns to SET. */
  readonly set: Readonly<Record<string, unknown>>;
  /** Managed columns to REMOVE. */
  readonly remove: readonly string[];
  /** The row's `sub` as read; `undefined` requires a row without `sub`. */
  readonly expectSub: string | undefined;
  /** Requires `userLastModifiedAt` absent or not after this; `undefined`: no version check. */
  readonly notNewerThan: string | undefined;
  /** The Time to Live attribute to REMOVE as well, on a restore. @default - none */
  readonly removeExpiry?: string | undefined;
}

/** A mapping, or the older key attribute setting (today's row under that key). */
export type MappingOrKeyAttribute = RowMapping | string;

/** The mapping a builder is given: a mapping as it is, a key attribute as today's row. */
export function mappingFrom(mapping: MappingOrKeyAttribute): RowMapping {
  return typeof mapping === 'string' ? tableRowMapping({ keyAttribute: mapping }) : mapping;
}

/**
 * Reads a row with a strongly consistent GetItem, at its key under the
 * table's mapping.
 *
 * @returns the row, or `undefined` when there is none
 * @throws TableReadError when the table could not be read, saying why
 */
export async function getUserRow(
  table: UserTableOptions,
  key: RowKeyRef,
  options: CallOptions = {},
): Promise<Record<string, unknown> | undefined> {
  try {
    const { Item } = await table.client.send(
      new GetCommand({
        TableName: table.tableName,
        Key: rowKeyFor(table, key),
        ConsistentRead: true,
      }),
      signalOf(options),
    );
    return Item;
  } catch (error) {
    throw new TableReadError(
      `could not read a row of table "${table.tableName}": ${describeFailure(error, tableRowMapping(table))}`,
      { cause: error },
    );
  }
}

/**
 * The condition on the row's `sub` under the mapping: the `sub` column
 * equal to the value read, or absent (`undefined`: a row written before this
 * product). Nothing when the mapping keeps no `sub` column: the key carries it.
 */
function subCondition(
  mapping: RowMapping,
  expectSub: string | undefined,
  names: Record<string, string>,
  values: Record<string, unknown>,
): string[] {
  const column = mapping.fields.sub;
  if (column === undefined) return [];
  names['#sub'] = column;
  if (expectSub === undefined) return ['attribute_not_exists(#sub)'];
  values[':expectSub'] = expectSub;
  return ['#sub = :expectSub'];
}

/**
 * The UpdateItem expression of a {@link ManagedUpdate}: SET and REMOVE of the
 * named managed columns only (and REMOVE of the Time to Live attribute on a
 * restore), on a row that exists, still has the `sub` that was read, and
 * holds no newer `userLastModifiedAt` (the columns the mapping gives them). Pure.
 */
export function buildManagedUpdate(mappingOrKey: MappingOrKeyAttribute, update: ManagedUpdate) {
  const mapping = mappingFrom(mappingOrKey);
  const names: Record<string, string> = { '#key': mapping.key.attribute };
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  Object.entries(update.set).forEach(([field, value], index) => {
    names[`#s${index}`] = field;
    values[`:s${index}`] = value;
    sets.push(`#s${index} = :s${index}`);
  });
  const removes = update.remove.map((field, index) => {
    names[`#r${index}`] = field;
    return `#r${index}`;
  });
  if (update.removeExpiry !== undefined) {
    names['#expiry'] = update.removeExpiry;
    removes.push('#expiry');
  }
  const conditions = [
    'attribute_exists(#key)',
    ...subCondition(mapping, update.expectSub, names, values),
  ];
  const versionColumn = mapping.fields.userLastModifiedAt;
  if (update.notNewerThan !== undefined && versionColumn !== undefined) {
    names['#version'] = versionColumn;
    values[':version'] = update.notNewerThan;
    conditions.push('(attribute_not_exists(#version) OR #version <= :version)');
  }
  const clauses = [
    ...(sets.length > 0 ? [`SET ${sets.join(', ')}`] : []),
    ...(removes.length > 0 ? [`REMOVE ${removes.join(', ')}`] : []),
  ];
  return {
    UpdateExpression: clauses.join(' '),
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}

/**
 * Applies a {@link ManagedUpdate} with one conditional UpdateItem. Columns
 * that are not named are never touched. A failed condition (the row is gone,
 * its `sub` changed, or it holds a newer version) is `conflict`, not an error.
 *
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function updateManagedFields(
  table: UserTableOptions,
  key: RowKeyRef,
  update: ManagedUpdate,
  options: CallOptions = {},
): Promise<ConditionalOutcome> {
  const mapping = tableRowMapping(table);
  const result = await conditionalWrite(
    () =>
      table.client.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: rowKeyFor(table, key),
          ...buildManagedUpdate(mapping, update),
        }),
        signalOf(options),
      ),
    { failure: `could not update the user's row in table "${table.tableName}"`, mapping },
  );
  return result.kind === 'written' ? 'written' : 'conflict';
}

/**
 * Deletes a row that still has the given `sub`.
 *
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function deleteIfSub(
  table: UserTableOptions,
  key: RowKeyRef,
  expectSub: string | undefined,
  options: CallOptions = {},
): Promise<ConditionalOutcome> {
  const mapping = tableRowMapping(table);
  const names: Record<string, string> = { '#key': mapping.key.attribute };
  const values: Record<string, unknown> = {};
  const conditions = ['attribute_exists(#key)', ...subCondition(mapping, expectSub, names, values)];
  const result = await conditionalWrite(
    () =>
      table.client.send(
        new DeleteCommand({
          TableName: table.tableName,
          Key: rowKeyFor(table, key),
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
        }),
        signalOf(options),
      ),
    { failure: `could not delete the user's row from table "${table.tableName}"`, mapping },
  );
  return result.kind === 'written' ? 'written' : 'conflict';
}

/**
 * Finds the keys of the user rows holding a `sub`, through a global
 * secondary index whose partition key is the mapping's `sub` column
 * (eventually consistent, like every GSI). Items whose keys do not match
 * the mapping's templates (other entities of a shared table) are left out.
 *
 * @throws TableReadError when the index could not be queried, saying why
 */
export async function findRowKeysBySub(
  table: UserTableOptions,
  indexName: string,
  sub: string,
  options: CallOptions = {},
): Promise<RowKey[]> {
  const mapping = tableRowMapping(table);
  const keys: RowKey[] = [];
  let startKey: Record<string, unknown> | undefined;
  try {
    do {
      const page = await table.client.send(
        new QueryCommand({
          TableName: table.tableName,
          IndexName: indexName,
          KeyConditionExpression: '#sub = :sub',
          ExpressionAttributeNames: { '#sub': mapping.fields.sub ?? 'sub' },
          ExpressionAttributeValues: { ':sub': sub },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
        signalOf(options),
      );
      for (const item of page.Items ?? []) {
        const matched = matchRowKey(mapping, item);
        if (matched) keys.push(matched.key);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  } catch (error) {
    throw new TableReadError(
      `could not query index "${indexName}" of table "${table.tableName}": ${describeFailure(error, mapping)}`,
      { cause: error },
    );
  }
  return keys;
}

/**
 * The partition key values of the user rows holding a `sub` (see
 * {@link findRowKeysBySub}): the usernames of today's rows.
 *
 * @throws TableReadError when the index could not be queried, saying why
 */
export async function findKeysBySub(
  table: UserTableOptions,
  indexName: string,
  sub: string,
  options: CallOptions = {},
): Promise<string[]> {
  const attribute = tableRowMapping(table).key.attribute;
  const keys = await findRowKeysBySub(table, indexName, sub, options);
  return keys.flatMap((key) => (key[attribute] === undefined ? [] : [key[attribute]]));
}

import { DeleteCommand, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RowManagedField } from '../../domain/rowMapping/document.js';
import { TableReadError, TableWriteError } from '../../shared/errors.js';
import { describeFailure, errorName } from '../../shared/failure.js';
import type { CallOptions, UserTableOptions } from './userTable.js';

/** Result of a conditional write of managed fields: `conflict` when the row changed since it was read. */
export type ConditionalOutcome = 'written' | 'conflict';

/** An update of managed fields (see `decideConverge`). */
export interface ManagedUpdate {
  /** Managed fields to SET. */
  readonly set: Readonly<Record<string, unknown>>;
  /** Managed fields to REMOVE. */
  readonly remove: readonly RowManagedField[];
  /** The row's `sub` as read; `undefined` requires a row without `sub`. */
  readonly expectSub: string | undefined;
  /** Requires `userLastModifiedAt` absent or not after this; `undefined`: no version check. */
  readonly notNewerThan: string | undefined;
  /** The Time to Live attribute to REMOVE as well, on a restore. @default - none */
  readonly removeExpiry?: string | undefined;
}

function signal(options: CallOptions) {
  return options.abortSignal ? { abortSignal: options.abortSignal } : {};
}

/**
 * Reads a row with a strongly consistent GetItem.
 *
 * @returns the row, or `undefined` when there is none
 * @throws TableReadError when the table could not be read, saying why
 */
export async function getUserRow(
  table: UserTableOptions,
  key: string,
  options: CallOptions = {},
): Promise<Record<string, unknown> | undefined> {
  try {
    const { Item } = await table.client.send(
      new GetCommand({
        TableName: table.tableName,
        Key: { [table.keyAttribute]: key },
        ConsistentRead: true,
      }),
      signal(options),
    );
    return Item;
  } catch (error) {
    throw new TableReadError(
      `could not read a row of table "${table.tableName}": ${describeFailure(error, 'DynamoDB')}`,
      { cause: error },
    );
  }
}

/**
 * The UpdateItem expression of a {@link ManagedUpdate}: SET and REMOVE of the
 * named managed fields only (and REMOVE of the Time to Live attribute on a
 * restore), on a row that exists, still has the `sub` that was read, and
 * holds no newer `userLastModifiedAt`. Pure.
 */
export function buildManagedUpdate(keyAttribute: string, update: ManagedUpdate) {
  const names: Record<string, string> = { '#key': keyAttribute, '#sub': 'sub' };
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
  const conditions = ['attribute_exists(#key)'];
  if (update.expectSub === undefined) conditions.push('attribute_not_exists(#sub)');
  else {
    conditions.push('#sub = :expectSub');
    values[':expectSub'] = update.expectSub;
  }
  if (update.notNewerThan !== undefined) {
    names['#version'] = 'userLastModifiedAt';
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
 * Applies a {@link ManagedUpdate} with one conditional UpdateItem. Fields
 * that are not named are never touched. A failed condition (the row is gone,
 * its `sub` changed, or it holds a newer version) is `conflict`, not an error.
 *
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function updateManagedFields(
  table: UserTableOptions,
  key: string,
  update: ManagedUpdate,
  options: CallOptions = {},
): Promise<ConditionalOutcome> {
  try {
    await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { [table.keyAttribute]: key },
        ...buildManagedUpdate(table.keyAttribute, update),
      }),
      signal(options),
    );
    return 'written';
  } catch (error) {
    if (errorName(error) === 'ConditionalCheckFailedException') return 'conflict';
    throw new TableWriteError(
      `could not update the user's row in table "${table.tableName}": ${describeFailure(error, 'DynamoDB')}`,
      { cause: error },
    );
  }
}

function subCondition(expectSub: string | undefined) {
  return expectSub === undefined
    ? { condition: 'attribute_not_exists(#sub)', values: {} }
    : { condition: '#sub = :expectSub', values: { ':expectSub': expectSub } };
}

/**
 * Deletes a row that still has the given `sub`.
 *
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function deleteIfSub(
  table: UserTableOptions,
  key: string,
  expectSub: string | undefined,
  options: CallOptions = {},
): Promise<ConditionalOutcome> {
  const sub = subCondition(expectSub);
  try {
    await table.client.send(
      new DeleteCommand({
        TableName: table.tableName,
        Key: { [table.keyAttribute]: key },
        ConditionExpression: `attribute_exists(#key) AND ${sub.condition}`,
        ExpressionAttributeNames: { '#key': table.keyAttribute, '#sub': 'sub' },
        ...(expectSub === undefined ? {} : { ExpressionAttributeValues: sub.values }),
      }),
      signal(options),
    );
    return 'written';
  } catch (error) {
    if (errorName(error) === 'ConditionalCheckFailedException') return 'conflict';
    throw new TableWriteError(
      `could not delete the user's row from table "${table.tableName}": ${describeFailure(error, 'DynamoDB')}`,
      { cause: error },
    );
  }
}

/**
 * Finds the keys of the rows holding a `sub`, through a global secondary
 * index whose partition key is `sub` (eventually consistent, like every GSI).
 *
 * @throws TableReadError when the index could not be queried, saying why
 */
export async function findKeysBySub(
  table: UserTableOptions,
  indexName: string,
  sub: string,
  options: CallOptions = {},
): Promise<string[]> {
  const keys: string[] = [];
  let startKey: Record<string, unknown> | undefined;
  try {
    do {
      const page = await table.client.send(
        new QueryCommand({
          TableName: table.tableName,
          IndexName: indexName,
          KeyConditionExpression: '#sub = :sub',
          ExpressionAttributeNames: { '#sub': 'sub' },
          ExpressionAttributeValues: { ':sub': sub },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
        signal(options),
      );
      for (const item of page.Items ?? []) {
        const key = item[table.keyAttribute];
        if (typeof key === 'string') keys.push(key);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  } catch (error) {
    throw new TableReadError(
      `could not query index "${indexName}" of table "${table.tableName}": ${describeFailure(error, 'DynamoDB')}`,
      { cause: error },
    );
  }
  return keys;
}

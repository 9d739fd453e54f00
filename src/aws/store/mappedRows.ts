import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { MappedUpdate } from '../../domain/rowMapping/expectedRow.js';
import type { RowKey } from '../../domain/rowMapping/keys.js';
import { TableWriteError } from '../../shared/errors.js';
import { errorName } from '../../shared/failure.js';
import { toAttributeItem } from './attributeItem.js';
import { type CallOptions, describeFailure } from './userTable.js';

/** Where the rows of a mapping live. */
export interface MappedTable {
  /** The document client. */
  readonly client: Pick<DynamoDBDocumentClient, 'send'>;
  /** Table name. */
  readonly tableName: string;
  /** The partition key attribute (the mapping's `key.attribute`), for the conditions. */
  readonly keyAttribute: string;
}

/** Result of a conditional create. */
export type MappedCreateOutcome = 'created' | 'already-present';

/** Result of a conditional update: `conflict` when the row changed since it was read. */
export type MappedUpdateOutcome = 'written' | 'conflict';

function signal(options: CallOptions) {
  return options.abortSignal ? { abortSignal: options.abortSignal } : {};
}

/**
 * Writes a whole row (its key included, see `expectedRow`) only if no item
 * has its key: a conditional put; a failed condition is `already-present`
 * and the item there is left untouched.
 *
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function createMappedRow(
  table: MappedTable,
  item: Readonly<Record<string, unknown>>,
  options: CallOptions = {},
): Promise<MappedCreateOutcome> {
  try {
    // The low-level command with our own conversion: the document client's
    // marshaller mishandles attribute names such as `constructor` or `__proto__`.
    await table.client.send(
      new PutItemCommand({
        TableName: table.tableName,
        Item: toAttributeItem(item),
        ConditionExpression: 'attribute_not_exists(#key)',
        ExpressionAttributeNames: { '#key': table.keyAttribute },
      }),
      signal(options),
    );
    return 'created';
  } catch (error) {
    if (errorName(error) === 'ConditionalCheckFailedException') return 'already-present';
    throw new TableWriteError(
      `could not write the user's row to table "${table.tableName}": ${describeFailure(error)}`,
      { cause: error },
    );
  }
}

/**
 * The UpdateItem expression of a {@link MappedUpdate}: SET and REMOVE of the
 * named columns only, on a row that exists, still holds the `sub` that was
 * read (or still has none, for an adoption) and no newer version. Pure.
 */
export function buildMappedUpdate(keyAttribute: string, update: MappedUpdate) {
  const names: Record<string, string> = { '#key': keyAttribute };
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  Object.entries(update.set).forEach(([column, value], index) => {
    names[`#s${index}`] = column;
    values[`:s${index}`] = value;
    sets.push(`#s${index} = :s${index}`);
  });
  const removes = update.remove.map((column, index) => {
    names[`#r${index}`] = column;
    return `#r${index}`;
  });
  const conditions = ['attribute_exists(#key)'];
  if (update.expectSub) {
    names['#sub'] = update.expectSub.column;
    if (update.expectSub.value === undefined) conditions.push('attribute_not_exists(#sub)');
    else {
      values[':expectSub'] = update.expectSub.value;
      conditions.push('#sub = :expectSub');
    }
  }
  if (update.notNewerThan) {
    names['#version'] = update.notNewerThan.column;
    values[':version'] = update.notNewerThan.value;
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
 * Applies a {@link MappedUpdate} to the row at `key` with one conditional
 * UpdateItem. Columns not named are never touched. A failed condition (the
 * row is gone, its `sub` changed, it holds a newer version) is `conflict`.
 *
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function updateMappedRow(
  table: MappedTable,
  key: RowKey,
  update: MappedUpdate,
  options: CallOptions = {},
): Promise<MappedUpdateOutcome> {
  try {
    await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { ...key },
        ...buildMappedUpdate(table.keyAttribute, update),
      }),
      signal(options),
    );
    return 'written';
  } catch (error) {
    if (errorName(error) === 'ConditionalCheckFailedException') return 'conflict';
    throw new TableWriteError(
      `could not update the user's row in table "${table.tableName}": ${describeFailure(error)}`,
      { cause: error },
    );
  }
}

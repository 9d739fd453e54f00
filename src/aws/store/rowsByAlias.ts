import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { TableReadError } from '../../shared/errors.js';
import { describeFailure } from '../../shared/failure.js';
import type { CallOptions, UserTableOptions } from './userTable.js';

/** A row found by an alias it holds: its key and the `sub` it carries. */
export interface AliasedRow {
  /** The row's key (the username it was written for). */
  readonly key: string;
  /** The row's `sub`; `undefined` when the row has none. */
  readonly sub: string | undefined;
}

/**
 * Finds the rows that hold `alias` as their e-mail address (`email`), phone
 * number or preferred username (`attributes.phone_number`,
 * `attributes.preferred_username`): the rows of the user a signal named by an
 * alias that has changed since. Rows are not indexed by alias, so this is a
 * filtered Scan of the whole table (keys and `sub` projected), page by page:
 * it costs a read of every row, and is meant for the rare signal nothing
 * else resolves.
 *
 * @throws TableReadError when a page could not be read, saying why (never the alias)
 */
export async function findRowsByAlias(
  table: UserTableOptions,
  alias: string,
  options: CallOptions = {},
): Promise<AliasedRow[]> {
  const rows: AliasedRow[] = [];
  let startKey: Record<string, unknown> | undefined;
  try {
    do {
      const page = await table.client.send(
        new ScanCommand({
          TableName: table.tableName,
          FilterExpression:
            '#email = :alias OR #attrs.#phone = :alias OR #attrs.#preferred = :alias',
          ProjectionExpression: table.keyAttribute === 'sub' ? '#sub' : '#key, #sub',
          ExpressionAttributeNames: {
            ...(table.keyAttribute === 'sub' ? {} : { '#key': table.keyAttribute }),
            '#sub': 'sub',
            '#email': 'email',
            '#attrs': 'attributes',
            '#phone': 'phone_number',
            '#preferred': 'preferred_username',
          },
          ExpressionAttributeValues: { ':alias': alias },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
        options.abortSignal ? { abortSignal: options.abortSignal } : {},
      );
      for (const item of page.Items ?? []) {
        const key = item[table.keyAttribute];
        if (typeof key !== 'string') continue;
        rows.push({ key, sub: typeof item.sub === 'string' ? item.sub : undefined });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  } catch (error) {
    throw new TableReadError(
      `could not scan table "${table.tableName}" for the rows of an alias: ${describeFailure(error, 'DynamoDB')}`,
      { cause: error },
    );
  }
  return rows;
}

import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { TableReadError } from '../../shared/errors.js';
import { describeFailure } from '../../shared/failure.js';

/** Options of {@link scanUserRows}. */
export interface ScanUserRowsOptions {
  /** Table to read. */
  readonly tableName: string;
  /** Most rows per Scan page. @default - DynamoDB's 1 MB pages */
  readonly pageSize?: number;
}

/**
 * Reads every row of the user table, whole (every attribute), page by page.
 * Meant for local tools; reconcile reads rows page by page (`scanPages`, `readRowsByKey`).
 *
 * @throws TableReadError when a page cannot be read, saying why
 */
export async function scanUserRows(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  options: ScanUserRowsOptions,
): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    let page: { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> };
    try {
      page = await client.send(
        new ScanCommand({
          TableName: options.tableName,
          ...(options.pageSize ? { Limit: options.pageSize } : {}),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
    } catch (error) {
      throw new TableReadError(
        `could not scan table "${options.tableName}": ${describeFailure(error, 'DynamoDB')}`,
        { cause: error },
      );
    }
    rows.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return rows;
}

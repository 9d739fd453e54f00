import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { TableReadError } from '../errors.js';
import { describeFailure } from './userTable.js';

/** Options of {@link scanUserRows}. */
export interface ScanUserRowsOptions {
  /** Table to read. */
  readonly tableName: string;
  /** Rows read per Scan page. @default - DynamoDB's 1 MB pages */
  readonly pageSize?: number;
}

/**
 * Reads every row of the user table, whole (every attribute), page by page.
 * Meant for small tables and local tools; reconcile reads only the keys
 * (`scanTableKeys`).
 *
 * @throws TableReadError when a page cannot be read, saying why
 */
export async function scanUserRows(
  client: Pick<DynamoDBDocumentClient, 'send'>,
  options: ScanUserRowsOptions,
): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  try {
    for await (const page of paginateScan(
      {
        client: client as DynamoDBDocumentClient,
        ...(options.pageSize ? { pageSize: options.pageSize } : {}),
      },
      { TableName: options.tableName },
    )) {
      rows.push(...(page.Items ?? []));
    }
  } catch (error) {
    throw new TableReadError(
      `could not scan table "${options.tableName}": ${describeFailure(error)}`,
      { cause: error },
    );
  }
  return rows;
}

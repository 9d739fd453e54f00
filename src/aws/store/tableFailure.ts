import type { RowMapping } from '../../domain/rowMapping/document.js';
import { describeFailure as describeAnyFailure } from '../../shared/failure.js';

/**
 * Says why a DynamoDB call of the store failed in one line (the one
 * `describeFailure` of `shared/failure`, for DynamoDB): a refused key says
 * which key attribute the item lacks and the keys the row mapping wrote.
 */
export function describeFailure(error: unknown, mapping?: RowMapping): string {
  return describeAnyFailure(
    error,
    'DynamoDB',
    mapping && { partition: mapping.key.attribute, sort: mapping.sortKey?.attribute },
  );
}

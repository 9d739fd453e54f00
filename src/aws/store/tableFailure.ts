import type { RowMapping } from '../../domain/rowMapping/document.js';
import { describeFailure as describeDynamoFailure, errorName } from '../../shared/failure.js';

const MISSING_KEY = /missing the key (\S+) in the item/i;

/**
 * Says why a DynamoDB call failed in one line, for error messages and logs
 * (see `shared/failure`). A refused key says which key attribute: the one
 * the item lacks (the table's partition key, or its sort key, that the row
 * mapping does not write), or that the mapping's key is not the table's.
 */
export function describeFailure(error: unknown, mapping?: RowMapping): string {
  const text = describeDynamoFailure(error, 'DynamoDB');
  if (!isKeyMismatch(error)) return text;
  const cause = keyCause(error);
  const missing = MISSING_KEY.exec((cause as Error).message)?.[1];
  const written = mapping
    ? `the row mapping's key is "${mapping.key.attribute}"${mapping.sortKey ? ` with the sort key "${mapping.sortKey.attribute}"` : ' with no sort key'}`
    : undefined;
  if (missing !== undefined) {
    const sortKeyHint = mapping?.sortKey
      ? `or "${missing}" is the table's sort key, and the row mapping's sortKey.attribute must name it`
      : `or "${missing}" is the table's sort key, which the row mapping must give (sortKey)`;
    return `${text}; the table's key attribute "${missing}" is missing from the row${written ? ` (${written})` : ''}: either the table's partition key is not the configured key attribute (KEY_ATTRIBUTE, or --key-attribute, or the row mapping's key.attribute), ${sortKeyHint}`;
  }
  return `${text}; the table's partition key is not the configured key attribute (KEY_ATTRIBUTE, or --key-attribute)${written ? `, or the table's sort key is not the row mapping's: ${written}` : ''}`;
}

function keyCause(error: unknown): unknown {
  return error instanceof Error && error.name !== 'ValidationException' ? error.cause : error;
}

/** Whether DynamoDB refused an item because the configured key attribute is not the table's key. */
export function isKeyMismatch(error: unknown): boolean {
  const cause = keyCause(error);
  return (
    errorName(cause) === 'ValidationException' &&
    /missing the key|required keys|key element does not match/i.test((cause as Error).message)
  );
}

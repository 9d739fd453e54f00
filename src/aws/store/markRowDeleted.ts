import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { PERSONAL_DATA_FIELDS } from '../../domain/converge.js';
import {
  DEFAULT_DELETED_ROW_POLICY,
  type DeletedRowPolicy,
  expiryOf,
} from '../../domain/deletedRows.js';
import type { RowMapping } from '../../domain/rowMapping/document.js';
import type { RowKey } from '../../domain/rowMapping/keys.js';
import { TableWriteError } from '../../shared/errors.js';
import { errorName } from '../../shared/failure.js';
import { type CallOptions, describeFailure, type UserTableOptions } from './userTable.js';

/**
 * Which `sub` the row must hold to be marked: a given value, none at all
 * (`absent`, a row written without `sub`), or any (`any`: reconcile's
 * orphans, found by key).
 */
export type SubCondition = { readonly equals: string } | 'absent' | 'any';

/** One mark: when, on which condition, under which policy. */
export interface RowMark {
  /** The time of the mark: `deletedAt` and `updatedAt`, and the start of the retention. */
  readonly deletedAt: Date;
  /** The `sub` the row must still hold. */
  readonly sub: SubCondition;
  /** Erasure and retention. @default DEFAULT_DELETED_ROW_POLICY - erase, no expiry */
  readonly policy?: DeletedRowPolicy;
  /**
   * The row mapping whose column names the mark uses (`deletedAt`,
   * `updatedAt`, `sub`, the personal-data fields and the attribute columns,
   * which hold personal data too). @default - the fields under their own names
   */
  readonly rowMapping?: RowMapping;
}

/** Result of a mark: `conflict` when the row is gone, already marked, or holds another `sub`. */
export type MarkOutcome = 'marked' | 'conflict';

/**
 * The UpdateItem expression of a {@link RowMark}. Pure.
 *
 * SETs `deletedAt` and `updatedAt` to the time of the mark (the managed
 * fields change, so `updatedAt` moves too), SETs the Time to Live attribute
 * to that time plus the retention when the policy has one, and REMOVEs the
 * personal-data fields (`PERSONAL_DATA_FIELDS`) unless the policy retains
 * them; all on a row that exists, carries no `deletedAt` yet and holds the
 * expected `sub`. Fields not named here, the app's own, are never touched.
 */
export function buildMarkDeleted(keyAttribute: string, mark: RowMark) {
  const policy = mark.policy ?? DEFAULT_DELETED_ROW_POLICY;
  const fields = mark.rowMapping?.fields;
  const columnOf = (field: 'deletedAt' | 'updatedAt' | 'sub'): string | undefined =>
    fields ? fields[field] : field;
  const updatedAt = columnOf('updatedAt');
  const names: Record<string, string> = {
    '#key': keyAttribute,
    '#deletedAt': columnOf('deletedAt') ?? 'deletedAt',
    ...(updatedAt !== undefined ? { '#updatedAt': updatedAt } : {}),
  };
  const values: Record<string, unknown> = { ':deletedAt': mark.deletedAt.toISOString() };
  const sets = [
    '#deletedAt = :deletedAt',
    ...(updatedAt !== undefined ? ['#updatedAt = :deletedAt'] : []),
  ];
  if (policy.retentionDays !== undefined && policy.timeToLiveAttribute !== undefined) {
    names['#expiry'] = policy.timeToLiveAttribute;
    values[':expiry'] = expiryOf(mark.deletedAt, policy.retentionDays);
    sets.push('#expiry = :expiry');
  }
  const personal = mark.rowMapping
    ? [
        ...PERSONAL_DATA_FIELDS.flatMap((field) => {
          const column = mark.rowMapping?.fields[field];
          return column === undefined ? [] : [column];
        }),
        ...Object.values(mark.rowMapping.attributeColumns),
      ]
    : PERSONAL_DATA_FIELDS;
  const removes = policy.retainPersonalData
    ? []
    : personal.map((field, index) => {
        names[`#p${index}`] = field;
        return `#p${index}`;
      });
  const conditions = ['attribute_exists(#key)', 'attribute_not_exists(#deletedAt)'];
  const subColumn = columnOf('sub');
  if (subColumn === undefined) {
    // The key carries the sub: the row at this key is the user's.
  } else if (mark.sub === 'absent') {
    names['#sub'] = subColumn;
    conditions.push('attribute_not_exists(#sub)');
  } else if (mark.sub !== 'any') {
    names['#sub'] = subColumn;
    values[':expectSub'] = mark.sub.equals;
    conditions.push('#sub = :expectSub');
  }
  return {
    UpdateExpression: [
      `SET ${sets.join(', ')}`,
      ...(removes.length > 0 ? [`REMOVE ${removes.join(', ')}`] : []),
    ].join(' '),
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/**
 * Marks the row of a deleted user with one conditional UpdateItem (see
 * {@link buildMarkDeleted}): the only way any path marks a row. A failed
 * condition is `conflict`, not an error.
 *
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function markRowDeleted(
  table: UserTableOptions,
  key: string | RowKey,
  mark: RowMark,
  options: CallOptions = {},
): Promise<MarkOutcome> {
  try {
    await table.client.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: typeof key === 'string' ? { [table.keyAttribute]: key } : { ...key },
        ...buildMarkDeleted(table.keyAttribute, mark),
      }),
      options.abortSignal ? { abortSignal: options.abortSignal } : {},
    );
    return 'marked';
  } catch (error) {
    if (errorName(error) === 'ConditionalCheckFailedException') return 'conflict';
    throw new TableWriteError(
      `could not mark a deleted user's row in table "${table.tableName}": ${describeFailure(error)}`,
      { cause: error },
    );
  }
}

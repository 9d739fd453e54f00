import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { personalDataColumns } from '../../domain/converge.js';
import {
  DEFAULT_DELETED_ROW_POLICY,
  type DeletedRowPolicy,
  expiryOf,
} from '../../domain/deletedRows.js';
import { conditionalWrite } from './conditionalWrite.js';
import { type MappingOrKeyAttribute, mappingFrom } from './managedRows.js';
import {
  type CallOptions,
  type RowKeyRef,
  rowKeyFor,
  signalOf,
  tableRowMapping,
  type UserTableOptions,
} from './userTable.js';

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
}

/** Result of a mark: `conflict` when the row is gone, already marked, or holds another `sub`. */
export type MarkOutcome = 'marked' | 'conflict';

/**
 * The UpdateItem expression of a {@link RowMark}, under the row mapping
 * (or today's row under a key attribute). Pure.
 *
 * SETs `deletedAt` and `updatedAt` (when the mapping keeps it) to the time
 * of the mark (the managed fields change, so `updatedAt` moves too), SETs the
 * Time to Live attribute to that time plus the retention when the policy has
 * one, and REMOVEs the personal-data columns (`personalDataColumns`: the
 * mapped e-mail, its verification, the `attributes` map, `lastSignInAt` and
 * every top-level attribute column) unless the policy retains them; all on a
 * row that exists, carries no `deletedAt` yet and holds the expected `sub`.
 * Columns not named here, the app's own, are never touched.
 */
export function buildMarkDeleted(mappingOrKey: MappingOrKeyAttribute, mark: RowMark) {
  const mapping = mappingFrom(mappingOrKey);
  const policy = mark.policy ?? DEFAULT_DELETED_ROW_POLICY;
  // A mapping always keeps deletedAt (a required field); the fallback is never used.
  const names: Record<string, string> = {
    '#key': mapping.key.attribute,
    '#deletedAt': mapping.fields.deletedAt ?? 'deletedAt',
  };
  const values: Record<string, unknown> = { ':deletedAt': mark.deletedAt.toISOString() };
  const sets = ['#deletedAt = :deletedAt'];
  if (mapping.fields.updatedAt !== undefined) {
    names['#updatedAt'] = mapping.fields.updatedAt;
    sets.push('#updatedAt = :deletedAt');
  }
  if (policy.retentionDays !== undefined && policy.timeToLiveAttribute !== undefined) {
    names['#expiry'] = policy.timeToLiveAttribute;
    values[':expiry'] = expiryOf(mark.deletedAt, policy.retentionDays);
    sets.push('#expiry = :expiry');
  }
  const removes = policy.retainPersonalData
    ? []
    : personalDataColumns(mapping).map((column, index) => {
        names[`#p${index}`] = column;
        return `#p${index}`;
      });
  const conditions = ['attribute_exists(#key)', 'attribute_not_exists(#deletedAt)'];
  const subColumn = mapping.fields.sub;
  if (subColumn !== undefined && mark.sub === 'absent') {
    names['#sub'] = subColumn;
    conditions.push('attribute_not_exists(#sub)');
  } else if (subColumn !== undefined && mark.sub !== 'any' && mark.sub !== 'absent') {
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
 * {@link buildMarkDeleted}), under the table's row mapping: the only way any
 * path marks a row (converge, change signals, reconcile's orphans, the
 * console). A failed condition is `conflict`, not an error.
 *
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function markRowDeleted(
  table: UserTableOptions,
  key: RowKeyRef,
  mark: RowMark,
  options: CallOptions = {},
): Promise<MarkOutcome> {
  const mapping = tableRowMapping(table);
  const result = await conditionalWrite(
    () =>
      table.client.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: rowKeyFor(table, key),
          ...buildMarkDeleted(mapping, mark),
        }),
        signalOf(options),
      ),
    { failure: `could not mark a deleted user's row in table "${table.tableName}"`, mapping },
  );
  return result.kind === 'written' ? 'marked' : 'conflict';
}

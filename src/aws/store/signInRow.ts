import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { fromAttributeItem, toAttributeItem } from './attributeItem.js';
import { conditionalWrite, itemOfFailedCondition } from './conditionalWrite.js';
import { type MappingOrKeyAttribute, mappingFrom } from './managedRows.js';
import { upsertClauses } from './rowUpsert.js';
import {
  type CallOptions,
  type RowKeyRef,
  rowKeyFor,
  signalOf,
  tableRowMapping,
  type UserTableOptions,
} from './userTable.js';

/** What a sign-in writes into the row of the user who signed in. */
export interface SignInUpsert {
  /**
   * The row the user's state maps to (`expectedRow`): its key, `sub` and
   * managed columns. `source`, `createdAt` and the constants are written only
   * when the row has none (a new row, or an adopted one); every other column
   * is SET.
   */
  readonly row: Readonly<Record<string, unknown>>;
  /** Whether the user may sign in (`true` for a sign-in). */
  readonly enabled: boolean;
  /** `UserStatus`. */
  readonly status: string;
  /** ISO-8601 time of the sign-in: `lastSignInAt`, `updatedAt`, and the version the write is checked against. */
  readonly signedInAt: string;
  /** Whether a missing row is created; `false` refreshes an existing row only. */
  readonly create: boolean;
  /**
   * The managed columns the user's state wants absent (`absentColumns`: an
   * e-mail, its verification or an attribute column the user does not have).
   * @default - the mapping's `email` and `emailVerified` columns the row lacks
   */
  readonly absent?: readonly string[];
  /**
   * The Time to Live attribute a mark of the row may have set: REMOVEd, since
   * a user who signs in is in the pool (a restore keeps no expiry).
   * @default - none: no such attribute is written by the package
   */
  readonly expiryAttribute?: string | undefined;
}

/**
 * The UpdateItem of a sign-in under the row mapping (or today's row under a
 * key attribute), pure: SET of every managed column from the user's state
 * (`source`, `createdAt` and the constants with `if_not_exists`), `enabled`,
 * `status`, `updatedAt` and `lastSignInAt` (those the mapping keeps); REMOVE
 * of `deletedAt`, of the expiry a mark may have set, and of the columns the
 * user no longer has values for. The condition admits a row that is absent
 * (unless `create` is false), that has no `sub` (adopted: it is the user's
 * key), or that has this `sub`, and that holds no `userLastModifiedAt` after
 * the sign-in. Columns the expression does not name are never touched.
 */
export function buildSignInUpsert(mappingOrKey: MappingOrKeyAttribute, upsert: SignInUpsert) {
  const mapping = mappingFrom(mappingOrKey);
  const { fields } = mapping;
  const columns: Record<string, unknown> = { ...upsert.row };
  const put = (column: string | undefined, value: unknown) => {
    if (column !== undefined) columns[column] = value;
  };
  put(fields.enabled, upsert.enabled);
  put(fields.status, upsert.status);
  put(fields.updatedAt, upsert.signedInAt);
  put(fields.lastSignInAt, upsert.signedInAt);
  const absent =
    upsert.absent ??
    [fields.email, fields.emailVerified].filter(
      (column): column is string => column !== undefined && columns[column] === undefined,
    );
  const removes = [
    ...(fields.deletedAt === undefined ? [] : [fields.deletedAt]),
    ...(upsert.expiryAttribute === undefined ? [] : [upsert.expiryAttribute]),
    ...absent.filter((column) => columns[column] === undefined),
  ];
  const { UpdateExpression, names, values } = upsertClauses(mapping, columns, removes);
  const conditions: string[] = [];
  const subColumn = fields.sub;
  if (subColumn !== undefined) {
    names['#sub'] = subColumn;
    values[':sub'] = upsert.row[subColumn];
    conditions.push('(attribute_not_exists(#sub) OR #sub = :sub)');
  }
  if (fields.userLastModifiedAt !== undefined) {
    names['#version'] = fields.userLastModifiedAt;
    values[':signedInAt'] = upsert.signedInAt;
    conditions.push('(attribute_not_exists(#version) OR #version <= :signedInAt)');
  }
  if (!upsert.create) {
    names['#key'] = mapping.key.attribute;
    conditions.unshift('attribute_exists(#key)');
  }
  return {
    UpdateExpression,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: toAttributeItem(values),
  };
}

/**
 * What a conditional sign-in write found: `written` with the row as it was
 * before (`undefined`: there was none), or `conflict` with the row that failed
 * the condition (`undefined` when there is none; `'unknown'` when DynamoDB did
 * not return it).
 */
export type SignInWriteResult =
  | { readonly kind: 'written'; readonly before: Record<string, unknown> | undefined }
  | {
      readonly kind: 'conflict';
      readonly current: Record<string, unknown> | undefined | 'unknown';
    };

/**
 * Creates, adopts or refreshes the row of a user who signed in, with one
 * conditional UpdateItem at the row's key under the table's mapping (see
 * {@link buildSignInUpsert}) that returns the row as it was (`ReturnValues:
 * ALL_OLD`), and, when the condition fails, the row that failed it
 * (`ReturnValuesOnConditionCheckFailure: ALL_OLD`; DynamoDB returns it, some
 * emulators do not: then `current` is `'unknown'`).
 *
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function upsertSignInRow(
  table: UserTableOptions,
  upsert: SignInUpsert,
  options: CallOptions = {},
): Promise<SignInWriteResult> {
  const mapping = tableRowMapping(table);
  const key = Object.fromEntries(
    [mapping.key, ...(mapping.sortKey ? [mapping.sortKey] : [])].map((template) => [
      template.attribute,
      upsert.row[template.attribute],
    ]),
  );
  const result = await conditionalWrite(
    () =>
      table.client.send(
        new UpdateItemCommand({
          TableName: table.tableName,
          Key: toAttributeItem(key),
          ...buildSignInUpsert(mapping, upsert),
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
        signalOf(options),
      ),
    { failure: `could not record the sign-in in table "${table.tableName}"`, mapping },
  );
  if (result.kind === 'written') {
    const { Attributes } = result.output;
    return { kind: 'written', before: Attributes ? fromAttributeItem(Attributes) : undefined };
  }
  const item = itemOfFailedCondition(result.error);
  return { kind: 'conflict', current: item ? fromAttributeItem(item) : 'unknown' };
}

/**
 * Sets `lastSignInAt` alone (the mapping's column), on a row that still has
 * this `sub` (`undefined`: no `sub`) and no `deletedAt`: a sign-in on a row
 * that holds a state Cognito modified after it.
 *
 * @returns `written`, or `conflict` when the condition failed (or the mapping keeps no `lastSignInAt`)
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function setLastSignInAt(
  table: UserTableOptions,
  key: RowKeyRef,
  expectSub: string | undefined,
  signedInAt: string,
  options: CallOptions = {},
): Promise<'written' | 'conflict'> {
  const mapping = tableRowMapping(table);
  const { fields } = mapping;
  if (fields.lastSignInAt === undefined) return 'conflict';
  const names: Record<string, string> = {
    '#key': mapping.key.attribute,
    '#lastSignInAt': fields.lastSignInAt,
    '#deletedAt': fields.deletedAt ?? 'deletedAt',
  };
  const conditions = ['attribute_exists(#key)', 'attribute_not_exists(#deletedAt)'];
  if (fields.sub !== undefined) {
    names['#sub'] = fields.sub;
    conditions.push(expectSub === undefined ? 'attribute_not_exists(#sub)' : '#sub = :sub');
  }
  const result = await conditionalWrite(
    () =>
      table.client.send(
        new UpdateItemCommand({
          TableName: table.tableName,
          Key: toAttributeItem(rowKeyFor(table, key)),
          UpdateExpression: 'SET #lastSignInAt = :signedInAt',
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: toAttributeItem({
            ':signedInAt': signedInAt,
            ...(expectSub === undefined || fields.sub === undefined ? {} : { ':sub': expectSub }),
          }),
        }),
        signalOf(options),
      ),
    { failure: `could not record the sign-in in table "${table.tableName}"`, mapping },
  );
  return result.kind === 'written' ? 'written' : 'conflict';
}

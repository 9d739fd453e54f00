import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { UserRow } from '../../domain/userRow.js';
import { TableWriteError } from '../../shared/errors.js';
import { describeFailure, errorName } from '../../shared/failure.js';
import { fromAttributeItem, toAttributeItem } from './attributeItem.js';
import type { CallOptions, UserTableOptions } from './userTable.js';

/** What a sign-in writes into the row of the user who signed in. */
export interface SignInUpsert {
  /**
   * The row as the user's state maps it (`toUserRow`): its key, `sub` and
   * managed fields. `source` and `createdAt` are written only when the row has
   * none (a new row, or an adopted one); every other field is SET.
   */
  readonly row: UserRow;
  /** Whether the user may sign in (`true` for a sign-in). */
  readonly enabled: boolean;
  /** `UserStatus`. */
  readonly status: string;
  /** ISO-8601 time of the sign-in: `lastSignInAt`, `updatedAt`, and the version the write is checked against. */
  readonly signedInAt: string;
  /** Whether a missing row is created; `false` refreshes an existing row only. */
  readonly create: boolean;
  /**
   * The Time to Live attribute a mark of the row may have set: REMOVEd, since
   * a user who signs in is in the pool (a restore keeps no expiry).
   * @default - none: no such attribute is written by the package
   */
  readonly expiryAttribute?: string | undefined;
}

/** Managed fields a sign-in REMOVEs when the user no longer has them. */
const OPTIONAL_FIELDS = ['email', 'emailVerified'] as const;

/** Fields of a row written once: kept when the row already holds them. */
const SET_ONCE = new Set(['source', 'createdAt']);

/**
 * The UpdateItem of a sign-in, pure: SET of every managed field from the
 * user's state (`source` and `createdAt` with `if_not_exists`), `enabled`,
 * `status`, `updatedAt` and `lastSignInAt`; REMOVE of `deletedAt`, of the
 * expiry a mark may have set, and of the optional fields the user no longer has. The condition admits a row that is
 * absent (unless `create` is false), that has no `sub` (adopted: it is the
 * user's key), or that has this `sub`, and that holds no `userLastModifiedAt`
 * after the sign-in. Fields the expression does not name are never touched.
 */
export function buildSignInUpsert(keyAttribute: string, upsert: SignInUpsert) {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  let index = 0;
  const name = (field: string): string => {
    const alias = `#f${index++}`;
    names[alias] = field;
    return alias;
  };
  const fields: Record<string, unknown> = {
    ...upsert.row,
    enabled: upsert.enabled,
    status: upsert.status,
    updatedAt: upsert.signedInAt,
    lastSignInAt: upsert.signedInAt,
  };
  for (const [field, value] of Object.entries(fields)) {
    if (field === keyAttribute || value === undefined) continue;
    const alias = name(field);
    const placeholder = `:v${index}`;
    values[placeholder] = value;
    sets.push(
      SET_ONCE.has(field)
        ? `${alias} = if_not_exists(${alias}, ${placeholder})`
        : `${alias} = ${placeholder}`,
    );
  }
  const removes = [
    'deletedAt',
    ...(upsert.expiryAttribute === undefined ? [] : [upsert.expiryAttribute]),
    ...OPTIONAL_FIELDS.filter((field) => fields[field] === undefined),
  ];
  const removed = removes.map(name);
  names['#sub'] = 'sub';
  names['#version'] = 'userLastModifiedAt';
  values[':sub'] = upsert.row.sub;
  values[':signedInAt'] = upsert.signedInAt;
  const conditions = [
    '(attribute_not_exists(#sub) OR #sub = :sub)',
    '(attribute_not_exists(#version) OR #version <= :signedInAt)',
  ];
  if (!upsert.create) {
    names['#key'] = keyAttribute;
    conditions.unshift('attribute_exists(#key)');
  }
  return {
    UpdateExpression: `SET ${sets.join(', ')} REMOVE ${removed.join(', ')}`,
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
 * conditional UpdateItem (see {@link buildSignInUpsert}) that returns the row
 * as it was (`ReturnValues: ALL_OLD`), and, when the condition fails, the row
 * that failed it (`ReturnValuesOnConditionCheckFailure: ALL_OLD`; DynamoDB
 * returns it, some emulators do not: then `current` is `'unknown'`).
 *
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function upsertSignInRow(
  table: UserTableOptions,
  upsert: SignInUpsert,
  options: CallOptions = {},
): Promise<SignInWriteResult> {
  const key = upsert.row[table.keyAttribute];
  try {
    const { Attributes } = await table.client.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: toAttributeItem({ [table.keyAttribute]: key }),
        ...buildSignInUpsert(table.keyAttribute, upsert),
        ReturnValues: 'ALL_OLD',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
      options.abortSignal ? { abortSignal: options.abortSignal } : {},
    );
    return { kind: 'written', before: Attributes ? fromAttributeItem(Attributes) : undefined };
  } catch (error) {
    if (errorName(error) === 'ConditionalCheckFailedException') {
      return { kind: 'conflict', current: rowOfFailedCondition(error) };
    }
    throw new TableWriteError(
      `could not record the sign-in in table "${table.tableName}": ${describeFailure(error, 'DynamoDB')}`,
      { cause: error },
    );
  }
}

/** The row a ConditionalCheckFailedException carries: none without `Item`, unknown without the member. */
function rowOfFailedCondition(error: unknown): Record<string, unknown> | undefined | 'unknown' {
  if (typeof error !== 'object' || error === null || !('Item' in error)) return 'unknown';
  const item = (error as { Item?: Record<string, AttributeValue> }).Item;
  return item ? fromAttributeItem(item) : 'unknown';
}

/**
 * Sets `lastSignInAt` alone, on a row that still has this `sub` (`undefined`:
 * no `sub`) and no `deletedAt`: a sign-in on a row that holds a state Cognito
 * modified after it.
 *
 * @returns `written`, or `conflict` when the condition failed
 * @throws TableWriteError when the table could not be written, saying why
 */
export async function setLastSignInAt(
  table: UserTableOptions,
  key: string,
  expectSub: string | undefined,
  signedInAt: string,
  options: CallOptions = {},
): Promise<'written' | 'conflict'> {
  try {
    await table.client.send(
      new UpdateItemCommand({
        TableName: table.tableName,
        Key: toAttributeItem({ [table.keyAttribute]: key }),
        UpdateExpression: 'SET #lastSignInAt = :signedInAt',
        ConditionExpression: `attribute_exists(#key) AND attribute_not_exists(#deletedAt) AND ${
          expectSub === undefined ? 'attribute_not_exists(#sub)' : '#sub = :sub'
        }`,
        ExpressionAttributeNames: {
          '#key': table.keyAttribute,
          '#lastSignInAt': 'lastSignInAt',
          '#deletedAt': 'deletedAt',
          '#sub': 'sub',
        },
        ExpressionAttributeValues: toAttributeItem({
          ':signedInAt': signedInAt,
          ...(expectSub === undefined ? {} : { ':sub': expectSub }),
        }),
      }),
      options.abortSignal ? { abortSignal: options.abortSignal } : {},
    );
    return 'written';
  } catch (error) {
    if (errorName(error) === 'ConditionalCheckFailedException') return 'conflict';
    throw new TableWriteError(
      `could not record the sign-in in table "${table.tableName}": ${describeFailure(error, 'DynamoDB')}`,
      { cause: error },
    );
  }
}

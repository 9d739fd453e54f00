import type { MappingConfig } from './config.js';

/** A row of the user table, as written (the key attribute name is configurable). */
export type UserRow = Record<string, unknown> & {
  readonly sub: string;
  readonly userPoolId: string;
  readonly source: string;
  readonly createdAt: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly email?: string;
  readonly emailVerified?: boolean;
};

/** What a row is built from: a trigger event or a listed user. */
export interface UserRowInput {
  /** The Cognito username; the row's key. */
  readonly userName: string;
  /** The user pool's id. */
  readonly userPoolId: string;
  /** The user's attributes (`sub`, `email`, `custom:*`, `cognito:*`…). */
  readonly userAttributes: Readonly<Record<string, string>>;
  /** What created the row: a trigger source or `reconcile`. */
  readonly source: string;
  /** When the row is written. */
  readonly now: Date;
}

/** Prefix of Cognito's internal attributes, never copied into `attributes`. */
export const INTERNAL_ATTRIBUTE_PREFIX = 'cognito:';

/**
 * Selects the attributes copied into a row: all but `cognito:*` internals,
 * narrowed to the allowlist when there is one.
 */
export function selectAttributes(
  userAttributes: Readonly<Record<string, string>>,
  allowlist?: readonly string[],
): Record<string, string> {
  // Object.fromEntries defines own data properties: `__proto__`, `constructor`
  // or `toString` are kept as attributes, never taken for the prototype's.
  return Object.fromEntries(
    Object.entries(userAttributes).filter(
      ([name]) =>
        !name.startsWith(INTERNAL_ATTRIBUTE_PREFIX) && (!allowlist || allowlist.includes(name)),
    ),
  );
}

/**
 * Maps a user to the row written to the table. Pure: the same input always
 * gives the same row. Used by the trigger and by the reconcile command.
 */
export function toUserRow(input: UserRowInput, mapping: MappingConfig): UserRow {
  const own = (name: string): string | undefined =>
    Object.hasOwn(input.userAttributes, name) ? input.userAttributes[name] : undefined;
  const userAttributes = {
    sub: own('sub'),
    email: own('email'),
    email_verified: own('email_verified'),
  };
  const row: Record<string, unknown> = {
    [mapping.keyAttribute]: input.userName,
    sub: userAttributes.sub,
    userPoolId: input.userPoolId,
    source: input.source,
    createdAt: input.now.toISOString(),
    attributes: selectAttributes(input.userAttributes, mapping.userAttributes),
  };
  if (userAttributes.email !== undefined && userAttributes.email !== '') {
    row.email = userAttributes.email;
  }
  if (userAttributes.email_verified !== undefined) {
    row.emailVerified = userAttributes.email_verified.toLowerCase() === 'true';
  }
  return row as UserRow;
}

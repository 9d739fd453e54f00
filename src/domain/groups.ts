/**
 * A user's Cognito groups as the row holds them: the group names, each once,
 * sorted by UTF-16 code unit (the order `Array.prototype.sort` gives, the same
 * on every machine and in every locale), as a list.
 *
 * Why a sorted list and not a string set: a DynamoDB string set cannot be
 * empty (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.SetTypes,
 * verified), so "in no group" would have to be an absent attribute, and the
 * document client turns a set into a JavaScript `Set`, which `JSON.stringify`
 * writes as `{}`; a list is an ordinary array in app code and in JSON, an
 * empty list says "in no group", and a sorted one compares equal exactly when
 * the memberships are equal, so a row is rewritten only when they change.
 * Filters find the members of a group in either form with
 * `contains(groups, :group)` (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Functions:
 * a set or a list containing the element; assumed for lists, shown against
 * dynalite by the tests).
 */

/** The user's groups in the row's form: each name once, sorted. */
export type UserGroups = readonly string[];

/**
 * The most groups a user can belong to, and a user pool can hold: Cognito's
 * resource quotas, not adjustable (https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html,
 * "Maximum number of groups that each user can belong to" and "… per user pool", verified).
 */
export const GROUP_QUOTAS = { perUser: 100, perPool: 10_000 } as const;

/** Compares two strings by UTF-16 code unit, as `Array.prototype.sort` does by default. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The groups in the row's form: duplicates dropped, sorted by UTF-16 code unit. */
export function normalizeGroups(names: Iterable<string>): UserGroups {
  return [...new Set(names)].sort(byCodeUnit);
}

/**
 * Reads a row's groups as this package writes them (a list of strings) or as
 * someone else may have (a string set, read as a `Set`).
 *
 * @returns the groups in the row's form, or `undefined` when the value is absent or not a list or set of strings
 */
export function groupsOfRow(value: unknown): UserGroups | undefined {
  if (value instanceof Set || Array.isArray(value)) {
    const names = [...value];
    if (names.every((name) => typeof name === 'string')) return normalizeGroups(names);
  }
  return undefined;
}

/**
 * Whether a row's groups are already the user's: the same names, whatever
 * the order or form the row holds them in. An absent value differs from
 * any list, an empty one included, so a row written before the field was on
 * gets it.
 */
export function sameGroups(rowValue: unknown, groups: UserGroups): boolean {
  const current = groupsOfRow(rowValue);
  if (current === undefined || current.length !== groups.length) return false;
  const wanted = normalizeGroups(groups);
  return current.every((name, index) => name === wanted[index]);
}

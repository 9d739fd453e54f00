/**
 * The request-rate quota categories of the group calls, per AWS account and
 * Region, shared with every other caller (https://docs.aws.amazon.com/cognito/latest/developerguide/quotas.html,
 * "Amazon Cognito user pools API operation categories and request rate quotas").
 * The page names each category, its purpose and its default rate (verified);
 * which category each operation belongs to is read from those purposes,
 * since the page's operation lists did not come through where it was read
 * (assumed):
 * - `AdminListGroupsForUser`: **UserResourceRead**, "retrieve user resource
 *   information … such as device or group", 50 requests/s, adjustable;
 * - `ListUsersInGroup`: **UserList**, "operations that return a list of
 *   users", 30 requests/s, not adjustable: the category of `ListUsers`, so a
 *   run that lists both shares one budget;
 * - `ListGroups`: **UserPoolResourceRead**, "retrieve a resource from a user
 *   pool, such as group", 20 requests/s, and at most 5 requests/s to one
 *   user pool for any one operation of the category.
 */
export const GROUP_CALL_QUOTAS = {
  /** Requests per second of the UserResourceRead category (AdminListGroupsForUser). */
  userResourceRead: 50,
  /** Requests per second of the UserList category (ListUsers, ListUsersInGroup). */
  userList: 30,
  /** Requests per second of one UserPoolResourceRead operation on one pool (ListGroups). */
  userPoolResourceReadPerPool: 5,
} as const;

/** Most items a group listing returns in one page, and the `Limit` the calls ask for (API reference: 0 to 60). */
export const GROUP_PAGE_LIMIT = 60;

import type { Route, Router } from 'cognito-local/lib/server/Router.js';
import { decodePageToken, encodePageToken, parseListUsersLimit } from './pagedListUsers.js';

/** The group listings cognito-local answers in one page, and what each lists. */
const GROUP_LISTINGS = {
  ListGroups: { list: 'Groups', name: 'GroupName', scope: () => 'ListGroups' },
  AdminListGroupsForUser: {
    list: 'Groups',
    name: 'GroupName',
    scope: (request: Record<string, unknown>) =>
      `AdminListGroupsForUser:${String(request.Username)}`,
  },
  ListUsersInGroup: {
    list: 'Users',
    name: 'Username',
    scope: (request: Record<string, unknown>) => `ListUsersInGroup:${String(request.GroupName)}`,
  },
} as const;

type GroupListing = keyof typeof GROUP_LISTINGS;

function compare(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/**
 * Cuts one page from a full listing, ordered by name (code unit order), as
 * Cognito pages these calls: `Limit` 0 to 60 (60 when absent or 0), an opaque
 * `NextToken` that records the last name of its page (so items added or
 * removed between calls neither shift nor repeat the others) and is valid
 * only for the same pool and the same group or user.
 *
 * @throws InvalidParameterError for a bad `Limit` or token
 */
export function pageByName<T extends Record<string, unknown>>(
  items: readonly T[],
  nameOf: (item: T) => string,
  request: {
    readonly userPoolId: string;
    readonly scope: string;
    readonly limit?: unknown;
    readonly nextToken?: unknown;
  },
): { readonly items: T[]; readonly nextToken?: string } {
  const limit = parseListUsersLimit(request.limit);
  const after =
    request.nextToken === undefined || request.nextToken === null
      ? undefined
      : decodePageToken(request.nextToken, request.userPoolId, request.scope);
  const sorted = [...items].sort((a, b) => compare(nameOf(a), nameOf(b)));
  const rest = after === undefined ? sorted : sorted.filter((item) => nameOf(item) > after);
  const page = rest.slice(0, limit);
  const last = page[page.length - 1];
  return rest.length > limit && last
    ? { items: page, nextToken: encodePageToken(request.userPoolId, request.scope, nameOf(last)) }
    : { items: page };
}

/**
 * Wraps a cognito-local router so that `ListGroups`, `AdminListGroupsForUser`
 * and `ListUsersInGroup` page as Cognito does ({@link pageByName}); cognito-local
 * itself ignores `Limit` and `NextToken` and returns everything at once, which
 * would leave the paging of the code that reads groups untested.
 */
export function pagedGroupCalls(router: Router): Router {
  return (target: string): Route => {
    const route = router(target);
    if (!(target in GROUP_LISTINGS)) return route;
    const listing = GROUP_LISTINGS[target as GroupListing];
    return async (ctx, request) => {
      const parameters = (request ?? {}) as Record<string, unknown>;
      parseListUsersLimit(parameters.Limit);
      const { Limit: _limit, NextToken: _token, ...rest } = parameters;
      const answer = (await route(ctx, rest)) as Record<string, unknown>;
      const all = (Array.isArray(answer[listing.list]) ? answer[listing.list] : []) as Record<
        string,
        unknown
      >[];
      const page = pageByName(all, (item) => String(item[listing.name] ?? ''), {
        userPoolId: String(parameters.UserPoolId),
        scope: listing.scope(parameters),
        limit: parameters.Limit,
        nextToken: parameters.NextToken,
      });
      const { NextToken: _ignored, ...others } = answer;
      return {
        ...others,
        [listing.list]: page.items,
        ...(page.nextToken ? { NextToken: page.nextToken } : {}),
      };
    };
  };
}

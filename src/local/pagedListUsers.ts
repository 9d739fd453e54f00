import { InvalidParameterError } from 'cognito-local/lib/errors.js';
import type { Route } from 'cognito-local/lib/server/Router.js';
import type { Services } from 'cognito-local/lib/services/index.js';
import { userToResponseObject } from 'cognito-local/lib/targets/responses.js';

/** Most users Cognito returns in one ListUsers page, and the default `Limit`. */
export const MAX_LIST_USERS_LIMIT = 60;

/** What a page is cut from. */
export interface PageRequest {
  /** The pool listed: a token is only valid for the pool it came from. */
  readonly userPoolId: string;
  /** The request's `Filter`: a token is only valid with the same filter. */
  readonly filter?: string | undefined;
  /** The request's `Limit`. @default 60 */
  readonly limit?: unknown;
  /** The `PaginationToken` of the previous page. @default - the first page */
  readonly paginationToken?: unknown;
}

/** One page of users, and the token of the next page when there is one. */
export interface Page<T> {
  readonly users: T[];
  readonly paginationToken?: string;
}

interface TokenContent {
  readonly v: 1;
  readonly pool: string;
  readonly filter: string;
  readonly after: string;
}

/**
 * Checks a ListUsers `Limit` as Cognito does: the API model allows 0 to 60.
 * What Cognito returns for 0 is not documented; it is taken here as "no
 * limit given" (a page of 60), which never makes a pager loop on empty pages.
 *
 * @returns the limit, 60 when absent or 0
 * @throws InvalidParameterError (`InvalidParameterException`) when it is not an integer from 0 to 60
 */
export function parseListUsersLimit(limit: unknown): number {
  if (limit === undefined || limit === null || limit === 0) return MAX_LIST_USERS_LIMIT;
  if (typeof limit !== 'number' || !Number.isInteger(limit)) {
    throw new InvalidParameterError(
      `1 validation error detected: Value '${String(limit)}' at 'limit' failed to satisfy constraint: Member must be an integer`,
    );
  }
  if (limit > MAX_LIST_USERS_LIMIT) {
    throw new InvalidParameterError(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to ${MAX_LIST_USERS_LIMIT}`,
    );
  }
  if (limit < 0) {
    throw new InvalidParameterError(
      `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 0`,
    );
  }
  return limit;
}

/** Builds the opaque token of the page that follows `lastUsername`. */
export function encodePageToken(
  userPoolId: string,
  filter: string | undefined,
  lastUsername: string,
) {
  const content: TokenContent = {
    v: 1,
    pool: userPoolId,
    filter: filter ?? '',
    after: lastUsername,
  };
  return Buffer.from(JSON.stringify(content), 'utf8').toString('base64url');
}

/**
 * Reads a token made by {@link encodePageToken}.
 *
 * @returns the username after which the page starts
 * @throws InvalidParameterError when the token is malformed or belongs to another pool or filter
 */
export function decodePageToken(token: unknown, userPoolId: string, filter: string | undefined) {
  if (typeof token !== 'string' || token === '') {
    throw new InvalidParameterError('Invalid pagination token: expected a non-empty string');
  }
  let content: Partial<TokenContent>;
  try {
    content = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Partial<TokenContent>;
  } catch {
    throw new InvalidParameterError('Invalid pagination token');
  }
  if (content?.v !== 1 || typeof content.after !== 'string') {
    throw new InvalidParameterError('Invalid pagination token');
  }
  if (content.pool !== userPoolId || content.filter !== (filter ?? '')) {
    throw new InvalidParameterError(
      'Invalid pagination token: it was issued for another user pool or filter',
    );
  }
  return content.after;
}

/**
 * Cuts one page from the users matching a request, ordered by username (code
 * unit order), so paging is deterministic. A token records the last username
 * of its page, so users added or removed between calls neither shift nor
 * repeat the others.
 *
 * @throws InvalidParameterError for a bad `Limit` or token
 */
export function pageOfUsers<T extends { readonly Username?: string | undefined }>(
  users: readonly T[],
  request: PageRequest,
): Page<T> {
  const limit = parseListUsersLimit(request.limit);
  const after =
    request.paginationToken === undefined || request.paginationToken === null
      ? undefined
      : decodePageToken(request.paginationToken, request.userPoolId, request.filter);
  const sorted = [...users].sort((a, b) => compare(a.Username ?? '', b.Username ?? ''));
  const start = after === undefined ? 0 : sorted.findIndex((user) => (user.Username ?? '') > after);
  const rest = start < 0 ? [] : sorted.slice(start);
  const page = rest.slice(0, limit);
  const last = page[page.length - 1];
  if (rest.length > limit && last) {
    return {
      users: page,
      paginationToken: encodePageToken(request.userPoolId, request.filter, last.Username ?? ''),
    };
  }
  return { users: page };
}

function compare(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/** The part of a ListUsers request the paged target reads. */
interface ListUsersRequest {
  readonly UserPoolId: string;
  readonly Filter?: string;
  readonly Limit?: number;
  readonly PaginationToken?: string;
  readonly AttributesToGet?: string[];
}

/**
 * A ListUsers target that pages as Cognito does (`Limit` 0-60, default 60,
 * opaque `PaginationToken`), keeps cognito-local's `Filter` support and
 * honours `AttributesToGet`. It replaces cognito-local's own ListUsers, which
 * returns every user at once.
 */
export function pagedListUsers(services: Pick<Services, 'cognito'>): Route {
  return async (ctx, req: ListUsersRequest) => {
    parseListUsersLimit(req.Limit);
    const userPool = await services.cognito.getUserPool(ctx, req.UserPoolId);
    const users = await userPool.listUsers(ctx, req.Filter);
    const page = pageOfUsers(users, {
      userPoolId: req.UserPoolId,
      filter: req.Filter,
      limit: req.Limit,
      paginationToken: req.PaginationToken,
    });
    const wanted = req.AttributesToGet;
    return {
      Users: page.users.map((user) => {
        const response = userToResponseObject(user);
        if (!wanted) return response;
        return {
          ...response,
          Attributes: (response.Attributes ?? []).filter((a) => wanted.includes(a.Name)),
        };
      }),
      ...(page.paginationToken ? { PaginationToken: page.paginationToken } : {}),
    };
  };
}

import { NotAuthorizedError } from 'cognito-local/lib/errors.js';
import type { Route, Router } from 'cognito-local/lib/server/Router.js';
import type { Services } from 'cognito-local/lib/services/index.js';

/** The message Cognito answers a disabled user's sign-in with (`NotAuthorizedException`). */
export const USER_DISABLED_MESSAGE = 'User is disabled.';

/** The sign-in calls cognito-local 5.3 runs without looking at `Enabled`. */
export const SIGN_IN_TARGETS = [
  'InitiateAuth',
  'AdminInitiateAuth',
  'RespondToAuthChallenge',
] as const;

/** Who a sign-in call is about, as its request names them. */
export type SignInSubject =
  | { readonly by: 'username'; readonly username: string }
  | { readonly by: 'refresh-token'; readonly refreshToken: string };

/** The part of a sign-in request read here. */
interface SignInRequest {
  readonly AuthFlow?: unknown;
  readonly AuthParameters?: Readonly<Record<string, unknown>> | null;
  readonly ChallengeResponses?: Readonly<Record<string, unknown>> | null;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Reads whom a sign-in call names: `AuthParameters.USERNAME` (password and
 * custom flows), `AuthParameters.REFRESH_TOKEN` (refresh flows), or
 * `ChallengeResponses.USERNAME` (challenge answers). Pure.
 *
 * @returns the subject, or `undefined` when the request names nobody (the
 *   emulator then answers with its own validation error)
 */
export function signInSubject(target: string, request: unknown): SignInSubject | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  const req = request as SignInRequest;
  if (target === 'RespondToAuthChallenge') {
    const username = nonEmpty(req.ChallengeResponses?.USERNAME);
    return username === undefined ? undefined : { by: 'username', username };
  }
  const flow = typeof req.AuthFlow === 'string' ? req.AuthFlow : '';
  if (flow === 'REFRESH_TOKEN_AUTH' || flow === 'REFRESH_TOKEN') {
    const refreshToken = nonEmpty(req.AuthParameters?.REFRESH_TOKEN);
    return refreshToken === undefined ? undefined : { by: 'refresh-token', refreshToken };
  }
  const username = nonEmpty(req.AuthParameters?.USERNAME);
  return username === undefined ? undefined : { by: 'username', username };
}

/**
 * Wraps a cognito-local router so that the sign-in calls (see
 * {@link SIGN_IN_TARGETS}) of a disabled user are refused before the
 * emulator runs them, as Cognito refuses them: `NotAuthorizedException`,
 * "User is disabled.". No tokens are issued and no Post Authentication
 * trigger runs. The emulator itself never checks `Enabled` in these calls.
 * Requests that name no user, or a user the pool does not know, are left to
 * the emulator, which answers them as before.
 */
export function refuseDisabledSignIns(router: Router, services: Pick<Services, 'cognito'>): Router {
  return (target: string): Route => {
    const route = router(target);
    if (!(SIGN_IN_TARGETS as readonly string[]).includes(target)) return route;
    return async (ctx, request) => {
      const subject = signInSubject(target, request);
      const poolId = (request as { UserPoolId?: unknown } | undefined)?.UserPoolId;
      const clientId = (request as { ClientId?: unknown } | undefined)?.ClientId;
      if (subject && (typeof poolId === 'string' || typeof clientId === 'string')) {
        const userPool = await (typeof poolId === 'string'
          ? services.cognito.getUserPool(ctx, poolId)
          : services.cognito.getUserPoolForClientId(ctx, clientId as string)
        ).catch(() => undefined);
        const user = !userPool
          ? null
          : subject.by === 'username'
            ? await userPool.getUserByUsername(ctx, subject.username)
            : await userPool.getUserByRefreshToken(ctx, subject.refreshToken);
        if (user && user.Enabled === false) throw new NotAuthorizedError(USER_DISABLED_MESSAGE);
      }
      return route(ctx, request);
    };
  };
}

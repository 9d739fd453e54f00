import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signInSubject } from '../../../src/local/refuseDisabledSignIns.js';

describe('Function: signInSubject', () => {
  const cases: [string, string, unknown, ReturnType<typeof signInSubject>][] = [
    [
      'a password sign-in names its USERNAME',
      'InitiateAuth',
      { AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'a@example.com' } },
      { by: 'username', username: 'a@example.com' },
    ],
    [
      'an admin sign-in names its USERNAME',
      'AdminInitiateAuth',
      { AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'u-1' } },
      { by: 'username', username: 'u-1' },
    ],
    [
      'a refresh names its token',
      'InitiateAuth',
      { AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: 'token' } },
      { by: 'refresh-token', refreshToken: 'token' },
    ],
    [
      'a challenge answer names ChallengeResponses.USERNAME',
      'RespondToAuthChallenge',
      { ChallengeName: 'NEW_PASSWORD_REQUIRED', ChallengeResponses: { USERNAME: 'u-1' } },
      { by: 'username', username: 'u-1' },
    ],
    ['a request without parameters names nobody', 'InitiateAuth', { AuthFlow: 'X' }, undefined],
    [
      'an empty username names nobody',
      'InitiateAuth',
      { AuthParameters: { USERNAME: '' } },
      undefined,
    ],
    ['a request that is no object names nobody', 'InitiateAuth', null, undefined],
  ];
  for (const [name, target, request, expected] of cases) {
    it(name, () => assert.deepEqual(signInSubject(target, request), expected));
  }
});

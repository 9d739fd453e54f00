import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { triggeredUserState } from '../../../src/domain/triggerEvent.js';

describe('Function: triggeredUserState', () => {
  const user = (userAttributes: Record<string, string>) => ({
    triggerSource: 'PostAuthentication_Authentication',
    userName: 'u',
    userPoolId: 'p',
    userAttributes,
  });

  it('reads the status from cognito:user_status and marks the user enabled, without a version', () => {
    const state = triggeredUserState(
      user({ sub: 's', 'cognito:user_status': 'EXTERNAL_PROVIDER' }),
    );
    assert.deepEqual(state, {
      username: 'u',
      userPoolId: 'p',
      attributes: { sub: 's', 'cognito:user_status': 'EXTERNAL_PROVIDER' },
      enabled: true,
      status: 'EXTERNAL_PROVIDER',
      lastModifiedAt: undefined,
    });
  });

  it('takes CONFIRMED when the event carries no cognito:user_status', () => {
    assert.equal(triggeredUserState(user({ sub: 's' })).status, 'CONFIRMED');
  });
});

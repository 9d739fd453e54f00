import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Route } from 'cognito-local/lib/server/Router.js';
import {
  type CloudTrailApiCallEvent,
  emitChangeSignals,
} from '../../../src/local/changeSignals.js';

const ctx = {} as Parameters<Route>[0];

describe('Function: emitChangeSignals', () => {
  it('emits the event of a successful change call after the call has answered', async () => {
    const order: string[] = [];
    const emitted: CloudTrailApiCallEvent[] = [];
    const router = emitChangeSignals(
      () => async () => {
        order.push('call');
        return { ok: true };
      },
      (event) => {
        order.push('emit');
        emitted.push(event);
      },
      { region: 'eu-west-1' },
    );
    const response = await router('AdminDisableUser')(ctx, {
      UserPoolId: 'eu-west-1_P',
      Username: 'jane',
    });
    assert.deepEqual(response, { ok: true });
    assert.deepEqual(order, ['call', 'emit']);
    assert.equal(emitted[0]?.detail.eventName, 'AdminDisableUser');
    assert.equal(emitted[0]?.region, 'eu-west-1');
    assert.deepEqual(emitted[0]?.detail.requestParameters, {
      userPoolId: 'eu-west-1_P',
      username: 'jane',
    });
  });

  it('emits nothing when the call fails, and passes the error on', async () => {
    const emitted: unknown[] = [];
    const router = emitChangeSignals(
      () => async () => {
        throw new Error('UserNotFoundException');
      },
      (event) => emitted.push(event),
      { region: 'us-east-1' },
    );
    await assert.rejects(() => router('AdminDeleteUser')(ctx, { Username: 'x' }), {
      message: 'UserNotFoundException',
    });
    assert.deepEqual(emitted, []);
  });

  it('leaves other calls untouched', async () => {
    const stock: Route = async () => ({ Users: [] });
    const router = emitChangeSignals(
      () => stock,
      () => assert.fail('nothing to emit'),
      { region: 'us-east-1' },
    );
    assert.equal(router('ListUsers'), stock);
  });
});

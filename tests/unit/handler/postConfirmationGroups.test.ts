import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { HandlerConfig } from '../../../src/domain/config.js';
import { resolveRowMapping } from '../../../src/domain/rowMapping/validate.js';
import {
  createPostConfirmationHandler,
  type UserGroupsReader,
} from '../../../src/sync/handler/postConfirmation.js';
import { expectedSignUpRow, signUpEvent } from '../../helpers/fixtures.js';
import { captureLogs } from '../../helpers/logs.js';

const AT = '2026-11-28T10:00:00.000Z';

/** A table that accepts every put, recording the items. */
function recordingTable() {
  const items: Record<string, unknown>[] = [];
  const client = {
    send: async (command: { input: { Item?: Record<string, unknown> } }) => {
      if (command.input.Item) {
        const item = command.input.Item;
        // The document client marshalls; a raw client gets the plain item here.
        items.push(
          Object.values(item).some((v) => v && typeof v === 'object' && 'S' in v)
            ? unmarshall(item as never)
            : item,
        );
      }
      return {};
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, items };
}

function handlerWith(groups: 'on' | 'off', readGroups: UserGroupsReader, deadlineMs?: number) {
  const config: HandlerConfig = {
    tableName: 'users',
    keyAttribute: 'username',
    logLevel: 'debug',
    onWriteFailure: 'reject',
    ...(groups === 'on'
      ? { rowMapping: resolveRowMapping({ fields: { groups: 'memberOf' } }) }
      : {}),
  };
  const table = recordingTable();
  const logs = captureLogs();
  const handler = createPostConfirmationHandler({
    config,
    client: table.client,
    logger: logs.logger,
    now: () => new Date(AT),
    readGroups,
    ...(deadlineMs ? { deadlineMs } : {}),
  });
  return { handler, table, logs };
}

describe('Post Confirmation trigger: the groups the user already has', () => {
  it('reads them and writes them with the row when the field is on', async () => {
    const asked: string[] = [];
    const { handler, table } = handlerWith('on', async (pool, username) => {
      asked.push(`${pool} ${username}`);
      return ['admins', 'editors'];
    });
    const event = signUpEvent();
    assert.equal(await handler(event), event);
    assert.deepEqual(asked, [`${event.userPoolId} ${event.userName}`]);
    assert.deepEqual(table.items, [{ ...expectedSignUpRow(AT), memberOf: ['admins', 'editors'] }]);
  });

  it('writes an empty list for a user in no group', async () => {
    const { handler, table } = handlerWith('on', async () => []);
    await handler(signUpEvent());
    assert.deepEqual(table.items[0]?.memberOf, []);
  });

  it('never reads them when the field is off: the row is today’s', async () => {
    const { handler, table } = handlerWith('off', async () => assert.fail('no groups read'));
    await handler(signUpEvent());
    assert.deepEqual(table.items, [expectedSignUpRow(AT)]);
  });

  it('writes the row without them when the read fails, and says so (fail-open)', async () => {
    const { handler, table, logs } = handlerWith('on', async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'TooManyRequestsException' });
    });
    await handler(signUpEvent());
    assert.deepEqual(table.items, [expectedSignUpRow(AT)]);
    const warning = logs.records().find((r) => r.message === 'post confirmation groups unread');
    assert.equal(warning?.level, 'warn');
    assert.match(String(warning?.error), /Rate exceeded/);
    assert.equal(logs.records().at(-1)?.outcome, 'created');
  });

  it('gives up the read at its share of the deadline and still writes the row in time', async () => {
    let aborted = false;
    const { handler, table, logs } = handlerWith(
      'on',
      (_pool, _user, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(Object.assign(new Error('aborted'), { name: 'AbortError' }));
          });
        }),
      500,
    );
    const started = performance.now();
    await handler(signUpEvent());
    assert.ok(performance.now() - started < 500);
    assert.equal(aborted, true);
    assert.deepEqual(table.items, [expectedSignUpRow(AT)]);
    assert.ok(logs.records().some((r) => r.message === 'post confirmation groups unread'));
  });
});

import {
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDynamoDocumentClient } from '../src/aws/store/dynamoClient.js';
import { LOCAL_CREDENTIALS } from '../src/local/startLocalStack.js';
import { startBenchStack } from './benchStack.js';
import { percentile, type Summary, summarize } from './stats.js';

/** Time from a Cognito call's answer to the row showing its effect, per kind of change. */
export interface ChangeLatency {
  /** Users changed, each once per kind. */
  readonly users: number;
  /** `AdminUpdateUserAttributes` → the row's `attributes` holds the new value. */
  readonly update: Summary & { readonly p95: number };
  /** `AdminDisableUser` → the row says `enabled: false`. */
  readonly disable: Summary & { readonly p95: number };
  /** `AdminDeleteUser` → the row has `deletedAt`. */
  readonly delete: Summary & { readonly p95: number };
}

/** How often the row is read while waiting, in milliseconds: the figures' resolution. */
const POLL_MS = 5;
/** A change that has not reached the row after this long fails the run. */
const GIVE_UP_MS = 10_000;

/**
 * Measures the lifecycle sync's change latency on the local stack (in
 * process, in memory, free ports): for each of `users` users made with
 * AdminCreateUser, times an attribute update, a disable and a deletion from
 * the moment the Cognito API answered to the moment the row reflects it,
 * reading the row every 5 ms. Changes go one at a time, so each figure is
 * one change's latency, not a queue's.
 *
 * @throws Error when a change has not reached the row within 10 s
 */
export async function measureChangeLatency(options: {
  readonly users: number;
  readonly log: (line: string) => void;
}): Promise<ChangeLatency> {
  const { stack, cognito, close } = await startBenchStack();
  const dynamo = createDynamoDocumentClient({
    endpoint: stack.dynamodbEndpoint,
    region: stack.region,
    credentials: LOCAL_CREDENTIALS,
  });
  const readRow = async (username: string) =>
    (
      await dynamo.send(
        new GetCommand({
          TableName: stack.tableName,
          Key: { username },
          ConsistentRead: true,
        }),
      )
    ).Item;
  const waitFor = async (
    username: string,
    what: string,
    reached: (row: Record<string, unknown> | undefined) => boolean,
    since: number,
  ): Promise<number> => {
    for (;;) {
      if (reached(await readRow(username))) return performance.now() - since;
      if (performance.now() - since > GIVE_UP_MS) {
        throw new Error(
          `${what} of user ${username} did not reach the row within ${GIVE_UP_MS} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };

  const update: number[] = [];
  const disable: number[] = [];
  const remove: number[] = [];
  try {
    for (let i = 0; i < options.users; i++) {
      const email = `change-${i}-${Date.now()}@example.com`;
      await cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: stack.userPoolId,
          Username: email,
          MessageAction: 'SUPPRESS',
          UserAttributes: [{ Name: 'email', Value: email }],
        }),
      );
      const { Username: username } = await cognito.send(
        new AdminGetUserCommand({ UserPoolId: stack.userPoolId, Username: email }),
      );
      if (!username) throw new Error(`AdminGetUser returned no username for user ${i}`);
      await waitFor(username, 'the creation', (row) => row !== undefined, performance.now());

      const name = `Name ${i}`;
      await cognito.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: stack.userPoolId,
          Username: username,
          UserAttributes: [{ Name: 'given_name', Value: name }],
        }),
      );
      let since = performance.now();
      update.push(
        await waitFor(
          username,
          'the attribute update',
          (row) => (row?.attributes as Record<string, string> | undefined)?.given_name === name,
          since,
        ),
      );

      await cognito.send(
        new AdminDisableUserCommand({ UserPoolId: stack.userPoolId, Username: username }),
      );
      since = performance.now();
      disable.push(await waitFor(username, 'the disable', (row) => row?.enabled === false, since));

      await cognito.send(
        new AdminDeleteUserCommand({ UserPoolId: stack.userPoolId, Username: username }),
      );
      since = performance.now();
      remove.push(
        await waitFor(username, 'the deletion', (row) => row?.deletedAt !== undefined, since),
      );
    }
  } finally {
    dynamo.destroy();
    await close();
  }
  options.log(
    `change latency: ${options.users} users, update p95 ${Math.round(p95(update))} ms, delete p95 ${Math.round(p95(remove))} ms`,
  );
  return {
    users: options.users,
    update: { ...summarize(update), p95: p95(update) },
    disable: { ...summarize(disable), p95: p95(disable) },
    delete: { ...summarize(remove), p95: p95(remove) },
  };
}

function p95(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    95,
  );
}

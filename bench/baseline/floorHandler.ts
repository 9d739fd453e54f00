// The warm benchmark's floor: the least a Post Confirmation trigger that writes
// our row must do. A stock SDK client (the document client over a default
// DynamoDBClient, as every tutorial builds it), the very row our trigger writes
// (`toUserRow`), a conditional put that never overwrites, and one JSON log line.
// No validation, no deadline, no retries, no metrics. Bundled with the same
// esbuild settings as the deployable bundle (`lambdaBundleOptions`).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { toUserRow } from '../../src/domain/userRow.js';

const table = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true },
});
const tableName = process.env.TABLE_NAME;
const keyAttribute = process.env.KEY_ATTRIBUTE ?? 'username';

/** The floor's handler. */
export const handler = async (event: PostConfirmationTriggerEvent) => {
  const started = performance.now();
  const attributes = event.request.userAttributes;
  await table.send(
    new PutCommand({
      TableName: tableName,
      Item: toUserRow(
        {
          userName: event.userName,
          userPoolId: event.userPoolId,
          userAttributes: attributes,
          source: event.triggerSource,
          now: new Date(),
        },
        { keyAttribute },
      ),
      ConditionExpression: 'attribute_not_exists(#key)',
      ExpressionAttributeNames: { '#key': keyAttribute },
    }),
  );
  process.stdout.write(
    `${JSON.stringify({
      level: 'info',
      message: 'post confirmation handled',
      timestamp: new Date().toISOString(),
      service: 'cognito-user-sync',
      sub: attributes.sub,
      username: event.userName,
      userPoolId: event.userPoolId,
      triggerSource: event.triggerSource,
      outcome: 'created',
      retries: 0,
      durationMs: Math.round(performance.now() - started),
    })}\n`,
  );
  return event;
};

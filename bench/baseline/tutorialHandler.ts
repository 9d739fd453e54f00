// The well-known Post Confirmation recipe, ported line for line from its Python
// original to TypeScript, as the benchmarks' baseline:
//
//   dynamodb = boto3.resource('dynamodb')
//   table = dynamodb.Table('users')
//   def lambda_handler(event, context):
//       table.put_item(Item={'username': event['userName'],
//                            'useremail': event['request']['userAttributes']['email']})
//       return event
//
// Only the table name comes from TABLE_NAME instead of a literal, so that it runs
// against the benchmark's table. No validation, no condition, no timeouts, no logs.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

const table = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** The tutorial's handler. */
export const handler = async (event: {
  userName: string;
  request: { userAttributes: Record<string, string> };
}) => {
  await table.send(
    new PutCommand({
      TableName: process.env.TABLE_NAME,
      Item: { username: event.userName, useremail: event.request.userAttributes.email },
    }),
  );
  return event;
};

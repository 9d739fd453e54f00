import {
  type CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { toUserRow } from '../../src/domain/userRow.js';

/**
 * The naive repair loop the reconcile command is measured against: ListUsers
 * page by page, and for each user one PutItem, one at a time. Same mapping as
 * reconcile, no table scan, no concurrency, no pacing.
 *
 * @returns how many rows it wrote
 */
export async function naiveReconcile(options: {
  cognito: Pick<CognitoIdentityProviderClient, 'send'>;
  dynamo: DynamoDBDocumentClient;
  userPoolId: string;
  tableName: string;
}): Promise<number> {
  let written = 0;
  let token: string | undefined;
  do {
    const page = await options.cognito.send(
      new ListUsersCommand({
        UserPoolId: options.userPoolId,
        ...(token ? { PaginationToken: token } : {}),
      }),
    );
    for (const user of page.Users ?? []) {
      const userAttributes = Object.fromEntries(
        (user.Attributes ?? []).map((attribute) => [attribute.Name ?? '', attribute.Value ?? '']),
      );
      await options.dynamo.send(
        new PutCommand({
          TableName: options.tableName,
          Item: toUserRow(
            {
              userName: user.Username ?? '',
              userPoolId: options.userPoolId,
              userAttributes,
              source: 'naive',
              now: new Date(),
            },
            { keyAttribute: 'username' },
          ),
        }),
      );
      written++;
    }
    token = page.PaginationToken;
  } while (token);
  return written;
}

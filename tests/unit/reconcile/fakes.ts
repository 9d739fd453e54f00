// In-memory stand-ins for the Cognito and DynamoDB clients, for unit tests
// (no network). They understand exactly the calls reconcile makes.
import type { UserType } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/** An SDK-shaped error with a name. */
export function sdkError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** A listed Cognito user. */
export function cognitoUser(
  userName: string,
  status = 'CONFIRMED',
  attributes: Record<string, string> = {},
): UserType {
  return {
    Username: userName,
    UserStatus: status as UserType['UserStatus'],
    Enabled: true,
    Attributes: Object.entries({
      sub: `sub-${userName}`,
      email: `${userName}@example.com`,
      ...attributes,
    }).map(([Name, Value]) => ({ Name, Value })),
  };
}

/** A fake Cognito client serving ListUsers in pages of at most 60. */
export class FakeCognito {
  readonly calls: { PaginationToken?: string; Limit?: number }[] = [];
  /** Errors thrown by the next calls, in order. */
  readonly failures: Error[] = [];

  constructor(readonly users: UserType[]) {}

  async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
    if (command.constructor.name !== 'ListUsersCommand')
      throw new Error(`unexpected ${command.constructor.name}`);
    const input = command.input as { PaginationToken?: string; Limit?: number };
    this.calls.push({ ...input });
    const failure = this.failures.shift();
    if (failure) throw failure;
    const limit = Math.min(input.Limit ?? 60, 60);
    const start = input.PaginationToken ? Number(input.PaginationToken.slice(5)) : 0;
    const page = this.users.slice(start, start + limit);
    const next = start + limit < this.users.length ? `page-${start + limit}` : undefined;
    return { Users: page, ...(next ? { PaginationToken: next } : {}) };
  }
}

type Item = Record<string, unknown>;

/** A fake DynamoDB document client over one hash-key table. */
export class FakeTable {
  readonly rows = new Map<string, Item>();
  readonly calls: string[] = [];
  /** Errors thrown by the next write calls (Put/Update/Delete), in order. */
  readonly writeFailures: Error[] = [];
  /** Errors thrown by the next Scan calls, in order. */
  readonly scanFailures: Error[] = [];
  /** Items per Scan page. */
  pageSize = 25;
  /** Runs before each write is applied (to race a write, or to measure concurrency). */
  beforeWrite: (name: string, key: string) => Promise<void> | void = () => {};
  inFlight = 0;
  maxInFlight = 0;

  constructor(readonly keyAttribute = 'username') {}

  put(item: Item): void {
    this.rows.set(String(item[this.keyAttribute]), { ...item });
  }

  /** The fake as the document client type reconcile expects. */
  get client(): DynamoDBDocumentClient {
    return this as unknown as DynamoDBDocumentClient;
  }

  async send(command: { constructor: { name: string }; input: Record<string, unknown> }) {
    // Creates are low-level PutItem calls (attribute-value items): read them as a document put.
    const lowLevelPut = command.constructor.name === 'PutItemCommand';
    const name = lowLevelPut ? 'PutCommand' : command.constructor.name;
    this.calls.push(name);
    const input = lowLevelPut
      ? {
          ...command.input,
          Item: unmarshall(command.input.Item as Parameters<typeof unmarshall>[0]),
        }
      : command.input;
    if (name === 'ScanCommand') return this.scan(input);
    const key =
      name === 'PutCommand'
        ? String((input.Item as Item)[this.keyAttribute])
        : String((input.Key as Item)[this.keyAttribute]);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await this.beforeWrite(name, key);
      const failure = this.writeFailures.shift();
      if (failure) throw failure;
      const existing = this.rows.get(key);
      if (name === 'PutCommand') {
        if (existing) throw sdkError('ConditionalCheckFailedException');
        this.rows.set(key, { ...(input.Item as Item) });
        return {};
      }
      if (name === 'UpdateCommand') {
        if (!existing || existing.deletedAt !== undefined) {
          throw sdkError('ConditionalCheckFailedException');
        }
        existing.deletedAt = (input.ExpressionAttributeValues as Item)[':deletedAt'];
        return {};
      }
      if (name === 'DeleteCommand') {
        if (!existing) throw sdkError('ConditionalCheckFailedException');
        this.rows.delete(key);
        return {};
      }
      throw new Error(`unexpected ${name}`);
    } finally {
      this.inFlight--;
    }
  }

  private scan(input: Record<string, unknown>) {
    const failure = this.scanFailures.shift();
    if (failure) throw failure;
    const segment = input.Segment as number;
    const total = input.TotalSegments as number;
    const all = [...this.rows.keys()].sort().filter((_, index) => index % total === segment);
    const start = input.ExclusiveStartKey
      ? all.indexOf(String((input.ExclusiveStartKey as Item)[this.keyAttribute])) + 1
      : 0;
    const page = all.slice(start, start + this.pageSize);
    const items = page.map((key) => {
      const row = this.rows.get(key) as Item;
      const projected: Item = { [this.keyAttribute]: key };
      if (row.deletedAt !== undefined) projected.deletedAt = row.deletedAt;
      if (row.createdAt !== undefined) projected.createdAt = row.createdAt;
      return projected;
    });
    const last = start + this.pageSize < all.length ? page[page.length - 1] : undefined;
    return {
      Items: items,
      ...(last ? { LastEvaluatedKey: { [this.keyAttribute]: last } } : {}),
    };
  }
}

/** A retry setting that never waits. */
export const NO_WAIT = { sleep: async () => {}, random: () => 0 } as const;

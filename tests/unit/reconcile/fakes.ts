// In-memory stand-ins for the Cognito and DynamoDB clients, for unit tests
// (no network). They understand exactly the calls reconcile makes.
import { createHash } from 'node:crypto';
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
      sub: subOf(userName),
      email: `${userName}@example.com`,
      ...attributes,
    }).map(([Name, Value]) => ({ Name, Value })),
  };
}

/** A user's `sub` in these fakes: a UUID-shaped hex string derived from the username. */
export function subOf(userName: string): string {
  const hex = createHash('sha256').update(userName).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A fake Cognito client serving ListUsers in pages of at most 60, with the
 * `sub ^= "<prefix>"` filter reconcile's shards use.
 */
export class FakeCognito {
  readonly calls: { PaginationToken?: string; Limit?: number; Filter?: string }[] = [];
  /** Errors thrown by the next calls, in order. */
  readonly failures: Error[] = [];
  /** Usernames asked for with AdminGetUser, in order. */
  readonly lookups: string[] = [];

  constructor(readonly users: UserType[]) {}

  async send(command: { constructor: { name: string }; input: Record<string, unknown> }): Promise<{
    Users?: UserType[];
    PaginationToken?: string;
    Username?: string;
    UserAttributes?: UserType['Attributes'];
  }> {
    if (command.constructor.name === 'AdminGetUserCommand') {
      const username = String(command.input.Username);
      this.lookups.push(username);
      const user = this.users.find((candidate) => candidate.Username === username);
      if (!user) throw sdkError('UserNotFoundException', 'User does not exist.');
      return { Username: user.Username, UserAttributes: user.Attributes };
    }
    if (command.constructor.name !== 'ListUsersCommand')
      throw new Error(`unexpected ${command.constructor.name}`);
    const input = command.input as { PaginationToken?: string; Limit?: number; Filter?: string };
    this.calls.push({ ...input });
    const failure = this.failures.shift();
    if (failure) throw failure;
    const users = this.filtered(input.Filter);
    const limit = Math.min(input.Limit ?? 60, 60);
    const start = input.PaginationToken ? Number(input.PaginationToken.slice(5)) : 0;
    const page = users.slice(start, start + limit);
    const next = start + limit < users.length ? `page-${start + limit}` : undefined;
    return { Users: page, ...(next ? { PaginationToken: next } : {}) };
  }

  private filtered(filter: string | undefined): UserType[] {
    if (filter === undefined || filter === '') return this.users;
    const match = /^sub \^= "([0-9a-f]*)"$/.exec(filter);
    if (!match) throw sdkError('InvalidParameterException', `unsupported filter ${filter}`);
    const prefix = match[1] ?? '';
    return this.users.filter((user) =>
      (user.Attributes ?? []).some((a) => a.Name === 'sub' && a.Value?.startsWith(prefix)),
    );
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
  /** Errors thrown by the next DescribeTable calls, in order. */
  readonly describeFailures: Error[] = [];
  /** Errors thrown by the next BatchGetItem calls, in order. */
  readonly readFailures: Error[] = [];
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
    // The key-schema check before a run: answered, not recorded with the reads and writes.
    if (name === 'DescribeTableCommand') {
      const failure = this.describeFailures.shift();
      if (failure) throw failure;
      return {
        Table: {
          KeySchema: [{ AttributeName: this.keyAttribute, KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: this.keyAttribute, AttributeType: 'S' }],
        },
      };
    }
    this.calls.push(name);
    const input = lowLevelPut
      ? {
          ...command.input,
          Item: unmarshall(command.input.Item as Parameters<typeof unmarshall>[0]),
        }
      : command.input;
    if (name === 'ScanCommand') return this.scan(input);
    if (name === 'BatchGetCommand') return this.batchGet(input);
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

  private batchGet(input: Record<string, unknown>) {
    const failure = this.readFailures.shift();
    if (failure) throw failure;
    const responses: Record<string, Item[]> = {};
    for (const [table, request] of Object.entries(input.RequestItems as Record<string, Item>)) {
      responses[table] = ((request.Keys as Item[]) ?? []).flatMap((key) => {
        const row = this.rows.get(String(key[this.keyAttribute]));
        return row ? [{ ...row }] : [];
      });
    }
    return { Responses: responses, UnprocessedKeys: {} };
  }

  private scan(input: Record<string, unknown>) {
    const failure = this.scanFailures.shift();
    if (failure) throw failure;
    const segment = input.Segment as number;
    const total = input.TotalSegments as number;
    // A row's segment depends on its key only, as in DynamoDB (by hash).
    const all = [...this.rows.keys()]
      .filter((key) => createHash('md5').update(key).digest().readUInt32BE(0) % total === segment)
      .sort();
    const after = input.ExclusiveStartKey
      ? String((input.ExclusiveStartKey as Item)[this.keyAttribute])
      : undefined;
    const start = after === undefined ? 0 : all.filter((key) => key <= after).length;
    const page = all.slice(start, start + this.pageSize);
    // The attributes the projection names (its placeholders' values), as DynamoDB returns them.
    const names = Object.values((input.ExpressionAttributeNames ?? {}) as Record<string, string>);
    const items = page.map((key) => {
      const row = this.rows.get(key) as Item;
      const projected: Item = { [this.keyAttribute]: key };
      for (const name of names) if (row[name] !== undefined) projected[name] = row[name];
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

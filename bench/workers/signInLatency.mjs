// Runs in a fresh Node process: the latency a sign-in pays for its refresh.
// Imports the Post Authentication bundle as Lambda would, and times, call by
// call and interleaved (the order rotating), for COUNT users who each have a
// row already (as after sign-up):
// - ours: the bundle's handler on a sign-in event of the user;
// - bare: a bare UpdateItem of the same item (SET lastSignInAt, no condition,
//   nothing returned) on a stock client: one round trip, the floor;
// - getThenUpdate: a GetItem then that UpdateItem on the stock client: the
//   two round trips a sign-in used to pay.
// Prints the durations (ms) as JSON on stderr. argv: <bundle path>; env:
// COUNT, WARM_UP, PREFIX, EVENT (a template sign-in event), TABLE_NAME,
// AWS_ENDPOINT_URL_DYNAMODB, region and credentials.
import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';

const { handler } = await import(process.argv[2]);
const count = Number(process.env.COUNT ?? '500');
const warmUp = Number(process.env.WARM_UP ?? '20');
const prefix = process.env.PREFIX ?? `signin-${process.pid}`;
const tableName = process.env.TABLE_NAME;
const template = JSON.parse(process.env.EVENT);
const client = new DynamoDBClient({});
const context = { getRemainingTimeInMillis: () => 5000 };

const keyOf = (i) => `${prefix}-${i}`;
const eventFor = (id) => ({
  ...template,
  userName: id,
  request: {
    userAttributes: { ...template.request.userAttributes, sub: id, email: `${id}@example.com` },
  },
});
const bareUpdate = (id) =>
  new UpdateItemCommand({
    TableName: tableName,
    Key: { username: { S: id } },
    UpdateExpression: 'SET #at = :at',
    ExpressionAttributeNames: { '#at': 'lastSignInAt' },
    ExpressionAttributeValues: { ':at': { S: new Date().toISOString() } },
  });
const variants = {
  ours: (id) => {
    const event = eventFor(id);
    return () => handler(event, context);
  },
  bare: (id) => {
    const command = bareUpdate(id);
    return () => client.send(command);
  },
  getThenUpdate: (id) => {
    const get = new GetItemCommand({
      TableName: tableName,
      Key: { username: { S: id } },
      ConsistentRead: true,
    });
    const update = bareUpdate(id);
    return async () => {
      await client.send(get);
      await client.send(update);
    };
  },
};
const names = Object.keys(variants);
// Every user has a row, as after sign-up (untimed): the common sign-in.
for (let i = -warmUp; i < count; i++) {
  for (const name of names) {
    const id = keyOf(`${name}-${i}`);
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: {
          username: { S: id },
          sub: { S: id },
          userPoolId: { S: template.userPoolId },
          source: { S: 'PostConfirmation_ConfirmSignUp' },
          createdAt: { S: '2026-01-01T00:00:00.000Z' },
        },
      }),
    );
  }
}
const samples = Object.fromEntries(names.map((name) => [name, []]));
for (let i = -warmUp; i < count; i++) {
  for (let k = 0; k < names.length; k++) {
    const name = names[(i + warmUp + k) % names.length];
    const timed = variants[name](keyOf(`${name}-${i}`));
    const started = performance.now();
    await timed();
    if (i >= 0) samples[name].push(performance.now() - started);
  }
}
// Untimed check: every sign-in of ours was recorded.
let recorded = 0;
for (let i = 0; i < count; i++) {
  const { Item } = await client.send(
    new GetItemCommand({ TableName: tableName, Key: { username: { S: keyOf(`ours-${i}`) } } }),
  );
  if (Item?.lastSignInAt?.S) recorded++;
}
client.destroy();
process.stderr.write(`${JSON.stringify({ ...samples, recorded })}\n`);

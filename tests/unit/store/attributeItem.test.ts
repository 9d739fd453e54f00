import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { toAttributeItem } from '../../../src/aws/store/attributeItem.js';

/** A client whose requests never leave the process: it keeps each body and answers `{}`. */
function recordingClient(bodies: string[]): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: 'http://127.0.0.1:9',
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    requestHandler: {
      handle: async (request: { body?: unknown }) => {
        bodies.push(
          typeof request.body === 'string'
            ? request.body
            : new TextDecoder().decode(request.body as Uint8Array),
        );
        return {
          response: {
            statusCode: 200,
            headers: { 'content-type': 'application/x-amz-json-1.0' },
            body: Readable.from([Buffer.from('{}')]),
          },
        };
      },
    },
  } as NonNullable<ConstructorParameters<typeof DynamoDBClient>[0]>);
}

describe('Function: toAttributeItem', () => {
  it('converts every value type, leaves undefined out, and names the field of an unsupported one', () => {
    assert.deepEqual(
      toAttributeItem({ s: 'a', n: 1.5, b: false, z: null, m: { x: 'y' }, u: undefined }),
      {
        s: { S: 'a' },
        n: { N: '1.5' },
        b: { BOOL: false },
        z: { NULL: true },
        m: { M: { x: { S: 'y' } } },
      },
    );
    // Lists (the groups column) are written as DynamoDB lists, an empty one included.
    assert.deepEqual(toAttributeItem({ g: ['a', 'b'], e: [] }), {
      g: { L: [{ S: 'a' }, { S: 'b' }] },
      e: { L: [] },
    });
    assert.throws(() => toAttributeItem({ m: { list: [() => 1] } }), {
      name: 'TypeError',
      message: 'field "m.list[0]" of the row has an unsupported type (function)',
    });
    assert.throws(() => toAttributeItem({ n: Number.NaN }), /field "n" of the row/);
  });

  it('is sent by the SDK exactly, names such as __proto__ and constructor included', async () => {
    // As JSON.parse makes them (and as Lambda hands events over): own properties.
    const row = JSON.parse(
      '{"username":"u-1","__proto__":"top","constructor":"c","attributes":{"__proto__":"nested","toString":"t"}}',
    ) as Record<string, unknown>;
    const bodies: string[] = [];
    const client = recordingClient(bodies);
    await client.send(new PutItemCommand({ TableName: 'users', Item: toAttributeItem(row) }));
    client.destroy();
    assert.equal(bodies.length, 1);
    assert.equal(
      bodies[0],
      JSON.stringify({
        TableName: 'users',
        Item: JSON.parse(
          '{"username":{"S":"u-1"},"__proto__":{"S":"top"},"constructor":{"S":"c"},"attributes":{"M":{"__proto__":{"S":"nested"},"toString":{"S":"t"}}}}',
        ),
      }),
    );
  });
});

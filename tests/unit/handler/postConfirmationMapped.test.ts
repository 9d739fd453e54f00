import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { HandlerConfig } from '../../../src/domain/config.js';
import { createPostConfirmationHandler } from '../../../src/sync/handler/postConfirmation.js';
import { expectedSignUpRow, signUpEvent } from '../../helpers/fixtures.js';
import { captureLogs } from '../../helpers/logs.js';
import {
  EXAMPLE_NAMES,
  type ExampleMapping,
  exampleMapping,
  exampleRow,
} from '../../helpers/rowMappings.js';

const AT = '2026-11-28T10:00:00.000Z';
const SUB = '5b6c2f1e-8a4d-4c1b-9e7f-0a1b2c3d4e5f';

type Input = Record<string, unknown>;

function conditionFailed(): Error {
  return Object.assign(new Error('The conditional request failed'), {
    name: 'ConditionalCheckFailedException',
  });
}

/** A client answering each call in turn (the last answer repeats), recording the inputs. */
function scripted(answers: (() => Promise<unknown>)[]) {
  const calls: Input[] = [];
  const client = {
    send: (command: { input: Input }) => {
      const answer = answers[Math.min(calls.length, answers.length - 1)] as () => Promise<unknown>;
      calls.push(command.input);
      return answer();
    },
  } as unknown as DynamoDBDocumentClient;
  return { client, calls };
}

function handlerFor(name: ExampleMapping, client: DynamoDBDocumentClient) {
  const config: HandlerConfig = {
    tableName: 'users',
    keyAttribute: 'username',
    logLevel: 'debug',
    onWriteFailure: 'reject',
    rowMapping: exampleMapping(name),
  };
  const logs = captureLogs();
  const handler = createPostConfirmationHandler({
    config,
    client,
    logger: logs.logger,
    now: () => new Date(AT),
  });
  return { handler, logs };
}

/** The row each example mapping gives the sign-up fixture's user, from today's. */
function signUpRow(name: ExampleMapping): Record<string, unknown> {
  const { username, email, attributes, ...rest } = expectedSignUpRow(AT) as {
    username: string;
    email: string;
    attributes: Record<string, string>;
    sub: string;
  };
  return exampleRow(name, { username, email, attributes, ...rest });
}

const names = (input: Input) => Object.values(input.ExpressionAttributeNames as object);

describe('Function: createPostConfirmationHandler, under each example row mapping', () => {
  for (const name of EXAMPLE_NAMES) {
    it(`${name}: writes exactly the mapped row at the mapped key, if absent`, async () => {
      const { client, calls } = scripted([async () => ({})]);
      const { handler, logs } = handlerFor(name, client);
      await handler(signUpEvent());
      assert.equal(calls.length, 1);
      const { Item, ...rest } = calls[0] as { Item: Parameters<typeof unmarshall>[0] };
      assert.deepEqual(unmarshall(Item), signUpRow(name));
      const partitionKey = exampleMapping(name).key.attribute;
      assert.deepEqual(rest, {
        TableName: 'users',
        ConditionExpression: 'attribute_not_exists(#key)',
        ExpressionAttributeNames: { '#key': partitionKey },
      });
      assert.equal(logs.records()[0]?.outcome, 'created');
    });
  }

  it('bySub: writes the attribute columns only for attributes the user has', async () => {
    const { client, calls } = scripted([async () => ({})]);
    const { handler } = handlerFor('bySub', client);
    await handler(
      signUpEvent((event) => {
        delete event.request.userAttributes['custom:plan'];
      }),
    );
    const item = unmarshall((calls[0] as { Item: Parameters<typeof unmarshall>[0] }).Item);
    assert.equal(item.firstName, 'Jane');
    assert.equal('plan' in item, false);
    assert.equal('attributes' in item, false);
    assert.equal(item.userId, SUB);
  });

  for (const name of EXAMPLE_NAMES) {
    it(`${name}: adopts a row without sub at the key with one conditional update`, async () => {
      const { client, calls } = scripted([
        async () => {
          throw conditionFailed();
        },
        async () => ({}),
      ]);
      const { handler, logs } = handlerFor(name, client);
      await handler(signUpEvent());
      assert.equal(calls.length, 2);
      assert.equal(logs.records()[0]?.outcome, 'adopted');
      const update = calls[1] as Input & {
        Key: Parameters<typeof unmarshall>[0];
        ExpressionAttributeValues: Parameters<typeof unmarshall>[0];
      };
      const row = signUpRow(name);
      const mapping = exampleMapping(name);
      const keyAttributes = [mapping.key.attribute, mapping.sortKey?.attribute].filter(
        (attribute) => attribute !== undefined,
      );
      assert.deepEqual(
        unmarshall(update.Key),
        Object.fromEntries(keyAttributes.map((attribute) => [attribute, row[attribute]])),
      );
      assert.equal(
        update.ConditionExpression,
        'attribute_exists(#key) AND attribute_not_exists(#sub) AND (attribute_not_exists(#version) OR #version <= :version)',
      );
      // Every managed column of the row is SET, the key never; nothing else is named.
      const written = names(update);
      const expectedColumns = Object.keys(row).filter((column) => !keyAttributes.includes(column));
      for (const column of expectedColumns) assert.ok(written.includes(column), column);
      for (const column of keyAttributes) {
        assert.ok(!String(update.UpdateExpression).includes(`${column} =`), 'the key is never SET');
      }
      assert.equal(names(update).includes('useremail'), name === 'tutorial');
      assert.equal(names(update).includes('plan'), name === 'bySub');
      // createdAt, source and the constants only where the row lacks them.
      const aliasOf = (column: string) =>
        Object.entries(update.ExpressionAttributeNames as Record<string, string>).find(
          ([, value]) => value === column,
        )?.[0];
      for (const column of ['createdAt', 'source', ...Object.keys(mapping.constants)]) {
        const alias = aliasOf(column);
        assert.match(
          String(update.UpdateExpression),
          new RegExp(`${alias} = if_not_exists\\(${alias}, :v\\d+\\)`),
        );
      }
    });
  }

  it('leaves a row of another sub untouched (a reused username): both conditions fail', async () => {
    const { client, calls } = scripted([
      async () => {
        throw conditionFailed();
      },
    ]);
    const { handler, logs } = handlerFor('tutorial', client);
    await handler(signUpEvent());
    assert.equal(calls.length, 2, 'a put and one conditional adoption, nothing more');
    assert.equal(logs.records()[0]?.outcome, 'already-present');
  });
});

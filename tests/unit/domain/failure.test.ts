import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TableWriteError } from '../../../src/shared/errors.js';
import {
  describeFailure,
  errorMessage,
  errorName,
  isKeyMismatch,
  isThrottling,
  isTransient,
  mayHaveLanded,
} from '../../../src/shared/failure.js';

const socket = (code: string, message = `read ${code}`) =>
  Object.assign(new Error(message), { name: 'TimeoutError', code, $metadata: {} });
const answered = (name: string, status: number, message = 'boom', extra = {}) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status }, ...extra });
const htmlPage = answered(
  'SyntaxError',
  500,
  'Unexpected token \'<\', "<html>\n<he"... is not valid JSON\n  Deserialization error: to see the raw response, inspect the hidden field {error}.$response on this object.',
);

describe('Function: describeFailure', () => {
  it('says "connection reset" for ECONNRESET, not TimeoutError', () => {
    assert.equal(describeFailure(socket('ECONNRESET')), 'connection reset (ECONNRESET)');
  });

  it('gives one line with the HTTP status for an HTML 500', () => {
    const text = describeFailure(htmlPage);
    assert.equal(text, 'HTTP 500 with a body that is not JSON');
    assert.ok(!text.includes('\n'));
  });

  it('names the HTTP status of a JSON error and the attempts', () => {
    const error = answered('InternalServerError', 500, 'Internal error\nmore', {
      $metadata: { httpStatusCode: 500, attempts: 3 },
    });
    assert.equal(
      describeFailure(error),
      'InternalServerError (HTTP 500): Internal error (after 3 attempts)',
    );
  });

  it('reads through our own wrapping errors', () => {
    const wrapped = new TableWriteError('could not write', {
      cause: socket('EPIPE', 'write EPIPE'),
    });
    assert.equal(describeFailure(wrapped), 'connection reset (broken pipe) (EPIPE)');
  });

  it('says a deadline passed for an abort', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    assert.equal(
      describeFailure(abort, 'DynamoDB'),
      'the deadline passed before DynamoDB answered',
    );
  });

  it('names a request timeout', () => {
    assert.match(describeFailure(socket('ETIMEDOUT', 'request timed out')), /no answer within/);
  });
});

describe('Function: isTransient', () => {
  const cases: [string, unknown, boolean][] = [
    ['a reset', socket('ECONNRESET'), true],
    ['a refused connection', socket('ECONNREFUSED'), true],
    ['a request timeout', socket('ETIMEDOUT'), true],
    ['an HTML 500', htmlPage, true],
    ['a 503', answered('ServiceUnavailable', 503), true],
    ['DynamoDB throttling', answered('ThrottlingException', 400), true],
    ['Cognito throttling', answered('TooManyRequestsException', 400), true],
    ['a wrapped reset', new TableWriteError('x', { cause: socket('ECONNRESET') }), true],
    ['a validation error', answered('ValidationException', 400), false],
    ['a failed condition', answered('ConditionalCheckFailedException', 400), false],
    ['access denied', answered('AccessDeniedException', 400), false],
    ['an abort', Object.assign(new Error('x'), { name: 'AbortError' }), false],
    ['a plain error', new Error('x'), false],
  ];
  for (const [name, error, expected] of cases) {
    it(`${expected ? 'retries' : 'does not retry'} ${name}`, () => {
      assert.equal(isTransient(error), expected);
    });
  }
});

describe('Function: mayHaveLanded', () => {
  it('is true when the request may have been processed', () => {
    assert.equal(mayHaveLanded(socket('ECONNRESET')), true);
    assert.equal(mayHaveLanded(socket('ETIMEDOUT')), true);
    assert.equal(mayHaveLanded(htmlPage), true);
  });

  it('is false when the service refused it or it never left', () => {
    assert.equal(mayHaveLanded(answered('ThrottlingException', 400)), false);
    assert.equal(mayHaveLanded(socket('ECONNREFUSED')), false);
    assert.equal(
      mayHaveLanded(
        Object.assign(new Error('Socket timed out without establishing a connection'), {
          name: 'TimeoutError',
        }),
      ),
      false,
    );
    assert.equal(isThrottling(answered('ProvisionedThroughputExceededException', 400)), true);
  });
});

describe('Function: errorMessage', () => {
  it('reads the message of anything rejected, null included, without throwing', () => {
    assert.equal(errorMessage(new Error('boom')), 'boom');
    assert.equal(errorMessage(null), 'null');
    assert.equal(errorMessage(undefined), 'undefined');
    assert.equal(errorMessage('plain text'), 'plain text');
    assert.equal(errorMessage({ code: 42 }), '{"code":42}');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    assert.equal(errorMessage(circular), '[object Object]');
  });
});

describe('Function: errorName', () => {
  it("names an SDK exception by its name, and anything else 'Error'", () => {
    const error = Object.assign(new Error('x'), { name: 'ConditionalCheckFailedException' });
    assert.equal(errorName(error), 'ConditionalCheckFailedException');
    assert.equal(errorName(null), 'Error');
    assert.equal(errorName('text'), 'Error');
  });
});

describe('Function: isKeyMismatch and its hint in describeFailure', () => {
  const mismatch = answered(
    'ValidationException',
    400,
    'One or more parameter values were invalid: Missing the key id in the item',
  );

  it('recognises a key mismatch, also wrapped, and adds the hint naming the setting', () => {
    assert.equal(isKeyMismatch(mismatch), true);
    assert.equal(isKeyMismatch(new TableWriteError('x', { cause: mismatch })), true);
    assert.match(
      describeFailure(mismatch, 'DynamoDB'),
      /^ValidationException \(HTTP 400\): .*Missing the key id.*; the table's key attribute "id" is missing from the row: either the table's partition key is not the configured key attribute \(KEY_ATTRIBUTE, or --key-attribute, or the row mapping's key.attribute\), or "id" is the table's sort key, which the row mapping must give \(sortKey\)$/,
    );
    assert.match(
      describeFailure(mismatch, 'DynamoDB', { partition: 'pk', sort: 'sk' }),
      /missing from the row \(the row mapping's key is "pk" with the sort key "sk"\).*sortKey.attribute must name it$/,
    );
  });

  it('adds no hint to any other validation error', () => {
    const other = answered('ValidationException', 400, 'Invalid UpdateExpression');
    assert.equal(isKeyMismatch(other), false);
    assert.equal(
      describeFailure(other),
      'ValidationException (HTTP 400): Invalid UpdateExpression',
    );
  });
});

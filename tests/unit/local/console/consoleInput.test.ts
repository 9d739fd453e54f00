import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConsoleInputError,
  optionalFlag,
  parseBody,
  requiredGroupName,
  requiredObject,
  requiredText,
} from '../../../../src/local/console/consoleInput.js';

describe('Function: parseBody', () => {
  it('reads a JSON object, and an empty body as an empty object', () => {
    assert.deepEqual(parseBody('{"a":1}'), { a: 1 });
    assert.deepEqual(parseBody('  '), {});
  });

  it('throws when the body is not JSON or not an object', () => {
    assert.throws(() => parseBody('{'), /not valid JSON/);
    assert.throws(() => parseBody('[1]'), /must be a JSON object/);
  });
});

describe('Function: requiredText', () => {
  it('returns the trimmed text and throws naming a missing or empty field', () => {
    assert.equal(requiredText({ email: ' ada@example.com ' }, 'email'), 'ada@example.com');
    assert.throws(() => requiredText({}, 'email'), /"email" is required/);
    assert.throws(() => requiredText({ email: '  ' }, 'email'), /"email" is required/);
    assert.throws(() => requiredText({ email: 3 }, 'email'), /"email" is required/);
  });
});

describe('Function: optionalFlag', () => {
  it('falls back when absent and throws naming a non-boolean', () => {
    assert.equal(optionalFlag({}, 'dryRun', true), true);
    assert.equal(optionalFlag({ dryRun: false }, 'dryRun', true), false);
    assert.throws(
      () => optionalFlag({ dryRun: 'yes' }, 'dryRun', true),
      /"dryRun" must be true or false/,
    );
  });
});

describe('Function: requiredObject', () => {
  it('throws naming a field that is not an object', () => {
    assert.deepEqual(requiredObject({ row: { a: 1 } }, 'row'), { a: 1 });
    assert.throws(() => requiredObject({ row: [] }, 'row'), /"row" must be a JSON object/);
  });
});

describe('Function: requiredGroupName', () => {
  it('returns a name Cognito accepts, letters of any script and punctuation included', () => {
    assert.equal(requiredGroupName({ group: 'admins' }, 'group'), 'admins');
    assert.equal(requiredGroupName({ group: 'Équipe_1-ops.eu' }, 'group'), 'Équipe_1-ops.eu');
    assert.equal(requiredGroupName({ group: 'x'.repeat(128) }, 'group'), 'x'.repeat(128));
  });

  it('throws naming the field and what is wrong: missing, too long, a space or a control character', () => {
    assert.throws(() => requiredGroupName({}, 'group'), /^ConsoleInputError: "group" is required$/);
    assert.throws(() => requiredGroupName({ group: 7 }, 'group'), /"group" is required/);
    assert.throws(
      () => requiredGroupName({ group: 'x'.repeat(129) }, 'group'),
      /"group" must be at most 128 characters \(it has 129\)/,
    );
    for (const name of ['two words', ' admins', 'tab\there', 'line\nbreak']) {
      assert.throws(
        () => requiredGroupName({ group: name }, 'group'),
        (error: unknown) =>
          error instanceof ConsoleInputError &&
          error.message.startsWith('"group" may hold only letters'),
        name,
      );
    }
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isConstantTemplate,
  literalPrefix,
  matchTemplate,
  parseTemplate,
  renderTemplate,
} from '../../../../src/domain/rowMapping/templates.js';

function parts(template: string) {
  const parsed = parseTemplate(template);
  assert.ok(parsed.ok, template);
  return { parts: parsed.parts };
}

const VALUES = { sub: 'a1b2', username: 'jane', userPoolId: 'eu-west-1_Pool' };

describe('Function: parseTemplate', () => {
  it('splits literal text and placeholders', () => {
    assert.deepEqual(parts('POOL#{userPoolId}#USER#{username}').parts, [
      { literal: 'POOL#' },
      { placeholder: 'userPoolId' },
      { literal: '#USER#' },
      { placeholder: 'username' },
    ]);
    assert.deepEqual(parts('PROFILE').parts, [{ literal: 'PROFILE' }]);
  });

  for (const [template, problem] of [
    ['', 'expected a non-empty template, got ""'],
    ['USER#{sub', 'a "{" without "}" at position 5 of "USER#{sub"'],
    ['USER#sub}', 'a "}" without "{" at position 8 of "USER#sub}"'],
    ['{{sub}}', 'a "{" without "}" at position 0 of "{{sub}}"'],
    ['{sub}#{sub}', '{sub} appears twice in "{sub}#{sub}"'],
    ['{}', 'unknown placeholder {} (a key may use {sub}, {username}, {userPoolId}), in "{}"'],
    [
      '{phone_number}',
      '{phone_number} can change over a user\'s life, so a key cannot hold it (a key may use {sub}, {username}, {userPoolId}), in "{phone_number}"',
    ],
    [
      '{username}{sub}',
      '{username} and {sub} are side by side in "{username}{sub}": put literal text between them so that the key can be read back',
    ],
  ] as const) {
    it(`rejects ${JSON.stringify(template)}, saying why`, () => {
      assert.deepEqual(parseTemplate(template), { ok: false, problem });
    });
  }
});

describe('Function: renderTemplate', () => {
  it('puts the values in place of the placeholders', () => {
    assert.equal(renderTemplate(parts('USER#{sub}'), VALUES), 'USER#a1b2');
    assert.equal(renderTemplate(parts('{userPoolId}/{username}'), VALUES), 'eu-west-1_Pool/jane');
    assert.equal(renderTemplate(parts('PROFILE'), VALUES), 'PROFILE');
  });

  it('gives no key for an empty value (a user without a sub)', () => {
    assert.equal(renderTemplate(parts('USER#{sub}'), { ...VALUES, sub: '' }), undefined);
  });
});

describe('Function: matchTemplate', () => {
  it('reads the values back from a rendered key', () => {
    assert.deepEqual(matchTemplate(parts('USER#{sub}'), 'USER#a1b2'), { sub: 'a1b2' });
    assert.deepEqual(matchTemplate(parts('{userPoolId}/{username}'), 'eu-west-1_Pool/jane'), {
      userPoolId: 'eu-west-1_Pool',
      username: 'jane',
    });
    assert.deepEqual(matchTemplate(parts('PROFILE'), 'PROFILE'), {});
  });

  it('rejects other entities’ keys, empty values and non-strings', () => {
    const user = parts('USER#{sub}');
    assert.equal(matchTemplate(user, 'ORDER#1'), undefined);
    assert.equal(matchTemplate(user, 'USER#'), undefined);
    assert.equal(matchTemplate(user, 'xUSER#1'), undefined);
    assert.equal(matchTemplate(user, 7), undefined);
    assert.equal(matchTemplate(parts('PROFILE'), 'PROFILE#2'), undefined);
  });

  it('treats regular expression characters in literals as text', () => {
    assert.deepEqual(matchTemplate(parts('U.*(+)[x]|{sub}'), 'U.*(+)[x]|s-1'), { sub: 's-1' });
    assert.equal(matchTemplate(parts('U.{sub}'), 'UX1'), undefined);
  });

  it('keeps values that hold newlines or the separator, and renders them back', () => {
    const template = parts('{username}#{sub}');
    const matched = matchTemplate(template, 'a#b#c\nd');
    assert.ok(matched);
    assert.equal(renderTemplate(template, { ...VALUES, ...matched }), 'a#b#c\nd');
  });
});

describe('Function: literalPrefix / isConstantTemplate', () => {
  it('gives the text before the first placeholder, and says whether there is none', () => {
    assert.equal(literalPrefix(parts('USER#{sub}#X')), 'USER#');
    assert.equal(literalPrefix(parts('{sub}')), '');
    assert.equal(literalPrefix(parts('PROFILE')), 'PROFILE');
    assert.equal(isConstantTemplate(parts('PROFILE')), true);
    assert.equal(isConstantTemplate(parts('P{sub}')), false);
  });
});

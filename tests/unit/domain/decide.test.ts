import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideAction } from '../../../src/domain/decide.js';

describe('Function: decideAction', () => {
  const cases: [string, string][] = [
    ['PostConfirmation_ConfirmSignUp', 'create-if-absent'],
    ['PostConfirmation_ConfirmForgotPassword', 'create-if-absent'],
    ['PreSignUp_SignUp', 'skip'],
    ['PostAuthentication_Authentication', 'skip'],
    ['postconfirmation_confirmsignup', 'skip'],
    ['', 'skip'],
  ];
  for (const [source, action] of cases) {
    it(`decides ${action} for "${source}"`, () => {
      assert.equal(decideAction(source), action);
    });
  }
});

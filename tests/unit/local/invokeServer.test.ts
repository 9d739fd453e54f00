import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { functionNameFromPath } from '../../../src/local/invokeServer.js';

describe('Function: functionNameFromPath', () => {
  const cases: [string, string | undefined][] = [
    ['/2015-03-31/functions/my-fn/invocations', 'my-fn'],
    ['/2015-03-31/functions/my-fn/invocations?Qualifier=%24LATEST', 'my-fn'],
    ['/2015-03-31/functions/my-fn%3Aprod/invocations', 'my-fn'],
    [
      '/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Amy-fn/invocations',
      'my-fn',
    ],
    ['/2015-03-31/functions/123456789012%3Afunction%3Amy-fn%3A1/invocations', 'my-fn'],
    ['/2015-03-31/functions/my-fn', undefined],
    ['/', undefined],
    ['/2015-03-31/functions/%E0%A4%A/invocations', undefined],
  ];
  for (const [path, expected] of cases) {
    it(`reads ${JSON.stringify(expected)} from ${path}`, () => {
      assert.equal(functionNameFromPath(path), expected);
    });
  }
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outcomeTone } from '../../../console/src/outcomeTone.js';

describe('Function: outcomeTone', () => {
  const cases: [string, string, string][] = [
    ['info', 'created', 'good'],
    ['info', 'in-sync', 'good'],
    ['info', 'username-reused', 'warn'],
    ['info', 'conflict', 'warn'],
    ['warn', 'created', 'warn'],
    ['info', 'failed', 'bad'],
    ['error', 'created', 'bad'],
  ];
  for (const [level, outcome, tone] of cases) {
    it(`colours ${outcome} at level ${level} as ${tone}`, () => {
      assert.equal(outcomeTone({ level, outcome }), tone);
    });
  }
});

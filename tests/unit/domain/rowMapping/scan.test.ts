import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  keyScanFilter,
  rowColumns,
  rowProjection,
} from '../../../../src/domain/rowMapping/scan.js';
import { resolveRowMapping } from '../../../../src/domain/rowMapping/validate.js';
import { EXAMPLES } from './examples.js';

describe('Function: keyScanFilter', () => {
  it('filters a single table on the key prefix and the constant sort key', () => {
    assert.deepEqual(keyScanFilter(resolveRowMapping(EXAMPLES.singleTable)), {
      FilterExpression: 'begins_with(#rk0, :rk0) AND #rk1 = :rk1',
      ExpressionAttributeNames: { '#rk0': 'pk', '#rk1': 'sk' },
      ExpressionAttributeValues: { ':rk0': 'USER#', ':rk1': 'PROFILE' },
    });
  });

  it('filters nothing when the key starts with a placeholder', () => {
    assert.deepEqual(keyScanFilter(resolveRowMapping(EXAMPLES.today)), {});
    assert.deepEqual(keyScanFilter(resolveRowMapping(EXAMPLES.bySub)), {});
  });

  it('filters the sort key alone when only it has a literal prefix', () => {
    const mapping = resolveRowMapping({
      key: { attribute: 'pk', template: '{userPoolId}' },
      sortKey: { attribute: 'sk', template: 'USER#{sub}' },
    });
    assert.deepEqual(keyScanFilter(mapping), {
      FilterExpression: 'begins_with(#rk1, :rk1)',
      ExpressionAttributeNames: { '#rk1': 'sk' },
      ExpressionAttributeValues: { ':rk1': 'USER#' },
    });
  });
});

describe('Function: rowColumns / rowProjection', () => {
  it('reads the keys and the mapped managed columns, never constants or app-owned columns', () => {
    const columns = rowColumns(resolveRowMapping(EXAMPLES.singleTable));
    assert.deepEqual(columns.slice(0, 3), ['pk', 'sk', 'sub']);
    assert.equal(columns.includes('entityType'), false);
    assert.deepEqual(rowColumns(resolveRowMapping(EXAMPLES.bySub)).slice(-2), [
      'firstName',
      'plan',
    ]);
    assert.equal(rowColumns(resolveRowMapping(EXAMPLES.bySub)).includes('attributes'), false);
  });

  it('reads only the fields asked for, under their mapped names, skipping those left out', () => {
    const mapping = resolveRowMapping({
      key: { attribute: 'id', template: '{sub}' },
      fields: { sub: false, deletedAt: 'gone' },
    });
    assert.deepEqual(rowColumns(mapping, ['sub', 'createdAt', 'deletedAt']), [
      'id',
      'createdAt',
      'gone',
    ]);
    assert.deepEqual(rowProjection(mapping, ['deletedAt']), {
      ProjectionExpression: '#rp0, #rp1',
      ExpressionAttributeNames: { '#rp0': 'id', '#rp1': 'gone' },
    });
  });
});

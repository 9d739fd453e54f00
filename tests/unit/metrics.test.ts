import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMetrics, METRIC, METRICS_NAMESPACE } from '../../src/shared/metrics.js';

describe('Function: createMetrics', () => {
  it('writes one Embedded Metric Format line with the function name as dimension', () => {
    const lines: string[] = [];
    const metrics = createMetrics({
      functionName: 'post-confirmation',
      sink: (line) => lines.push(line),
      now: () => 1_700_000_000_000,
    });
    metrics.emit({ [METRIC.rowsCreated]: 1, [METRIC.writeFailures]: 0, [METRIC.duration]: 42 });
    assert.equal(lines.length, 1);
    assert.deepEqual(JSON.parse(lines[0] as string), {
      _aws: {
        Timestamp: 1_700_000_000_000,
        CloudWatchMetrics: [
          {
            Namespace: METRICS_NAMESPACE,
            Dimensions: [['FunctionName']],
            Metrics: [
              { Name: 'RowsCreated', Unit: 'Count' },
              { Name: 'WriteFailures', Unit: 'Count' },
              { Name: 'Duration', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      FunctionName: 'post-confirmation',
      RowsCreated: 1,
      WriteFailures: 0,
      Duration: 42,
    });
  });

  it('skips values that are not finite numbers, and writes nothing when none is left', () => {
    const lines: string[] = [];
    const metrics = createMetrics({ functionName: 'f', sink: (line) => lines.push(line) });
    metrics.emit({ [METRIC.duration]: Number.NaN });
    assert.equal(lines.length, 0);
    metrics.emit({ [METRIC.orphans]: 2, [METRIC.duration]: Number.POSITIVE_INFINITY });
    assert.deepEqual(JSON.parse(lines[0] as string)._aws.CloudWatchMetrics[0].Metrics, [
      { Name: 'Orphans', Unit: 'Count' },
    ]);
  });

  it('writes nothing when disabled, or when METRICS is off', () => {
    const lines: string[] = [];
    createMetrics({ enabled: false, sink: (line) => lines.push(line) }).emit({ Orphans: 1 });
    const saved = process.env.METRICS;
    process.env.METRICS = 'off';
    try {
      createMetrics({ sink: (line) => lines.push(line) }).emit({ Orphans: 1 });
    } finally {
      if (saved === undefined) delete process.env.METRICS;
      else process.env.METRICS = saved;
    }
    assert.equal(lines.length, 0);
  });

  it('takes the dimension from AWS_LAMBDA_FUNCTION_NAME by default', () => {
    const saved = process.env.AWS_LAMBDA_FUNCTION_NAME;
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'from-env';
    try {
      const lines: string[] = [];
      createMetrics({ sink: (line) => lines.push(line) }).emit({ [METRIC.converged]: 1 });
      assert.equal(JSON.parse(lines[0] as string).FunctionName, 'from-env');
    } finally {
      if (saved === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
      else process.env.AWS_LAMBDA_FUNCTION_NAME = saved;
    }
  });
});

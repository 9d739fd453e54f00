import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/shared/logger.js';
import { createMetrics, METRIC, METRICS_NAMESPACE } from '../../src/shared/metrics.js';

describe('Function: createLogger', () => {
  it('writes one JSON object per line with level, message, timestamp, base and fields', () => {
    const lines: string[] = [];
    const logger = createLogger({
      sink: (line) => lines.push(line),
      base: { service: 'svc' },
      now: () => new Date('2026-01-02T03:04:05.000Z'),
    });
    logger.info('hello', { username: 'u-1', durationMs: 12 });
    assert.equal(lines.length, 1);
    assert.deepEqual(JSON.parse(lines[0] ?? ''), {
      level: 'info',
      message: 'hello',
      timestamp: '2026-01-02T03:04:05.000Z',
      service: 'svc',
      username: 'u-1',
      durationMs: 12,
    });
  });

  it('drops lines below the configured level', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'warn', sink: (line) => lines.push(line) });
    logger.debug('a');
    logger.info('b');
    logger.warn('c');
    logger.error('d');
    assert.deepEqual(
      lines.map((line) => JSON.parse(line).message),
      ['c', 'd'],
    );
  });

  it('writes nothing at level silent', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'silent', sink: (line) => lines.push(line) });
    logger.error('x');
    assert.equal(lines.length, 0);
  });
});

describe('Function: createLogger (with metrics)', () => {
  const metricsWith = (lines: string[]) =>
    createMetrics({ functionName: 'trigger', sink: (line) => lines.push(line), now: () => 7 });

  it('writes the log fields and the EMF members in one JSON line', () => {
    const lines: string[] = [];
    const logger = createLogger({
      sink: (line) => lines.push(line),
      base: { service: 'svc' },
      now: () => new Date('2026-01-02T03:04:05.000Z'),
      metrics: metricsWith(lines),
    });
    logger.info(
      'handled',
      { outcome: 'created' },
      { [METRIC.rowsCreated]: 1, [METRIC.duration]: 3 },
    );
    assert.equal(lines.length, 1, 'one write: the log line carries the metrics');
    assert.deepEqual(JSON.parse(lines[0] ?? ''), {
      level: 'info',
      message: 'handled',
      timestamp: '2026-01-02T03:04:05.000Z',
      service: 'svc',
      outcome: 'created',
      _aws: {
        Timestamp: 7,
        CloudWatchMetrics: [
          {
            Namespace: METRICS_NAMESPACE,
            Dimensions: [['FunctionName']],
            Metrics: [
              { Name: 'RowsCreated', Unit: 'Count' },
              { Name: 'Duration', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      FunctionName: 'trigger',
      RowsCreated: 1,
      Duration: 3,
    });
  });

  it('still emits the metrics, on a line of their own, when the level drops the log line', () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'silent',
      sink: (line) => lines.push(line),
      metrics: metricsWith(lines),
    });
    logger.info('handled', { outcome: 'created' }, { [METRIC.rowsCreated]: 1 });
    assert.equal(lines.length, 1);
    const record = JSON.parse(lines[0] ?? '');
    assert.equal(record.RowsCreated, 1);
    assert.equal(record.message, undefined);
  });

  it('writes a plain line when metrics are off or no values are given', () => {
    const lines: string[] = [];
    const off = createLogger({
      sink: (line) => lines.push(line),
      metrics: createMetrics({ enabled: false }),
    });
    off.info('a', {}, { [METRIC.rowsCreated]: 1 });
    const on = createLogger({ sink: (line) => lines.push(line), metrics: metricsWith(lines) });
    on.info('b');
    assert.deepEqual(
      lines.map((line) => Object.keys(JSON.parse(line)).includes('_aws')),
      [false, false],
    );
  });
});

describe('Function: createLogger (fields and base)', () => {
  it('lets a field override a base member or a reserved one, as one object would', () => {
    const lines: string[] = [];
    const logger = createLogger({ sink: (line) => lines.push(line), base: { service: 'svc' } });
    logger.info('m', { service: 'other', level: 'x', n: 1 });
    logger.info('plain', { error: 'a "quoted" } value', ok: true, skipped: undefined });
    const [overridden, plain] = lines.map((line) => JSON.parse(line));
    assert.equal(overridden.service, 'other');
    assert.equal(overridden.level, 'x');
    assert.equal(overridden.n, 1);
    assert.equal((lines[0]?.match(/"service"/g) ?? []).length, 1, 'no duplicate member');
    assert.deepEqual(Object.keys(plain), [
      'level',
      'message',
      'timestamp',
      'service',
      'error',
      'ok',
    ]);
    assert.equal(plain.error, 'a "quoted" } value');
  });
});

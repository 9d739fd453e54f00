import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '../../src/logger.js';

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

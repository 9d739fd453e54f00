import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createActivityLog,
  parseLogLine,
  redact,
} from '../../../../src/local/console/activityLog.js';
import { createLogger } from '../../../../src/shared/logger.js';

const handled = {
  level: 'info',
  message: 'post confirmation handled',
  timestamp: '2026-01-01T10:00:00.000Z',
  service: 'cognito-user-sync',
  username: '3f2a9c1e-0000-4000-8000-000000000001',
  triggerSource: 'PostConfirmation_ConfirmSignUp',
  outcome: 'created',
  durationMs: 12,
};

describe('Function: redact', () => {
  it('hides e-mail addresses and phone numbers and keeps the rest', () => {
    assert.equal(
      redact('ada@example.com called +1 555 010 9999 about 3f2a9c1e'),
      '[e-mail hidden] called [phone hidden] about 3f2a9c1e',
    );
  });
});

describe('Function: parseLogLine', () => {
  it('reads time, trigger source, username, outcome and duration', () => {
    assert.deepEqual(parseLogLine(JSON.stringify(handled)), {
      time: '2026-01-01T10:00:00.000Z',
      source: 'PostConfirmation_ConfirmSignUp',
      username: '3f2a9c1e-0000-4000-8000-000000000001',
      outcome: 'created',
      durationMs: 12,
      message: 'post confirmation handled',
      level: 'info',
    });
  });

  it('hides an e-mail address used as a username and inside an error', () => {
    const entry = parseLogLine(
      JSON.stringify({
        ...handled,
        username: 'ada@example.com',
        outcome: 'failed',
        error: 'could not write ada@example.com',
      }),
    );
    assert.equal(entry?.username, '[e-mail hidden]');
    assert.equal(entry?.error, 'could not write [e-mail hidden]');
  });

  it('names a line without a trigger source by its event name, else its service', () => {
    const { triggerSource: _, ...withoutSource } = handled;
    assert.equal(
      parseLogLine(JSON.stringify({ ...withoutSource, eventName: 'AdminUpdateUserAttributes' }))
        ?.source,
      'AdminUpdateUserAttributes',
    );
    assert.equal(parseLogLine(JSON.stringify(withoutSource))?.source, 'cognito-user-sync');
  });

  it('ignores lines that are not JSON or record no outcome', () => {
    assert.equal(parseLogLine('not json'), undefined);
    assert.equal(parseLogLine(JSON.stringify({ level: 'info', message: 'hello' })), undefined);
  });
});

describe('Function: createActivityLog', () => {
  it('lists entries newest first and drops the oldest beyond its capacity', () => {
    const log = createActivityLog(3);
    for (let i = 1; i <= 5; i++) {
      log.add({
        time: `t${i}`,
        source: 'reconcile',
        outcome: 'converged',
        message: `${i}`,
        level: 'info',
      });
    }
    assert.deepEqual(
      log.recent().map((entry) => entry.message),
      ['5', '4', '3'],
    );
    assert.deepEqual(
      log.recent(2).map((entry) => entry.id),
      [5, 4],
    );
  });

  it('records every line of a logger while printing only those at the chosen level', () => {
    const log = createActivityLog();
    const printed: string[] = [];
    const logger = createLogger({
      level: 'debug',
      sink: log.sink('warn', (line) => printed.push(line)),
    });

    logger.info('post confirmation handled', { outcome: 'created', username: 'u1' });
    logger.error('post confirmation failed', { outcome: 'failed', username: 'u2' });

    assert.deepEqual(
      log.recent().map((entry) => [entry.username, entry.outcome]),
      [
        ['u2', 'failed'],
        ['u1', 'created'],
      ],
    );
    assert.equal(printed.length, 1);
    assert.match(printed[0] ?? '', /post confirmation failed/);
  });

  it('prints nothing at the silent level but still records', () => {
    const log = createActivityLog();
    const printed: string[] = [];
    const sink = log.sink('silent', (line) => printed.push(line));
    sink(JSON.stringify({ ...handled, level: 'error' }));
    assert.equal(printed.length, 0);
    assert.equal(log.recent().length, 1);
  });
});

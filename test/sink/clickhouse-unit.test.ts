/** The pieces of the ClickHouse sink that need no server: options, rows, the DDL's names. */
import { describe, expect, test } from 'vitest';
import { flatEvent } from '../../src/report/events.js';
import { clickhouseRow, clickhouseTarget, defaultSpool } from '../../src/sink/clickhouse.js';
import { parseSince } from '../../src/sink/clickhouse-read.js';
import { clickhouseSchema } from '../../src/sink/clickhouse-schema.js';
import { cls, reject } from '../aggregate/fixtures.js';

describe('clickhouseTarget', () => {
  test('credentials come from the environment, never the URL', () => {
    expect(clickhouseTarget('http://127.0.0.1:8123', undefined, { CLICKHOUSE_USER: 'u', CLICKHOUSE_PASSWORD: 'p' })).toEqual({
      url: 'http://127.0.0.1:8123/',
      table: 'maillog_events',
      user: 'u',
      password: 'p',
    });
    expect(() => clickhouseTarget('http://u:p@127.0.0.1:8123', undefined, {})).toThrow(/CLICKHOUSE_USER and CLICKHOUSE_PASSWORD/);
  });

  test.each([['maillog; DROP TABLE x'], ['a b'], ['1abc'], ['db.t.x']])('table %s is refused', (t) => {
    expect(() => clickhouseTarget('http://127.0.0.1:8123', t, {})).toThrow(/not a table name/);
  });

  test('db.table is a table name; the DDL names follow it', () => {
    expect(clickhouseTarget('https://ch.example.net', 'mail.events', {}).table).toBe('mail.events');
    const ddl = clickhouseSchema('mail.events').join('\n');
    expect(ddl).toContain('CREATE TABLE IF NOT EXISTS mail.events_findings');
    expect(ddl).toContain('TO mail.events_findings');
  });

  test('the spool lives under XDG_STATE_HOME when set', () => {
    expect(defaultSpool({ XDG_STATE_HOME: '/var/state' })).toBe('/var/state/maillog-doctor/clickhouse.spool');
  });
});

describe('clickhouseRow', () => {
  test('a rejection as one JSONEachRow line, times in seconds, unknowns empty, controls stripped', () => {
    const ev = reject({ to: 'Bob@Example.COM', text: 'User unknown \u001b[31mred', host: 'mx1', time: '2026-11-22T06:25:02.000Z' });
    const c = cls();
    const row = JSON.parse(clickhouseRow(flatEvent(ev, c), ev, c)) as Record<string, unknown>;
    expect(row).toMatchObject({
      time: Date.parse('2026-11-22T06:25:02Z') / 1000,
      time_known: 1,
      host: 'mx1',
      recipient: 'Bob@example.com',
      domain: 'example.com',
      action: 'rejected',
      permanent: 1,
    });
    expect(row.reply_text).toBe('User unknown red');
    expect(JSON.stringify(row)).not.toMatch(/\\u001b/);
  });

  test('an event without a time has time 0 and time_known 0', () => {
    const ev = reject({ time: null });
    const c = cls();
    expect(JSON.parse(clickhouseRow(flatEvent(ev, c), ev, c))).toMatchObject({ time: 0, time_known: 0 });
  });
});

describe('parseSince', () => {
  const now = Date.parse('2026-11-22T12:00:00Z');
  test.each([
    ['24h', '2026-11-21T12:00:00.000Z'],
    ['-90m', '2026-11-22T10:30:00.000Z'],
    ['7d', '2026-11-15T12:00:00.000Z'],
    ['2026-11-22', '2026-11-22T00:00:00.000Z'],
    ['2026-11-22T06:00', '2026-11-22T06:00:00.000Z'],
    ['2026-11-22 06:00:30+02:00', '2026-11-22T04:00:30.000Z'],
  ])('%s', (v, want) => {
    expect(parseSince(v, now)?.toISOString()).toBe(want);
  });
  test.each([['yesterday-ish'], ['2026-13-45'], ['']])('%s is not a time', (v) => {
    expect(parseSince(v, now)).toBeNull();
  });
});

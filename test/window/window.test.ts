import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { parseTimeSpec, parseWindow, WindowFilter, WINDOW_MESSAGES_CAP } from '../../src/window.js';
import { analyse } from '../../src/pipeline.js';
import { parseAll } from '../helpers/parse.js';

// The tests run with TZ=UTC (vitest.config / test/cli/run.ts), so local midnight is 00:00Z.
const NOW = new Date('2026-11-22T10:15:30.000Z');

describe('parseTimeSpec', () => {
  test.for([
    { name: 'today is local midnight', v: 'today', want: '2026-11-22T00:00:00.000Z' },
    { name: 'yesterday', v: 'yesterday', want: '2026-11-21T00:00:00.000Z' },
    { name: 'now', v: 'now', want: '2026-11-22T10:15:30.000Z' },
    { name: 'hours back', v: '-2h', want: '2026-11-22T08:15:30.000Z' },
    { name: 'minutes back', v: '-30m', want: '2026-11-22T09:45:30.000Z' },
    { name: 'days back', v: '-7d', want: '2026-11-15T10:15:30.000Z' },
    { name: 'a date', v: '2026-11-20', want: '2026-11-20T00:00:00.000Z' },
    { name: 'date and time with T', v: '2026-11-20T06:00', want: '2026-11-20T06:00:00.000Z' },
    { name: 'date and time with space and seconds', v: '2026-11-20 06:00:07', want: '2026-11-20T06:00:07.000Z' },
    { name: 'a zone offset', v: '2026-11-20T06:00:00+01:00', want: '2026-11-20T05:00:00.000Z' },
    { name: 'a compact zone offset', v: '2026-11-20T06:00-0230', want: '2026-11-20T08:30:00.000Z' },
    { name: 'Z and a fraction', v: '2026-11-20T06:00:00.25Z', want: '2026-11-20T06:00:00.250Z' },
  ])('$name', ({ v, want }) => {
    const t = parseTimeSpec(v, NOW);
    expect(t).toBeInstanceOf(Date);
    expect((t as Date).toISOString()).toBe(want);
  });

  test.for([
    { name: 'a word', v: 'lastweek' },
    { name: 'a positive span', v: '+2h' },
    { name: 'an unknown unit', v: '-2y' },
    { name: 'month 13', v: '2026-13-01' },
    { name: 'February 31', v: '2026-02-31' },
    { name: 'hour 24', v: '2026-11-20T24:00' },
    { name: 'empty', v: '' },
  ])('refuses $name', ({ v }) => {
    expect(parseTimeSpec(v, NOW)).toBeInstanceOf(Error);
  });

  test('an until not after since is refused', () => {
    expect(parseWindow('today', 'yesterday', NOW)).toBeInstanceOf(Error);
    expect(parseWindow(undefined, undefined, NOW)).toBeNull();
    expect(parseWindow('yesterday', undefined, NOW)).toEqual({ since: '2026-11-21T00:00:00.000Z', until: null });
  });
});

describe('WindowFilter', () => {
  const w = new WindowFilter({ since: '2026-11-22T06:00:00.000Z', until: '2026-11-22T07:00:00.000Z' });
  test('keeps since ≤ time < until, counts the rest', () => {
    expect(w.keep('2026-11-22T05:59:59.999Z')).toBe(false);
    expect(w.keep('2026-11-22T06:00:00.000Z')).toBe(true);
    expect(w.keep('2026-11-22T06:59:59.999Z')).toBe(true);
    expect(w.keep('2026-11-22T07:00:00.000Z')).toBe(false);
    // Another ISO form is parsed, not compared as a string.
    expect(w.keep('2026-11-22T07:30:00+01:00')).toBe(true);
    expect(w.outside).toBe(2);
  });
  test('an event without a time follows its message, or is counted as untimed', () => {
    expect(w.keep('2026-11-22T06:10:00.000Z', 'Q1', 'mx1')).toBe(true);
    expect(w.keep('2026-11-22T08:10:00.000Z', 'Q2', 'mx1')).toBe(false);
    expect(w.keep(null, 'Q1', 'mx1')).toBe(true);
    expect(w.keep(null, 'Q2', 'mx1')).toBe(false);
    expect(w.keep(null, 'Q1', 'mx2')).toBe(false);
    expect(w.keep(null, null, null)).toBe(false);
    expect(w.stats()).toMatchObject({ eventsUntimed: 2 });
  });
  test('the message verdicts are capped and the evictions counted', () => {
    const f = new WindowFilter({ since: null, until: '2026-11-22T07:00:00.000Z' });
    for (let i = 0; i < WINDOW_MESSAGES_CAP + 5; i++) f.keep('2026-11-22T06:00:00.000Z', `Q${i}`);
    expect(f.evicted).toBe(5);
    expect(f.keep(null, 'Q0')).toBe(false);
    expect(f.keep(null, `Q${WINDOW_MESSAGES_CAP + 4}`)).toBe(true);
  });
});

describe('the window in a run', () => {
  test('events outside are not aggregated; the summary says the window', async () => {
    const window = { since: '2026-11-22T06:30:00.000Z', until: '2026-11-22T07:00:00.000Z' };
    const whole = await analyse(['samples/postfix/mail.log'], { now: NOW, year: 2026, threads: 1 });
    const part = await analyse(['samples/postfix/mail.log'], { now: NOW, year: 2026, threads: 1, window });
    const all = whole.aggregator.snapshot(whole.stats);
    const r = part.aggregator.snapshot(part.stats);
    expect(r.summary.linesRead).toBe(all.summary.linesRead);
    expect(r.summary.window).toMatchObject({ ...window, eventsUntimed: 0 });
    // The window leaves out events of every kind (received and auth-failure too); the summary's
    // eventsByKind counts only rejections, deliveries and notifications. Expected from the parser.
    const lines = readFileSync('samples/postfix/mail.log', 'utf8').split('\n').filter(Boolean);
    const events = parseAll(lines, undefined, new Date(NOW)).events;
    const isOut = (t: string | null) => t !== null && !(t >= window.since && t < window.until);
    const counted = new Set(['reject', 'delivery', 'notification']);
    expect(r.summary.window!.eventsOutside).toBe(events.filter((e) => isOut(e.time)).length);
    const kept = r.summary.eventsByKind.reject + r.summary.eventsByKind.delivery + r.summary.eventsByKind.notification;
    const total = all.summary.eventsByKind.reject + all.summary.eventsByKind.delivery + all.summary.eventsByKind.notification;
    expect(kept + events.filter((e) => counted.has(e.kind) && isOut(e.time)).length).toBe(total);
    expect(r.summary.firstSeen! >= window.since).toBe(true);
    expect(r.summary.lastSeen! < window.until).toBe(true);
    for (const f of r.findings) {
      expect(f.firstSeen! >= window.since && f.lastSeen! < window.until).toBe(true);
    }
    expect(r.findings.length).toBeGreaterThan(0);
    expect(r.findings.length).toBeLessThan(all.findings.length);
  });
});

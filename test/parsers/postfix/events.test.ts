import { describe, expect, test } from 'vitest';
import { MailEvent } from '../../../src/event.js';
import { parseAll, stripOrigin } from '../../helpers/parse.js';
import { eventCases, nonEventCases } from './events.cases.js';

describe('postfix events from real lines', () => {
  test.for(eventCases)('$name', ({ before = [], line, want }) => {
    const { results, events } = parseAll([...before, line]);
    const last = results[results.length - 1]!;
    expect(last.status).toBe('recognised');
    const produced = last.status === 'recognised' ? last.events : [];
    expect(produced.map(stripOrigin)).toEqual(want);
    // Every event satisfies the strict schema, and carries its provenance.
    for (const ev of events) expect(MailEvent.parse(ev)).toEqual(ev);
    for (const ev of produced) {
      expect(ev.raw).toBe(line);
      expect(ev.origin).toEqual({ file: 'test.log', line: before.length + 1 });
    }
  });

  test.for(nonEventCases)('$name', ({ line, status, reason }) => {
    const [r] = parseAll([line]).results;
    expect(r!.status).toBe(status);
    if (status === 'ignored') expect(r).toEqual({ status, reason });
    if (status === 'recognised') expect(r).toEqual({ status, events: [] });
  });
});

describe('hostile lines', () => {
  const shapes = [
    '; from=<'.repeat(120_000),
    '<'.repeat(1_000_000),
    ' to=<'.repeat(200_000),
    '['.repeat(1_000_000),
    ', '.repeat(500_000),
  ];
  test.for(shapes.map((s, i) => ({ i, s })))('1 MB crafted body #$i finishes and never throws', ({ s }) => {
    const prefixes = [
      'Nov 22 10:00:00 mx postfix/smtpd[1]: NOQUEUE: reject: RCPT from x[1.2.3.4]: 550 5.1.1 ',
      'Nov 22 10:00:00 mx postfix/smtp[1]: ABCDEF123: to=<',
      'Nov 22 10:00:00 mx postfix/qmgr[1]: ABCDEF123: from=<',
      'Nov 22 10:00:00 mx postfix/cleanup[1]: ABCDEF123: reject: header ',
      '',
    ];
    for (const p of prefixes) {
      const { results } = parseAll([p + s]);
      expect(['recognised', 'ignored', 'unrecognised']).toContain(results[0]!.status);
    }
  });
});

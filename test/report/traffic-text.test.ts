import { describe, expect, test } from 'vitest';
import { Traffic } from '../../src/aggregate/traffic.js';
import { duration, trafficLines, trafficTotals } from '../../src/report/traffic-text.js';
import { renderText } from '../../src/report/text.js';
import { authFailure, delivery, received, reject } from '../aggregate/fixtures.js';
import { sampleReport } from './fixtures.js';

function traffic() {
  const t = new Traffic();
  t.add(received({ time: '2024-05-01T09:10:00Z' }));
  t.add(delivery({ status: 'sent', to: 'a@dest.example', delay: 0.4, time: '2024-05-01T09:11:00Z' }));
  t.add(delivery({ status: 'deferred', to: 'b@slow.example', time: '2024-05-01T09:12:00Z' }));
  t.add(reject({ time: '2024-05-01T10:00:00Z' }));
  t.add(authFailure({ time: '2024-05-01T10:05:00Z', username: 'admin' }));
  return t;
}

describe('trafficLines', () => {
  test('a compact section: totals, per hour, per domain, senders, recipients, auth failures', () => {
    expect(trafficLines(traffic().report(), 100)).toEqual([
      'Traffic',
      '  messages:   1 received, 1 delivered, 1 deferred, 0 bounced, 1 rejected',
      '  per hour:',
      '    hour (UTC)        received  delivered  deferred  bounced  rejected',
      '    2024-05-01 09:00         1          1         1        0         0',
      '    2024-05-01 10:00         0          0         0        0         1',
      '  per domain: 2 domains',
      '    recipient domain  delivered  deferred  bounced  avg delay  max delay',
      '    dest.example              1         0        0      0.4 s      0.4 s',
      '    slow.example              0         1        0          -          -',
      '  senders:    dave@example.com (1)',
      '  recipients: a@dest.example (1)',
      '  auth failures: 1 SASL failure from 1 client',
      '    client       failures  first seen            last seen             user names tried',
      '    203.0.113.5         1  2024-05-01T10:05:00Z  2024-05-01T10:05:00Z  admin',
    ]);
  });

  test('says when the log gives no delay, and plural forms follow the counts', () => {
    const t = new Traffic();
    t.sent(null, 'a@x.example', null);
    for (let i = 0; i < 2; i++) t.add(delivery({ status: 'deferred', queueId: 'Q1', to: 'b@x.example' }));
    const lines = trafficLines(t.report(), 100);
    expect(lines).toContain('  per domain: 1 domain; no delay in this log');
    expect(trafficTotals(t.report())).toBe('0 received, 1 delivered, 1 deferred (2 attempts), 0 bounced, 0 rejected');
  });

  test('strips control sequences from what came from the log', () => {
    const t = new Traffic();
    t.sent(null, 'x@evil\u001b[2J\u001b]0;pwned\u0007.example', 1);
    t.add(authFailure({ client: { name: null, ip: '1.2.3.4\u001b[31m', port: null }, username: 'ro\u009bot' }));
    const text = trafficLines(t.report(), 120).join('\n');
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  test('every line fits the width', () => {
    for (const width of [40, 60, 100]) for (const l of trafficLines(traffic().report(), width)) expect(l.length).toBeLessThanOrEqual(width);
  });

  test('durations read as an admin would', () => {
    expect([0.38, 12, 185, 7300, 400000, null].map(duration)).toEqual(['0.38 s', '12 s', '3.1 min', '2.0 h', '4.6 d', '-']);
  });
});

describe('the text report', () => {
  test('has the Traffic section after the findings, before the totals', () => {
    const text = renderText(sampleReport(), { width: 100 });
    const at = (s: string) => text.indexOf(s);
    expect(at('\nTraffic\n')).toBeGreaterThan(at('advice:'));
    expect(at('\nTotals\n')).toBeGreaterThan(at('\nTraffic\n'));
  });
});

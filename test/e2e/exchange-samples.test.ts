/**
 * The built executable on the Exchange samples given as a folder (as an admin copies a
 * MessageTracking folder off a server): both log types detected, every planted problem found
 * (samples/exchange/README.md), Exchange Management Shell commands in the verify column.
 */
import { describe, expect, test } from 'vitest';
import { ReportSchema } from '../../src/report/schema.js';
import { run } from '../helpers/cli.js';

describe('samples/exchange (a folder) through bin/maillog-doctor', () => {
  test('tracking and protocol logs are read, every line understood, the planted events counted', async () => {
    const r = await run(['samples/exchange', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    expect(report.summary.files.map((f) => [f.path, f.format, f.lines, f.unrecognised]).sort()).toEqual([
      ['samples/exchange/MSGTRK20261122-1.LOG', 'exchange', 216, 0],
      ['samples/exchange/RECV20261122-1.LOG', 'exchange', 198, 0],
    ]);
    expect(report.summary.eventsByKind).toEqual({ reject: 10, delivery: 85, notification: 27 });
    expect(report.summary.eventsByStatus).toEqual({ sent: 48, bounced: 30, deferred: 7, expired: 0 });
    // every failure, deferral and connector rejection becomes part of a finding
    expect(report.findings.reduce((n, f) => n + f.count, 0)).toBe(30 + 7 + 10);
  });

  test('the top finding is the accept-then-bounce of unknown recipients, with the Exchange command to check it', async () => {
    const r = await run(['samples/exchange', '--format', 'json']);
    const top = ReportSchema.parse(JSON.parse(r.stdout)).findings[0]!;
    expect(top).toMatchObject({
      rank: 1,
      direction: 'local',
      recipientDomain: 'example.com',
      cause: 'user-unknown',
      count: 6,
      smtpCodes: [550],
      enhancedStatus: ['5.1.1'],
    });
    expect(top.hint).toMatch(/proxyAddresses/);
    expect(top.verify).toMatch(/^Get-Recipient -Identity '[^']+@example\.com'; Get-AcceptedDomain/);
  });
});

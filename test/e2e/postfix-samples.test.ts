/**
 * The built executable on the shipped samples, checked against the generator's answer key
 * (samples/postfix/expected.json: every planted problem by direction, domain and cause), and
 * its CSV read back with a real CSV parser.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { lostAtLeast } from '../../src/aggregate/rank.js';
import { ReportSchema, type Report } from '../../src/report/schema.js';
import { ROOT, run } from '../helpers/cli.js';

interface ExpectedRow {
  direction: string;
  recipientDomain: string | null;
  cause: string;
  count: number;
  distinctRecipients: number;
}

const SAMPLE = 'samples/postfix/mail.log';
const expected: ExpectedRow[] = JSON.parse(readFileSync(join(ROOT, 'samples/postfix/expected.json'), 'utf8'));
const key = (r: { direction: string; recipientDomain: string | null; cause: string }) =>
  `${r.direction} ${r.recipientDomain ?? '-'} ${r.cause}`;

async function jsonReport(args: string[], env: Record<string, string> = {}): Promise<Report> {
  const r = await run([...args, '--format', 'json'], { env: { ...process.env, TZ: 'UTC', ...env } });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return ReportSchema.parse(JSON.parse(r.stdout));
}

describe('samples/postfix/mail.log through bin/maillog-doctor', () => {
  test('finds exactly the planted problems, per direction, domain and cause', async () => {
    const report = await jsonReport([SAMPLE]);
    // A (direction, domain, cause) group may split by hint into several findings: add them up.
    const got = new Map<string, { count: number; findings: number; distinct: number }>();
    for (const f of report.findings) {
      const g = got.get(key(f)) ?? { count: 0, findings: 0, distinct: 0 };
      g.count += f.count;
      g.findings++;
      g.distinct = f.distinctRecipients;
      got.set(key(f), g);
    }
    expect([...got.keys()].sort()).toEqual(expected.map(key).sort());
    for (const e of expected) {
      const g = got.get(key(e))!;
      expect(g.count, key(e)).toBe(e.count);
      if (g.findings === 1) expect(g.distinct, key(e)).toBe(e.distinctRecipients);
    }
  });

  test('the biggest problem comes first, with its setting and a command to confirm it', async () => {
    const report = await jsonReport([SAMPLE]);
    const top = report.findings[0]!;
    expect(top).toMatchObject({
      rank: 1,
      mta: 'postfix',
      direction: 'inbound',
      recipientDomain: 'example.com',
      cause: 'user-unknown',
      hint: 'virtual_alias_maps',
      permanent: true,
      rule: 'postfix.inbound.virtual-alias-unknown',
      rules: [{ rule: 'postfix.inbound.virtual-alias-unknown', count: 78 }],
      smtpCodes: [550],
      enhancedStatus: ['5.1.1'],
      // 78 NOQUEUE refusals of 58 recipients in 31 SMTP transactions (client, sender, second).
      messages: 31,
      count: 78,
      distinctRecipients: 58,
      hosts: [{ host: 'mx1', count: 78 }],
    });
    expect(top.verify).toMatch(/postconf -hx virtual_alias_maps .*postmap -q '[^']+@example\.com'/);
    expect(top.examples).toHaveLength(3);
    expect(top.topRecipients.length).toBeGreaterThan(0);
    expect(top.topRecipients.length).toBeLessThanOrEqual(5);
    // ranks are 1..n; deliveries lost (at least) never increase, nor messages among equals
    report.findings.forEach((f, i) => {
      expect(f.rank).toBe(i + 1);
      const before = report.findings[i - 1];
      if (before === undefined) return;
      expect(lostAtLeast(f)).toBeLessThanOrEqual(lostAtLeast(before));
      if (lostAtLeast(f) === lostAtLeast(before)) expect(f.messages).toBeLessThanOrEqual(before.messages);
    });
    // Ten deferrals of one message (then its expiry) rank below five recipients' bounces.
    const retried = report.findings.find((f) => f.recipientDomain === 'harborview-travel.com')!;
    expect([retried.messages, retried.count, retried.permanent]).toEqual([1, 10, true]);
    expect(retried.rank).toBeGreaterThan(report.findings.find((f) => f.cause === 'mailbox-disabled' && f.recipientDomain === 'gmail.com')!.rank);
    expect(report.summary).toMatchObject({
      linesRead: 5021,
      linesUnrecognised: 0,
      firstSeen: '2026-11-22T00:06:22.000Z',
      lastSeen: '2026-11-22T23:58:42.000Z',
    });
    expect(report.summary.linesRecognised + report.summary.linesIgnored).toBe(5021);
  });

  test('the three rotated files in one call: gzip, RFC 3339 and classic, correlation across files', async () => {
    // The sample server is in CET: read in that zone, classic and RFC 3339 files agree.
    const report = await jsonReport(['samples/postfix/mail.log.2.gz', 'samples/postfix/mail.log.1', SAMPLE], {
      TZ: 'Europe/Paris',
    });
    expect(report.summary.files.map((f) => [f.path, f.format, f.lines, f.unrecognised])).toEqual([
      ['samples/postfix/mail.log.2.gz', 'postfix (gzip)', 5114, 0],
      ['samples/postfix/mail.log.1', 'postfix', 5055, 0],
      [SAMPLE, 'postfix', 5021, 0],
    ]);
    expect(report.summary.firstSeen).toMatch(/^2026-11-19T23:/); // Nov 20 00:0x CET
    expect(report.summary.lastSeen).toBe('2026-11-22T22:58:42.000Z');
    const total = report.findings.reduce((n, f) => n + f.count, 0);
    expect(total).toBe(342 + 429 + 409);
  });

  test('CSV: a real CSV parser reads back one row per finding with the same values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mld-e2e-'));
    const csvPath = join(dir, 'report.csv');
    const r = await run([SAMPLE, '--csv', csvPath, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = ReportSchema.parse(JSON.parse(r.stdout));
    const rows: Record<string, string>[] = parse(readFileSync(csvPath, 'utf8'), { columns: true });
    expect(rows).toHaveLength(report.findings.length);
    rows.forEach((row, i) => {
      const f = report.findings[i]!;
      expect(row).toMatchObject({
        rank: String(f.rank),
        mta: f.mta,
        direction: f.direction,
        recipient_domain: f.recipientDomain ?? '',
        cause: f.cause,
        hint: f.hint,
        permanent: String(f.permanent),
        rule: f.rule,
        messages: String(f.messages),
        count: String(f.count),
        distinct_recipients: String(f.distinctRecipients),
        smtp_codes: f.smtpCodes.join(' '),
        first_seen: f.firstSeen,
        last_seen: f.lastSeen,
        hosts: f.hosts.map((h) => `${h.host} (${h.count})`).join('; '),
      });
      // Nothing a spreadsheet would execute.
      for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    });
  });

  test('two hosts: one fleet view listing the hosts per finding, or with --by host a finding per host', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mld-e2e-'));
    const mx2 = join(dir, 'mx2.log');
    // The same day on a second MX: its lines name mx2.
    writeFileSync(mx2, readFileSync(join(ROOT, SAMPLE), 'utf8').replace(/^(\w{3} [ \d]\d [\d:]{8}) mx1 /gm, '$1 mx2 '));
    const fleet = await jsonReport([SAMPLE, mx2]);
    const single = await jsonReport([SAMPLE]);
    expect(fleet.findings.length).toBe(single.findings.length);
    const top = fleet.findings[0]!;
    expect([top.recipientDomain, top.cause, top.count, top.messages]).toEqual(['example.com', 'user-unknown', 156, 62]);
    expect(top.hosts).toEqual([
      { host: 'mx1', count: 78 },
      { host: 'mx2', count: 78 },
    ]);

    const split = await jsonReport([SAMPLE, mx2, '--by', 'host']);
    expect(split.findings.length).toBe(2 * single.findings.length);
    const tops = split.findings.filter((f) => f.recipientDomain === 'example.com' && f.hint === 'virtual_alias_maps' && f.direction === 'inbound');
    expect(tops.map((f) => [f.rank, f.count, f.messages, f.hosts])).toEqual([
      [1, 78, 31, [{ host: 'mx1', count: 78 }]],
      [2, 78, 31, [{ host: 'mx2', count: 78 }]],
    ]);

    const text = (await run([SAMPLE, mx2, '--width', '120'])).stdout;
    expect(text.split('\n').find((l) => /^\s+#\s/.test(l))).toMatch(/^\s+#\s+host\s+msgs\s+count\s/);
    expect(text).toMatch(/^!\s+1\s+2 hosts\s+62\s+156\s+in\s/m);
    expect(text).toMatch(/hosts: +mx1 \(78\), mx2 \(78\)\n/);
    const byHost = (await run([SAMPLE, mx2, '--by', 'host', '--width', '120'])).stdout;
    expect(byHost).toMatch(/^!\s+1\s+mx1\s+31\s+78\s+in\s/m);
    expect(byHost).toMatch(/^!\s+2\s+mx2\s+31\s+78\s+in\s/m);
    expect(byHost).not.toContain('hosts:');

    const csv: Record<string, string>[] = parse((await run([SAMPLE, mx2, '--format', 'csv'])).stdout, { columns: true });
    expect(csv[0]).toMatchObject({ mta: 'postfix', hosts: 'mx1 (78); mx2 (78)', messages: '62', count: '156', permanent: 'true' });
  });

  test('text report: ranked table, 5xx marked, verify lines, totals', async () => {
    const r = await run([SAMPLE, '--width', '100']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^\d+ findings from 342 rejections, bounces and deferrals/);
    const first = lines.find((l) => /^!\s+1\s/.test(l))!;
    expect(first).toMatch(/^!\s+1\s+31\s+78\s+in\s+550 5\.1\.1\s+example\.com\s+user-unknown\s+virtual_alias_maps$/);
    expect(r.stdout).toMatch(/impact: +31 messages, 78 attempts, 58 recipients\n/);
    // One MTA and one host: neither an mta nor a host column, no hosts lines.
    expect(lines.find((l) => /^\s+#\s/.test(l))).toMatch(/^\s+#\s+msgs\s+count\s+dir\s+codes/);
    expect(r.stdout).not.toContain('hosts:');
    expect(r.stdout).toMatch(/verify: +for m in \$\(postconf -hx virtual_alias_maps/);
    expect(r.stdout).toContain('read 5021, recognised');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
  });
});

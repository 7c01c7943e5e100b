/**
 * The built executable on the shipped Exim samples (mainlog and rejectlog of one day, read
 * together), checked against samples/exim/expected.json: every planted problem by direction,
 * domain and cause, as samples/exim/README.md counts them. Then a mixed run with the Postfix
 * sample: each file is detected on its own, and the findings are the union of both runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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

const MAINLOG = 'samples/exim/mainlog';
const REJECTLOG = 'samples/exim/rejectlog';
const POSTFIX = 'samples/postfix/mail.log';
const expected: ExpectedRow[] = JSON.parse(readFileSync(join(ROOT, 'samples/exim/expected.json'), 'utf8'));
const key = (r: { direction: string; recipientDomain: string | null; cause: string }) =>
  `${r.direction} ${r.recipientDomain ?? '-'} ${r.cause}`;

async function jsonReport(args: string[]): Promise<Report> {
  const r = await run([...args, '--format', 'json'], { env: { ...process.env, TZ: 'UTC' } });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return ReportSchema.parse(JSON.parse(r.stdout));
}

/** Findings added up per (direction, domain, cause): a group may split by hint. */
function grouped(report: Report): Map<string, { count: number; findings: number; distinct: number }> {
  const got = new Map<string, { count: number; findings: number; distinct: number }>();
  for (const f of report.findings) {
    const g = got.get(key(f)) ?? { count: 0, findings: 0, distinct: 0 };
    g.count += f.count;
    g.findings++;
    g.distinct = f.distinctRecipients;
    got.set(key(f), g);
  }
  return got;
}

const total = (report: Report) => report.findings.reduce((n, f) => n + f.count, 0);

describe('samples/exim through bin/maillog-doctor', () => {
  test('finds exactly the planted problems, per direction, domain and cause', async () => {
    const got = grouped(await jsonReport([MAINLOG, REJECTLOG]));
    expect([...got.keys()].sort()).toEqual(expected.map(key).sort());
    for (const e of expected) {
      const g = got.get(key(e))!;
      expect(g.count, key(e)).toBe(e.count);
      if (g.findings === 1) expect(g.distinct, key(e)).toBe(e.distinctRecipients);
    }
    // README: 44 refusals, 6 bounces, 10 deferrals.
    expect(expected.reduce((n, e) => n + e.count, 0)).toBe(60);
  });

  test('each refusal counts once, whichever of mainlog and rejectlog comes first', async () => {
    const a = await jsonReport([MAINLOG, REJECTLOG]);
    const b = await jsonReport([REJECTLOG, MAINLOG]);
    expect(grouped(b)).toEqual(grouped(a));
    expect(a.summary.eventsByKind.reject).toBe(44);
    expect(b.summary.eventsByKind.reject).toBe(44);
  });

  test('the biggest problem comes first: the dictionary attack (one message, 12 recipients lost)', async () => {
    const report = await jsonReport([MAINLOG, REJECTLOG]);
    // Twelve RCPTs refused in one connection ([192.0.2.66]:51344): one message, but twelve
    // recipients refused, which outweighs six single-recipient messages; permanent though Exim
    // logged no code.
    const attack = report.findings[0]!;
    expect(attack).toMatchObject({
      rank: 1,
      mta: 'exim',
      direction: 'inbound',
      recipientDomain: 'example.org',
      cause: 'user-unknown',
      hint: 'verify = recipient (acl_smtp_rcpt): no router accepted',
      permanent: true,
      smtpCodes: [],
      messages: 1,
      count: 12,
      distinctRecipients: 12,
      distinctClients: 1,
      hosts: [],
    });
    // The whole local part against the keys of /etc/aliases, as lsearch reads them (not grep -F: `info` is in `information`).
    expect(attack.verify).toMatch(/^exim -bt -- '[^']+@example\.org'; K='[^']+' awk '[^']+' \/etc\/aliases$/);
    const dnsbl = report.findings.find((f) => f.rule === 'exim.inbound.dnslists')!;
    expect(dnsbl).toMatchObject({
      rank: 2,
      direction: 'inbound',
      recipientDomain: 'example.org',
      cause: 'blocklisted',
      hint: 'dnslists (ACL)',
      permanent: true,
      messages: 6,
      count: 6,
    });
    expect(dnsbl.verify).toContain("exim -bh '192.0.2.140'");
    expect(dnsbl.verify).toContain('alice@example.org');
    expect(report.summary).toMatchObject({
      linesRead: 632,
      linesUnrecognised: 0,
      eventsByKind: { reject: 44, delivery: 109, notification: 6 },
      eventsByStatus: { sent: 93, bounced: 5, deferred: 10, expired: 1 },
      firstSeen: '2026-11-22T00:12:00.000Z',
      lastSeen: '2026-11-22T22:35:15.000Z',
    });
    expect(report.summary.files.map((f) => [f.path, f.format, f.lines, f.unrecognised])).toEqual([
      [MAINLOG, 'exim', 519, 0],
      [REJECTLOG, 'exim', 113, 0],
    ]);
    report.findings.forEach((f, i) => {
      expect(f.rank).toBe(i + 1);
      if (i > 0) expect(lostAtLeast(f)).toBeLessThanOrEqual(lostAtLeast(report.findings[i - 1]!));
    });
  });

  test('text report: ranked table with Exim hints and verify commands', async () => {
    const r = await run([MAINLOG, REJECTLOG, '--width', '120']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^25 findings from 60 rejections, bounces and deferrals/);
    expect(lines.find((l) => /^.\s+1\s/.test(l))).toMatch(/^!\s+1\s+1\s+12\s+in\s+-\s+example\.org\s+user-unknown\s+verify = recipient \(acl_smtp_rcpt\): no router/);
    expect(lines.find((l) => /^.\s+2\s/.test(l))).toMatch(/^!\s+2\s+6\s+6\s+in\s+-\s+example\.org\s+blocklisted\s+dnslists \(ACL\)$/);
    expect(r.stdout).toMatch(/impact: +1 message, 12 attempts, 12 recipients\n/);
    expect(r.stdout).toMatch(/verify: +exim -bt -- 'info@example\.org'/);
    expect(r.stdout).toContain('exim -bP +local_domains +relay_to_domains +relay_from_hosts');
    expect(r.stdout).toContain('read 632, recognised');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(120);
  });
});

describe('a mixed run: Postfix and Exim logs in one call', () => {
  test('each file is detected on its own and the findings are the union of both runs', async () => {
    const [postfix, exim, mixed] = await Promise.all([
      jsonReport([POSTFIX]),
      jsonReport([MAINLOG, REJECTLOG]),
      jsonReport([POSTFIX, MAINLOG, REJECTLOG]),
    ]);
    expect(mixed.summary.files.map((f) => [f.path, f.format, f.lines, f.unrecognised])).toEqual([
      [POSTFIX, 'postfix', 5021, 0],
      [MAINLOG, 'exim', 519, 0],
      [REJECTLOG, 'exim', 113, 0],
    ]);
    expect(total(postfix)).toBe(342);
    expect(total(exim)).toBe(60);
    expect(total(mixed)).toBe(342 + 60);
    expect(mixed.summary.linesRead).toBe(5021 + 632);
    expect(mixed.summary.eventsByKind.reject).toBe(postfix.summary.eventsByKind.reject + 44);

    // Per (direction, domain, cause): the mixed count is the Postfix count plus the Exim count.
    const sum = new Map<string, number>();
    for (const g of [grouped(postfix), grouped(exim)]) for (const [k, v] of g) sum.set(k, (sum.get(k) ?? 0) + v.count);
    const got = new Map([...grouped(mixed)].map(([k, v]) => [k, v.count]));
    expect(new Map([...got].sort())).toEqual(new Map([...sum].sort()));

    // Every Exim finding keeps its Exim hint (no Postfix rule classified an Exim line).
    const eximHints = new Set(exim.findings.map((f) => `${key(f)} ${f.hint}`));
    for (const h of eximHints) expect(mixed.findings.some((f) => `${key(f)} ${f.hint}` === h), h).toBe(true);
    // Findings of the two MTAs never merge: each mixed finding is one of either run, with its MTA.
    const ident = (f: Report['findings'][number]) => `${f.mta} ${key(f)} ${f.hint} ${f.count} ${f.messages} ${f.verify}`;
    expect(mixed.findings.map(ident).sort()).toEqual([...postfix.findings, ...exim.findings].map(ident).sort());
  });

  test('text: with two MTAs in the run, an mta column', async () => {
    const r = await run([POSTFIX, MAINLOG, REJECTLOG, '--width', '120']);
    const lines = r.stdout.split('\n');
    expect(lines.find((l) => /^\s+#\s/.test(l))).toMatch(/^\s+#\s+mta\s+msgs\s+count\s+dir/);
    expect(lines.find((l) => /^.\s+1\s/.test(l))).toMatch(/^!\s+1\s+postfix\s+31\s+78\s+in\s/);
    expect(lines.some((l) => /^!\s+\d+\s+exim\s+6\s+6\s+in\s+-\s+example\.org\s+blocklisted/.test(l))).toBe(true);
  });
});

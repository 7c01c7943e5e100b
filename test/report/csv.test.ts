import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import type { Finding } from '../../src/aggregate/types.js';
import { CSV_COLUMNS, csvTextCell, renderCsv } from '../../src/report/csv.js';
import { cls, delivery, reject } from '../aggregate/fixtures.js';
import { ESC, reportOf, sampleReport } from './fixtures.js';

const readBack = (csv: string): Array<Record<string, string>> => parse(csv, { columns: true, bom: false });

/** What a finding should read back as (before formula neutralisation). */
const expectedRow = (f: Finding): Record<string, string> => ({
  rank: String(f.rank),
  mta: f.mta,
  direction: f.direction,
  recipient_domain: f.recipientDomain ?? '',
  cause: f.cause,
  hint: f.hint,
  permanent: String(f.permanent),
  action: f.action,
  action_reason: f.actionReason,
  suggestion: f.suggestion ?? '',
  rule: f.rule,
  messages: String(f.messages),
  count: String(f.count),
  distinct_recipients: String(f.distinctRecipients),
  distinct_senders: String(f.distinctSenders),
  distinct_clients: String(f.distinctClients),
  smtp_codes: f.smtpCodes.join(' '),
  enhanced_status: f.enhancedStatus.join(' '),
  first_seen: f.firstSeen ?? '',
  last_seen: f.lastSeen ?? '',
  hosts: f.hosts.map((h) => `${h.host} (${h.count})`).join('; '),
  top_recipients: f.topRecipients.map((r) => `${r.address} (${r.count})`).join('; '),
  verify: f.verify,
  advice: f.advice,
  example: f.examples[0] ?? '',
  onset: f.onset ?? '',
  onset_note: f.onsetNote,
  after: f.after ?? '',
});

describe('renderCsv', () => {
  test('starts with the header row, without a BOM', () => {
    expect(renderCsv(sampleReport()).split('\r\n')[0]).toBe(CSV_COLUMNS.join(','));
  });

  test('ends every record with CRLF and has no bare LF', () => {
    const out = renderCsv(sampleReport());
    expect([out.endsWith('\r\n'), out.replace(/\r\n/g, '').includes('\n')]).toEqual([true, false]);
  });

  test('an empty report is just the header', () => {
    expect(renderCsv(reportOf([]))).toBe(CSV_COLUMNS.join(',') + '\r\n');
  });

  test('reads back with csv-parse as one row per finding, equal to the findings', () => {
    const report = sampleReport();
    expect(readBack(renderCsv(report))).toEqual(report.findings.map(expectedRow));
  });

  test('has the columns mta, permanent, rule, messages and hosts', () => {
    const report = reportOf([
      [reject({ host: 'mx1', mta: 'exim' }), cls({ rule: 'exim.unknown-user' })],
      [reject({ host: 'mx2', mta: 'exim', time: '2024-05-01T10:00:09Z' }), cls({ rule: 'exim.unknown-user' })],
    ]);
    const [row] = readBack(renderCsv(report));
    expect([row!.mta, row!.permanent, row!.rule, row!.messages, row!.count, row!.hosts]).toEqual([
      'exim',
      'true',
      'exim.unknown-user',
      '2',
      '2',
      'mx1 (1); mx2 (1)',
    ]);
  });

  test('round-trips commas and double quotes exactly', () => {
    const hint = 'smtpd_recipient_restrictions = reject_unauth_destination, "check_policy"';
    const report = reportOf([[reject({ raw: 'a,"b",c' }), cls({ hint, advice: 'Say "yes", then no.' })]]);
    const [row] = readBack(renderCsv(report));
    expect([row!.hint, row!.advice, row!.example]).toEqual([hint, 'Say "yes", then no.', 'a,"b",c']);
  });

  test('a newline inside a cell becomes a space and never splits the record', () => {
    const report = reportOf([[reject({ raw: 'first\nsecond\r\nthird' }), cls()]]);
    const rows = readBack(renderCsv(report));
    expect([rows.length, rows[0]!.example]).toEqual([1, 'first second  third']);
  });

  test('strips escape sequences and control characters from cells', () => {
    const report = reportOf([[reject({ raw: `a${ESC}[2Jb${ESC}]0;t\u0007c\u0000d` }), cls()]]);
    expect(readBack(renderCsv(report))[0]!.example).toBe('abcd');
  });

  test('neutralises formula injection in every text cell, leaving numbers alone', () => {
    const report = reportOf([
      [
        delivery({ to: '=HYPERLINK("http://evil.test","x")@example.com', raw: '-1+1' }),
        cls({ hint: '+cmd|" /C calc"!A0', verify: '@SUM(1+1)', advice: '=1+2' }),
      ],
    ]);
    const row = readBack(renderCsv(report))[0]!;
    expect([row.top_recipients, row.hint, row.verify, row.advice, row.example, row.rank, row.count]).toEqual([
      `'=HYPERLINK("http://evil.test","x")@example.com (1)`,
      `'+cmd|" /C calc"!A0`,
      "'@SUM(1+1)",
      "'=1+2",
      "'-1+1",
      '1',
      '1',
    ]);
  });

  test('neutralises a formula hidden behind leading spaces or a tab', () => {
    expect([csvTextCell('  =1+1'), csvTextCell('\t=1+1')]).toEqual(["'  =1+1", "' =1+1"]);
  });

  test('neutralises a formula behind no-break or Unicode spaces, a BOM or zero-width characters', () => {
    for (const lead of ['\u00a0', '\u2007', '\u3000', '\ufeff', '\u200b', '\u200b\u00a0 ', '\u202e']) {
      const cell = csvTextCell(`${lead}=HYPERLINK("http://evil.test")`);
      expect(cell.startsWith("'"), JSON.stringify(lead)).toBe(true);
    }
  });

  test('neutralises the fullwidth, small and minus-sign forms of the triggers', () => {
    for (const t of ['＝', '＋', '－', '＠', '﹦', '﹢', '﹣', '﹫', '−']) {
      expect(csvTextCell(`${t}1+1`)).toBe(`'${t}1+1`);
    }
  });

  test('leaves ordinary text cells unprefixed', () => {
    expect(csvTextCell('postmap -q a@example.com hash:/etc/postfix/virtual')).toBe(
      'postmap -q a@example.com hash:/etc/postfix/virtual',
    );
  });

  test('after neutralising, every data row parses back to the finding values', () => {
    const report = reportOf([
      [reject({ to: '+cmd@x.example', raw: '@SUM(A1)' }), cls()],
      [reject({ to: 'plain@y.example' }), cls({ hint: 'other' })],
    ]);
    const unquote = (s: string) => (/^'(?:\s*[=+\-@])/.test(s) ? s.slice(1) : s);
    const rows = readBack(renderCsv(report)).map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, unquote(v)])));
    expect(rows).toEqual(report.findings.map(expectedRow));
  });
});

import { describe, expect, test } from 'vitest';
import type { Classification } from '../../src/classify/types.js';
import type { MailEvent } from '../../src/event.js';
import { codesCell, renderText } from '../../src/report/text.js';
import { shellWords } from '../../src/text/shell-wrap.js';
import { displayWidth } from '../../src/text/width.js';
import { cls, delivery, reject, temp } from '../aggregate/fixtures.js';
import { ESC, reportOf, sampleReport } from './fixtures.js';

const lines = (s: string): string[] => s.replace(/\n$/, '').split('\n');
/** A table row or the header: the `!` and `*` markers, then the rank. */
const ROW_RE = /^[! ][* ] *(#|\d+) /;
/** fail2ban lines of the harvest section: pasted into a jail or a shell, never cut (like verify). */
const pasted = (l: string): boolean => /^ {4}(?:fail2ban|ban now):/.test(l);

/**
 * Line `i` belongs to a verify command (its first line or a continuation of one) and is too
 * wide only because its last unit cannot be broken (a word, with the options glued to it) and
 * would not fit on a line of its own either.
 */
function unbreakableVerifyLine(all: string[], i: number, width: number): boolean {
  let k = i;
  while (k > 0 && !all[k]!.includes('verify:  ') && all[k - 1]!.endsWith(' \\')) k--;
  if (!all[k]!.includes('verify:  ')) return false;
  const indent = all[k]!.indexOf('verify:  ') + 'verify:  '.length;
  const text = all[i]!.slice(indent).replace(/ \\$/, '');
  const words = shellWords(text).filter((_, j) => j % 2 === 0);
  let j = words.length - 1;
  while (j > 0 && words[j - 1]!.startsWith('-')) j--;
  return indent + displayWidth(words.slice(j).join(' ')) + 2 > width;
}

/** Twelve findings with long, wide and hostile cells. */
function busyReport() {
  const items: Array<[MailEvent, Classification]> = [];
  for (let i = 0; i < 12; i++) {
    for (let n = 0; n <= 12 - i; n++) {
      items.push([
        reject({
          to: `user${n}@very-long-subdomain-${i}.department.example-company.co.uk`,
          raw: `May  1 10:00:00 mx1 postfix/smtpd[1]: NOQUEUE: reject: ${'x'.repeat(200)}`,
        }),
        cls({
          hint: `smtpd_recipient_restrictions check_recipient_access hash:/etc/postfix/access-${i} 日本語`,
          advice: 'A long piece of advice that certainly does not fit on one line of a narrow terminal, so it wraps.',
          verify: `postmap -q user${n}@very-long-subdomain-${i}.department.example-company.co.uk hash:/etc/postfix/access`,
        }),
      ]);
    }
  }
  return reportOf(items, { linesRead: 1000, files: [{ path: '/var/log/' + 'deep/'.repeat(30) + 'mail.log', format: 'postfix', lines: 1000, unrecognised: 0 }] });
}

describe('renderText', () => {
  test.for([40, 60, 80, 100, 160])('fits every line into %i columns, but for verify words that cannot be broken', (width) => {
    const all = lines(renderText(busyReport(), { width }));
    const over = all.filter((l, i) => displayWidth(l) > width && !unbreakableVerifyLine(all, i, width) && !pasted(l));
    expect(over).toEqual([]);
  });

  test('a verify command is continued with ` \\` at top-level spaces, never cut', () => {
    const all = lines(renderText(busyReport(), { width: 60 }));
    const start = all.findIndex((l) => l.includes('verify:  '));
    // `-q` keeps its value; the unit too wide for any line stands alone, whole.
    expect(all.slice(start, start + 3).map((l) => l.trim())).toEqual([
      'verify:  postmap \\',
      '-q user0@very-long-subdomain-0.department.example-company.co.uk \\',
      'hash:/etc/postfix/access',
    ]);
  });

  test('uses 100 columns by default', () => {
    const widest = Math.max(...lines(renderText(busyReport())).filter((l) => !pasted(l)).map(displayWidth));
    expect(widest).toBe(100);
  });

  test('truncates long cells with an ellipsis', () => {
    const row = lines(renderText(busyReport(), { width: 80 })).find((l) => l.startsWith('!  1 '))!;
    expect(row.endsWith('…')).toBe(true);
  });

  test('lists findings in rank order under a header row', () => {
    const out = lines(renderText(sampleReport()));
    expect(out.filter((l) => ROW_RE.test(l))).toEqual([
      '  #  msgs  count  dir  codes      domain       cause         hint',
      '! 1     3      3  in   550 5.1.1  example.com  user-unknown  virtual_alias_maps',
      '! 2     1      1  out  550 5.1.1  remote.test  user-unknown  remote says user unknown',
      '  3     1      1  in   450 4.2.0  example.org  greylisted    postgrey',
    ]);
  });

  test('marks permanent (5xx) findings with ! and temporary ones without', () => {
    const rows = lines(renderText(sampleReport())).filter((l) => /^[! ][* ] *\d+ /.test(l));
    expect(rows.map((r) => r[0])).toEqual(['!', '!', ' ']);
  });

  test('shows 5xx codes before 4xx codes', () => {
    expect(codesCell({ smtpCodes: [421, 450, 550, 554], enhancedStatus: ['4.7.1', '5.1.1'] })).toBe('550,554,421,450 5.1.1,4.7.1');
  });

  test('shows a dash when a finding has no codes', () => {
    expect(codesCell({ smtpCodes: [], enhancedStatus: [] })).toBe('-');
  });

  test('prints verify and advice under the top 10 findings only', () => {
    const out = lines(renderText(busyReport(), { width: 200 }));
    expect([out.filter((l) => l.trim().startsWith('verify:')).length, out.filter((l) => l.trim().startsWith('advice:')).length]).toEqual([10, 10]);
  });

  test('the impact line, the onset line, then the verify line, follow their finding row', () => {
    const out = lines(renderText(sampleReport()));
    const i = out.findIndex((l) => l.includes('greylisted'));
    expect([out[i + 1]!.trim(), out[i + 2]!.trim(), out[i + 3]!.trim(), out[i + 4]!.trim()]).toEqual([
      'impact:  1 message, 1 attempt, 1 recipient',
      'action:  informational: our filters refused a stranger’s mail, as configured: act only if a',
      'wanted sender is among them',
      'onset:   since 11:00, once',
    ]);
    expect(out[i + 5]!.trim()).toBe('verify:  postgrey --dump');
  });

  test('impact counts messages and attempts, in the plural when not one', () => {
    const deferred = (time: string): [MailEvent, Classification] => [
      reject({ queueId: 'Q1', to: 'a@example.org', time, smtpCode: 450 }),
      temp(),
    ];
    const report = reportOf([deferred('2024-05-01T10:00:00Z'), deferred('2024-05-01T10:10:00Z'), deferred('2024-05-01T10:20:00Z')]);
    expect(renderText(report)).toContain('impact:  1 message, 3 attempts, 1 recipient');
    expect(renderText(sampleReport())).toContain('impact:  3 messages, 3 attempts, 2 recipients');
  });

  test('a permanent finding without codes (an Exim ACL refusal) still gets its ! and bold red', () => {
    const report = reportOf([[reject({ mta: 'exim', smtpCode: null, enhancedStatus: null }), cls()]]);
    const row = lines(renderText(report, { color: true })).find((l) => l.includes('user-unknown'))!;
    expect(row.startsWith(`${ESC}[1;31m! 1`)).toBe(true);
  });

  test('an mta column only when the run holds more than one MTA', () => {
    const one = lines(renderText(sampleReport()));
    expect(one.find((l) => l.includes('#'))).not.toContain('mta');
    const two = lines(renderText(reportOf([[reject({ mta: 'exim' }), cls()], [reject({ mta: 'postfix', to: 'x@b.example' }), cls()]])));
    expect(two.filter((l) => ROW_RE.test(l))).toEqual([
      '  #  mta      msgs  count  dir  codes      domain       cause         hint',
      '! 1  exim        1      1  in   550 5.1.1  example.com  user-unknown  virtual_alias_maps',
      '! 2  postfix     1      1  in   550 5.1.1  b.example    user-unknown  virtual_alias_maps',
    ]);
  });

  test('with several hosts: a host column (the host, or how many) and a hosts line with counts', () => {
    const report = reportOf([
      [reject({ host: 'mx1', time: '2024-05-01T10:00:01Z' }), cls()],
      [reject({ host: 'mx2', time: '2024-05-01T10:00:02Z' }), cls()],
      [reject({ host: 'mx2', time: '2024-05-01T10:00:03Z' }), cls()],
      [reject({ host: 'mx2', to: 'a@b.example' }), cls()],
    ]);
    const out = lines(renderText(report));
    expect(out.filter((l) => ROW_RE.test(l))).toEqual([
      '  #  host     msgs  count  dir  codes      domain       cause         hint',
      '! 1  2 hosts     3      3  in   550 5.1.1  example.com  user-unknown  virtual_alias_maps',
      '! 2  mx2         1      1  in   550 5.1.1  b.example    user-unknown  virtual_alias_maps',
    ]);
    expect(out.filter((l) => l.includes('hosts:')).map((l) => l.trim())).toEqual(['hosts:   mx2 (2), mx1 (1)']);
    expect(renderText(sampleReport())).not.toContain('hosts:');
  });

  test('never writes an escape sequence from an example, hint or domain', () => {
    const report = reportOf([
      [
        reject({ to: `a@evil${ESC}[31m.example`, raw: `before ${ESC}[2J${ESC}]0;owned\u0007 \u009b6n after` }),
        cls({ hint: `h${ESC}]8;;http://x.test\u0007link${ESC}]8;;\u0007` }),
      ],
    ]);
    const out = renderText(report);
    expect(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(out)).toBe(false);
  });

  test('keeps the readable part of a hostile example', () => {
    const report = reportOf([[reject({ raw: `before ${ESC}[2J${ESC}]0;owned\u0007after` }), cls()]]);
    expect(renderText(report)).toContain('example: before after');
  });

  test('strips bidi overrides from log text', () => {
    const report = reportOf([[reject({ to: 'a@\u202eelpmaxe.com' }), cls()]]);
    expect(renderText(report).includes('\u202e')).toBe(false);
  });

  test('with color, wraps permanent rows in bold red SGR and nothing else', () => {
    const out = lines(renderText(sampleReport(), { color: true }));
    expect(out.filter((l) => l.includes(ESC)).map((l) => [l.startsWith(`${ESC}[1;31m!`), l.endsWith(`${ESC}[0m`)])).toEqual([
      [true, true],
      [true, true],
    ]);
  });

  test('without color there is no escape character at all', () => {
    expect(renderText(sampleReport()).includes(ESC)).toBe(false);
  });

  test('says plainly when there are no findings', () => {
    expect(lines(renderText(reportOf([])))[0]).toBe('No rejections, bounces or deferrals found.');
  });

  test('prints the totals: lines, events, time span, files with formats and errors', () => {
    const out = renderText(sampleReport(), { width: 200 });
    expect(out.slice(out.indexOf('Totals'))).toBe(
      [
        'Totals',
        '  lines:     read 120, recognised 100, ignored 15, unrecognised 5',
        '  events:    rejects 4, bounces 1, deferrals 0',
        '  time span: 2024-05-01T08:00:00Z to 2024-05-01T12:00:00Z',
        '  files:     /var/log/mail.log (postfix, lines 100, unrecognised 5)',
        '             /var/log/mail.log.1.gz (unknown (gzip), lines 20) error: unexpected end of file',
        '',
        '5 lines were not recognised; run with --unrecognised FILE to see them.',
        '',
      ].join('\n'),
    );
  });

  test('has no unrecognised hint when every line was recognised', () => {
    expect(renderText(sampleReport({ linesUnrecognised: 0 }))).not.toContain('not recognised');
  });

  test('reports memory caps that overflowed', () => {
    expect(renderText(sampleReport({ overflow: { queueIds: 7 } }))).toContain('memory caps reached (queueIds 7)');
  });

  test('maxRows limits the table and says how many were left out', () => {
    const out = lines(renderText(busyReport(), { maxRows: 3, details: 0 }));
    expect([out.filter((l) => /^[! ][* ] *\d+ /.test(l)).length, out.includes('… and 9 more findings not shown.')]).toEqual([3, true]);
  });

  test('keeps wide characters within the width', () => {
    const report = reportOf([[reject({ to: 'a@日本語日本語日本語日本語日本語.jp' }), temp({ hint: '日本語'.repeat(20) })]]);
    expect(lines(renderText(report, { width: 50 })).every((l) => displayWidth(l) <= 50)).toBe(true);
  });
});

describe('renderText: act or not, harvest and backscatter', () => {
  const attack = (): Array<[MailEvent, Classification]> =>
    Array.from({ length: 25 }, (_, i) => [
      reject({ to: `guess${i}@example.com`, time: `2024-05-01T10:00:${String(i).padStart(2, '0')}Z`, client: { name: null, ip: '203.0.113.9', port: null } }),
      cls(),
    ]);

  test('an actionable finding carries * beside its ! and an action line says why', () => {
    const report = reportOf([[reject({ to: 'a@example.com' }), cls({ direction: 'local' })]]);
    const out = lines(renderText(report));
    expect(out.find((l) => ROW_RE.test(l) && l.includes('example.com'))).toMatch(/^!\*1 /);
    expect(out.find((l) => l.trim().startsWith('action:'))!.trim()).toMatch(/^action: {2}actionable: accepted, then bounced/);
  });

  test('a harvest gets its section with the setting and a fail2ban line that is never wrapped or cut', () => {
    const out = lines(renderText(reportOf(attack()), { width: 60 }));
    const at = out.indexOf('Directory harvest (1 client network guessing addresses)');
    expect(at).toBeGreaterThan(0);
    expect(out[at + 1]).toBe('  postfix 203.0.113.9: 25 addresses refused as unknown in 25');
    expect(out.find((l) => l.startsWith('    fail2ban: failregex = '))).toContain('<HOST>');
    expect(out.find((l) => l.startsWith('    ban now:  '))).toBe("    ban now:  fail2ban-client set postfix banip '203.0.113.9'");
  });

  test('no harvest or backscatter section when there is none', () => {
    const out = renderText(sampleReport());
    expect([out.includes('Directory harvest'), out.includes('Backscatter risk')]).toEqual([false, false]);
  });

  test('backscatter: its section names the fix', () => {
    const report = reportOf([
      [
        delivery({ to: 'nobody@example.com', agent: 'local', from: 'forged@victim.example', client: { name: null, ip: '203.0.113.50', port: null } }),
        cls({ direction: 'local' }),
      ],
    ]);
    const out = renderText(report, { width: 200 });
    expect(out).toContain('Backscatter risk (this server bounces mail whose sender may be forged)');
    expect(out).toContain('  postfix mail from strangers accepted, then bounced back to them: 1 bounce to 1 address');
    expect(out).toMatch(/setting: smtpd_reject_unlisted_recipient/);
  });
});

describe('examples with their queue id', () => {
  test('the example line starts with its queue id in brackets, sanitised; none for NOQUEUE', () => {
    const withId = renderText(reportOf([[reject({ queueId: '4Xy\u001b[31mZ' }), cls()]]), { width: 200 });
    expect(withId).toMatch(/example: \[4XyZ\] May {2}1 /);
    const without = renderText(reportOf([[reject({ queueId: null }), cls()]]), { width: 200 });
    expect(without).toMatch(/example: May {2}1 /);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { eximParser } from '../../../parsers/exim/index.js';
import { postfixParser } from '../../../parsers/postfix/index.js';
import type { LineResult } from '../../../parsers/types.js';
import { MailEvent } from '../../../src/event.js';
import { CORPUS, haveCorpus } from '../../corpus/counts.js';
import { parseAll, REFERENCE, stripOrigin } from '../../helpers/parse.js';
import { eventCases, nonEventCases } from './events.cases.js';

// Tests that read the shared corpus are skipped without it.
const corpusLines = (file: string): string[] => (haveCorpus ? readFileSync(`${CORPUS}exim/${file}`, 'utf8').split('\n') : []);

describe('exim events from real lines', () => {
  test.for(eventCases)('$name', ({ before = [], line, want }) => {
    const { results, events } = parseAll([...before, line], eximParser);
    const last = results[results.length - 1]!;
    expect(last.status).toBe('recognised');
    // The line's events, wherever they came out: a rejection of a whole message is held until
    // the lines after it (its recipient list) or the end of the run tell what it is.
    const produced = events.filter((ev) => ev.origin.line === before.length + 1);
    expect(produced.map(stripOrigin)).toEqual(want);
    // Every event satisfies the strict schema, and carries its provenance.
    for (const ev of events) expect(MailEvent.parse(ev)).toEqual(ev);
    for (const ev of produced) {
      expect(ev.raw).toBe(line);
      expect(ev.origin).toEqual({ file: 'test.log', line: before.length + 1 });
    }
  });

  test.for(nonEventCases)('$name', ({ line, status, reason }) => {
    const [r] = parseAll([line], eximParser).results;
    expect(r!.status).toBe(status);
    if (status === 'ignored') expect(r).toEqual({ status, reason });
    if (status === 'recognised') expect(r).toEqual({ status, events: [] });
  });
});

describe.skipIf(!haveCorpus)('rejectlog header dumps', () => {
  // Every line of these rejectlogs that does not start with Exim's stamp continues the entry
  // above it (Envelope-from/-to, typed and untyped headers, tab- or space-folded lines).
  test.for([
    'Exim_exim_test-rejectlog-0021.log',
    'Exim_exim_test-rejectlog-0026.log',
    'Exim_exim_test-rejectlog-0227.log',
    'Exim_exim_test-rejectlog-0365.log',
    'Exim_exim_test-rejectlog-0536.log',
    'Exim_exim_test-rejectlog-9400.log',
  ])('%s: continuation lines are ignored as header, entries are not', (file) => {
    const lines = corpusLines(file).filter((l) => l !== '');
    const { results } = parseAll(lines, eximParser);
    lines.forEach((line, i) => {
      // A header line may carry events (a recipient of the entry above it): its status is what counts.
      const r = results[i]!;
      const status = { status: r.status, reason: r.status === 'ignored' ? r.reason : undefined };
      if (/^\d{4}-\d\d-\d\d /.test(line)) expect(status).not.toEqual({ status: 'ignored', reason: 'header' });
      else expect(status).toEqual({ status: 'ignored', reason: 'header' });
    });
  });

  test('an after-DATA entry and its dump (Exim_exim_test-rejectlog-0026, first entry)', () => {
    const lines = corpusLines('Exim_exim_test-rejectlog-0026.log').slice(0, 13);
    const { results } = parseAll(lines, eximParser);
    const statuses = results.map((r) => (r.status === 'ignored' ? r.reason : r.status));
    expect(statuses).toEqual(['recognised', ...Array(11).fill('header'), 'recognised']);
  });

  test('a header-like line in a mainlog after a non-Exim line is not swallowed', () => {
    const { results } = parseAll(['hello world', 'F From: someone@example.org'], eximParser);
    expect(results.map((r) => r.status)).toEqual(['unrecognised', 'unrecognised']);
  });
});

describe.skipIf(!haveCorpus)('one rejection in both mainlog and rejectlog counts once', () => {
  // The same rejection as Exim writes it to both logs (Exim_exim_test-log-0024 line 10 and
  // Exim_exim_test-rejectlog-0024 line 7 are byte-identical).
  const mainLine = corpusLines('Exim_exim_test-log-0024.log')[9]!;
  const rejectLine = corpusLines('Exim_exim_test-rejectlog-0024.log')[6]!;

  function run(files: Array<[string, string[]]>): LineResult[][] {
    const m = eximParser.create();
    return files.map(([file, lines]) => {
      m.begin({ file, reference: REFERENCE });
      return lines.map((l, i) => m.line(l, i + 1));
    });
  }

  test('the corpus lines are the same text', () => {
    expect(rejectLine).toBe(mainLine);
    expect(mainLine).toContain('rejected RCPT <x@ten-2.test.ex>: relay not permitted');
  });

  test('mainlog then rejectlog: the rejectlog copy is ignored as bookkeeping', () => {
    const [main, rej] = run([
      ['mainlog', [mainLine]],
      ['rejectlog', [rejectLine]],
    ]);
    expect(main![0]!.status).toBe('recognised');
    expect(rej![0]).toEqual({ status: 'ignored', reason: 'bookkeeping' });
  });

  test('rejectlog then mainlog: the mainlog copy is ignored', () => {
    const [rej, main] = run([
      ['rejectlog', [rejectLine]],
      ['mainlog', [mainLine]],
    ]);
    expect(rej![0]!.status).toBe('recognised');
    expect(main![0]).toEqual({ status: 'ignored', reason: 'bookkeeping' });
  });

  test('a genuine repeat inside one file counts every time (Exim_exim_test-log-0180 repeats a line)', () => {
    const lines = corpusLines('Exim_exim_test-log-0180.log');
    const [main] = run([['mainlog', [lines[3]!, lines[5]!, lines[6]!]]]);
    expect(lines[5]).toBe(lines[6]);
    expect(main!.map((r) => r.status)).toEqual(['recognised', 'recognised', 'recognised']);
  });

  test('copies are matched one for one: two in mainlog, one in rejectlog', () => {
    const [main, rej] = run([
      ['mainlog', [mainLine, mainLine]],
      ['rejectlog', [rejectLine, rejectLine, rejectLine]],
    ]);
    expect(main!.map((r) => r.status)).toEqual(['recognised', 'recognised']);
    expect(rej!.map((r) => r.status)).toEqual(['ignored', 'ignored', 'recognised']);
  });

  test('the same text at another time is another rejection', () => {
    const later = mainLine.replace('09:44:33', '09:44:34');
    const [, rej] = run([
      ['mainlog', [mainLine]],
      ['rejectlog', [later]],
    ]);
    expect(rej![0]!.status).toBe('recognised');
  });
});

describe.skipIf(!haveCorpus)('correlation', () => {
  test('a bounce after Completed no longer knows the sender (Completed frees the entry)', () => {
    const g = corpusLines('gvengel_exim_exporter_mainlog.log');
    // <= (line 1), Completed (line 6), then the ** of line 4 replayed afterwards.
    const { results } = parseAll([g[0]!, g[5]!, g[3]!], eximParser);
    const r = results[2]!;
    expect(r.status === 'recognised' && r.events[0]!.kind === 'delivery' && r.events[0]!.from).toBe(null);
  });

  test('overflow counters are reported (and zero for a small file)', () => {
    const m = eximParser.create();
    m.begin({ file: 'x', reference: REFERENCE });
    corpusLines('gvengel_exim_exporter_mainlog.log').forEach((l, i) => m.line(l, i + 1));
    expect(m.overflow()).toEqual({ eximMessageIdsEvicted: 0, eximRejectSignaturesEvicted: 0 });
  });
});

describe('format detection', () => {
  test.for([
    '2020-06-19 04:51:49 [123] 1jmFYj-00039V-QX <= noreply@test.corp H=(test.corp) [2.2.2.2] P=smtp S=7386',
    '2022-06-29 15:33:46 H=test.com [1.2.3.4]:53343 F=<info@test.com> rejected RCPT <toto@toto.com>: "JunkMail rejected"',
    '2020-02-22 00:48:41 no host name found for IP address 185.143.223.168',
    '2020-06-20 01:32:57 +0200 [789] 1jmKso-0009d4-Uf ** molly@zee.corp R=dnslookup T=remote_smtp: x',
    'mail.example.com exim[3751842]: 2021-07-17 23:20:49 plain_server authenticator failed for ([192.0.2.17]) [192.0.2.27]: 535 Incorrect authentication data',
    '2016-04-01 11:08:00 info exim[8003]: [8003] SMTP protocol error in "AUTH LOGIN" H=(User) [192.0.2.29]:4816',
    'Nov 22 10:00:00 mx1 exim4[1234]: 2026-11-22 10:00:00 Start queue run: pid=1234',
  ])('claims %s', (line) => {
    expect(eximParser.sniff(line)).toBe(true);
  });

  test.for([
    '2026-11-22T10:00:00.123456+01:00 mx postfix/smtpd[123]: connect from unknown[192.0.2.1]',
    'Nov 22 10:00:00 mx postfix/smtpd[123]: NOQUEUE: reject: RCPT from unknown[192.0.2.1]: 554 5.7.1 <x@y>: Relay access denied',
    'Nov 22 10:00:00 mx dovecot: imap-login: Login: user=<alice>',
    '2026-11-22 10:00:00 something nobody writes',
    'Envelope-from: <x@y>',
  ])('does not claim %s', (line) => {
    expect(eximParser.sniff(line)).toBe(false);
  });

  test.skipIf(!haveCorpus)('postfixParser.sniff claims no line of the Exim corpus', () => {
    const files = ['perericr_ddgrey_mainlog.log', 'fail2ban_fail2ban_exim.log', 'gvengel_exim_exporter_mainlog.log', 'Exim_exim_test-log-0612.log', 'Exim_exim_test-rejectlog-9400.log'];
    for (const f of files) for (const l of corpusLines(f)) expect(postfixParser.sniff(l)).toBe(false);
  });
});

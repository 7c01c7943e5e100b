/**
 * What Exim writes over several lines, each counted once and told what it is: the reject copy
 * of a syslog entry, entries split into `[n/m]` pieces, the recipients of a rejection after DATA
 * (rejectlog `Envelope-to:` lines, in either order of mainlog and rejectlog), a pipe transport's
 * output, and `retry timeout exceeded` as the end of its deferral. Lines are Exim 4.96's as the
 * Exim lab (test/lab/exim.test.ts) saw them; the syslog forms are write_syslog()'s (log.c).
 */
import { describe, expect, test } from 'vitest';
import { eximParser } from '../../../parsers/exim/index.js';
import type { LineResult } from '../../../parsers/types.js';
import type { DeliveryEvent, MailEvent, RejectEvent } from '../../../src/event.js';
import { MailEvent as MailEventSchema } from '../../../src/event.js';
import { REFERENCE } from '../../helpers/parse.js';

/**
 * Every input in order through one machine, as the pipeline does; events of every line and of
 * end(). `alone`: begun as the run's only input (ParseContext.alone), as analyse() of one path does.
 */
function run(inputs: string[][], alone = false): { results: LineResult[]; events: MailEvent[]; overflow: Record<string, number> } {
  const m = eximParser.create();
  const results: LineResult[] = [];
  const events: MailEvent[] = [];
  inputs.forEach((lines, n) => {
    m.begin({ file: `input${n}`, reference: REFERENCE, alone });
    lines.forEach((l, i) => {
      const r = m.line(l, i + 1);
      results.push(r);
      events.push(...(r.status === 'recognised' ? r.events : (r.events ?? [])));
    });
  });
  events.push(...m.end());
  for (const ev of events) MailEventSchema.parse(ev);
  return { results, events, overflow: m.overflow() };
}

const rejects = (events: MailEvent[]) => events.filter((e): e is RejectEvent => e.kind === 'reject');
const status = (r: LineResult) => (r.status === 'ignored' ? r.reason : r.status);

const AFTER_DATA =
  '2026-12-04 17:33:56.809 [21493] 1xZXAS-0005af-2b H=(client.lab.test) [127.0.0.1]:51535 I=[127.0.0.1]:4050 F=<sender@lab.test> rejected after DATA: Content rejected: forbidden subject';
const DUMP = [
  'Envelope-from: <sender@lab.test>',
  'Envelope-to: <alice@lab.test>',
  '    <carol@gmail.test>',
  '    <dave@outlook.test>',
  'P Received: from [127.0.0.1] (port=46587 helo=client.lab.test)',
  '\tby mx.lab.test with esmtp (Exim 4.96)',
  '  Subject: FORBIDDEN offer',
];
const CLOSED = '2026-12-04 17:33:56.810 [21493] SMTP connection from (client.lab.test) [127.0.0.1]:51535 I=[127.0.0.1]:4050 closed by QUIT';
const RCPT =
  '2026-12-04 17:34:59.641 [23616] H=(client.lab.test) [127.0.0.2]:54873 I=[127.0.0.1]:4013 F=<friend@gmail.test> rejected RCPT <nobody1@lab.test>: Unrouteable address';

describe('a rejection after DATA counts once per recipient its rejectlog entry lists', () => {
  test('rejectlog alone: one event per Envelope-to line, the header lines stay `header`', () => {
    const { results, events } = run([[AFTER_DATA, ...DUMP]]);
    expect(results.map(status)).toEqual(['recognised', ...DUMP.map(() => 'header')]);
    expect(rejects(events).map((e) => [e.to, e.queueId, e.stage, e.origin.line, e.raw])).toEqual([
      ['alice@lab.test', '1xZXAS-0005af-2b', 'END-OF-MESSAGE', 1, AFTER_DATA],
      ['carol@gmail.test', '1xZXAS-0005af-2b', 'END-OF-MESSAGE', 1, AFTER_DATA],
      ['dave@outlook.test', '1xZXAS-0005af-2b', 'END-OF-MESSAGE', 1, AFTER_DATA],
    ]);
  });

  test('mainlog then rejectlog, and rejectlog then mainlog: the same three events', () => {
    for (const inputs of [
      [[AFTER_DATA, CLOSED], [AFTER_DATA, ...DUMP]],
      [[AFTER_DATA, ...DUMP], [AFTER_DATA, CLOSED]],
    ]) {
      expect(rejects(run(inputs).events).map((e) => e.to)).toEqual(['alice@lab.test', 'carol@gmail.test', 'dave@outlook.test']);
    }
  });

  test('mainlog alone: counted once at the end of the run, without a recipient', () => {
    const { results, events } = run([[AFTER_DATA, CLOSED]]);
    expect(results.map(status)).toEqual(['recognised', 'session']);
    expect(rejects(events).map((e) => e.to)).toEqual([null]);
  });

  test('a rejectlog entry without its recipient list (rejected_header off) counts once, in either order', () => {
    for (const inputs of [[[AFTER_DATA, CLOSED], [AFTER_DATA]], [[AFTER_DATA], [AFTER_DATA, CLOSED]]]) {
      expect(rejects(run(inputs).events).map((e) => e.to)).toEqual([null]);
    }
  });

  test('more than five recipients: the five listed (`    ...` stays a header line)', () => {
    const dump = ['Envelope-from: <s@lab.test>', 'Envelope-to: <a@x.test>', '    <b@x.test>', '    <c@x.test>', '    <d@x.test>', '    <e@y.test>', '    ...'];
    const { results, events } = run([[AFTER_DATA, ...dump]]);
    expect(rejects(events).map((e) => e.to)).toEqual(['a@x.test', 'b@x.test', 'c@x.test', 'd@x.test', 'e@y.test']);
    expect(status(results[results.length - 1]!)).toBe('header');
  });
});

describe('Exim through syslog: both copies of a rejection, split entries', () => {
  // log.c: the main copy (LOG_INFO), then the reject copy (LOG_NOTICE) of the same process.
  const SYS = 'Dec  4 17:35:00 mx exim4[21493]: ';
  const OTHER = 'Dec  4 17:35:00 mx exim4[999]: ';

  test('a RCPT rejection written twice by its process counts once; a repeat after the pair counts again', () => {
    const line = SYS + RCPT.slice(24);
    const { results, events } = run([[line, line, line]]);
    expect(results.map(status)).toEqual(['recognised', 'bookkeeping', 'recognised']);
    expect(rejects(events)).toHaveLength(2);
  });

  test('the same text from another process is its own rejection', () => {
    const text = RCPT.slice(24);
    expect(rejects(run([[SYS + text, OTHER + text]]).events)).toHaveLength(2);
  });

  test('after DATA: the reject copy in `[n\\m]` pieces gives the recipients; the entry counts once for each', () => {
    const entry = AFTER_DATA.slice(32);
    const stamp = '2026-12-04 17:33:56 ';
    const pieces = [stamp + entry, 'Envelope-from: <sender@lab.test>', 'Envelope-to: <alice@lab.test>', '    <carol@gmail.test>', 'P Received: from [127.0.0.1]'];
    const lines = [
      SYS + stamp + entry,
      ...pieces.map((p, i) => `${SYS}[${i + 1}${i + 1 < pieces.length ? '\\' : '/'}${pieces.length}] ${p}`),
      `${SYS}${stamp}SMTP connection from (client.lab.test) [127.0.0.1]:51535 closed by QUIT`,
    ];
    const { results, events } = run([lines]);
    expect(results.map(status)).toEqual(['recognised', 'bookkeeping', 'header', 'header', 'header', 'header', 'session']);
    expect(rejects(events).map((e) => e.to)).toEqual(['alice@lab.test', 'carol@gmail.test']);
  });

  test('after DATA without a recipient list: counted when its process writes its next line', () => {
    const line = SYS + '2026-12-04 17:33:56 ' + AFTER_DATA.slice(32);
    const { results, events } = run([[line, line, `${SYS}2026-12-04 17:33:56 SMTP connection from [127.0.0.1]:51535 closed by QUIT`]]);
    expect(results.map(status)).toEqual(['recognised', 'bookkeeping', 'session']);
    expect(results[2]!.status === 'ignored' && results[2]!.events?.length).toBe(1);
    expect(rejects(events).map((e) => e.to)).toEqual([null]);
  });

  test('an entry cut at 870 characters (`[1/2]`, `[2/2]`) is read whole: its words after the cut decide', () => {
    const message = `550 5.7.1 ${'Policy statement. '.repeat(60)}Your host is listed on a DNS blocklist`;
    const whole = `2026-12-04 17:35:00 H=(client.lab.test) [127.0.0.2]:41783 F=<friend@gmail.test> rejected RCPT <x@lab.test>: ${message}`;
    const lines = [`${SYS}[1/2] ${whole.slice(0, 870)}`, `${SYS}[2/2] ${whole.slice(870)}`, `${SYS}[1/2] ${whole.slice(0, 870)}`, `${SYS}[2/2] ${whole.slice(870)}`];
    const { results, events } = run([lines]);
    expect(results.map(status)).toEqual(['header', 'recognised', 'header', 'bookkeeping']);
    const [ev] = rejects(events);
    expect(ev!.text).toBe(`rejected RCPT <x@lab.test>: ${message}`);
    expect(rejects(events)).toHaveLength(1);
  });

  test('a piece whose entry began before the log did is a header line', () => {
    expect(run([[`${SYS}[3\\5]     <carol@gmail.test>`]]).results.map(status)).toEqual(['header']);
  });
});

describe('what a delivery process said before the outcome', () => {
  const OUTPUT = '2026-12-04 17:35:06.682 [23833] 1xZXBW-0006Ad-10 <pipequota@lab.test>: pipe_t transport output: mailbox quota exceeded for pipequota';
  const BOUNCE =
    '2026-12-04 17:35:06.683 [23833] 1xZXBW-0006Ad-10 ** pipequota@lab.test F=<sender@lab.test> P=<sender@lab.test> R=pipes T=pipe_t: Child process of pipe_t transport returned 1 from command: /tmp/lab/pipe.sh DT=0.021s';

  test("a pipe transport's output line is added to the address's outcome", () => {
    const { results, events } = run([[OUTPUT, BOUNCE]]);
    expect(results.map(status)).toEqual(['recognised', 'recognised']);
    const d = events[0] as DeliveryEvent;
    expect(d.reason).toBe('Child process of pipe_t transport returned 1 from command: /tmp/lab/pipe.sh; transport output: mailbox quota exceeded for pipequota');
    expect(d.origin.line).toBe(2);
  });

  test('the output of one address is not given to another', () => {
    const other = BOUNCE.replace(/pipequota@lab\.test/, 'pipe67@lab.test');
    expect((run([[OUTPUT, other]]).events[0] as DeliveryEvent).reason).not.toContain('transport output');
  });

  test('retry timeout exceeded: the end of the deferral just before it (status expired, its reason and transport)', () => {
    const defer =
      '2026-12-04 17:35:06.750 [23844] 1xZXBS-00068B-2W == full@lab.test R=localuser T=local_delivery defer (-22) DT=0.008s: mailbox is full (MTA-imposed quota exceeded while writing to /tmp/lab/mail/full)';
    const expired = '2026-12-04 17:35:06.751 [23844] 1xZXBS-00068B-2W ** full@lab.test: retry timeout exceeded';
    const { events } = run([[defer, expired]]);
    const [d, e] = events as DeliveryEvent[];
    expect([d!.status, e!.status]).toEqual(['deferred', 'expired']);
    expect(e).toMatchObject({
      agent: 'local_delivery',
      router: 'localuser',
      to: 'full@lab.test',
      reason: 'mailbox is full (MTA-imposed quota exceeded while writing to /tmp/lab/mail/full): retry timeout exceeded',
    });
    // Without the deferral in the log, Exim's own words alone.
    expect(run([[expired]]).events[0]).toMatchObject({ status: 'expired', agent: null, reason: 'retry timeout exceeded' });
  });
});

describe('a run of one input: no copies from another input to look for', () => {
  const SYS = 'Dec  4 17:35:00 mx exim4[21493]: ';
  const RCPT_AGAIN = RCPT.replace('nobody1', 'nobody2');
  test.each([
    ['rejectlog alone', [AFTER_DATA, ...DUMP]],
    ['mainlog alone', [AFTER_DATA, CLOSED]],
    ['one RCPT rejection twice in one file (two rejections)', [RCPT, RCPT, RCPT_AGAIN]],
    ['syslog: main and reject copy of one process', [SYS + RCPT.slice(24), SYS + RCPT.slice(24), SYS + RCPT.slice(24)]],
  ])('%s: the same lines and events as when other inputs may follow', (_name, lines) => {
    const alone = run([lines], true);
    const shared = run([lines], false);
    expect(alone.results.map(status)).toEqual(shared.results.map(status));
    expect(alone.events).toEqual(shared.events);
  });

  test('mainlog alone: a rejection after DATA counts with the next line, not held to the end', () => {
    // No rejectlog copy can follow in a run of one input: held, it would reach the aggregator
    // after every later event (and ten thousand of them were 12 MB of a 1 GB mainlog's heap).
    const lines = [AFTER_DATA, CLOSED, RCPT];
    const eventsOf = (r: LineResult) => (r.status === 'recognised' ? r.events : (r.events ?? [])).map((e) => (e.kind === 'reject' ? e.to : e.kind));
    expect(run([lines], true).results.map(eventsOf)).toEqual([[], [null], ['nobody1@lab.test']]);
    // Another input may hold its rejectlog copy: then it waits for the end of the run.
    expect(run([lines], false).results.map(eventsOf)).toEqual([[], [], ['nobody1@lab.test']]);
  });

  test('no signature is kept, so none is evicted past the cap (a run of several inputs counts them)', () => {
    // MAX_REJECT_SIGNATURES distinct rejections and one more.
    const lines = Array.from({ length: 200_001 }, (_, i) => RCPT.replace('nobody1', `nobody${i}`));
    expect(run([lines], true).overflow.eximRejectSignaturesEvicted).toBe(0);
    expect(run([lines], false).overflow.eximRejectSignaturesEvicted).toBe(1);
  });
});

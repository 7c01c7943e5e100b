/**
 * Server-health lines and timeline markers of Postfix and Exim: the whole result of each line.
 * Postfix lines are from the health lab (test/e2e/lab-health.test.ts, Postfix 3.7) unless the
 * case says otherwise; Exim lines from the Exim 4.96 lab and the shared corpus.
 */
import { describe, expect, test } from 'vitest';
import { eximParser } from '../../parsers/exim/index.js';
import { postfixParser } from '../../parsers/postfix/index.js';
import { triage } from '../../parsers/postfix/body.js';
import { ascii, triageAscii } from '../../parsers/postfix/triage-ascii.js';
import { MailEvent } from '../../src/event.js';
import { parseAll, stripOrigin } from '../helpers/parse.js';

const pfHealth = (program: string, severity: string, problem: string, subject: string | null, pid: number, text: string) => ({
  kind: 'health',
  mta: 'postfix',
  time: null as string | null,
  host: 'vm',
  program,
  queueId: null,
  severity,
  problem,
  subject,
  pid,
  text,
});

const P = '2026-12-05T08:16:53.442212+00:00 vm ';
const T = '2026-12-05T08:16:53.442Z';
const at = <X extends { time: string | null }>(x: X): X => ({ ...x, time: T });

interface Case {
  name: string;
  line: string;
  status: 'recognised' | 'ignored';
  reason?: string;
  want: Record<string, unknown>[];
}

const postfixCases: Case[] = [
  {
    name: 'table unavailable (dict_surrogate.c)',
    line: `${P}postfix-health/trivial-rewrite[26079]: warning: hash:/tmp/lab/transport is unavailable. open database /tmp/lab/transport.db: No such file or directory`,
    status: 'recognised',
    want: [at(pfHealth('postfix-health/trivial-rewrite', 'warning', 'table-unavailable', 'hash:/tmp/lab/transport', 26079, 'hash:/tmp/lab/transport is unavailable. open database /tmp/lab/transport.db: No such file or directory'))],
  },
  {
    name: 'open database, logged as an error (dict_db.c)',
    line: `${P}postfix-health/trivial-rewrite[26079]: error: open database /tmp/lab/transport.db: No such file or directory`,
    status: 'recognised',
    want: [at(pfHealth('postfix-health/trivial-rewrite', 'error', 'table-unavailable', '/tmp/lab/transport.db', 26079, 'open database /tmp/lab/transport.db: No such file or directory'))],
  },
  {
    name: 'lookup error for a key (maps.c)',
    line: `${P}postfix-health/trivial-rewrite[26079]: warning: hash:/tmp/lab/transport lookup error for "late3@relay.test"`,
    status: 'recognised',
    want: [at(pfHealth('postfix-health/trivial-rewrite', 'warning', 'lookup-error', 'hash:/tmp/lab/transport', 26079, 'hash:/tmp/lab/transport lookup error for "late3@relay.test"'))],
  },
  {
    name: 'parameter lookup failure (trivial-rewrite)',
    line: `${P}postfix-health/trivial-rewrite[26079]: warning: transport_maps lookup failure`,
    status: 'recognised',
    want: [at(pfHealth('postfix-health/trivial-rewrite', 'warning', 'lookup-error', 'transport_maps', 26079, 'transport_maps lookup failure'))],
  },
  {
    name: 'policy server not answering (attr_clnt.c)',
    line: `${P}postfix-health/smtpd[26077]: warning: problem talking to server 127.0.0.1:33923: Connection refused`,
    status: 'recognised',
    want: [at(pfHealth('postfix-health/smtpd', 'warning', 'service-unavailable', '127.0.0.1:33923', 26077, 'problem talking to server 127.0.0.1:33923: Connection refused'))],
  },
  {
    name: 'stale table (dict_db.c format string, Postfix 3.7 binary)',
    line: `${P}postfix-health/cleanup[26080]: warning: database /tmp/lab/virtual.db is older than source file /tmp/lab/virtual`,
    status: 'recognised',
    want: [at(pfHealth('postfix-health/cleanup', 'warning', 'table-stale', '/tmp/lab/virtual', 26080, 'database /tmp/lab/virtual.db is older than source file /tmp/lab/virtual'))],
  },
  {
    name: 'milter not answering (milter8.c format string)',
    line: `${P}postfix/smtpd[26077]: warning: milter unix:/run/opendkim/opendkim.sock: can't read SMFIC_CONNECT reply packet header: Connection reset by peer`,
    status: 'recognised',
    want: [at(pfHealth('postfix/smtpd', 'warning', 'milter-unavailable', 'unix:/run/opendkim/opendkim.sock', 26077, "milter unix:/run/opendkim/opendkim.sock: can't read SMFIC_CONNECT reply packet header: Connection reset by peer"))],
  },
  {
    name: 'queue full (smtpd.c format string)',
    line: `${P}postfix/smtpd[26077]: warning: not enough free space in mail queue: 1024 bytes < 1.5*message size limit`,
    status: 'recognised',
    want: [at(pfHealth('postfix/smtpd', 'warning', 'queue-space', null, 26077, 'not enough free space in mail queue: 1024 bytes < 1.5*message size limit'))],
  },
  {
    name: 'any fatal line is health',
    line: `${P}postfix/smtpd[26077]: fatal: bad numerical configuration: smtpd_recipient_limit = abc`,
    status: 'recognised',
    want: [at(pfHealth('postfix/smtpd', 'fatal', 'other', null, 26077, 'bad numerical configuration: smtpd_recipient_limit = abc'))],
  },
  {
    name: 'a warning about a client stays ignored',
    line: `${P}postfix/smtpd[26077]: warning: hostname mail.example does not resolve to address 192.0.2.7`,
    status: 'ignored',
    reason: 'warning',
    want: [],
  },
  {
    name: 'reload marker (master.c), still counted as bookkeeping',
    line: `${P}postfix-health/master[25820]: reload -- version 3.7.11, configuration /tmp/lab`,
    status: 'ignored',
    reason: 'bookkeeping',
    want: [at({ kind: 'marker', mta: 'postfix', time: null, host: 'vm', program: 'postfix-health/master', queueId: null, marker: 'reload', version: '3.7.11' })],
  },
  {
    name: 'start marker (master.c)',
    line: `${P}postfix-health/master[25820]: daemon started -- version 3.7.11, configuration /tmp/lab`,
    status: 'ignored',
    reason: 'bookkeeping',
    want: [at({ kind: 'marker', mta: 'postfix', time: null, host: 'vm', program: 'postfix-health/master', queueId: null, marker: 'start', version: '3.7.11' })],
  },
];

const E = '2026-12-05 07:50:55.660 ';
const ET = '2026-12-05T07:50:55.660Z';
const eximCases: Case[] = [
  {
    name: 'lookup file missing, a router deferring (Exim lab, paniclog line)',
    line: `${E}[22961] 1xZkXk-0005vN-0w failed to open /tmp/lab/users for linear search: No such file or directory`,
    status: 'recognised',
    want: [
      {
        kind: 'health',
        mta: 'exim',
        time: ET,
        host: null,
        program: null,
        queueId: '1xZkXk-0005vN-0w',
        severity: 'error',
        problem: 'table-unavailable',
        subject: '/tmp/lab/users',
        pid: 22961,
        text: 'failed to open /tmp/lab/users for linear search: No such file or directory',
      },
    ],
  },
  {
    name: 'spool space check (Exim_exim_test-log-0180)',
    line: '1999-03-02 09:44:33 spool directory space check failed: space=xxxxx inodes=xxxxx',
    status: 'recognised',
    want: [
      {
        kind: 'health',
        mta: 'exim',
        time: '1999-03-02T09:44:33.000Z',
        host: null,
        program: null,
        queueId: null,
        severity: 'warning',
        problem: 'queue-space',
        subject: null,
        pid: null,
        text: 'spool directory space check failed: space=xxxxx inodes=xxxxx',
      },
    ],
  },
  {
    name: 'daemon started (Exim lab)',
    line: `${E}[22743] exim 4.96 daemon started: pid=22743, no queue runs, listening for SMTP on [127.0.0.1]:25877`,
    status: 'ignored',
    reason: 'bookkeeping',
    want: [{ kind: 'marker', mta: 'exim', time: ET, host: null, program: null, queueId: null, marker: 'start', version: '4.96' }],
  },
  {
    name: 'SIGHUP re-exec (Exim lab)',
    line: `${E}[22743] pid 22743: SIGHUP received: re-exec daemon`,
    status: 'ignored',
    reason: 'bookkeeping',
    want: [{ kind: 'marker', mta: 'exim', time: ET, host: null, program: null, queueId: null, marker: 'reload', version: null }],
  },
];

function check(parser: typeof postfixParser, c: Case): void {
  const { results } = parseAll([c.line], parser, new Date('2026-12-06T00:00:00Z'));
  const r = results[0]!;
  expect(r.status).toBe(c.status);
  if (r.status === 'ignored') expect(r.reason).toBe(c.reason);
  const events = r.status === 'unrecognised' ? [] : (r.events ?? []);
  expect(events.map(stripOrigin)).toEqual(c.want);
  for (const ev of events) expect(MailEvent.parse(ev)).toEqual(ev);
}

describe('Postfix health lines and markers', () => {
  test.for(postfixCases)('$name', (c) => check(postfixParser, c));

  test.for(postfixCases)('the fast paths pass "$name" on to the parser (or ignore it alike)', (c) => {
    const body = c.line.slice(c.line.indexOf(']: ') + 3);
    const want = c.want.length > 0 ? null : c.reason;
    expect(triage(body)).toBe(want);
    const b = ascii(body);
    expect(triageAscii(b, 0, b.length)).toBe(want);
  });
});

describe('Exim health lines and markers', () => {
  test.for(eximCases)('$name', (c) => check(eximParser, c));
});

/**
 * SMTP Receive protocol logs. The corpus has none (SOURCES.md "Gaps"), so every line here is
 * built in the format of Microsoft Learn "Protocol logging" (Exchange Server 2016/2019/SE:
 * header block, fields date-time,connector-id,session-id,sequence-number,local-endpoint,
 * remote-endpoint,event,data,context; events + - > < *), with the shapes public RECV logs show:
 * pipelined commands logged before their replies, the `*` row tying the session to a message,
 * quoted greetings. Reply texts are Exchange's (5.7.54 relay, 530 anonymous, 5.1.10 recipient
 * filtering, 452 4.3.1 back pressure).
 */
import { describe, expect, test } from 'vitest';
import { exchangeParser } from '../../../parsers/exchange/index.js';
import { endpointPeer, ReceiveSessions } from '../../../parsers/exchange/protocol.js';
import { MailEvent } from '../../../src/event.js';
import { parseAll, stripOrigin } from '../../helpers/parse.js';
import { RECEIVE_HEADER } from './formats.js';

const CONNECTOR = 'EX01\\Default Frontend EX01';

/** The rows of one session: [event, data, context?] in order, one second apart from `start`. */
function session(id: string, remote: string, start: string, rows: [string, string, string?][]): string[] {
  const t0 = Date.parse(start);
  return rows.map(([event, data, context = ''], i) => {
    const time = new Date(t0 + i * 10).toISOString();
    const cell = (v: string) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    return [time, CONNECTOR, id, String(i), '192.0.2.10:25', remote, event, cell(data), cell(context)].join(',');
  });
}

const reject = {
  kind: 'reject',
  mta: 'exchange',
  host: 'EX01',
  program: 'SmtpReceive/Default Frontend EX01',
  queueId: null,
  via: 'connector',
};

const RELAY = session('08DD0A2B3C4D5E01', '203.0.113.50:51234', '2026-11-22T08:12:01.100Z', [
  ['+', ''],
  ['>', '220 EX01.example.com Microsoft ESMTP MAIL Service ready at Sun, 22 Nov 2026 09:12:01 +0100'],
  ['<', 'EHLO spammer.example.org'],
  ['>', '250  EX01.example.com Hello [203.0.113.50] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS X-ANONYMOUSTLS AUTH NTLM 8BITMIME BINARYMIME CHUNKING SMTPUTF8'],
  ['<', 'MAIL FROM:<promo@spammer.example.org> SIZE=2048'],
  ['*', '08DD0A2B3C4D5E01;2026-11-22T08:12:01.140Z;1', 'receiving message'],
  ['<', 'RCPT TO:<victim@example.net>'],
  ['>', '250 2.1.0 Sender OK'],
  ['>', '550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain'],
  ['<', 'QUIT'],
  ['>', '221 2.0.0 Closing connection.'],
  ['-', '', 'Local'],
]);

const ANONYMOUS = session('08DD0A2B3C4D5E02', '192.0.2.77:40001', '2026-11-22T08:20:00.000Z', [
  ['+', ''],
  ['>', '220 EX01.example.com Microsoft ESMTP MAIL Service ready'],
  ['<', 'EHLO printer01.example.com'],
  ['>', '250  EX01.example.com Hello [192.0.2.77] SIZE PIPELINING ENHANCEDSTATUSCODES'],
  ['<', 'MAIL FROM:<scanner@example.com>'],
  ['<', 'RCPT TO:<alice@example.com>'],
  ['<', 'DATA'],
  ['>', '530 5.7.1 Client was not authenticated'],
  ['>', '503 5.5.2 Need mail command'],
  ['>', '503 5.5.2 Need rcpt command'],
  ['-', '', 'Remote(SocketError)'],
]);

const FILTERING = session('08DD0A2B3C4D5E03', '198.51.100.20:33333', '2026-11-22T09:00:00.000Z', [
  ['+', ''],
  ['>', '220 EX01.example.com Microsoft ESMTP MAIL Service ready'],
  ['<', 'HELO mail.example.net'],
  ['>', '250 EX01.example.com Hello [198.51.100.20]'],
  ['<', 'MAIL FROM:<newsletter@example.net>'],
  ['>', '250 2.1.0 Sender OK'],
  ['<', 'RCPT TO:<former.employee@example.com>'],
  ['>', '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'],
  ['<', 'RCPT TO:<alice@example.com>'],
  ['>', '250 2.1.5 Recipient OK'],
  ['<', 'DATA'],
  ['>', '354 Start mail input; end with <CRLF>.<CRLF>'],
  ['>', '550 5.7.1 Message rejected as spam by Content Filtering.'],
  ['<', 'QUIT'],
  ['-', '', 'Local'],
]);

const BUSY = [
  ...session('08DD0A2B3C4D5E04', '[2001:db8::25]:50505', '2026-11-22T10:00:00.000Z', [
    ['+', ''],
    ['>', '421 4.3.2 Service not available, closing transmission channel'],
    ['-', '', 'Local'],
  ]),
  ...session('08DD0A2B3C4D5E05', '198.51.100.21:40404', '2026-11-22T10:00:01.000Z', [
    ['+', ''],
    ['>', '220 EX01.example.com Microsoft ESMTP MAIL Service ready'],
    ['<', 'EHLO mx.example.net'],
    ['>', '250  EX01.example.com Hello [198.51.100.21]'],
    ['<', 'AUTH LOGIN'],
    ['>', '334 <authentication response>'],
    ['*', '', 'Inbound AUTH LOGIN failed because of LogonDenied'],
    ['>', '535 5.7.3 Authentication unsuccessful'],
    ['<', 'MAIL FROM:<bounce@example.net>'],
    ['>', '452 4.3.1 Insufficient system resources'],
    ['<', 'QUIT'],
    ['>', '451 4.7.0 Timeout waiting for client input'],
    ['-', '', 'Local'],
  ]),
];

function events(lines: string[]) {
  const { results, events } = parseAll([...RECEIVE_HEADER, ...lines], exchangeParser);
  for (const ev of events) expect(MailEvent.parse(ev)).toEqual(ev);
  expect(results.filter((r) => r.status === 'unrecognised')).toEqual([]);
  return events.map(stripOrigin);
}

describe('SMTP Receive protocol log (format of Microsoft Learn "Protocol logging")', () => {
  test('a pipelined RCPT refused for relaying: the reply pairs with the RCPT, not the MAIL', () => {
    expect(events(RELAY)).toEqual([
      {
        ...reject,
        time: '2026-11-22T08:12:01.180Z',
        stage: 'RCPT',
        smtpCode: 550,
        enhancedStatus: '5.7.54',
        text: 'SMTP; Unable to relay recipient in non-accepted domain',
        client: { name: null, ip: '203.0.113.50', port: 51234 },
        from: 'promo@spammer.example.org',
        to: 'victim@example.net',
        helo: 'spammer.example.org',
        proto: 'ESMTP',
      },
    ]);
  });

  test('anonymous MAIL FROM refused: one MAIL reject, the 503s that follow are not rejects of their own', () => {
    expect(events(ANONYMOUS)).toEqual([
      {
        ...reject,
        time: '2026-11-22T08:20:00.070Z',
        stage: 'MAIL',
        smtpCode: 530,
        enhancedStatus: '5.7.1',
        text: 'Client was not authenticated',
        client: { name: null, ip: '192.0.2.77', port: 40001 },
        from: 'scanner@example.com',
        to: null,
        helo: 'printer01.example.com',
        proto: 'ESMTP',
      },
    ]);
  });

  test('recipient filtering at RCPT, then a content filter reject after the body', () => {
    const common = { ...reject, client: { name: null, ip: '198.51.100.20', port: 33333 }, from: 'newsletter@example.net', helo: 'mail.example.net', proto: 'SMTP' };
    expect(events(FILTERING)).toEqual([
      {
        ...common,
        time: '2026-11-22T09:00:00.070Z',
        stage: 'RCPT',
        smtpCode: 550,
        enhancedStatus: '5.1.10',
        text: 'RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup',
        to: 'former.employee@example.com',
      },
      {
        ...common,
        time: '2026-11-22T09:00:00.120Z',
        stage: 'END-OF-MESSAGE',
        smtpCode: 550,
        enhancedStatus: '5.7.1',
        text: 'Message rejected as spam by Content Filtering.',
        to: 'alice@example.com',
      },
    ]);
  });

  test('refused greeting (CONNECT, IPv6 endpoint) and back pressure at MAIL; failed AUTH and timeouts are not rejects', () => {
    const evs = events(BUSY);
    expect(evs.map((e) => [e.kind === 'reject' && e.stage, e.kind === 'reject' && e.smtpCode])).toEqual([
      ['CONNECT', 421],
      ['MAIL', 452],
    ]);
    expect(evs[0]).toMatchObject({ client: { name: null, ip: '2001:db8::25', port: 50505 }, from: null, helo: null });
    expect(evs[1]).toMatchObject({ from: 'bounce@example.net', text: 'Insufficient system resources', enhancedStatus: '4.3.1' });
  });

  test('rows are ignored with the reason that fits them', () => {
    const { results } = parseAll([...RECEIVE_HEADER, ...BUSY], exchangeParser);
    const reasons = results.map((r) => (r.status === 'ignored' ? r.reason : r.status === 'recognised' ? `events:${r.events.length}` : r.status));
    expect(reasons).toEqual([
      ...Array(5).fill('header'),
      'session', 'events:1', 'session', // refused greeting
      'session', 'session', 'events:0', 'session', 'auth', 'auth', 'auth', 'auth', 'events:0', 'events:1', 'session', 'session', 'session',
    ]);
  });

  test('a refusal whose command is before the start of the log is not taken for a refused greeting', () => {
    const { results, events: evs } = parseAll(
      [...RECEIVE_HEADER, `2026-11-22T00:00:00.010Z,${CONNECTOR},08DD0A2B3C4D5E21,41,192.0.2.10:25,203.0.113.9:2000,>,550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain,`],
      exchangeParser,
    );
    expect(evs).toEqual([]);
    expect(results.at(-1)).toEqual({ status: 'ignored', reason: 'session' });
  });

  test('interleaved sessions keep their own state', () => {
    const a = session('08DD0A2B3C4D5E11', '203.0.113.1:1001', '2026-11-22T11:00:00.000Z', [
      ['<', 'MAIL FROM:<a@example.org>'],
      ['>', '250 2.1.0 Sender OK'],
      ['<', 'RCPT TO:<x@example.net>'],
      ['>', '550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain'],
    ]);
    const b = session('08DD0A2B3C4D5E12', '203.0.113.2:1002', '2026-11-22T11:00:00.000Z', [
      ['<', 'MAIL FROM:<b@example.org>'],
      ['>', '250 2.1.0 Sender OK'],
      ['<', 'RCPT TO:<y@example.net>'],
      ['>', '550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain'],
    ]);
    const mixed = a.flatMap((l, i) => [l, b[i]!]);
    expect(events(mixed).map((e) => e.kind === 'reject' && [e.from, e.to])).toEqual([
      ['a@example.org', 'x@example.net'],
      ['b@example.org', 'y@example.net'],
    ]);
  });

  test('headerless protocol rows (9 columns) are read the same way', () => {
    const { events: evs } = parseAll(RELAY, exchangeParser);
    expect(evs.map(stripOrigin)).toEqual(events(RELAY));
  });

  test('an SMTP Send protocol log is recognised and ignored: its failures are in the tracking log', () => {
    const sendHeader = RECEIVE_HEADER.map((l) => l.replace('SMTP Receive Protocol Log', 'SMTP Send Protocol Log'));
    const { results, events: evs } = parseAll([...sendHeader, ...RELAY], exchangeParser);
    expect(evs).toEqual([]);
    expect(results.every((r) => r.status === 'ignored')).toBe(true);
  });

  test('sessions are capped; the oldest is evicted and counted', () => {
    const s = new ReceiveSessions(2);
    const p = { raw: '', file: 't', line: 1 };
    for (const id of ['A', 'B', 'C']) s.row({ dateTime: '2026-11-22T00:00:00.000Z', connectorId: 'X\\Y', sessionId: id, sequence: 0, remoteEndpoint: '', event: '+', data: '', context: '' }, p);
    expect(s.evicted).toBe(1);
    expect(s.size).toBe(2);
  });

  test('endpoints', () => {
    expect(endpointPeer('192.0.2.1:25')).toEqual({ name: null, ip: '192.0.2.1', port: 25 });
    expect(endpointPeer('[2001:db8::1]:587')).toEqual({ name: null, ip: '2001:db8::1', port: 587 });
    expect(endpointPeer('2001:db8::1')).toEqual({ name: null, ip: '2001:db8::1', port: null });
    expect(endpointPeer('')).toBeNull();
  });
});

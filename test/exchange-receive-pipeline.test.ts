/**
 * Exchange RECEIVE rows reach the main thread as state updates (parsers/exchange/fast.ts): no
 * row is built for them, yet later rows of the message read the same facts whatever the number
 * of threads: a FAIL without client and sender gets them, a DSN names the message, a TRANSFER
 * fork inherits them, and a RECEIVE row the front leaves to the machine counts as before.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { MailEvent } from '../src/event.js';
import { NOW, tempFiles, THREAD_MODES } from './helpers/pipeline-files.js';
import { TRACKING_FIELDS, trackingRow } from './helpers/exchange-rows.js';

// The reader thread starts from the compiled module only (as in bench-equivalence.test.ts).
type Pipeline = typeof import('../src/pipeline.js');
let analyse: Pipeline['analyse'];

const FIELDS: readonly string[] = TRACKING_FIELDS;
const row = (cells: Record<string, string>) => trackingRow(cells);
const receive = (id: string, msg: string, more: Record<string, string> = {}) =>
  row({
    'date-time': '2026-11-22T10:00:00.000Z', 'client-ip': '192.0.2.44', 'client-hostname': 'mail.sender.test', 'server-hostname': 'EX01',
    'connector-id': 'EX01\\Default Frontend EX01', source: 'SMTP', 'event-id': 'RECEIVE', 'internal-message-id': id, 'message-id': msg,
    'recipient-address': 'bob@example.com', 'sender-address': 'alice@sender.test', 'return-path': 'alice@sender.test', ...more,
  });
const fail = (id: string, msg: string, to: string) =>
  row({
    'date-time': '2026-11-22T10:00:05.000Z', 'server-hostname': 'EX01', source: 'ROUTING', 'event-id': 'FAIL', 'internal-message-id': id,
    'message-id': msg, 'recipient-address': to, 'recipient-status': '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
  });
const LINES = [
  '#Software: Microsoft Exchange Server',
  '#Version: 15.02.1544.004',
  '#Log-type: Message Tracking Log',
  `#Fields: ${FIELDS.join(',')}`,
  receive('101', '<m1@sender.test>'),
  fail('101', '<m1@sender.test>', 'bob@example.com'),
  row({ 'date-time': '2026-11-22T10:00:06.000Z', source: 'DSN', 'event-id': 'DSN', 'internal-message-id': '102', 'message-id': '<d1@x>', reference: '<m1@sender.test>', 'return-path': '<>' }),
  receive('201', '<m2@sender.test>', { 'sender-address': '', 'return-path': '<>', 'client-hostname': '' }),
  row({ 'date-time': '2026-11-22T10:00:03.000Z', source: 'ROUTING', 'event-id': 'TRANSFER', 'internal-message-id': '202', reference: '201' }),
  fail('202', '<m2@sender.test>', 'carol@example.com'),
  // Quoted: the front leaves the row to the machine.
  receive('301', '<m3@sender.test>', { 'sender-address': '"dave@sender.test"', 'client-ip': '192.0.2.45' }),
  fail('301', '<m3@sender.test>', 'erin@example.com'),
];

let path = '';
beforeAll(async () => {
  analyse = ((await import('../dist/src/pipeline.js' as string)) as Pipeline).analyse;
  path = tempFiles()('MSGTRK20261122-1.LOG', LINES.join('\r\n') + '\r\n');
});

describe.for(THREAD_MODES)('$name', ({ threads, sentOn, front }) => {
  test('FAIL rows read the RECEIVE rows’ client and sender; the DSN counts', async () => {
    const problems: MailEvent[] = [];
    const r = await analyse([path], { now: NOW, threads, sentOn, front, onProblem: (ev) => problems.push(ev) });
    if (threads === 2) expect(r.readByThread).toEqual([path]);
    expect(problems.map((e) => (e.kind === 'delivery' ? [e.queueId, e.to, e.from, e.client?.name ?? null, e.client?.ip ?? null] : e.kind))).toEqual([
      ['101', 'bob@example.com', 'alice@sender.test', 'mail.sender.test', '192.0.2.44'],
      ['202', 'carol@example.com', '', null, '192.0.2.44'],
      ['301', 'erin@example.com', 'dave@sender.test', 'mail.sender.test', '192.0.2.45'],
    ]);
    const report = r.aggregator.snapshot(r.stats);
    expect(report.summary.eventsByKind).toMatchObject({ delivery: 3, notification: 1 });
    expect([report.summary.linesRecognised, report.summary.linesIgnored, report.summary.linesUnrecognised]).toEqual([8, 4, 0]);
  });
});

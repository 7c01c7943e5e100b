/**
 * RECEIVE rows reach the machine as state updates (parsers/exchange/fast.ts EXCHANGE_RECEIVE):
 * no TrackingRow is built, yet what later rows read from the message's RECEIVE is the same as
 * through line(): the client and sender of a FAIL that lacks them, the message a DSN names,
 * the facts a TRANSFER fork inherits. Rows whose cells the front cannot hand on as they stand
 * (another column order, a quoted cell, a BOM, a long recipient list) go to the machine whole.
 */
import { describe, expect, test } from 'vitest';
import { exchangeParser } from '../../../parsers/exchange/index.js';
import { extraOf, FRONT_IGNORED, FRONT_PARSE, FRONT_UPDATE } from '../../../parsers/types.js';
import type { MailEvent } from '../../../src/event.js';
import { TRACKING_FIELDS, trackingRow } from '../../helpers/exchange-rows.js';

const REF = new Date('2026-11-23T12:00:00Z');
const ASCII_RE = /^[\x00-\x7f]*$/;

/** Exchange 2016+ (the documented 30-column layout). */
const FIELDS: readonly string[] = TRACKING_FIELDS;
const HEADER = `#Fields: ${FIELDS.join(',')}`;

export const row = trackingRow;

const receive = (id: string, msg: string, more: Record<string, string> = {}) =>
  row({
    'date-time': '2026-11-22T10:00:00.000Z', 'client-ip': '192.0.2.44', 'client-hostname': 'mail.sender.test', 'server-ip': '192.0.2.10',
    'server-hostname': 'EX01', 'source-context': '08DD;2026-11-22T10:00:00.000Z;0', 'connector-id': 'EX01\\Default Frontend EX01',
    source: 'SMTP', 'event-id': 'RECEIVE', 'internal-message-id': id, 'message-id': msg, 'recipient-address': 'bob@example.com',
    'message-subject': 'Hello', 'sender-address': 'alice@sender.test', 'return-path': 'alice@sender.test', ...more,
  });
const fail = (id: string, msg: string, to: string, more: Record<string, string> = {}) =>
  row({
    'date-time': '2026-11-22T10:00:05.000Z', 'server-hostname': 'EX01', source: 'ROUTING', 'event-id': 'FAIL', 'internal-message-id': id,
    'message-id': msg, 'recipient-address': to, 'recipient-status': '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found', ...more,
  });
const dsn = (id: string, reference: string) =>
  row({
    'date-time': '2026-11-22T10:00:06.000Z', 'server-hostname': 'EX01', source: 'DSN', 'event-id': 'DSN', 'internal-message-id': id,
    'message-id': `<dsn${id}@EX01.example.com>`, reference, 'message-subject': 'Undeliverable: Hello', 'return-path': '<>',
  });
const transfer = (fork: string, original: string) =>
  row({ 'date-time': '2026-11-22T10:00:03.000Z', 'server-hostname': 'EX01', source: 'ROUTING', 'event-id': 'TRANSFER', 'internal-message-id': fork, reference: original });

/** The lines through line(): the truth. */
function full(lines: readonly string[]): MailEvent[] {
  const m = exchangeParser.create();
  m.begin({ file: 'x', reference: REF });
  const events: MailEvent[] = [];
  lines.forEach((l, i) => {
    const r = m.line(l, i + 1);
    if (r.status === 'recognised') events.push(...r.events);
  });
  return [...events, ...m.end()];
}

/** The lines as the pipeline's two threads feed the machine; the events and each line's verdict. */
function fast(lines: readonly string[]): { events: MailEvent[]; verdicts: number[] } {
  const m = exchangeParser.create();
  m.begin({ file: 'x', reference: REF });
  const front = exchangeParser.fast.front({ reference: REF });
  const events: MailEvent[] = [];
  const verdicts: number[] = [];
  lines.forEach((l, i) => {
    let v = front.text(l);
    if (v === FRONT_UPDATE && !ASCII_RE.test(l)) v = FRONT_PARSE;
    verdicts.push(v);
    if (v === FRONT_IGNORED) return;
    if (v === FRONT_UPDATE) {
      const u = front.update;
      expect(m.update(u.kind, l.slice(u.keyAt, u.keyEnd), l.slice(u.fieldAt, u.fieldEnd), extraOf(l, u))).toBe(false);
      return;
    }
    const r = m.parsed(l, i + 1, front.time, null, null, front.bodyAt);
    if (r.status === 'recognised') events.push(...r.events);
  });
  return { events: [...events, ...m.end()], verdicts };
}

describe('Exchange RECEIVE rows as state updates', () => {
  test('a FAIL without client and sender gets them from the RECEIVE; a DSN names the message a FAIL renamed', () => {
    const lines = [
      HEADER,
      receive('101', '<m1@sender.test>'),
      fail('101', '<m1@sender.test>', 'bob@example.com'),
      receive('201', '<m2@sender.test>', { 'sender-address': '', 'return-path': ' <carol@sender.test> ', 'client-hostname': '' }),
      // The message under another internal id: the DSN's reference is now that one's.
      fail('202', '<m2@sender.test>', 'dave@example.com'),
      dsn('301', '<m2@sender.test>'),
      dsn('302', '<m1@sender.test>'),
    ];
    const { events, verdicts } = fast(lines);
    expect(verdicts).toEqual([FRONT_PARSE, FRONT_UPDATE, FRONT_PARSE, FRONT_UPDATE, FRONT_PARSE, FRONT_PARSE, FRONT_PARSE]);
    expect(events).toEqual(full(lines));
    expect(events[0]).toMatchObject({ kind: 'delivery', status: 'bounced', queueId: '101', from: 'alice@sender.test', client: { name: 'mail.sender.test', ip: '192.0.2.44' } });
    // 202 has no RECEIVE of its own.
    expect(events[1]).toMatchObject({ kind: 'delivery', queueId: '202', from: null, client: null });
    expect(events.slice(2).map((e) => (e.kind === 'notification' ? e.queueId : e.kind))).toEqual(['202', '101']);
  });

  test('a TRANSFER fork inherits the facts of a RECEIVE read as an update', () => {
    const lines = [
      HEADER,
      receive('401', '<m4@sender.test>', { 'sender-address': '', 'return-path': '<>' }),
      transfer('402', '401'),
      fail('402', '<m4@sender.test>', 'erin@example.com'),
    ];
    const { events, verdicts } = fast(lines);
    expect(verdicts[1]).toBe(FRONT_UPDATE);
    expect(verdicts[2]).toBe(FRONT_PARSE);
    expect(events).toEqual(full(lines));
    // `<>`: the null sender, not "no sender".
    expect(events[0]).toMatchObject({ queueId: '402', from: '', client: { name: 'mail.sender.test', ip: '192.0.2.44' } });
  });

  test('cells with spaces reach the machine as they stand, and it trims them as line() does', () => {
    const lines = [
      HEADER,
      receive(' 501 ', ' <m5@sender.test> ', { 'sender-address': ' frank@sender.test ', 'client-ip': ' 192.0.2.45', 'event-id': ' receive ' }),
      fail('501', '<m5@sender.test>', 'gina@example.com'),
      dsn('502', '<m5@sender.test>'),
    ];
    const { events, verdicts } = fast(lines);
    expect(verdicts[1]).toBe(FRONT_UPDATE);
    expect(events).toEqual(full(lines));
    expect(events[0]).toMatchObject({ from: 'frank@sender.test', client: { ip: ' 192.0.2.45' } });
    expect(events[1]).toMatchObject({ kind: 'notification', queueId: '501' });
  });

  test('a row wider than its header is read by the header either way', () => {
    // No layout is documented for 31 columns: the machine keeps to the header's, and so does the front.
    const lines = [HEADER, receive('701', '<m13@sender.test>') + ',extra', fail('701', '<m13@sender.test>', 'ida@example.com')];
    const { events, verdicts } = fast(lines);
    expect(verdicts[1]).toBe(FRONT_UPDATE);
    expect(events).toEqual(full(lines));
    expect(events[0]).toMatchObject({ from: 'alice@sender.test', client: { name: 'mail.sender.test' } });
  });

  test('RECEIVE rows the front cannot hand on as they stand go to the machine whole', () => {
    const swapped = FIELDS.map((f) => (f === 'client-ip' ? 'client-hostname' : f === 'client-hostname' ? 'client-ip' : f));
    const odd = [
      // A quoted sender (it could hold doubled quotes), a quoted client.
      receive('601', '<m6@sender.test>', { 'sender-address': '"hank@sender.test"' }),
      receive('602', '<m7@sender.test>', { 'client-hostname': '"mail,sender.test"' }),
      // A list that may be over MAX_RECIPIENTS_PER_ROW, which map() counts.
      receive('603', '<m8@sender.test>', { 'recipient-address': 'x@example.com;'.repeat(200) }),
      // Not ASCII: the reader's bytes would not be the text's offsets.
      receive('605', '<m10@sender.test>', { 'client-hostname': 'mäil.sender.test' }),
    ];
    const lines = [
      HEADER,
      ...odd,
      // Another column order under its own header: not the documented one.
      `#Fields: ${swapped.join(',')}`,
      receive('606', '<m11@sender.test>'),
      HEADER,
      ...['601', '602', '603', '605', '606'].map((id) => fail(id, `<f${id}@x>`, `u${id}@example.com`)),
    ];
    const bom = ['\uFEFF' + receive('607', '<m12@sender.test>'), fail('607', '<f607@x>', 'u607@example.com')];
    for (const ls of [lines, bom]) {
      const { events, verdicts } = fast(ls);
      expect(verdicts.flatMap((v, i) => (v === FRONT_UPDATE ? [i] : []))).toEqual([]);
      expect(events).toEqual(full(ls));
    }
    const events = fast(lines).events;
    expect(events.map((e) => (e.kind === 'delivery' ? [e.queueId, e.from, e.client?.name] : null))).toEqual([
      ['601', 'hank@sender.test', 'mail.sender.test'],
      ['602', 'alice@sender.test', 'mail,sender.test'],
      ['603', 'alice@sender.test', 'mail.sender.test'],
      ['605', 'alice@sender.test', 'mäil.sender.test'],
      // The swapped header: client-hostname read from the client-ip column.
      ['606', 'alice@sender.test', '192.0.2.44'],
    ]);
  });
});

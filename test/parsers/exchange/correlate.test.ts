/**
 * Correlation by internal-message-id (Microsoft Learn "Message tracking": reference of TRANSFER
 * is the internal id of the message being forked) and the cap on what is remembered.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MessageTable } from '../../../parsers/exchange/correlate.js';
import { exchangeParser } from '../../../parsers/exchange/index.js';
import { parseAll } from '../../helpers/parse.js';
import { row } from './events.cases.js';
import { TRACKING_HEADER_2019 } from './formats.js';
import { runs } from '../../helpers/runs.js';

const RECEIVE = row({
  'date-time': '2026-11-22T12:00:00.000Z',
  'client-ip': '198.51.100.9',
  'client-hostname': 'mx.example.net',
  source: 'SMTP',
  'event-id': 'RECEIVE',
  'internal-message-id': '500',
  'message-id': '<m500@example.net>',
  'recipient-address': 'a@example.com;b@example.com',
  'sender-address': 'ivan@example.net',
  'return-path': 'ivan@example.net',
});
const TRANSFER = row({
  'date-time': '2026-11-22T12:00:00.100Z',
  source: 'ROUTING',
  'event-id': 'TRANSFER',
  'internal-message-id': '501',
  'recipient-address': 'b@example.com',
  reference: '500',
});
const FAIL_FORK = row({
  'date-time': '2026-11-22T12:00:00.200Z',
  'server-hostname': 'EX01',
  source: 'STOREDRIVER',
  'event-id': 'FAIL',
  'internal-message-id': '501',
  'recipient-address': 'b@example.com',
  'recipient-status': '550 5.2.2 STOREDRV.Deliver: mailbox full',
});

describe('correlation', () => {
  test('a FAIL of a forked message gets client and sender through TRANSFER', () => {
    const { results, events } = parseAll([...TRACKING_HEADER_2019, RECEIVE, TRANSFER, FAIL_FORK], exchangeParser);
    expect(results.slice(-3).map((r) => r.status)).toEqual(['recognised', 'recognised', 'recognised']);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ queueId: '501', from: 'ivan@example.net', client: { name: 'mx.example.net', ip: '198.51.100.9', port: null } });
  });

  test('without the RECEIVE row (log began later) the FAIL keeps what it has', () => {
    const { events } = parseAll([...TRACKING_HEADER_2019, FAIL_FORK], exchangeParser);
    expect(events[0]).toMatchObject({ from: null, client: null });
  });

  test('correlation survives log rotation: one machine, two inputs', () => {
    const m = exchangeParser.create();
    m.begin({ file: 'MSGTRK2026112211-1.LOG', reference: new Date() });
    [...TRACKING_HEADER_2019, RECEIVE].forEach((l, i) => m.line(l, i + 1));
    m.begin({ file: 'MSGTRK2026112212-1.LOG', reference: new Date() });
    [...TRACKING_HEADER_2019, TRANSFER].forEach((l, i) => m.line(l, i + 1));
    const r = m.line(FAIL_FORK, 7);
    expect(r.status === 'recognised' && r.events[0]).toMatchObject({ from: 'ivan@example.net' });
  });

  test('the table is capped; the least recently seen message is evicted and counted', () => {
    const t = new MessageTable(2);
    t.received('1', { client: null, from: 'a' });
    t.received('2', { client: null, from: 'b' });
    t.received('1', { client: null, from: 'a2' }); // seen again: now the newest
    t.received('3', { client: null, from: 'c' });
    expect(t.evicted).toBe(1);
    expect(t.get('2')).toBeUndefined();
    expect(t.get('1')?.from).toBe('a2');
    expect(t.size).toBe(2);
  });

  test('gives back the facts it was given, whatever their text (they are kept packed in one string)', () => {
    const text = fc.option(fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', '-', 'x', '3:abc', ':', '12', '-x;')), { nil: null });
    const port = fc.option(fc.integer({ min: 0, max: 65535 }), { nil: null });
    const client = fc.option(fc.record({ name: text, ip: text, port }), { nil: null });
    fc.assert(
      fc.property(fc.array(fc.record({ from: text, client }), { maxLength: 20 }), (facts) => {
        const t = new MessageTable();
        facts.forEach((f, i) => t.received(String(i), f));
        expect(facts.map((_f, i) => t.get(String(i)))).toEqual(facts);
      }),
      { numRuns: runs(300), seed: 5 },
    );
  });

  test('overflow() names every counter, zero when nothing overflowed', () => {
    expect(exchangeParser.create().overflow()).toEqual({
      exchangeMessagesEvicted: 0,
      exchangeSessionsEvicted: 0,
      exchangeRecipientsDropped: 0,
      exchangeUnexpandedArrays: 0,
    });
  });
});


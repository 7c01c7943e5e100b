/**
 * samples/exchange/ holds what samples/exchange/README.md says it holds: the numbers below are
 * the README's, kept by hand. Read as the pipeline reads files (src/input/lines.ts).
 */
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { exchangeParser } from '../../../parsers/exchange/index.js';
import { classify } from '../../../src/classify/classify.js';
import { MailEvent } from '../../../src/event.js';
import { forEachLine } from '../../../src/input/lines.js';

const SAMPLES = fileURLToPath(new URL('../../../samples/exchange/', import.meta.url));

async function read(file: string) {
  const m = exchangeParser.create();
  m.begin({ file, reference: new Date('2026-11-23T00:00:00Z') });
  const lines: Record<string, number> = {};
  const kinds: Record<string, number> = {};
  const rules: Record<string, number> = {};
  const events: MailEvent[] = [];
  await forEachLine(createReadStream(SAMPLES + file), (line, no) => {
    const r = m.line(line, no);
    const key = r.status === 'ignored' ? `ignored ${r.reason}` : r.status;
    lines[key] = (lines[key] ?? 0) + 1;
    if (r.status === 'recognised') events.push(...r.events);
  });
  events.push(...m.end());
  for (const ev of events) {
    expect(MailEvent.parse(ev)).toEqual(ev);
    const kind = ev.kind === 'delivery' ? `delivery ${ev.status}` : ev.kind;
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    const c = classify(ev);
    if (c) rules[c.rule] = (rules[c.rule] ?? 0) + 1;
  }
  return { lines, kinds, rules, overflow: m.overflow() };
}

describe('samples/exchange', () => {
  test('MSGTRK20261122-1.LOG: one day of a 2019 Mailbox server', async () => {
    const got = await read('MSGTRK20261122-1.LOG');
    expect(got.lines).toEqual({ 'ignored header': 5, recognised: 180, 'ignored bookkeeping': 31 });
    expect(got.kinds).toEqual({ 'delivery sent': 48, 'delivery bounced': 30, 'delivery deferred': 7, notification: 27 });
    expect(got.rules).toEqual({
      'exchange.local.recipient-not-found': 6,
      'exchange.local.auth-required': 2,
      'exchange.local.not-authorized': 1,
      'exchange.local.mailbox-full': 3,
      'exchange.local.transport-rule': 2,
      'exchange.local.size-limit': 1,
      'exchange.inbound.sender-id': 2,
      'exchange.outbound.user-unknown': 3,
      'exchange.outbound.eop-recipient-not-found': 2,
      'exchange.outbound.relay-not-accepted': 2,
      'exchange.outbound.blocklisted': 2,
      'exchange.outbound.nonexistent-domain': 2,
      'exchange.outbound.expired': 2,
      'exchange.outbound.connection-failed': 3,
      'exchange.outbound.greylisted': 2,
      'exchange.outbound.mailbox-full': 2,
    });
    expect(Object.values(got.overflow).every((n) => n === 0)).toBe(true);
  });

  test('RECV20261122-1.LOG: the Receive connectors of the same day', async () => {
    const got = await read('RECV20261122-1.LOG');
    expect(got.lines).toEqual({ 'ignored header': 5, 'ignored session': 116, 'ignored tls': 15, 'ignored auth': 4, recognised: 58 });
    expect(got.kinds).toEqual({ reject: 10 });
    expect(got.rules).toEqual({
      'exchange.inbound.relay-denied': 4,
      'exchange.inbound.auth-required': 2,
      'exchange.inbound.recipient-filtering': 3,
      'exchange.inbound.back-pressure': 1,
    });
  });
});

/**
 * The Exchange fast path may only decide what the full parser decides: whenever ExchangeFront
 * settles a line as ignored, the machine's line() ignores it for the same reason, and whenever
 * sentDelivery() takes a row the front passed on, line() gives one `sent` delivery to that
 * recipient and nothing else. Over the samples, the corpus and a generated log, fed in order
 * as the pipeline reads them (src/input/lines.ts: CR stripped, BOM kept).
 */
import { createReadStream, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { generateExchange } from '../../../bench/gen/exchange.js';
import { exchangeParser } from '../../../parsers/exchange/index.js';
import { EXCHANGE_RECEIVE } from '../../../parsers/exchange/fast.js';
import { extraOf, FRONT_IGNORED, FRONT_PARSE, FRONT_UPDATE, type LineResult } from '../../../parsers/types.js';
import { forEachLine } from '../../../src/input/lines.js';
import { ROOT } from '../../helpers/root.js';
import { CORPUS, haveCorpus } from '../../corpus/counts.js';

const REF = new Date('2026-11-23T12:00:00Z');

interface Agreement {
  ignored: number;
  sent: number;
  /** RECEIVE rows passed on as state updates (receive-update.test.ts: what later rows read of them). */
  updates: number;
}

/** Feeds `lines` to a front and a machine; returns what the fast path decided. */
function agree(lines: readonly string[]): Agreement {
  const wrong: unknown[] = [];
  // Checked by hand and asserted once: an expect() per line would cost more than the parsing.
  const fail = (line: string, path: string, full: LineResult, cheap: unknown) => {
    if (wrong.length < 5) wrong.push({ line, path, cheap, full });
  };
  const machine = exchangeParser.create();
  machine.begin({ file: 'x', reference: REF });
  const front = exchangeParser.fast.front({ reference: REF });
  const out: Agreement = { ignored: 0, sent: 0, updates: 0 };
  lines.forEach((line, i) => {
    const full = machine.line(line, i + 1);
    const v = front.text(line);
    if (v === FRONT_IGNORED) {
      out.ignored++;
      if (full.status !== 'ignored' || full.reason !== front.reason || full.events) fail(line, 'front', full, front.reason);
      return;
    }
    if (v === FRONT_UPDATE) {
      out.updates++;
      const u = front.update;
      const ok =
        full.status === 'recognised' &&
        full.events.length === 0 &&
        u.kind === EXCHANGE_RECEIVE &&
        line.slice(u.keyAt, u.keyEnd).trim() !== '' &&
        (extraOf(line, u) ?? '').split('\n').length === 4;
      if (!ok) fail(line, 'update', full, { ...u });
      return;
    }
    expect(v).toBe(FRONT_PARSE);
    const sent = exchangeParser.fast.sentDelivery(line, Math.max(0, front.bodyAt));
    if (sent === null) return;
    out.sent++;
    const to = line.slice(sent.toAt, sent.toEnd);
    const ev = full.status === 'recognised' && full.events.length === 1 ? full.events[0]! : null;
    const ok =
      ev !== null &&
      ev.kind === 'delivery' &&
      ev.status === 'sent' &&
      ev.to === to &&
      ev.origTo === null &&
      ev.delay === null &&
      ev.time === front.time &&
      sent.queueEnd < 0 &&
      sent.origAt < 0 &&
      sent.delay < 0;
    if (!ok) fail(line, 'sentDelivery', full, { to, time: front.time });
  });
  expect(wrong).toEqual([]);
  return out;
}

async function linesOf(path: string): Promise<string[]> {
  const lines: string[] = [];
  await forEachLine(createReadStream(path), (line) => void lines.push(line));
  return lines;
}

describe('Exchange fast path decides as the full parser does', () => {
  test('the samples', async () => {
    const dir = join(ROOT, 'samples/exchange');
    const tracking = await linesOf(join(dir, 'MSGTRK20261122-1.LOG'));
    const a = agree(tracking);
    expect(a.ignored).toBeGreaterThan(10);
    expect(a.sent).toBeGreaterThan(10);
    expect(a.updates).toBeGreaterThan(10);
    // Protocol logs go to the machine whole.
    expect(agree(await linesOf(join(dir, 'RECV20261122-1.LOG')))).toEqual({ ignored: 0, sent: 0, updates: 0 });
  });

  test.skipIf(!haveCorpus)('the corpus, file by file', async () => {
    const dir = join(CORPUS, 'exchange');
    let ignored = 0;
    for (const name of readdirSync(dir).filter((n) => !n.endsWith('.md'))) ignored += agree(await linesOf(join(dir, name))).ignored;
    expect(ignored).toBeGreaterThan(5);
  });

  test('a generated log (realistic mix)', async () => {
    const text = [...generateExchange({ seed: 5, messages: 1500, start: new Date('2026-11-22T00:00:00Z') })].join('\r\n') + '\r\n';
    const lines: string[] = [];
    await forEachLine(Readable.from([Buffer.from(text)]), (line) => void lines.push(line));
    const a = agree(lines);
    expect(lines.length).toBeGreaterThan(3000);
    expect(a.ignored).toBeGreaterThan(300);
    expect(a.sent).toBeGreaterThan(1000);
    expect(a.updates).toBeGreaterThan(1000);
  });

  test('rows the fast path must leave alone: another column order, Export-Csv, odd quoting, long lists', () => {
    const fields =
      'date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data,transport-traffic-type,log-id,schema-version';
    const row = (event: string, rcpt = 'a@example.org') =>
      `2026-11-22T10:00:00.000Z,,,,EX01,ctx,,STOREDRIVER,${event},1,<m@x>,n,${rcpt},,1,1,,,Subj,s@example.net,s@example.net,,Incoming,,,,,Email,l,15.02`;
    // Same width, event-id and recipient-address swapped: sentDelivery cannot see the header.
    const swapped = fields.replace('event-id', 'TMP').replace('recipient-address', 'event-id').replace('TMP', 'recipient-address');
    const swappedRow = row('a@example.org', 'DELIVER');
    const a = agree([
      `#Fields: ${fields}`,
      row('DELIVER'),
      row('AGENTINFO'),
      row('deliver', 'a@example.org; ;b@example.org'),
      row('SEND', ' c@example.org ;'),
      row('AGENTINFO', 'x@example.org;'.repeat(1001)),
      row('AGENTINFO').replace(',ctx,', ',"c""tx",'),
      row('AGENTINFO').replace(',ctx,', ',c"tx,'),
      row('DELIVER').replace('2026-11-22T10:00:00.000Z', '2026-13-22T10:00:00.000Z'),
      `#Fields: ${swapped}`,
      swappedRow,
      `#Fields: ${fields}`,
      '"Timestamp","EventId","Recipients"',
      row('AGENTINFO'),
      row('DELIVER'),
    ]);
    expect(a).toEqual({ ignored: 2, sent: 2, updates: 0 });
  });
});

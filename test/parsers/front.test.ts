/**
 * A parser's fast path (parsers/types.ts FastPath) decides every line as its full machine does.
 * Two machines read the same lines in order: one through line(), the truth; the other only as
 * the pipeline's fast path feeds it (the LineFront from bytes or text, then parsed(), update()
 * or sent()). For each line:
 * - ignored by the front: line() ignores it for the same reason, with no event;
 * - a state update: line() recognises it with no event, or with one `received` event of that
 *   queue id and sender exactly when update() says it was an arrival;
 * - a sent delivery (the shortcut): line() gives exactly one `sent` delivery of that queue id,
 *   recipient, original recipient and delay;
 * - passed on: parsed() gives what line() gives, events and all.
 * Over the samples, the corpus and generated logs, for every parser that has a fast path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { generateExchange } from '../../bench/gen/exchange.js';
import { generatePostfix } from '../../bench/gen/postfix.js';
import { builtinParsers } from '../../parsers/index.js';
import {
  FRONT_IGNORED,
  FRONT_PARSE,
  FRONT_UNDECIDED,
  FRONT_UPDATE,
  hasFastPath,
  extraOf,
  type FastLogParser,
  type LineResult,
} from '../../parsers/types.js';
import { CORPUS, haveCorpus } from '../corpus/counts.js';
import { MTA_CLASSIFIERS } from '../../src/classify/classify.js';
import { ROOT } from '../helpers/root.js';

const REF = new Date('2026-11-23T12:00:00Z');
const ASCII_RE = /^[\x00-\x7f]*$/;
/** Disagreements shown at most (a broken front would otherwise list every line). */
const SHOWN = 5;

interface Tally {
  ignored: number;
  updates: number;
  sent: number;
  parsed: number;
  /** Lines passed on whose sentDelivery() the byte twin answered too (and the same). */
  sentAscii: number;
}

/** Both machines over `lines`; the disagreements (first SHOWN) and how each line went. */
function compare(parser: FastLogParser, lines: readonly string[]): { wrong: unknown[]; tally: Tally } {
  const full = parser.create();
  const fast = parser.create();
  full.begin({ file: 'x', reference: REF });
  fast.begin({ file: 'x', reference: REF });
  const front = parser.fast.front({ reference: REF });
  const wrong: unknown[] = [];
  const tally: Tally = { ignored: 0, updates: 0, sent: 0, parsed: 0, sentAscii: 0 };
  const bad = (no: number, line: string, what: string, want: LineResult, got?: unknown) => {
    if (wrong.length < SHOWN) wrong.push({ no, line, what, want, got });
  };
  lines.forEach((line, i) => {
    const no = i + 1;
    const want = full.line(line, no);
    const ascii = ASCII_RE.test(line);
    const buf = ascii ? Buffer.from(line, 'latin1') : null;
    let v = buf ? front.bytes(buf, 0, buf.length) : FRONT_UNDECIDED;
    if (v === FRONT_UNDECIDED) {
      v = front.text(line);
      // What the reader thread does: an update's offsets are bytes of the line only in ASCII.
      if (v === FRONT_UPDATE && !ascii) v = FRONT_PARSE;
    }
    if (v === FRONT_IGNORED) {
      tally.ignored++;
      if (want.status !== 'ignored' || want.reason !== front.reason || (want.events?.length ?? 0) > 0) bad(no, line, `ignored: ${front.reason}`, want);
      return;
    }
    if (v === FRONT_UPDATE) {
      tally.updates++;
      const u = front.update;
      const key = line.slice(u.keyAt, u.keyEnd);
      const field = line.slice(u.fieldAt, u.fieldEnd);
      const extra = extraOf(line, u);
      const arrival = fast.update(u.kind, key, field, extra);
      const ok =
        want.status === 'recognised' &&
        (arrival
          ? want.events.length === 1 && want.events[0]!.kind === 'received' && want.events[0]!.queueId === key && want.events[0]!.from === field
          : want.events.length === 0);
      if (!ok) bad(no, line, `update ${u.kind} ${key} ${JSON.stringify(field)} arrival=${arrival}`, want);
      return;
    }
    expect(v).toBe(FRONT_PARSE);
    const bodyAt = front.bodyAt;
    // The main thread takes the shortcut on any line passed on (the reader only on ASCII ones).
    const sent = parser.fast.sentDelivery(line, Math.max(0, bodyAt));
    // The reader's byte twin, where the format has one, answers the same for an ASCII line.
    if (buf && parser.fast.sentDeliveryAscii) {
      tally.sentAscii++;
      const twin = parser.fast.sentDeliveryAscii(buf, 0, buf.length, Math.max(0, bodyAt));
      if (JSON.stringify(twin) !== JSON.stringify(sent)) bad(no, line, `sentDeliveryAscii ${JSON.stringify(twin)} against ${JSON.stringify(sent)}`, want);
    }
    if (sent !== null) {
      tally.sent++;
      const queueId = sent.queueEnd < 0 ? null : line.slice(sent.queueAt, sent.queueEnd);
      const to = line.slice(sent.toAt, sent.toEnd);
      const origTo = sent.origAt < 0 ? null : line.slice(sent.origAt, sent.origEnd);
      const delay = sent.delay < 0 ? null : sent.delay;
      fast.sent(queueId, to);
      const ev = want.status === 'recognised' && want.events.length === 1 ? want.events[0]! : null;
      const ok =
        ev !== null &&
        ev.kind === 'delivery' &&
        ev.status === 'sent' &&
        // A shortcut may leave out the queue id when its machine keys nothing on it (Exchange's
        // sent rows change no state); one it gives must be the event's.
        (ev.queueId === queueId || (queueId === null && parser.name === 'exchange')) &&
        ev.to === to &&
        ev.origTo === origTo &&
        ev.delay === delay &&
        // `here` where the parser tells it: the classifier's reading of the event's agent.
        (!sent.here || (ev.agent !== null && MTA_CLASSIFIERS[ev.mta].deliversHere(ev.agent)));
      if (!ok) bad(no, line, `sent ${queueId} ${to} ${origTo} ${delay} here=${sent.here}`, want);
      return;
    }
    tally.parsed++;
    const r = front.ranges;
    const host = r ? (r.hostEnd > r.hostAt ? line.slice(r.hostAt, r.hostEnd) : null) : front.host;
    const program = r ? line.slice(r.programAt, r.programEnd) : front.program;
    const got = fast.parsed(line, no, bodyAt < 0 ? null : front.time, bodyAt < 0 ? null : host, bodyAt < 0 ? null : program, bodyAt);
    try {
      expect(got).toEqual(want);
    } catch {
      bad(no, line, 'parsed', want, got);
    }
  });
  expect(fast.end()).toEqual(full.end());
  return { wrong, tally };
}

const linesOf = (path: string): string[] => {
  const raw = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  return text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
};

/** Files of a folder, oldest rotation first, notes left out. */
function logsIn(dir: string): string[] {
  const rotation = (n: string) => Number(/\.([0-9]+)(\.gz)?$/.exec(n)?.[1] ?? 0);
  return readdirSync(dir)
    .filter((n) => !n.endsWith('.md') && !n.endsWith('.json'))
    .sort((a, b) => rotation(b) - rotation(a) || (a < b ? -1 : 1));
}

const FAST = builtinParsers.filter(hasFastPath);

/** Lines each way must take at least, over the samples (-1: the parser has no such way). */
const SAMPLE_MIN: Record<string, Tally> = {
  postfix: { ignored: 100, updates: 100, sent: 10, parsed: 100, sentAscii: 100 },
  exim: { ignored: 10, updates: 50, sent: 10, parsed: 100, sentAscii: -1 },
  exchange: { ignored: 1, updates: 10, sent: 10, parsed: 10, sentAscii: -1 },
};
/** Lines the fast path decides at least, over each parser's corpus. */
const CORPUS_MIN: Record<string, number> = { postfix: 1000, exim: 500, exchange: 1 };

describe('fast paths decide every line as the full parser does', () => {
  test('Postfix has one (the test covers something)', () => {
    expect(FAST.map((p) => p.name)).toContain('postfix');
  });

  test.for(FAST.map((p) => [p.name, p] as const))('%s: the samples, each file in order', ([, parser]) => {
    const total: Tally = { ignored: 0, updates: 0, sent: 0, parsed: 0, sentAscii: 0 };
    const dir = join(ROOT, 'samples', parser.name);
    for (const name of logsIn(dir)) {
      const { wrong, tally } = compare(parser, linesOf(join(dir, name)));
      expect(wrong, name).toEqual([]);
      for (const k of Object.keys(total) as Array<keyof Tally>) total[k] += tally[k];
    }
    // Every way through the fast path that the parser has is taken.
    const min = SAMPLE_MIN[parser.name];
    for (const k of Object.keys(total) as Array<keyof Tally>) expect(total[k], k).toBeGreaterThan(min[k]);
  });

  test.skipIf(!haveCorpus).for(FAST.map((p) => [p.name, p] as const))('%s: the corpus, file by file', ([, parser]) => {
    const dir = join(CORPUS, parser.name);
    let decided = 0;
    for (const name of logsIn(dir)) {
      const { wrong, tally } = compare(parser, linesOf(join(dir, name)));
      expect(wrong, name).toEqual([]);
      decided += tally.ignored + tally.updates + tally.sent;
    }
    expect(decided).toBeGreaterThan(CORPUS_MIN[parser.name]);
  });

  test.for(['classic', 'rfc3339'] as const)('postfix: generated lines (%s, showcase mix)', (format) => {
    const parser = FAST.find((p) => p.name === 'postfix')!;
    const lines = [...generatePostfix({ seed: 7, messages: 800, start: new Date('2026-11-22T00:00:00Z'), format, mix: 'showcase' })];
    expect(lines.length).toBeGreaterThan(5_000);
    const { wrong, tally } = compare(parser, lines);
    expect(wrong).toEqual([]);
    expect(tally.sent).toBeGreaterThan(300);
    expect(tally.sentAscii).toBeGreaterThan(1000);
    expect(tally.updates).toBeGreaterThan(1000);
  });

  test('exchange: a generated log (realistic mix)', () => {
    const parser = FAST.find((p) => p.name === 'exchange')!;
    const lines = [...generateExchange({ seed: 11, messages: 1500, start: new Date('2026-11-22T00:00:00Z') })];
    const { wrong, tally } = compare(parser, lines);
    expect(wrong).toEqual([]);
    expect(tally.updates).toBeGreaterThan(1000);
    expect(tally.sent).toBeGreaterThan(1000);
  });
});

/**
 * The Exim fast path may only decide what the full parser decides: whenever EximFront settles a
 * line (from its text, or from its bytes) as ignored, the Exim machine's line() ignores it for
 * the same reason; a `Completed` it sends on as an update is a line line() recognises without
 * an event; and a line sentDelivery() takes is one line() gives a single `sent` delivery for, with
 * the same queue id, recipients and delay, flagged `here` exactly when the classifier says its
 * agent delivers on this machine. Over the samples, the corpus and generated logs,
 * fed in order.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { generateExim } from '../../../bench/gen/exim.js';
import { eximParser } from '../../../parsers/exim/index.js';
import { EXIM_ARRIVAL, EximFront, sentDelivery } from '../../../parsers/exim/front.js';
import { FRONT_IGNORED, FRONT_PARSE, FRONT_UNDECIDED, FRONT_UPDATE, type LineResult } from '../../../parsers/types.js';
import { ROOT } from '../../helpers/root.js';
import { CORPUS, haveCorpus } from '../../corpus/counts.js';
import { MTA_CLASSIFIERS } from '../../../src/classify/classify.js';

const REF = new Date('2026-11-23T12:00:00Z');
const ASCII_RE = /^[\x00-\x7f]*$/;

interface Tally {
  ignored: number;
  fromBytes: number;
  updates: number;
  sent: number;
  here: number;
  arrivals: number;
}

function agree(lines: readonly string[]): Tally {
  const wrong: unknown[] = [];
  const bad = (line: string, path: string, full: LineResult, cheap: unknown) => {
    if (wrong.length < 5) wrong.push({ line, path, cheap, full });
  };
  const machine = eximParser.create();
  machine.begin({ file: 'x', reference: REF });
  const strings = new EximFront();
  const bytes = new EximFront();
  const t: Tally = { ignored: 0, fromBytes: 0, updates: 0, sent: 0, here: 0, arrivals: 0 };
  const isIgnored = (full: LineResult, reason: string) => full.status === 'ignored' && full.reason === reason && full.events === undefined;
  lines.forEach((line, i) => {
    const full = machine.line(line, i + 1);
    const v = strings.text(line);
    if (v === FRONT_IGNORED) {
      t.ignored++;
      if (!isIgnored(full, strings.reason)) bad(line, 'text', full, strings.reason);
    } else if (v === FRONT_PARSE && strings.bodyAt >= 0) {
      const s = sentDelivery(line, strings.bodyAt);
      if (s !== null) {
        t.sent++;
        const ev = full.status === 'recognised' && full.events.length === 1 ? full.events[0]! : null;
        const want =
          ev?.kind === 'delivery' && ev.status === 'sent'
            ? { queueId: ev.queueId, to: ev.to, origTo: ev.origTo, delay: ev.delay, time: ev.time, here: ev.agent !== null && MTA_CLASSIFIERS.exim.deliversHere(ev.agent) }
            : full;
        const got = {
          queueId: line.slice(s.queueAt, s.queueEnd),
          to: line.slice(s.toAt, s.toEnd),
          origTo: s.origAt < 0 ? null : line.slice(s.origAt, s.origEnd),
          delay: s.delay < 0 ? null : s.delay,
          time: strings.time,
          here: s.here,
        };
        if (JSON.stringify(want) !== JSON.stringify(got)) bad(line, 'sentDelivery', full, got);
        if (s.here) t.here++;
      }
    }
    if (ASCII_RE.test(line)) {
      const buf = Buffer.from(line, 'latin1');
      const b = bytes.bytes(buf, 0, buf.length);
      if (b === FRONT_UNDECIDED) bytes.text(line);
      else if (b === FRONT_IGNORED) {
        t.fromBytes++;
        if (!isIgnored(full, bytes.reason)) bad(line, 'bytes', full, bytes.reason);
      } else if (b === FRONT_UPDATE) {
        t.updates++;
        const u = bytes.update;
        const key = line.slice(u.keyAt, u.keyEnd);
        // Completed: no event; an arrival: its received event (none for a repeat), sender as the field.
        const ev = full.status === 'recognised' ? full.events : [];
        const ok =
          full.status === 'recognised' &&
          key === line.slice(20, line.indexOf(' ', 20)) &&
          (u.kind === EXIM_ARRIVAL
            ? ev.length <= 1 && (ev.length === 0 || (ev[0]!.kind === 'received' && ev[0]!.queueId === key && ev[0]!.from === line.slice(u.fieldAt, u.fieldEnd)))
            : ev.length === 0);
        if (ok && u.kind === EXIM_ARRIVAL) t.arrivals++;
        if (!ok) bad(line, 'bytes update', full, key);
      }
    } else bytes.text(line);
  });
  expect(wrong).toEqual([]);
  return t;
}

const linesOf = (path: string): string[] => {
  const text = readFileSync(path, 'utf8');
  return text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
};

describe('Exim cheap paths decide as the full parser does', () => {
  test('the samples', () => {
    const dir = join(ROOT, 'samples/exim');
    let ignored = 0;
    for (const name of ['mainlog', 'rejectlog']) ignored += agree(linesOf(join(dir, name))).ignored;
    expect(ignored).toBeGreaterThan(20);
  });

  test.skipIf(!haveCorpus)('the corpus, file by file', () => {
    const dir = join(CORPUS, 'exim');
    let ignored = 0;
    for (const name of readdirSync(dir).filter((n) => !n.endsWith('.md'))) ignored += agree(linesOf(join(dir, name))).ignored;
    expect(ignored).toBeGreaterThan(20);
  });

  test('generated lines', () => {
    const lines = [...generateExim({ seed: 5, messages: 3000, start: new Date('2026-11-22T00:00:00Z') })];
    const t = agree(lines);
    expect(lines.length).toBeGreaterThan(8_000);
    expect(t.ignored).toBeGreaterThan(300);
    expect(t.fromBytes).toBeGreaterThan(100);
    expect(t.updates).toBeGreaterThan(1000);
    expect(t.sent).toBeGreaterThan(500);
    expect(t.here).toBeGreaterThan(500);
    expect(t.arrivals).toBeGreaterThan(500);
  });

  test('a rejection of a message keeps its recipient list across ignored lines', () => {
    // The header lines after a rejectlog entry belong to it only until the next stamped line:
    // the front passes that line on even when it is one to ignore.
    const lines = [
      '2026-11-22 10:00:00 1xUu3t-000000000qH-00D8 H=(x) [192.0.2.1] F=<a@example.net> rejected after DATA: spam',
      'Envelope-from: <a@example.net>',
      'Envelope-to: <b@example.org>',
      '2026-11-22 10:00:01 no host name found for IP address 192.0.2.9',
      '    <c@example.org>',
      '2026-11-22 10:00:02 no host name found for IP address 192.0.2.9',
      '2026-11-22 10:00:03 1xUu3t-000000000qH-00D9 DKIM: d=example.net [verification succeeded]',
    ];
    const front = new EximFront();
    const verdicts = lines.map((l) => front.text(l));
    expect(verdicts).toEqual([FRONT_PARSE, FRONT_PARSE, FRONT_PARSE, FRONT_PARSE, FRONT_PARSE, FRONT_PARSE, FRONT_IGNORED]);
    agree(lines);
  });
});

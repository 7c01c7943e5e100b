/**
 * samples/exim/{mainlog,rejectlog}: what samples/exim/README.md says is planted is what the
 * parser finds, and reading both logs counts every rejection once.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { eximParser } from '../../../parsers/exim/index.js';
import type { LineResult } from '../../../parsers/types.js';
import { MailEvent, type DeliveryEvent, type RejectEvent } from '../../../src/event.js';
import { REFERENCE } from '../../helpers/parse.js';

const DIR = fileURLToPath(new URL('../../../samples/exim/', import.meta.url));

function linesOf(name: string): string[] {
  const lines = readFileSync(DIR + name, 'utf8').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function run(names: string[]): { results: LineResult[]; events: MailEvent[] } {
  const m = eximParser.create();
  const results: LineResult[] = [];
  for (const name of names) {
    m.begin({ file: name, reference: REFERENCE });
    linesOf(name).forEach((l, i) => results.push(m.line(l, i + 1)));
  }
  const events = results.flatMap((r) => (r.status === 'recognised' ? r.events : (r.events ?? [])));
  events.push(...m.end());
  return { results, events };
}

function tally(results: LineResult[]) {
  const t: Record<string, number> = {};
  for (const r of results) {
    const k = r.status === 'ignored' ? `ignored:${r.reason}` : r.status;
    t[k] = (t[k] ?? 0) + 1;
  }
  return t;
}

/** The planted refusal kinds, told apart by the words of their text. */
function rejectKind(e: RejectEvent): string {
  const t = e.text;
  if (t.includes('Unrouteable address')) return 'unrouteable';
  if (t.includes('relay not permitted')) return 'relay';
  if (t.includes('black list') || t.includes('RBL')) return 'dnsbl';
  if (t.includes('Sender verify failed')) return 'sender-verify';
  if (t.includes('Sender rate')) return 'rate-limit';
  if (t.includes('greylisted')) return 'greylisted';
  if (t.includes('message too big')) return 'too-big';
  if (t.startsWith('rejected after DATA')) return 'after-data';
  if (t.includes('syntactically invalid')) return 'ehlo-syntax';
  if (t.startsWith('SMTP protocol synchronization error')) return 'sync';
  return 'other';
}

function byKey<T>(items: T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of items) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

describe('samples/exim', () => {
  test('mainlog: every line understood, the planted events found', () => {
    const { results, events } = run(['mainlog']);
    expect(results).toHaveLength(519);
    expect(tally(results)).toEqual({
      // The 9 `authenticator failed` lines are auth-failure events (the traffic overview's).
      recognised: 358,
      'ignored:bookkeeping': 134,
      'ignored:auth': 1,
      'ignored:session': 19,
      'ignored:tls': 3,
      'ignored:warning': 4,
    });
    for (const ev of events) expect(MailEvent.parse(ev)).toEqual(ev);
    expect(byKey(events, (e) => (e.kind === 'delivery' ? `delivery:${e.status}` : e.kind))).toEqual({
      reject: 44,
      'delivery:sent': 93,
      'delivery:bounced': 5,
      'delivery:expired': 1,
      'delivery:deferred': 10,
      notification: 6,
      received: 98,
      'auth-failure': 9,
      // the `daemon started` line: a timeline marker (issue 18), still counted as bookkeeping
      marker: 1,
    });
    const rejects = events.filter((e): e is RejectEvent => e.kind === 'reject');
    expect(byKey(rejects, rejectKind)).toEqual({
      unrouteable: 12,
      relay: 5,
      dnsbl: 6,
      'sender-verify': 4,
      'rate-limit': 3,
      greylisted: 5,
      'too-big': 2,
      'after-data': 4,
      'ehlo-syntax': 1,
      sync: 2,
    });
    expect(rejects.filter((e) => e.text.startsWith('temporarily rejected'))).toHaveLength(8);
    const failed = events.filter((e): e is DeliveryEvent => e.kind === 'delivery' && e.status !== 'sent');
    expect(byKey(failed, (e) => `${e.status} ${e.dsn ?? e.reason}`)).toEqual({
      'bounced 5.1.1': 2,
      'bounced Unrouteable address': 1,
      'bounced 5.2.2': 1,
      'bounced 5.7.1': 1,
      "expired retry time not reached for any host for 'gone.example': retry timeout exceeded": 1,
      'deferred 4.7.1': 2,
      'deferred Connection refused': 1,
      'deferred Connection timed out': 1,
      "deferred retry time not reached for any host for 'old-host.example'": 3,
      "deferred retry time not reached for any host for 'gone.example'": 1,
      'deferred mailbox is full (MTA-imposed quota exceeded while writing to /var/mail/dave)': 2,
    });
    // Correlation: every bounce or deferral of a message that arrived today knows its sender.
    const known = failed.filter((e) => e.queueId !== null && !e.queueId.startsWith('1xTU1o'));
    expect(known.every((e) => e.from !== null)).toBe(true);
  });

  test('rejectlog alone: the same 44 refusals, header dumps ignored', () => {
    const { results, events } = run(['rejectlog']);
    expect(results).toHaveLength(113);
    expect(tally(results)).toEqual({ recognised: 53, 'ignored:header': 55, 'ignored:session': 1, 'ignored:warning': 4 });
    expect(events.filter((e) => e.kind === 'reject')).toHaveLength(44);
    expect(events.filter((e) => e.kind === 'auth-failure')).toHaveLength(9);
  });

  test('mainlog and rejectlog together count each refusal and authentication failure once', () => {
    const both = run(['mainlog', 'rejectlog']);
    const reverse = run(['rejectlog', 'mainlog']);
    for (const r of [both, reverse]) {
      expect(r.events.filter((e) => e.kind === 'reject')).toHaveLength(44);
      expect(r.events.filter((e) => e.kind === 'auth-failure')).toHaveLength(9);
      // 159 deliveries, refusals and notices, 98 arrivals, 9 authentication failures, and the
      // daemon's start marker.
      expect(r.events).toHaveLength(159 + 98 + 9 + 1);
      expect(tally(r.results)['ignored:bookkeeping']).toBe(134 + 44 + 9);
    }
  });
});

/**
 * The reader thread's shortcut for sent deliveries (sentRecipient) must agree with the full
 * parse (parseDeliveryFields) on every text: the recipient exactly when the full parse gives
 * status `sent`, null otherwise. Checked on the delivery texts of the shipped sample and the
 * real corpus, and on mutations of them (cut, repeated, junk inserted).
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDeliveryFields, parseRemoteReply, parseReply, sentRecipient as spansOf } from '../../../parsers/postfix/fields.js';

/** The recipient sentRecipient points at, or null. */
function sentRecipient(body: string, at = 0): string | null {
  const f = spansOf(body, at);
  return f === null ? null : body.slice(f.toAt, f.toEnd);
}
import { ROOT } from '../../helpers/root.js';
import { CORPUS, haveCorpus } from '../../corpus/counts.js';
import { replyShaped } from '../../helpers/reply-texts.js';
import { runs } from '../../helpers/runs.js';

const logLines = (path: string) => readFileSync(path, 'utf8').split('\n');
// The shared corpus sits beside the repository (as in CI); without it, the sample alone.
const corpusFiles = haveCorpus ? readdirSync(CORPUS + 'postfix').filter((f) => !f.endsWith('.md')) : [];
/** Every `to=…` text (from `to=` on) of the sample and the corpus. */
const deliveries = [...logLines(`${ROOT}samples/postfix/mail.log`), ...corpusFiles.flatMap((f) => logLines(`${CORPUS}postfix/${f}`))]
  .map((l) => l.slice(Math.max(0, l.indexOf(': to=') + 2)))
  .filter((t) => t.startsWith('to='));

/** What sentRecipient must give: the full parse's recipient when its status is `sent`. */
function expected(body: string, at: number): string | null {
  const f = parseDeliveryFields(body, at);
  return f !== null && f.status === 'sent' ? f.to : null;
}

describe('sentRecipient', () => {
  it('has real delivery texts to check, sent and not', () => {
    expect(deliveries.length).toBeGreaterThan(500);
    expect(deliveries.filter((d) => expected(d, 0) !== null).length).toBeGreaterThan(100);
    expect(deliveries.filter((d) => expected(d, 0) === null).length).toBeGreaterThan(50);
  });

  it('agrees with parseDeliveryFields on every real delivery text', () => {
    for (const d of deliveries) expect(sentRecipient(d)).toBe(expected(d, 0));
  });

  it.each([
    ['to=<a@example.org>, relay=x[192.0.2.1]:25, delay=1, dsn=2.0.0, status=sent (250 ok)', 'a@example.org'],
    ['to=<a@example.org>, orig_to=<b@example.org>, relay=local, delay=0, dsn=2.0.0, status=sent', 'a@example.org'],
    ['to=a@example.org, relay=local, status=sent (delivered to mailbox)', 'a@example.org'],
    ['to=<a@example.org>, relay=none, dsn=2.0.0, status=sentinel (no)', null],
    ['to=<a@example.org>, relay=none, dsn=2.0.0, status=sent later (no)', null],
    ['to=<a@example.org>, relay=none, dsn=5.1.1, status=bounced (sent)', null],
    ['to=<a@example.org>, relay none, status=sent (250 ok)', null],
  ])('%s', (body, want) => {
    expect(sentRecipient(body)).toBe(want);
    expect(expected(body, 0)).toBe(want);
  });

  it('agrees on mutated texts, at any offset', () => {
    const mutated = fc
      .tuple(fc.constantFrom(...deliveries), fc.nat(), fc.nat(), fc.string({ unit: 'binary', maxLength: 30 }), fc.integer({ min: 0, max: 3 }))
      .map(([t, a, b, junk, op]) => {
        const i = a % (t.length + 1);
        const j = i + (b % 40);
        if (op === 0) return t.slice(0, i) + t.slice(j);
        if (op === 1) return t.slice(0, j) + t.slice(i, j) + t.slice(i);
        if (op === 2) return t.slice(0, i) + junk + t.slice(j);
        return t.slice(0, i);
      });
    fc.assert(
      fc.property(mutated, fc.string({ maxLength: 20 }), (body, prefix) => {
        const text = prefix + body;
        expect(sentRecipient(text, prefix.length)).toBe(expected(text, prefix.length));
        // parseDeliveryFields at an offset is parseDeliveryFields of the rest.
        expect(parseDeliveryFields(text, prefix.length)).toEqual(parseDeliveryFields(body));
      }),
      { numRuns: runs(3000), seed: 20261123 },
    );
  });
});

/** parseReply() as it was written with two regexes: the reference for the hand-written reader. */
function replyByRegex(text: string): { code: number | null; enhanced: string | null; text: string } {
  let rest = text;
  let code: number | null = null;
  let enhanced: string | null = null;
  const c = /^([245]\d\d)(?:[ -]|$)/.exec(rest);
  if (c) {
    code = Number(c[1]);
    rest = rest.slice(c[0].length);
  }
  const e = /^([245]\.\d{1,3}\.\d{1,3})(?: |$)/.exec(rest);
  if (e) {
    enhanced = e[1]!;
    rest = rest.slice(e[0].length);
  }
  return { code, enhanced, text: rest };
}

describe('parseReply', () => {
  it.each([
    ['550 5.1.1 <x@y.example>: Recipient address rejected: User unknown', 550, '5.1.1', '<x@y.example>: Recipient address rejected: User unknown'],
    ['4.7.1 Try again later', null, '4.7.1', 'Try again later'],
    ['504 need fully-qualified hostname', 504, null, 'need fully-qualified hostname'],
    ['550-5.1.1 first 550 5.1.1 last', 550, '5.1.1', 'first 550 5.1.1 last'],
    ['554', 554, null, ''],
    ['450 4.7.25', 450, '4.7.25', ''],
    ['5.7.1234 no', null, null, '5.7.1234 no'],
    ['350 5.1.1 x', null, null, '350 5.1.1 x'],
    ['5500 x', null, null, '5500 x'],
  ])('%s', (text, code, enhanced, rest) => {
    expect(parseReply(text)).toEqual({ code, enhanced, text: rest });
  });

  it('reads what the two regexes read, on random replies', () => {
    fc.assert(
      fc.property(replyShaped, (text) => {
        expect(parseReply(text)).toEqual(replyByRegex(text));
        // The remote reply after `host … said: ` reads its code by the same rule.
        const reason = `host mx.example.net[192.0.2.1] said: ${text}`;
        const c = /^([245]\d\d)(?:[ -]|$)/.exec(reason.slice(37, 41));
        expect(parseRemoteReply(reason).code).toBe(c ? Number(c[1]) : null);
      }),
      { numRuns: runs(5000) },
    );
  });
});

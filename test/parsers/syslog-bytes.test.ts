/**
 * The reader thread decides ASCII lines from their bytes (parsers/syslog-bytes.ts,
 * parsers/postfix/triage-ascii.ts, PostfixFront.triageAscii): for every line it must give what
 * the string path gives, in sequence (the time cache and year inference carry state from line to
 * line), with the line anywhere in a larger buffer whose next bytes could be mistaken for more
 * of it (digits, `]`, `:`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { PostfixFront, UNDECIDED } from '../../parsers/postfix/index.js';
import { triage } from '../../parsers/postfix/body.js';
import { AFTER_QUEUE_ID, NO_QUEUE_ID } from '../../parsers/postfix/ignore.js';
import { queueIdEndAscii, queueUpdateAscii, sentDeliveryAscii, triageAscii, QUEUE_CLIENT, QUEUE_FROM, QUEUE_REMOVED } from '../../parsers/postfix/triage-ascii.js';
import { PostfixBody } from '../../parsers/postfix/body.js';
import { parsePeer } from '../../parsers/postfix/fields.js';
import { queueIdEnd, sentDelivery } from '../../parsers/postfix/body.js';
import { scanAsciiEnvelope } from '../../parsers/syslog-bytes.js';
import { EnvelopeReader } from '../../parsers/syslog.js';
import { CORPUS, haveCorpus } from '../corpus/counts.js';
import { runs } from '../helpers/runs.js';

const REF = new Date('2026-11-23T12:00:00Z');

/** `line` as bytes at a random offset of a buffer, followed by `after`. */
function embed(line: string, offset: number, after: string): [Buffer, number, number] {
  const buf = Buffer.from(' '.repeat(offset) + line + after, 'latin1');
  return [buf, offset, offset + line.length];
}

const ascii = (s: string) => /^[\x00-\x7f]*$/.test(s);
const after = fc.constantFrom('', '\n', '7', '12]: x', ':', ' ', '5 rest');

describe('the envelope from bytes', () => {
  const stamps = ['Nov 22 10:00:00', 'Nov 22 10:00:00', 'Nov  2 10:00:01', 'Dec 31 23:59:59', 'Jan  1 00:00:00', 'Jan 1 00:00:00.250', 'Nov 22 10:00:00.123456', '2026-11-22T10:00:00.5+01:00', '2026-11-22T10:00:00Z', '2026-12-31T23:59:59', '2026-11-22T10:00:00.123+0100', '<22>Nov 22 10:00:00'];
  const hosts = ['mx1', 'mx1', 'mail.example.org', ''];
  const programs = ['postfix/smtpd[123]: ', 'postfix/qmgr[9]: ', 'postfix/smtp: ', 'dovecot: ', 'postfix/smtpd[x]: ', 'opendkim[12345678901]: ', 'postfix/cleanup[1]:'];
  const bodies = ['connect from x[192.0.2.1]', '3F2A1B4C5D: removed', '', ' leading space'];
  const line = fc
    .tuple(fc.constantFrom(...stamps), fc.constantFrom(...hosts), fc.constantFrom(...programs), fc.constantFrom(...bodies), fc.nat(), fc.string({ maxLength: 3 }), fc.nat(3))
    .map(([stamp, host, program, body, at, junk, cut]) => {
      const l = `${stamp} ${host} ${program}${body}`;
      // Mutated: something inserted, replaced or cut off anywhere.
      if (cut === 0) return l;
      const i = at % (l.length + 1);
      return cut === 1 ? l.slice(0, i) : l.slice(0, i) + junk + l.slice(i + (at % 3));
    })
    .filter(ascii);

  test('gives the string fast paths’ span, or null where they would not take the line', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(line, fc.nat(20), after), { minLength: 1, maxLength: 40 }), (lines) => {
        const bytes = new EnvelopeReader(REF);
        const text = new EnvelopeReader(REF);
        for (const [l, offset, tail] of lines) {
          const [buf, start, end] = embed(l, offset, tail);
          const got = l.length === 0 ? null : scanAsciiEnvelope(bytes, buf, start, end);
          const want = text.scan(l);
          if (got === null) {
            // The string path then reads the line itself, with the same reader.
            const again = bytes.scan(l);
            expect(again === bytes.span ? { ...bytes.span } : again).toEqual(want === text.span ? { ...text.span } : want);
          } else {
            expect(want).toBe(text.span);
            expect({ ...got }).toEqual({ ...text.span });
          }
        }
      }),
      { numRuns: runs(1500), seed: 20261123 },
    );
  });
});

describe('triage from bytes', () => {
  const messages = [...NO_QUEUE_ID, ...AFTER_QUEUE_ID].map(([p]) => p);
  const ids = ['', '3F2A1B4C5D: ', '44JCRG5tYPzCqt2: ', 'NOQUEUE: ', '<queue id>: ', 'ABCDE: ', 'abc: ', '0123456789ABCDEF0123456789: '];
  const more = ['to=<a@b.example>, relay=x, status=sent', 'from=<a@b>, size=1', 'client=x[1.2.3.4]', 'removed', 'reject: RCPT from x', 'milter-reject: END-OF-MESSAGE', 'proxy-reject: x', 'proxy-accept: x', 'uid=0 from=<root>', 'sender non-delivery notification: 1A2B3C4D5E', 'postmaster delay notification: X', 'warning: SASL authentication failure', 'warning: x authentication failed', 'warning: hostname x does not resolve', 'warning: 3F2A1B4C5D: queue file size limit exceeded', 'warning: 44JCRG5tYPzCqt2: message rejected: hopcount exceeded', 'warning: Recipient address rate limit exceeded: 3 from x[192.0.2.1] for service smtp', 'warning: Message delivery request rate limit exceeded: 2 from x[192.0.2.1] for service smtp', 'warning: Connection concurrency limit exceeded: 51 from x[192.0.2.1] for service smtp', 'something new'];
  const body = fc
    .tuple(fc.constantFrom(...ids), fc.constantFrom(...messages, ...more), fc.nat(), fc.boolean())
    .map(([id, m, at, cut]) => {
      const b = id + m;
      return cut ? b.slice(0, at % (b.length + 1)) : b;
    });

  test('gives triage()’s reason for any message, and queueIdEnd()’s end', () => {
    fc.assert(
      fc.property(body, fc.nat(20), after, (b, offset, tail) => {
        const [buf, start, end] = embed(b, offset, tail);
        expect(triageAscii(buf, start, end)).toBe(triage(b));
        const q = queueIdEndAscii(buf, start, end);
        expect(q === 0 ? 0 : q - start).toBe(queueIdEnd(b));
      }),
      { numRuns: runs(3000), seed: 7 },
    );
  });
});

describe('queue-id table updates from bytes', () => {
  const ids = ['3F2A1B4C5D: ', '44JCRG5tYPzCqt2: ', 'NOQUEUE: ', '<queue id>: ', 'ABCDEF0123: '];
  const rests = [
    'from=<alice@example.org>, size=1234, nrcpt=1 (queue active)', 'from=<>, size=1, nrcpt=1 (queue active)',
    'from=<a>, b>, size=1', 'from=<a@b>, status=expired, returned to sender', 'from=<a@b> size=1', 'from=<a@b>, size',
    'client=mail.example.net[192.0.2.1]', 'client=unknown[2001:db8::1]:4321, sasl_method=PLAIN, sasl_username=u',
    'client=, x', 'client=', 'removed', 'removed extra', 'removedx', 'to=<a@b>, status=sent', 'reject: RCPT from x',
  ];
  const ctx = { time: null, host: null, program: 'postfix/qmgr', raw: '', file: 'f', line: 1 };
  /** What a table holds for `id` once `before` (a sender and client) and then `body` went through it. */
  const state = (b: PostfixBody, id: string) => {
    const e = b.queue.get(id);
    return e === undefined ? null : { from: e.from, client: e.client };
  };

  test('recognises exactly the messages whose only effect in parse() is that update, and gives it', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ids), fc.constantFrom(...rests), fc.nat(), fc.boolean(), fc.nat(8), after, (idPart, rest, at, cut, offset, tail) => {
        const full = idPart + rest;
        const body = cut ? full.slice(0, at % (full.length + 1)) : full;
        const id = idPart.slice(0, -2);
        const viaParse = new PostfixBody();
        const viaBytes = new PostfixBody();
        for (const b of [viaParse, viaBytes]) {
          // As after the message's arrival: a sender line now only updates the table (the
          // first one gives a received event, and the pipeline counts it: see below).
          b.queue.arrive(id, 'earlier@example.org');
          b.queue.setClient(id, parsePeer('earlier.example[192.0.2.9]'));
        }
        const r = viaParse.parse(body, ctx);
        const [buf, start, end] = embed(body, offset, tail);
        const q = { queueAt: 0, queueEnd: 0, fieldAt: 0, fieldEnd: 0 };
        const kind = queueUpdateAscii(buf, start, end, q);
        if (kind === 0) return;
        expect([body, r]).toEqual([body, { status: 'recognised', events: [] }]);
        const qid = buf.toString('latin1', q.queueAt, q.queueEnd);
        const field = buf.toString('latin1', q.fieldAt, q.fieldEnd);
        expect(qid).toBe(id);
        if (kind === QUEUE_FROM) expect(viaBytes.queue.arrive(qid, field)).toBe(false);
        else if (kind === QUEUE_CLIENT) viaBytes.queue.setClient(qid, parsePeer(field));
        else if (kind === QUEUE_REMOVED) viaBytes.queue.remove(qid);
        expect(state(viaBytes, id)).toEqual(state(viaParse, id));
      }),
      { numRuns: runs(3000), seed: 5 },
    );
  });

  test('takes the common lines', () => {
    const kinds = ['3F2A1B4C5D: from=<a@b>, size=1, nrcpt=1 (queue active)', '3F2A1B4C5D: client=x[192.0.2.1]', '3F2A1B4C5D: removed'].map((b) => {
      const [buf, start, end] = embed(b, 0, '\n');
      return queueUpdateAscii(buf, start, end, { queueAt: 0, queueEnd: 0, fieldAt: 0, fieldEnd: 0 });
    });
    expect(kinds).toEqual([QUEUE_FROM, QUEUE_CLIENT, QUEUE_REMOVED]);
  });

  test("a message's first sender line is its arrival: parse() gives the received event the pipeline counts", () => {
    const body = new PostfixBody();
    const line = '3F2A1B4C5D: from=<a@b.example>, size=1, nrcpt=1 (queue active)';
    const first = body.parse(line, ctx);
    expect(first.status === 'recognised' && first.events.map((e) => e.kind)).toEqual(['received']);
    expect(body.parse(line, ctx)).toEqual({ status: 'recognised', events: [] });
    const viaBytes = new PostfixBody();
    expect(viaBytes.queue.arrive('3F2A1B4C5D', 'a@b.example')).toBe(true);
    expect(viaBytes.queue.arrive('3F2A1B4C5D', 'a@b.example')).toBe(false);
  });
});

describe('sent deliveries from bytes', () => {
  const ids = ['3F2A1B4C5D: ', '44JCRG5tYPzCqt2: ', 'NOQUEUE: ', '<queue id>: ', 'ABCDEF0123: ', 'xyz: '];
  const tos = ['to=<bob@example.com>, ', 'to=bob@example.com, ', 'to=<>, ', 'to=<a, b>@example.com>, ', 'to=<bob@example.com> ', 'from=<a@b>, '];
  const origs = ['', 'orig_to=<b@example.com>, ', 'orig_to=b, ', 'orig_to=<b'];
  const items = ['relay=mx[192.0.2.1]:25, ', 'delay=1.25, ', 'delays=0.1/0/0.5/0.6, ', 'dsn=2.0.0, ', 'conn_use=2, ', 'x, ', 'delay= 5, ', 'delay=1e2, ', 'delay=-1, ', 'delay=abc, ', 'delay=12345678901234567, ', 'relay=x ',
    'delay=.5, ', 'delay=1., ', 'delay=0.1, ', 'delay=00012, ', 'delay=3.14159265358979, ', 'delay=123456789012345, ', 'delay=0.30000000000000004, ', 'delay=1.2.3, ', 'delay=, '];
  const statuses = ['status=sent (250 2.0.0 Ok: queued as X)', 'status=sent', 'status=sentx', 'status=sent(', 'status=sent ', 'status=sent (', 'status=bounced (x)', 'status=deferred', ''];
  const message = fc
    .tuple(fc.constantFrom(...ids), fc.constantFrom(...tos), fc.constantFrom(...origs), fc.array(fc.constantFrom(...items), { maxLength: 5 }), fc.constantFrom(...statuses), fc.nat(), fc.nat(3), fc.string({ maxLength: 3 }))
    .map(([id, to, orig, rest, status, at, cut, junk]) => {
      const m = id + to + orig + rest.join('') + status;
      if (cut === 0) return m;
      // Mutated: something inserted, replaced or cut off anywhere.
      const i = at % (m.length + 1);
      return cut === 1 ? m.slice(0, i) : m.slice(0, i) + junk + m.slice(i + (at % 3));
    })
    .filter(ascii);

  test("gives sentDelivery()'s spans (offsets from the line's start) or null, for any message", () => {
    fc.assert(
      fc.property(fc.constantFrom('', 'Nov 22 10:00:00 mx1 postfix/smtp[13]: '), message, fc.nat(8), after, (envelope, body, offset, tail) => {
        const line = envelope + body;
        const [buf, start, end] = embed(line, offset, tail);
        const want = sentDelivery(line, envelope.length);
        const got = sentDeliveryAscii(buf, start, end, envelope.length);
        expect([line, got && { ...got }]).toEqual([line, want && { ...want }]);
      }),
      { numRuns: runs(5000), seed: 13 },
    );
  });

  test('takes the common line, and leaves other statuses', () => {
    const line = '3F2A1B4C5D: to=<bob@example.com>, orig_to=<b@example.com>, relay=x, delay=1.25, status=sent (250 ok)';
    const [buf, start, end] = embed(line, 3, '\n');
    expect(sentDeliveryAscii(buf, start, end, 0)).toEqual({ queueAt: 0, queueEnd: 10, toAt: 16, toEnd: 31, origAt: 43, origEnd: 56, delay: 1.25, here: false });
    const bounced = line.replace('status=sent', 'status=bounced');
    const [b2, s2, e2] = embed(bounced, 0, '');
    expect(sentDeliveryAscii(b2, s2, e2, 0)).toBeNull();
  });
});

describe('PostfixFront.triageAscii on real lines', () => {
  /** Every ASCII line of `path` through both fronts: the same reason, time, body and parts. */
  const compare = (path: string) => {
    const bytes = new PostfixFront({ reference: REF });
    const text = new PostfixFront({ reference: REF });
    let decided = 0;
    const lines = readFileSync(path, 'latin1').split('\n').filter(ascii);
    for (const l of lines) {
      const [buf, start, end] = embed(l, 3, '\n');
      let got = bytes.triageAscii(buf, start, end);
      if (got === UNDECIDED) got = bytes.triage(l);
      else decided++;
      const want = text.triage(l);
      expect([l, got]).toEqual([l, want]);
      if (want === null) {
        expect([bytes.bodyAt, bytes.time]).toEqual([text.bodyAt, text.time]);
        expect(bytes.ranges === null ? null : { ...bytes.ranges }).toEqual(text.ranges === null ? null : { ...text.ranges });
      }
    }
    return { lines: lines.length, decided };
  };

  test('the shipped Postfix sample: every line decided from its bytes', () => {
    const { lines, decided } = compare('samples/postfix/mail.log');
    expect(lines).toBeGreaterThan(1000);
    expect(decided).toBe(lines);
  });

  test.skipIf(!haveCorpus)('every ASCII line of the Postfix corpus', () => {
    let decided = 0;
    for (const f of readdirSync(`${CORPUS}postfix`)) if (f.endsWith('.log')) decided += compare(`${CORPUS}postfix/${f}`).decided;
    expect(decided).toBeGreaterThan(10_000);
  });
});

/** The diagnosis through the aggregator: the evidence the log holds, and what each output gets from it. */
import { describe, expect, test } from 'vitest';
import { Aggregator, emptyRunStats } from '../../src/aggregate/aggregator.js';
import { HARVEST_THRESHOLD } from '../../src/aggregate/harvest.js';
import type { Snapshot } from '../../src/aggregate/types.js';
import type { Classification } from '../../src/classify/types.js';
import type { MailEvent } from '../../src/event.js';
import { ReportSchema } from '../../src/report/schema.js';
import { renderJson } from '../../src/report/json.js';
import { cls, delivery, reject } from './fixtures.js';

function snap(items: Array<[MailEvent, Classification | null]>, a = new Aggregator()): Snapshot {
  for (const [ev, c] of items) a.add(ev, c);
  return a.snapshot(emptyRunStats());
}

const sent = (to: string, time = '2024-05-01T09:00:00Z'): [MailEvent, null] => [
  delivery({ status: 'sent', to, time, dsn: '2.0.0', reason: '250 OK', smtpCode: 250 }),
  null,
];
const outbound = (f: Partial<Classification> = {}) => cls({ direction: 'outbound', hint: 'remote', ...f });
const dnf = (to: string): [MailEvent, Classification] => [
  delivery({ to, reason: 'Host or domain name not found', smtpCode: null, dsn: '5.4.4' }),
  outbound({ cause: 'domain-not-found' }),
];

describe('act or not', () => {
  test('an inbound user-unknown for an address that received mail earlier is actionable', () => {
    const [f] = snap([sent('bob@example.com'), [reject({ to: 'bob@example.com' }), cls()]]).findings;
    expect([f!.action, f!.actionReason]).toEqual(['actionable', expect.stringMatching(/^an address that received mail earlier in the log is now refused/)]);
  });

  test('the same refusal before any delivery to it is informational', () => {
    const [f] = snap([[reject({ to: 'bob@example.com', time: '2024-05-01T08:00:00Z' }), cls()], sent('bob@example.com')]).findings;
    expect(f!.action).toBe('informational');
  });

  test("the pipeline's shortcut for sent lines (sentTo) is evidence too, by the original recipient as well", () => {
    const a = new Aggregator();
    a.sentTo('mailbox@example.com', 'alias@example.com');
    const [f] = snap([[reject({ to: 'alias@Example.COM' }), cls()]], a).findings;
    expect(f!.action).toBe('actionable');
  });

  test('"earlier" is by time, not by the order the lines were read (files given newest first)', () => {
    const refusal = (t: string): [MailEvent, Classification] => [reject({ to: 'bob@example.com', time: t }), cls()];
    // The delivery is read after the refusal but happened before it.
    expect(snap([refusal('2024-05-02T08:00:00Z'), sent('bob@example.com', '2024-05-01T09:00:00Z')]).findings[0]!.action).toBe('actionable');
    // Read before the refusal, but happened after it: the address had not worked yet.
    expect(snap([sent('bob@example.com', '2024-05-03T09:00:00Z'), refusal('2024-05-02T08:00:00Z')]).findings[0]!.action).toBe('informational');
  });

  test('addresses, not refusals, are counted; two diagnoses merged judge as one', () => {
    const refusal = (to: string): [MailEvent, Classification] => [reject({ to, time: '2024-05-02T08:00:00Z' }), cls()];
    const one = snap([sent('bob@example.com'), sent('amy@example.com'), refusal('bob@example.com'), refusal('bob@example.com'), refusal('amy@example.com')]);
    expect(one.findings[0]!.actionReason).toMatch(/^2 addresses that received mail earlier/);
    // The deliveries on one server, the refusals on another: merged, the same verdict.
    const a = new Aggregator();
    const b = new Aggregator();
    snap([sent('bob@example.com'), sent('amy@example.com')], a);
    snap([refusal('bob@example.com'), refusal('bob@example.com'), refusal('amy@example.com')], b);
    a.merge(b);
    expect(a.snapshot(emptyRunStats()).findings[0]!.actionReason).toBe(one.findings[0]!.actionReason);
  });

  test('outbound blocklisted is actionable, a remote mailbox full informational', () => {
    const s = snap([
      [delivery({ to: 'a@big.example' }), outbound({ cause: 'blocklisted' })],
      [delivery({ to: 'b@other.example' }), outbound({ cause: 'mailbox-full' })],
    ]);
    expect(s.findings.map((f) => [f.cause, f.action])).toEqual([
      ['blocklisted', 'actionable'],
      ['mailbox-full', 'informational'],
    ]);
  });
});

describe('typo domains', () => {
  test('domain-not-found for gmial.com suggests gmail.com, in the finding and the JSON', () => {
    const s = snap([dnf('ann@gmial.com')]);
    expect([s.findings[0]!.suggestion, s.findings[0]!.action]).toEqual(['gmail.com', 'informational']);
    expect(s.findings[0]!.actionReason).toContain('misspelling of gmail.com');
    const doc = ReportSchema.parse(JSON.parse(renderJson(s)));
    expect(doc.findings[0]!.suggestion).toBe('gmail.com');
  });

  test('a domain that accepts mail in the log is never a typo', () => {
    const s = snap([sent('x@gmial.com'), dnf('ann@gmial.com')]);
    expect(s.findings[0]!.suggestion).toBeNull();
    // …and "not found" for a domain that accepted our mail points at our resolver.
    expect([s.findings[0]!.action, s.findings[0]!.actionReason]).toEqual(['actionable', expect.stringContaining('DNS resolver')]);
  });

  test('a bounce at a near miss of a domain that accepts mail suggests that domain', () => {
    const s = snap([sent('x@acme-widgets.com'), [delivery({ to: 'bob@acme-widgets.cmo' }), outbound()]]);
    expect(s.findings[0]!.suggestion).toBe('acme-widgets.com');
  });

  test('no suggestion for inbound findings or outbound deferrals only', () => {
    const s = snap([
      [reject({ to: 'a@gmial.com' }), cls()],
      [delivery({ to: 'b@gmial.com', status: 'deferred', smtpCode: 450 }), outbound({ cause: 'greylisted', permanent: false })],
    ]);
    expect(s.findings.map((f) => f.suggestion)).toEqual([null, null]);
  });
});

describe('directory harvest through the aggregator', () => {
  const attack = (n: number): Array<[MailEvent, Classification]> =>
    Array.from({ length: n }, (_, i) => [
      reject({ to: `guess${i}@example.com`, time: `2024-05-01T10:00:${String(i).padStart(2, '0')}Z`, client: { name: null, ip: '203.0.113.9', port: null } }),
      cls(),
    ]);

  test(`${HARVEST_THRESHOLD + 10} unknown addresses from one client: one harvest finding`, () => {
    const s = snap(attack(HARVEST_THRESHOLD + 10));
    expect(s.harvest.map((h) => [h.client, h.distinctAddresses, h.firstSeen, h.lastSeen])).toEqual([
      ['203.0.113.9', HARVEST_THRESHOLD + 10, '2024-05-01T10:00:00Z', `2024-05-01T10:00:${HARVEST_THRESHOLD + 9}Z`],
    ]);
    expect(ReportSchema.parse(JSON.parse(renderJson(s))).harvest).toHaveLength(1);
  });

  test(`${HARVEST_THRESHOLD - 1} are not`, () => {
    expect(snap(attack(HARVEST_THRESHOLD - 1)).harvest).toEqual([]);
  });

  test('outbound user-unknown bounces never count', () => {
    const s = snap(
      Array.from({ length: 40 }, (_, i): [MailEvent, Classification] => [
        delivery({ to: `x${i}@remote.test`, client: { name: null, ip: '203.0.113.9', port: null } }),
        outbound(),
      ]),
    );
    expect(s.harvest).toEqual([]);
  });
});

describe('backscatter', () => {
  const stranger = { from: 'forged@victim.example', client: { name: 'spam.example', ip: '203.0.113.50', port: null } };

  test('accept-then-bounce: our own delivery bounces a stranger’s mail', () => {
    const s = snap([[delivery({ to: 'nobody@example.com', agent: 'local', ...stranger }), cls({ direction: 'local' })]]);
    expect(s.backscatter.map((b) => [b.kind, b.mta, b.count, b.distinctSenders])).toEqual([['accept-then-bounce', 'postfix', 1, 1]]);
    expect(s.backscatter[0]!.setting).toContain('smtpd_reject_unlisted_recipient');
    expect(s.findings[0]!.action).toBe('actionable');
  });

  test('not when the sender is at a domain of ours (our user gets the bounce)', () => {
    const s = snap([
      [reject({ to: 'someone@example.com' }), cls()],
      [delivery({ to: 'nobody@example.com', agent: 'local', from: 'colleague@example.com' }), cls({ direction: 'local' })],
    ]);
    expect(s.backscatter).toEqual([]);
  });

  test('a relay domain of ours (told by the pipeline) bounced by the next hop is accept-then-bounce too', () => {
    const a = new Aggregator({ ours: (d) => d === 'relay.example' });
    const s = snap([[delivery({ to: 'nobody@relay.example', ...stranger }), outbound()]], a);
    expect(s.backscatter.map((b) => b.kind)).toEqual(['accept-then-bounce']);
    expect([s.findings[0]!.action, s.findings[0]!.actionReason]).toEqual(['actionable', expect.stringContaining('backscatter')]);
  });

  test('judged once all is read: the same whichever order the lines come in, and merged', () => {
    const bounce = (time: string): [MailEvent, Classification] => [
      delivery({ to: 'nobody@example.com', agent: 'local', ...stranger, time }),
      cls({ direction: 'local' }),
    ];
    // The "stranger" sends through us too (another server's outbound mail): not backscatter.
    const ownMail: [MailEvent, Classification] = [
      delivery({ to: 'x@remote.test', from: 'forged@victim.example', client: { name: 'laptop', ip: '198.51.100.20', port: null }, status: 'deferred', permanent: false } as Partial<MailEvent>),
      outbound({ cause: 'connection-failed', permanent: false }),
    ];
    const late = bounce('2024-05-01T10:00:00Z');
    const early = bounce('2024-05-01T09:00:00Z');
    const other = [delivery({ to: 'nobody@example.com', agent: 'local', from: 'other@victim.example', client: stranger.client, time: '2024-05-01T11:00:00Z' }), cls({ direction: 'local' })] as [MailEvent, Classification];
    const orders = [
      [late, early, other, ownMail],
      [ownMail, other, early, late],
    ];
    const got = orders.map((o) => snap(o).backscatter.map((b) => [b.kind, b.count, b.distinctSenders, b.firstSeen, b.examples.length]));
    expect(got[0]).toEqual([['accept-then-bounce', 1, 1, '2024-05-01T11:00:00Z', 1]]);
    expect(got[1]).toEqual(got[0]);
    // The bounces on one server, the sender's own mail on another: merged, the same.
    const a = new Aggregator();
    const b = new Aggregator();
    snap([late, early, other], a);
    snap([ownMail], b);
    a.merge(b);
    expect(a.snapshot(emptyRunStats()).backscatter.map((x) => [x.kind, x.count])).toEqual([['accept-then-bounce', 1]]);
  });

  test('an outbound bounce of our own mail is not backscatter', () => {
    const s = snap([[delivery({ to: 'gone@remote.test', from: 'me@example.com', client: { name: 'laptop', ip: '198.51.100.20', port: null } }), outbound()]]);
    expect(s.backscatter).toEqual([]);
  });

  test('null sender: our bounce deferred on its way to a stranger who never sent through us', () => {
    const s = snap([
      [
        delivery({ to: 'forged@victim.example', from: '', status: 'deferred', smtpCode: 450, dsn: '4.4.1' }),
        outbound({ cause: 'connection-failed', permanent: false }),
      ],
    ]);
    expect(s.backscatter.map((b) => b.kind)).toEqual(['null-sender']);
  });

  test('null sender to one of our senders is an ordinary bounce', () => {
    const s = snap([
      [delivery({ to: 'x@remote.test', from: 'me@partner.example' }), outbound()],
      [delivery({ to: 'me@partner.example', from: '', status: 'deferred', smtpCode: 450 }), outbound({ cause: 'greylisted', permanent: false })],
    ]);
    expect(s.backscatter).toEqual([]);
  });
});

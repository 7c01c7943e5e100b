import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Aggregator, OTHER_DOMAINS, emptyRunStats } from '../../src/aggregate/aggregator.js';
import type { Snapshot } from '../../src/aggregate/types.js';
import type { Classification } from '../../src/classify/types.js';
import type { MailEvent } from '../../src/event.js';
import { cls, delivery, notification, reject, temp } from './fixtures.js';
import { runs } from '../helpers/runs.js';

const RUN = emptyRunStats();

function aggregate(items: Array<[MailEvent, Classification | null]>, cap?: number, byHost = false): Aggregator {
  const a = new Aggregator(cap === undefined ? { byHost } : { findingsCap: cap, byHost });
  for (const [ev, c] of items) a.add(ev, c);
  return a;
}

const keys = (a: Aggregator) =>
  a.snapshot(RUN).findings.map((f) => [f.direction, f.recipientDomain, f.cause, f.hint, f.count]);

describe('Aggregator grouping', () => {
  test('events with the same direction, domain, cause and hint form one finding', () => {
    const a = aggregate([
      [reject({ to: 'a@example.com' }), cls()],
      [reject({ to: 'b@EXAMPLE.com' }), cls()],
      [delivery({ to: 'c@example.com' }), cls()],
    ]);
    expect(keys(a)).toEqual([['inbound', 'example.com', 'user-unknown', 'virtual_alias_maps', 3]]);
  });

  test('a different hint, cause, direction or domain makes a separate finding', () => {
    const a = aggregate([
      [reject({ to: 'a@example.com' }), cls()],
      [reject({ to: 'a@example.com' }), cls({ hint: 'local_recipient_maps' })],
      [reject({ to: 'a@example.com' }), cls({ cause: 'mailbox-disabled' })],
      [reject({ to: 'a@example.com' }), cls({ direction: 'outbound' })],
      [reject({ to: 'a@other.example' }), cls()],
    ]);
    expect(a.size).toBe(5);
  });

  test('events without a recipient domain group under null', () => {
    const a = aggregate([
      [reject({ stage: 'CONNECT', to: null }), cls({ cause: 'blocklisted', hint: 'postscreen_dnsbl_sites' })],
      [reject({ stage: 'CONNECT', to: null }), cls({ cause: 'blocklisted', hint: 'postscreen_dnsbl_sites' })],
    ]);
    expect(keys(a)).toEqual([['inbound', null, 'blocklisted', 'postscreen_dnsbl_sites', 2]]);
  });

  test('unclassified events count only in the summary', () => {
    const a = aggregate([
      [delivery({ status: 'sent' }), null],
      [notification(), null],
      [reject(), cls()],
    ]);
    const s = a.snapshot(RUN);
    expect([s.findings.length, s.summary.eventsByKind, s.summary.eventsByStatus]).toEqual([
      1,
      { reject: 1, delivery: 1, notification: 1 },
      { sent: 1, bounced: 0, deferred: 0, expired: 0 },
    ]);
  });

  test('the summary time span covers every event with a time', () => {
    const a = aggregate([
      [reject({ time: '2024-05-02T00:00:00Z' }), cls()],
      [delivery({ status: 'sent', time: '2024-04-01T00:00:00Z' }), null],
      [notification({ time: null }), null],
    ]);
    const s = a.snapshot(RUN).summary;
    expect([s.firstSeen, s.lastSeen]).toEqual(['2024-04-01T00:00:00Z', '2024-05-02T00:00:00Z']);
  });
});

describe('Aggregator.snapshot', () => {
  test('fills a finding from its events', () => {
    const a = aggregate([
      [reject({ to: 'a@example.com', raw: 'line 1', time: '2024-05-01T10:00:00Z' }), cls({ verify: 'postmap -q a@example.com' })],
      [reject({ to: 'a@example.com', raw: 'line 2', time: '2024-05-01T11:00:00Z', from: 'z@s.test' }), cls()],
      [reject({ to: 'b@example.com', raw: 'line 3', time: '2024-05-01T09:00:00Z' }), cls()],
    ]);
    const [f] = a.snapshot(RUN).findings;
    expect(f).toEqual({
      rank: 1,
      mta: 'postfix',
      direction: 'inbound',
      recipientDomain: 'example.com',
      cause: 'user-unknown',
      hint: 'virtual_alias_maps',
      permanent: true,
      rule: 'test.rule',
      rules: [{ rule: 'test.rule', count: 3 }],
      advice: 'Add the address to virtual_alias_maps or fix the sender.',
      verify: 'postmap -q a@example.com',
      smtpCodes: [550],
      enhancedStatus: ['5.1.1'],
      // Three NOQUEUE refusals in three different seconds: three messages.
      messages: 3,
      count: 3,
      distinctRecipients: 2,
      distinctSenders: 2,
      distinctClients: 1,
      firstSeen: '2024-05-01T09:00:00Z',
      lastSeen: '2024-05-01T11:00:00Z',
      onset: null,
      onsetNote: 'steady since the log starts',
      after: null,
      hosts: [{ host: 'mx1', count: 3 }],
      topRecipients: [
        { address: 'a@example.com', count: 2 },
        { address: 'b@example.com', count: 1 },
      ],
      examples: ['line 1', 'line 2', 'line 3'],
      exampleIds: [null, null, null],
      action: 'informational',
      actionReason: 'addresses that never received mail here: a stranger’s typo or an old address',
      suggestion: null,
    });
  });

  test('ranks findings and keeps details parallel to them', () => {
    const a = aggregate([
      [reject({ to: 'a@small.example' }), temp()],
      [reject({ to: 'a@big.example' }), cls()],
      [reject({ to: 'b@big.example' }), cls()],
    ]);
    const s = a.snapshot(RUN);
    expect(
      s.findings.map((f, i) => [f.rank, f.recipientDomain, s.details[i]!.permanentCount, s.details[i]!.temporaryCount]),
    ).toEqual([
      [1, 'big.example', 2, 0],
      [2, 'small.example', 0, 1],
    ]);
  });

  test('details carry top senders and clients', () => {
    const a = aggregate([
      [reject({ from: 'x@s.test', client: { name: null, ip: '192.0.2.1', port: null } }), cls()],
      [reject({ from: 'x@s.test', client: { name: null, ip: '192.0.2.2', port: null } }), cls()],
    ]);
    const d = a.snapshot(RUN).details[0]!;
    expect([d.topSenders, d.topClients]).toEqual([
      [{ address: 'x@s.test', count: 2 }],
      [
        { address: '192.0.2.1', count: 1 },
        { address: '192.0.2.2', count: 1 },
      ],
    ]);
  });

  test('copies the run statistics and adds upstream overflow', () => {
    const run = { ...emptyRunStats(), linesRead: 10, linesUnrecognised: 2, overflow: { queueIds: 4 } };
    run.files = [{ path: 'mail.log', format: 'postfix', lines: 10, unrecognised: 2 }];
    const s = aggregate([]).snapshot(run).summary;
    expect([s.linesRead, s.linesUnrecognised, s.files, s.overflow]).toEqual([
      10,
      2,
      [{ path: 'mail.log', format: 'postfix', lines: 10, unrecognised: 2 }],
      { queueIds: 4 },
    ]);
  });

  test('a snapshot does not change when more events arrive', () => {
    const a = aggregate([[reject(), cls()]]);
    const s = a.snapshot(RUN);
    a.add(reject({ raw: 'later' }), cls());
    expect([s.findings[0]!.count, s.findings[0]!.examples.length]).toEqual([1, 1]);
  });

  test('counts distinct-counter overflow in the summary', () => {
    const a = new Aggregator();
    for (let i = 0; i < 10_001; i++) a.add(reject({ to: `u${i}@example.com` }), cls());
    const s = a.snapshot(RUN);
    expect([s.summary.overflow.distinctCounters, s.summary.overflow.topK, s.details[0]!.approximate.recipients]).toEqual([
      1,
      1,
      true,
    ]);
  });
});

describe('Aggregator identity: MTA and host', () => {
  test('two MTAs with the same domain, cause and hint are two findings, each with its own verify command', () => {
    const a = aggregate([
      [reject({ mta: 'postfix' }), cls({ verify: 'postmap -q bob@example.com' })],
      [reject({ mta: 'exim' }), cls({ verify: 'exim -bt bob@example.com' })],
      [reject({ mta: 'exim' }), cls({ verify: 'exim -bt bob@example.com' })],
    ]);
    const s = a.snapshot(RUN);
    expect(s.findings.map((f) => [f.mta, f.recipientDomain, f.cause, f.hint, f.count, f.verify])).toEqual([
      ['exim', 'example.com', 'user-unknown', 'virtual_alias_maps', 2, 'exim -bt bob@example.com'],
      ['postfix', 'example.com', 'user-unknown', 'virtual_alias_maps', 1, 'postmap -q bob@example.com'],
    ]);
    expect(new Set(s.details.map((d) => d.key)).size).toBe(2);
  });

  test('by default the hosts of a finding merge, and are listed with counts', () => {
    const a = aggregate([
      [reject({ host: 'mx1' }), cls()],
      [reject({ host: 'mx2' }), cls()],
      [reject({ host: 'mx2' }), cls()],
      [reject({ host: null }), cls()],
    ]);
    const s = a.snapshot(RUN);
    expect(s.findings.map((f) => [f.count, f.hosts])).toEqual([
      [
        4,
        [
          { host: 'mx2', count: 2 },
          { host: 'mx1', count: 1 },
        ],
      ],
    ]);
    expect(s.details[0]!.host).toBeNull();
  });

  test('split by host, each host (and no host) is a finding of its own', () => {
    const a = aggregate(
      [
        [reject({ host: 'mx1' }), cls()],
        [reject({ host: 'mx2' }), cls()],
        [reject({ host: 'mx2' }), cls()],
        [reject({ host: null }), cls()],
      ],
      undefined,
      true,
    );
    const s = a.snapshot(RUN);
    expect(s.findings.map((f, i) => [s.details[i]!.host, f.count, f.hosts])).toEqual([
      ['mx2', 2, [{ host: 'mx2', count: 2 }]],
      ['mx1', 1, [{ host: 'mx1', count: 1 }]],
      [null, 1, []],
    ]);
  });

  test('add() returns the key of the finding the event joined, the same string each time', () => {
    const a = new Aggregator({ findingsCap: 1 });
    const k1 = a.add(reject({ to: 'a@one.example' }), cls());
    const k2 = a.add(reject({ to: 'b@one.example' }), cls());
    const folded = a.add(reject({ to: 'a@two.example' }), cls());
    expect(a.add(delivery({ status: 'sent' }), null)).toBeNull();
    const s = a.snapshot(RUN);
    expect(k1).toBe(k2);
    expect(s.details.map((d) => d.key).sort()).toEqual([k1, folded].sort());
    expect(s.details.find((d) => d.key === folded)!.catchAll).toBe(true);
  });

  test('ten deferrals of one message rank below five recipients’ bounces', () => {
    const events: Array<[MailEvent, Classification]> = [];
    for (let i = 0; i < 10; i++) {
      const time = `2024-05-01T1${i}:00:00Z`;
      events.push([delivery({ queueId: 'Q1', status: 'deferred', to: 'x@slow.example', time, smtpCode: 451 }), temp({ direction: 'outbound' })]);
    }
    for (let i = 0; i < 5; i++) {
      events.push([delivery({ queueId: `B${i}`, to: `u${i}@gone.example` }), cls({ direction: 'outbound' })]);
    }
    const s = aggregate(events).snapshot(RUN);
    expect(s.findings.map((f) => [f.recipientDomain, f.messages, f.count, f.permanent])).toEqual([
      ['gone.example', 5, 5, true],
      ['slow.example', 1, 10, false],
    ]);
  });

  test('merging aggregators that group differently is refused', () => {
    expect(() => new Aggregator({ byHost: true }).merge(new Aggregator())).toThrow(/split by host/);
  });
});

describe('Aggregator findings cap', () => {
  const fiveDomains = (c: Classification): Array<[MailEvent, Classification]> =>
    ['a', 'b', 'c', 'd', 'e'].map((d) => [reject({ to: `x@${d}.example` }), c]);

  test('past the cap new findings fold into one catch-all per direction and cause, and are counted', () => {
    const a = aggregate([...fiveDomains(cls()), [reject({ to: 'y@e.example' }), cls()]], 3);
    const s = a.snapshot(RUN);
    expect([keys(a), s.summary.overflow.findings]).toEqual([
      [
        ['inbound', OTHER_DOMAINS, 'user-unknown', 'virtual_alias_maps', 3],
        ['inbound', 'a.example', 'user-unknown', 'virtual_alias_maps', 1],
        ['inbound', 'b.example', 'user-unknown', 'virtual_alias_maps', 1],
        ['inbound', 'c.example', 'user-unknown', 'virtual_alias_maps', 1],
      ],
      3,
    ]);
  });

  test('existing findings keep growing after the cap is reached', () => {
    const a = aggregate([...fiveDomains(cls()), [reject({ to: 'z@a.example' }), cls()]], 3);
    expect(a.snapshot(RUN).findings.find((f) => f.recipientDomain === 'a.example')!.count).toBe(2);
  });

  test('a different cause past the cap gets its own catch-all', () => {
    const a = aggregate([...fiveDomains(cls()), ...fiveDomains(cls({ cause: 'relay-denied', hint: 'r' }))], 3);
    expect(a.snapshot(RUN).findings.filter((f) => f.recipientDomain === OTHER_DOMAINS).map((f) => [f.cause, f.count])).toEqual([
      ['relay-denied', 5],
      ['user-unknown', 2],
    ]);
  });

  test('the catch-all hint reads (various) when folded hints differ', () => {
    const a = aggregate([...fiveDomains(cls()), [reject({ to: 'x@f.example' }), cls({ hint: 'other' })]], 3);
    expect(a.snapshot(RUN).findings.find((f) => f.recipientDomain === OTHER_DOMAINS)!.hint).toBe('(various)');
  });

  test('the cap also holds when merging', () => {
    const a = aggregate(fiveDomains(cls()).slice(0, 3), 3);
    a.merge(aggregate(fiveDomains(cls()).slice(3), 3));
    const s = a.snapshot(RUN);
    expect([s.findings.length, s.summary.overflow.findings]).toEqual([4, 2]);
  });
});

describe('Aggregator.merge', () => {
  const domains = ['a.example', 'b.example', 'B.EXAMPLE', null] as const;
  const classes = [cls(), temp(), cls({ direction: 'outbound', cause: 'mailbox-full', hint: 'quota' }), null];
  const eventArb = fc
    .record({
      mta: fc.constantFrom('postfix', 'exim'),
      host: fc.constantFrom('mx1', 'mx2', null),
      queueId: fc.constantFrom('Q1', 'Q2', null),
      rule: fc.constantFrom('r.a', 'r.b'),
      kind: fc.constantFrom('reject', 'delivery', 'notification'),
      status: fc.constantFrom('sent', 'bounced', 'deferred', 'expired'),
      domain: fc.constantFrom(...domains),
      user: fc.constantFrom('u1', 'u2', 'u3'),
      from: fc.constantFrom('s1@x.test', '', null),
      ip: fc.constantFrom('192.0.2.1', '192.0.2.2'),
      code: fc.constantFrom(450, 550, 554, null),
      time: fc.constantFrom('2024-05-01T10:00:00Z', '2024-05-01T09:00:00Z', '2024-05-02T10:00:00.5Z', null),
      raw: fc.string({ maxLength: 8 }),
      c: fc.nat({ max: classes.length - 1 }),
    })
    .map((r): [MailEvent, Classification | null] => {
      const to = r.domain === null ? 'root' : `${r.user}@${r.domain}`;
      const client = { name: null, ip: r.ip, port: null };
      const at = { mta: r.mta, host: r.host, queueId: r.queueId } as const;
      const ev =
        r.kind === 'reject'
          ? reject({ ...at, to, from: r.from, client, smtpCode: r.code, time: r.time, raw: r.raw })
          : r.kind === 'delivery'
            ? delivery({ ...at, to, from: r.from, client, smtpCode: r.code, status: r.status, time: r.time, raw: r.raw })
            : notification({ time: r.time, raw: r.raw });
      const c = classes[r.c]!;
      return [ev, c && { ...c, rule: r.rule }];
    });

  /**
   * The diagnosis (src/aggregate/diagnosis.ts) reads the log in order — "an address that
   * received mail earlier", "a domain of ours" as learnt so far — so parts aggregated apart
   * conclude from less evidence: its fields are left out of the equality.
   */
  const withoutDiagnosis = (s: Snapshot) => ({
    ...s,
    findings: s.findings.map(({ action: _a, actionReason: _r, suggestion: _s, ...rest }) => rest),
    harvest: [],
    backscatter: [],
  });

  test('merge(a, b) equals adding everything into one, split by host or not', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 60 }), fc.nat(), fc.boolean(), (events, n, byHost) => {
        const cut = events.length === 0 ? 0 : n % (events.length + 1);
        const a = aggregate(events.slice(0, cut), undefined, byHost);
        a.merge(aggregate(events.slice(cut), undefined, byHost));
        expect(withoutDiagnosis(a.snapshot(RUN))).toEqual(withoutDiagnosis(aggregate(events, undefined, byHost).snapshot(RUN)));
      }),
      { numRuns: runs(300), seed: 42 },
    );
  });

  test('merge leaves the other aggregator unchanged', () => {
    const b = aggregate([[reject(), cls()]]);
    const before = b.snapshot(RUN);
    aggregate([[reject(), cls()]]).merge(b);
    expect(b.snapshot(RUN)).toEqual(before);
  });
});

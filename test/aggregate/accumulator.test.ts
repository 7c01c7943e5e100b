import { describe, expect, test } from 'vitest';
import {
  Accumulator,
  CODE_LIST_CAP,
  EXAMPLE_MAX_CHARS,
  HOSTS_CAP,
  type FindingIdentity,
} from '../../src/aggregate/accumulator.js';
import type { Classification } from '../../src/classify/types.js';
import type { MailEvent } from '../../src/event.js';
import { cls, delivery, reject, temp } from './fixtures.js';

const ID: FindingIdentity = {
  mta: 'postfix',
  host: null,
  direction: 'inbound',
  recipientDomain: 'example.com',
  cause: 'user-unknown',
  hint: 'h',
};

function fed(events: Array<[MailEvent, Classification]>): Accumulator {
  const a = new Accumulator(ID);
  for (const [ev, c] of events) a.add(ev, c);
  return a;
}

/** Everything an accumulator shows, as plain data. */
function view(a: Accumulator) {
  return {
    count: a.count,
    permanentCount: a.permanentCount,
    temporaryCount: a.temporaryCount,
    eventsByStatus: { ...a.eventsByStatus },
    advice: a.advice,
    verify: a.verify,
    firstSeen: a.firstSeen,
    lastSeen: a.lastSeen,
    examples: [...a.examples],
    smtpCodes: a.smtpCodes(),
    enhancedStatus: a.enhancedStatus(),
    messages: a.distinctMessages.count(),
    recipients: a.recipients.count(),
    senders: a.senders.count(),
    clients: a.clients.count(),
    topRecipients: a.recipients.list.top(5),
    topSenders: a.senders.list.top(5),
    topClients: a.clients.list.top(5),
    hosts: a.hostCounts(10),
    rule: a.rule,
    rules: a.ruleCounts(),
    permanent: a.permanent,
    overflow: a.overflowed(),
  };
}

describe('Accumulator.add', () => {
  test('counts one per event and splits permanent from temporary', () => {
    const a = fed([
      [reject(), cls()],
      [reject(), cls()],
      [reject({ smtpCode: 450, enhancedStatus: '4.2.0' }), temp()],
    ]);
    expect([a.count, a.permanentCount, a.temporaryCount]).toEqual([3, 2, 1]);
  });

  test('counts events by status: reject, bounced, deferred, expired', () => {
    const a = fed([
      [reject(), cls()],
      [delivery({ status: 'bounced' }), cls()],
      [delivery({ status: 'deferred' }), temp()],
      [delivery({ status: 'deferred' }), temp()],
      [delivery({ status: 'expired' }), cls()],
    ]);
    expect(a.eventsByStatus).toEqual({ reject: 1, sent: 0, bounced: 1, deferred: 2, expired: 1 });
  });

  test('counts distinct recipients, senders and clients', () => {
    const a = fed([
      [reject({ to: 'a@example.com', from: 'x@s.test', client: { name: null, ip: '192.0.2.1', port: null } }), cls()],
      [reject({ to: 'A@EXAMPLE.COM', from: 'x@s.test', client: { name: null, ip: '192.0.2.2', port: null } }), cls()],
      [reject({ to: 'b@example.com', from: 'y@s.test', client: { name: 'h.test', ip: null, port: null } }), cls()],
      [reject({ to: null, from: null, client: null }), cls()],
    ]);
    expect([a.recipients.count(), a.senders.count(), a.clients.count()]).toEqual([3, 2, 3]);
  });

  test('lists top recipients by count, using orig_to for deliveries', () => {
    const a = fed([
      [delivery({ to: 'real@int.example', origTo: 'alias@example.com' }), cls()],
      [delivery({ to: 'real@int.example', origTo: 'alias@example.com' }), cls()],
      [delivery({ to: 'other@example.com', origTo: null }), cls()],
    ]);
    expect(a.recipients.list.top(5)).toEqual([
      { value: 'alias@example.com', count: 2 },
      { value: 'other@example.com', count: 1 },
    ]);
  });

  test('keeps SMTP codes sorted and unique; rejects use enhancedStatus, deliveries dsn', () => {
    const a = fed([
      [reject({ smtpCode: 554, enhancedStatus: '5.7.1' }), cls()],
      [reject({ smtpCode: 550, enhancedStatus: '5.1.1' }), cls()],
      [delivery({ smtpCode: 550, dsn: '5.2.2' }), cls()],
      [delivery({ smtpCode: null, dsn: '5.1.1' }), cls()],
    ]);
    expect([a.smtpCodes(), a.enhancedStatus()]).toEqual([
      [550, 554],
      ['5.1.1', '5.2.2', '5.7.1'],
    ]);
  });

  test(`keeps at most ${CODE_LIST_CAP} distinct codes and reports the overflow`, () => {
    const a = new Accumulator(ID);
    for (let code = 500; code < 530; code++) a.add(reject({ smtpCode: code }), cls());
    expect([a.smtpCodes().length, a.overflowed().codeLists]).toEqual([CODE_LIST_CAP, 1]);
  });

  test('tracks first and last seen, ignoring events without time', () => {
    const a = fed([
      [reject({ time: '2024-05-01T10:00:00Z' }), cls()],
      [reject({ time: null }), cls()],
      [reject({ time: '2024-04-30T23:59:59Z' }), cls()],
      [reject({ time: '2024-05-02T00:00:00Z' }), cls()],
    ]);
    expect([a.firstSeen, a.lastSeen]).toEqual(['2024-04-30T23:59:59Z', '2024-05-02T00:00:00Z']);
  });

  test('keeps the first three raw lines as examples', () => {
    const a = fed(['one', 'two', 'three', 'four'].map((raw) => [reject({ raw }), cls()] as [MailEvent, Classification]));
    expect(a.examples).toEqual(['one', 'two', 'three']);
  });

  test('cuts an over-long example and counts it', () => {
    const a = fed([[reject({ raw: 'x'.repeat(EXAMPLE_MAX_CHARS * 2) }), cls()]]);
    expect([a.examples[0]!.length, a.examples[0]!.endsWith('…'), a.overflowed().examples]).toEqual([
      EXAMPLE_MAX_CHARS,
      true,
      1,
    ]);
  });

  test('takes advice and verify from the first event', () => {
    const a = fed([
      [reject(), cls({ advice: 'first advice', verify: 'postmap -q a@example.com' })],
      [reject(), cls({ advice: 'second advice', verify: 'postmap -q b@example.com' })],
    ]);
    expect([a.advice, a.verify]).toEqual(['first advice', 'postmap -q a@example.com']);
  });

  test('a catch-all finding shows (various) when hints differ', () => {
    const a = new Accumulator({ ...ID, catchAll: true });
    a.add(reject(), cls({ hint: 'one' }));
    a.add(reject(), cls({ hint: 'two' }));
    expect(a.hint).toBe('(various)');
  });
});

describe('Accumulator: messages affected', () => {
  const messages = (events: Array<[MailEvent, Classification]>): number => fed(events).distinctMessages.count();

  test('deliveries and rejects with a queue id count once per id and host', () => {
    expect(
      messages([
        [delivery({ queueId: 'AAA', status: 'deferred', to: 'a@remote.test' }), temp()],
        [delivery({ queueId: 'AAA', status: 'deferred', to: 'a@remote.test' }), temp()],
        [delivery({ queueId: 'AAA', status: 'expired', to: 'a@remote.test' }), cls()],
        [delivery({ queueId: 'AAA', status: 'bounced', to: 'b@remote.test' }), cls()],
        [delivery({ queueId: 'BBB' }), cls()],
        // The same queue id on another host is another message: ids are per server.
        [delivery({ queueId: 'BBB', host: 'mx2' }), cls()],
        [reject({ queueId: 'CCC', via: 'cleanup' }), cls()],
      ]),
    ).toBe(4);
  });

  test('a permanent refusal without a queue id: one message per transaction (client, sender, second)', () => {
    const at = (time: string, to: string, ip = '192.0.2.10'): [MailEvent, Classification] => [
      reject({ time, to, client: { name: null, ip, port: null } }),
      cls(),
    ];
    expect(
      messages([
        // Three recipients refused in one transaction: one message.
        at('2024-05-01T10:00:00Z', 'a@example.com'),
        at('2024-05-01T10:00:00Z', 'b@example.com'),
        at('2024-05-01T10:00:00.400Z', 'c@example.com'),
        // The same again a minute later is another message: a refused message is not retried.
        at('2024-05-01T10:01:00Z', 'a@example.com'),
        // Another client in the same second: another message.
        at('2024-05-01T10:00:00Z', 'a@example.com', '192.0.2.99'),
      ]),
    ).toBe(3);
  });

  test('a permanent refusal without a queue id, client port logged (Exim): one message per connection and sender', () => {
    const rcpt = (time: string, to: string, port: number, from = 'spam@x.test'): [MailEvent, Classification] => [
      reject({ mta: 'exim', time, to, from, client: { name: null, ip: '192.0.2.66', port } }),
      cls(),
    ];
    expect(
      messages([
        // A dictionary attack: one connection, a recipient a second.
        rcpt('2026-11-22T03:17:02Z', 'info@example.org', 51344),
        rcpt('2026-11-22T03:17:03Z', 'sales@example.org', 51344),
        rcpt('2026-11-22T03:17:04Z', 'office@example.org', 51344),
        // Another MAIL FROM in the same connection, another connection, the same port a day later.
        rcpt('2026-11-22T03:17:05Z', 'info@example.org', 51344, 'other@x.test'),
        rcpt('2026-11-22T03:17:05Z', 'info@example.org', 51345),
        rcpt('2026-11-23T03:17:02Z', 'info@example.org', 51344),
      ]),
    ).toBe(4);
  });

  test('a temporary refusal without a queue id: retries count once per (sender, recipient)', () => {
    const greylisted = (time: string, to: string, ip: string): [MailEvent, Classification] => [
      reject({ time, to, smtpCode: 450, enhancedStatus: '4.2.0', client: { name: null, ip, port: null } }),
      temp(),
    ];
    expect(
      messages([
        greylisted('2024-05-01T10:00:00Z', 'a@example.com', '192.0.2.10'),
        greylisted('2024-05-01T10:05:00Z', 'a@example.com', '192.0.2.10'),
        // A retry from another address of the sender's pool is the same message.
        greylisted('2024-05-01T10:15:00Z', 'a@example.com', '192.0.2.11'),
        greylisted('2024-05-01T10:15:00Z', 'b@example.com', '192.0.2.11'),
      ]),
    ).toBe(2);
    // Refused before any recipient (CONNECT, HELO): once per (client, sender).
    const early = (ip: string): [MailEvent, Classification] => [
      reject({ stage: 'CONNECT', to: null, from: null, smtpCode: 421, client: { name: null, ip, port: null } }),
      temp(),
    ];
    expect(messages([early('192.0.2.1'), early('192.0.2.1'), early('192.0.2.2')])).toBe(2);
  });

  test('without a queue id or a time, every permanent event is a message of its own', () => {
    expect(messages([[reject({ time: null }), cls()], [reject({ time: null }), cls()]])).toBe(2);
  });
});

describe('Accumulator: hosts, rules, permanence', () => {
  test('counts the hosts of its events, most first; events without a host are not listed', () => {
    const a = fed([
      [reject({ host: 'mx2' }), cls()],
      [reject({ host: 'mx1' }), cls()],
      [reject({ host: 'mx2' }), cls()],
      [reject({ host: null }), cls()],
    ]);
    expect(a.hostCounts(10)).toEqual([
      { host: 'mx2', count: 2 },
      { host: 'mx1', count: 1 },
    ]);
    expect(a.hostCounts(1)).toEqual([{ host: 'mx2', count: 2 }]);
  });

  test(`counts at most ${HOSTS_CAP} hosts exactly, then estimates and reports the overflow`, () => {
    const a = new Accumulator(ID);
    for (let i = 0; i <= HOSTS_CAP; i++) a.add(reject({ host: `h${i}` }), cls());
    expect(a.overflowed().hosts).toBe(1);
    expect(a.hostCounts(HOSTS_CAP * 2).length).toBe(HOSTS_CAP);
  });

  test('rule is the most frequent rule id (ties: the smallest), rules lists each with its count', () => {
    const a = fed([
      [reject(), cls({ rule: 'postfix.b' })],
      [reject(), cls({ rule: 'postfix.a' })],
      [reject(), cls({ rule: 'postfix.c' })],
      [reject(), cls({ rule: 'postfix.c' })],
    ]);
    expect([a.rule, a.ruleCounts()]).toEqual([
      'postfix.c',
      [
        { rule: 'postfix.c', count: 2 },
        { rule: 'postfix.a', count: 1 },
        { rule: 'postfix.b', count: 1 },
      ],
    ]);
    expect(fed([[reject(), cls({ rule: 'x.b' })], [reject(), cls({ rule: 'x.a' })]]).rule).toBe('x.a');
  });

  test('permanent as soon as one event is: some of its mail was lost', () => {
    const deferred: [MailEvent, Classification] = [delivery({ status: 'deferred' }), temp()];
    expect(fed([deferred, deferred]).permanent).toBe(false);
    expect(fed([deferred, deferred, deferred, [delivery({ status: 'expired' }), cls()]]).permanent).toBe(true);
  });
});

describe('Accumulator.merge', () => {
  const events: Array<[MailEvent, Classification]> = [
    [reject({ raw: 'r1', time: '2024-05-01T10:00:05Z', to: 'a@example.com', host: 'mx2' }), cls({ advice: 'A1', rule: 'r.one' })],
    [reject({ raw: 'r2', time: null, to: 'b@example.com', smtpCode: 554, enhancedStatus: '5.7.1' }), cls({ advice: 'A2' })],
    [delivery({ raw: 'd1', time: '2024-05-01T09:00:00Z', status: 'deferred', smtpCode: 450, dsn: '4.2.0' }), temp()],
    [delivery({ raw: 'd2', time: '2024-05-03T09:00:00Z', to: 'a@example.com', from: '' }), cls()],
    [reject({ raw: 'r3', client: { name: 'x.test', ip: null, port: null }, host: null }), cls({ rule: 'r.one' })],
  ];

  test('merging two halves equals adding everything into one', () => {
    for (let cut = 0; cut <= events.length; cut++) {
      const a = fed(events.slice(0, cut));
      a.merge(fed(events.slice(cut)));
      expect(view(a), `cut at ${cut}`).toEqual(view(fed(events)));
    }
  });

  test('merge leaves the other accumulator unchanged', () => {
    const b = fed(events.slice(2));
    const before = view(b);
    fed(events.slice(0, 2)).merge(b);
    expect(view(b)).toEqual(before);
  });
});

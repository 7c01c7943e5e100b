import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { AddressStore, ADDRESSES_PER_FINDING_CAP, isHardBounce, newAddressBudget } from '../../src/aggregate/address-store.js';
import { Aggregator, emptyRunStats } from '../../src/aggregate/aggregator.js';
import type { Classification } from '../../src/classify/types.js';
import type { MailEvent } from '../../src/event.js';
import { renderAddressesCsv, renderSuppressionList } from '../../src/report/addresses.js';
import { cls, delivery, reject } from '../aggregate/fixtures.js';

const out = (f: Partial<Classification> = {}): Classification => cls({ direction: 'outbound', hint: 'remote says user unknown', ...f });

describe('isHardBounce', () => {
  test.for([
    { name: '550 5.1.1 user unknown', dsn: '5.1.1', c: out(), want: true },
    { name: '5.1.10 null MX', dsn: '5.1.10', c: out({ cause: 'domain-not-found' }), want: true },
    { name: '5.2.1 mailbox disabled', dsn: '5.2.1', c: out({ cause: 'mailbox-disabled' }), want: true },
    { name: 'generic 5.0.0 with a user-unknown cause', dsn: '5.0.0', c: out(), want: true },
    { name: 'Microsoft 5.4.1 read as user unknown', dsn: '5.4.1', c: out(), want: true },
    { name: '5.4.4 domain not found', dsn: '5.4.4', c: out({ cause: 'domain-not-found' }), want: true },
    { name: '5.2.2 mailbox full', dsn: '5.2.2', c: out({ cause: 'mailbox-full' }), want: false },
    { name: '5.7.1 policy, even with 5.1.1 words', dsn: '5.7.1', c: out({ cause: 'blocklisted' }), want: false },
    { name: '5.1.1 but classified as blocklisted', dsn: '5.1.1', c: out({ cause: 'blocklisted' }), want: false },
    { name: 'a deferral', dsn: '4.1.1', c: out({ permanent: false }), want: false, status: 'deferred' as const },
    { name: 'an expiry', dsn: '4.4.1', c: out({ cause: 'connection-failed' }), want: false, status: 'expired' as const },
    { name: 'inbound 5.1.1', dsn: '5.1.1', c: cls(), want: false },
    { name: 'local 5.1.1', dsn: '5.1.1', c: cls({ direction: 'local' }), want: false },
  ])('$name', ({ dsn, c, want, status }) => {
    expect(isHardBounce(delivery({ dsn, status: status ?? 'bounced' }), c)).toBe(want);
  });
});

describe('AddressStore', () => {
  test('one row per role and address, with the last event and counts', () => {
    const s = new AddressStore(newAddressBudget());
    s.add(reject({ to: 'Bob@Example.COM', time: '2024-05-01T10:00:00Z', text: 'first' }), cls());
    s.add(reject({ to: 'Bob@example.com', time: '2024-05-01T12:00:00Z', text: 'last' }), cls());
    s.add(reject({ to: 'Bob@example.com', time: '2024-05-01T11:00:00Z', text: 'middle' }), cls());
    const rows = s.list();
    expect(rows.map((r) => [r.role, r.address, r.count, r.lastSeen, r.text])).toEqual([
      ['recipient', 'Bob@example.com', 3, '2024-05-01T12:00:00Z', 'last'],
      ['sender', 'alice@sender.test', 3, '2024-05-01T12:00:00Z', 'last'],
      ['client', '192.0.2.10', 3, '2024-05-01T12:00:00Z', 'last'],
    ]);
  });

  test('the per-finding and run caps: past them new addresses are counted, kept ones still update', () => {
    const budget = newAddressBudget(ADDRESSES_PER_FINDING_CAP + 10);
    const a = new AddressStore(budget);
    for (let i = 0; i < ADDRESSES_PER_FINDING_CAP + 5; i++) a.add(reject({ to: `u${i}@x.test`, from: null, client: null }), cls());
    expect(a.size).toBe(ADDRESSES_PER_FINDING_CAP);
    expect(budget.dropped).toBe(5);
    const b = new AddressStore(budget);
    for (let i = 0; i < 20; i++) b.add(reject({ to: `v${i}@x.test`, from: null, client: null }), cls());
    expect(b.size).toBe(10);
    expect(budget.dropped).toBe(15);
    a.add(reject({ to: 'u0@x.test', from: null, client: null }), cls());
    expect(a.list().find((r) => r.address === 'u0@x.test')!.count).toBe(2);
  });

  test('aggregators merged give the rows of one that saw everything', () => {
    const evs: Array<[MailEvent, Classification]> = [
      [delivery({ to: 'a@r.test', time: '2024-05-01T10:00:00Z' }), out()],
      [delivery({ to: 'b@r.test', time: '2024-05-01T11:00:00Z', dsn: '4.1.1', status: 'deferred' }), out({ permanent: false })],
      [delivery({ to: 'a@r.test', time: '2024-05-01T12:00:00Z', reason: 'later' }), out()],
    ];
    const whole = new Aggregator({ addresses: true });
    for (const [e, c] of evs) whole.add(e, c);
    const x = new Aggregator({ addresses: true });
    const y = new Aggregator({ addresses: true });
    x.add(...evs[0]!);
    y.add(...evs[1]!);
    y.add(...evs[2]!);
    x.merge(y);
    const rows = (a: Aggregator) => a.snapshot(emptyRunStats(), true).details[0]!.addresses;
    expect(rows(x)).toEqual(rows(whole));
    expect(new Aggregator().snapshot(emptyRunStats(), true).details).toEqual([]);
    expect(whole.snapshot(emptyRunStats()).details[0]!.addresses).toBeUndefined();
  });
});

describe('the files', () => {
  const a = new Aggregator({ addresses: true });
  a.add(delivery({ to: 'Gone@Remote.TEST' }), out());
  a.add(delivery({ to: '=HYPERLINK("x")@remote.test', reason: '550 5.1.1 \u001b[31mno such user' }), out());
  a.add(delivery({ to: 'full@remote.test', dsn: '5.2.2' }), out({ cause: 'mailbox-full', hint: 'their quota' }));
  a.add(reject({ to: 'bob@example.com' }), cls());
  const snap = a.snapshot(emptyRunStats(), true);

  test('addresses CSV: every address, neutralised and stripped', () => {
    const csv = renderAddressesCsv(snap);
    expect(csv).not.toMatch(/\u001b/);
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(rows.filter((r) => r.role === 'recipient').map((r) => [r.address, r.hard_bounce])).toEqual(
      expect.arrayContaining([
        ['Gone@remote.test', 'true'],
        ["'=HYPERLINK(\"x\")@remote.test", 'true'],
        ['full@remote.test', 'false'],
        ['bob@example.com', 'false'],
      ]),
    );
    expect(rows.every((r) => r.rank !== '')).toBe(true);
  });

  test('a cap reached is said in a last comment row', () => {
    const s = { ...snap, summary: { ...snap.summary, overflow: { addresses: 7 } } };
    const lines = renderAddressesCsv(s).trimEnd().split('\r\n');
    expect(lines.at(-1)).toMatch(/^# 7 more addresses were not listed/);
  });

  test('suppression list: outbound hard bounces only, deduplicated, domain lower-cased', () => {
    const b = new Aggregator({ addresses: true });
    b.add(delivery({ to: 'Gone@Remote.TEST' }), out());
    b.add(delivery({ to: 'Gone@remote.test', host: 'mx2' }), out());
    b.add(delivery({ to: 'x y@remote.test' }), out());
    b.add(delivery({ to: 'nx@nowhere.test', dsn: '5.4.4' }), out({ cause: 'domain-not-found', hint: 'check the domain' }));
    b.add(delivery({ to: 'full@remote.test', dsn: '5.2.2' }), out({ cause: 'mailbox-full', hint: 'their quota' }));
    b.add(reject({ to: 'bob@example.com' }), cls());
    expect(renderSuppressionList(b.snapshot(emptyRunStats(), true))).toBe('Gone@remote.test\nnx@nowhere.test\n');
  });
});

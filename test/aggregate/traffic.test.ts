import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { Aggregator } from '../../src/aggregate/aggregator.js';
import { AUTH_CLIENTS_CAP, AUTH_USERNAMES_PER_CLIENT, Traffic, TRAFFIC_DOMAINS_CAP, TRAFFIC_HOURS_CAP } from '../../src/aggregate/traffic.js';
import { emptyRunStats } from '../../src/aggregate/aggregator.js';
import { TrafficSchema } from '../../src/report/schema.js';
import { authFailure, delivery, received, reject } from './fixtures.js';
import { runs } from '../helpers/runs.js';

describe('Traffic', () => {
  test('counts received, delivered, deferred (messages and attempts), bounced and rejected', () => {
    const t = new Traffic();
    t.add(received({ queueId: 'A1' }));
    t.add(received({ queueId: 'A2', from: '' }));
    t.add(delivery({ status: 'sent', to: 'x@Dest.example', delay: 1.5 }));
    t.add(delivery({ status: 'sent', to: 'y@dest.example', delay: 0.5 }));
    // Two attempts of one message, one attempt of another.
    t.add(delivery({ status: 'deferred', queueId: 'A1', to: 'z@slow.example' }));
    t.add(delivery({ status: 'deferred', queueId: 'A1', to: 'z@slow.example' }));
    t.add(delivery({ status: 'deferred', queueId: 'A2', to: 'z@slow.example' }));
    t.add(delivery({ status: 'bounced', to: 'gone@dest.example' }));
    t.add(delivery({ status: 'expired', to: 'z@slow.example' }));
    // Three recipients refused in one transaction (same client, sender, second): one message.
    for (const to of ['a@example.com', 'b@example.com', 'c@example.com']) t.add(reject({ to, time: '2024-05-01T10:00:00Z' }));
    const r = t.report();
    expect(r).toMatchObject({
      received: 2,
      delivered: 2,
      deferred: { messages: 2, attempts: 3 },
      bounced: 2,
      expired: 1,
      rejected: { messages: 1, attempts: 3 },
      approximate: false,
      delays: true,
    });
    expect(r.topSenders).toEqual([
      { address: '<>', count: 1 },
      { address: 'dave@example.com', count: 1 },
    ]);
    expect(r.domains[0]).toEqual({ domain: 'dest.example', delivered: 2, deferred: 0, bounced: 1, delayAverage: 1, delayMax: 1.5 });
    expect(r.domains[1]).toEqual({ domain: 'slow.example', delivered: 0, deferred: 3, bounced: 1, delayAverage: null, delayMax: null });
    expect(TrafficSchema.parse(r)).toEqual(r);
  });

  test('per hour, in UTC hours, in order', () => {
    const t = new Traffic();
    t.add(reject({ time: '2024-05-01T10:59:59Z' }));
    t.add(received({ time: '2024-05-01T09:00:00Z' }));
    t.add(delivery({ status: 'sent', time: '2024-05-01T10:00:01Z', to: 'a@b.example' }));
    t.add(delivery({ status: 'sent', time: null, to: 'a@b.example' }));
    expect(t.report().hourly).toEqual([
      { hour: '2024-05-01T09:00:00.000Z', received: 1, delivered: 0, deferred: 0, bounced: 0, rejected: 0 },
      { hour: '2024-05-01T10:00:00.000Z', received: 0, delivered: 1, deferred: 0, bounced: 0, rejected: 1 },
    ]);
  });

  test('no delay in the log: delays false and null averages', () => {
    const t = new Traffic();
    t.add(delivery({ status: 'sent', to: 'a@b.example', delay: null }));
    const r = t.report();
    expect(r.delays).toBe(false);
    expect(r.domains[0]!.delayAverage).toBeNull();
  });

  test('authentication failures by client: count, first and last seen, the user names tried', () => {
    const t = new Traffic();
    t.add(authFailure({ time: '2024-05-01T09:30:00Z', username: 'admin' }));
    t.add(authFailure({ time: '2024-05-01T08:00:00Z', username: 'root' }));
    t.add(authFailure({ time: '2024-05-01T10:00:00Z', username: 'admin' }));
    t.add(authFailure({ client: { name: 'x.example', ip: '198.51.100.1', port: 4000 }, username: null }));
    expect(t.report().authFailures).toEqual({
      total: 4,
      clientsTotal: 2,
      clients: [
        { client: '203.0.113.5', count: 3, firstSeen: '2024-05-01T08:00:00Z', lastSeen: '2024-05-01T10:00:00Z', usernames: ['admin', 'root'] },
        { client: '198.51.100.1', count: 1, firstSeen: '2024-05-01T09:30:00Z', lastSeen: '2024-05-01T09:30:00Z', usernames: [] },
      ],
    });
  });

  test('caps: hours, domains, clients and user names overflow into counters', () => {
    const t = new Traffic();
    const base = Date.parse('2020-01-01T00:00:00Z');
    for (let i = 0; i <= TRAFFIC_HOURS_CAP; i++) t.add(reject({ time: new Date(base + i * 3_600_000).toISOString() }));
    for (let i = 0; i <= TRAFFIC_DOMAINS_CAP; i++) t.sent(null, `u@d${i}.example`, null);
    for (let i = 0; i <= AUTH_USERNAMES_PER_CLIENT; i++) t.add(authFailure({ username: `u${i}` }));
    for (let i = 0; i < AUTH_CLIENTS_CAP; i++) t.add(authFailure({ client: { name: null, ip: `10.0.${i >> 8}.${i & 255}`, port: null } }));
    const r = t.report();
    expect(r.hourly).toHaveLength(TRAFFIC_HOURS_CAP);
    expect(r.rejected.attempts).toBe(TRAFFIC_HOURS_CAP + 1);
    expect(r.domainsTotal).toBe(TRAFFIC_DOMAINS_CAP + 1);
    expect(r.authFailures.clientsTotal).toBe(AUTH_CLIENTS_CAP);
    // topK: the recipients' list went past TOPK_CAP (Space-Saving from then on).
    expect(t.overflowed()).toEqual({ trafficHours: 1, trafficDomains: 1, authClients: 1, authUsernames: 1, topK: 1 });
  });

  test('merge adds up what was counted apart', () => {
    const a = new Traffic();
    const b = new Traffic();
    const both = new Traffic();
    const events = [
      received(),
      delivery({ status: 'sent', to: 'x@d.example', delay: 3 }),
      delivery({ status: 'deferred' }),
      reject(),
      authFailure({ username: 'u' }),
    ];
    events.forEach((ev, i) => {
      (i % 2 === 0 ? a : b).add(ev);
      both.add(ev);
    });
    a.merge(b);
    expect(a.report()).toEqual(both.report());
  });

  test('the aggregator feeds it every event, and its shortcuts count the same as events', () => {
    const viaEvents = new Aggregator();
    viaEvents.add(received({ from: 'Ann@Example.COM', time: '2024-05-01T09:00:00Z' }), null);
    viaEvents.add(delivery({ status: 'sent', to: 'b@x.example', delay: 0.25, time: '2024-05-01T09:00:00Z' }), null);
    const viaShortcuts = new Aggregator();
    viaShortcuts.countReceived('2024-05-01T09:00:00Z', 'Ann@Example.COM');
    viaShortcuts.countSent('2024-05-01T09:00:00Z', 'b@x.example', null, 0.25);
    expect(viaShortcuts.snapshot(emptyRunStats())).toEqual(viaEvents.snapshot(emptyRunStats()));
    expect(viaEvents.snapshot(emptyRunStats()).traffic.topSenders).toEqual([{ address: 'Ann@example.com', count: 1 }]);
  });

  test('sent deliveries count alike as events and through the shortcut, whatever the case of their addresses', () => {
    // Both paths read the address once for the top list, the domains and the diagnosis; the
    // state file shows all three (the diagnosis keeps the lower-cased address's hash).
    const address = fc.tuple(fc.constantFrom('bob', 'Bob', 'ANN', 'x'), fc.constantFrom('x.example', 'X.Example', 'y.EXAMPLE')).map(([l, d]) => `${l}@${d}`);
    const sent = fc.record({ to: fc.oneof(address, fc.constant('')), origTo: fc.option(address), minute: fc.integer({ min: 0, max: 150 }) });
    fc.assert(
      fc.property(fc.array(sent, { maxLength: 30 }), (list) => {
        const viaEvents = new Aggregator();
        let viaShortcuts = new Aggregator();
        // Each part fed on its own, each reading the address itself.
        const viaParts = new Aggregator();
        for (const [i, d] of list.entries()) {
          // Half way, through a state file: its top lists hash their keys anew.
          if (i === list.length >> 1) viaShortcuts = Aggregator.fromState(JSON.parse(JSON.stringify(viaShortcuts.exportState())));
          const time = new Date(Date.UTC(2024, 4, 1, 9, d.minute)).toISOString();
          viaEvents.add(delivery({ status: 'sent', to: d.to, origTo: d.origTo, delay: 1, time }), null);
          viaShortcuts.countSent(time, d.to, d.origTo, 1);
          viaParts.traffic.sent(time, d.to, 1);
          viaParts.sentTo(d.to, d.origTo, time);
        }
        const state = JSON.stringify(viaShortcuts.exportState());
        const parts = viaParts.exportState();
        return (
          state === JSON.stringify(viaEvents.exportState()) &&
          JSON.stringify(viaShortcuts.exportState().traffic) === JSON.stringify(parts.traffic) &&
          JSON.stringify(viaShortcuts.exportState().diagnosis) === JSON.stringify(parts.diagnosis)
        );
      }),
      { numRuns: runs(200), seed: 4 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { HARVEST_THRESHOLD, HARVEST_WINDOW_MS, HarvestTracker, networkOf } from '../../src/aggregate/harvest.js';
import { runs } from '../helpers/runs.js';

const T0 = Date.UTC(2026, 10, 22, 9, 0, 0);

/** `n` refusals of distinct addresses from `ip`, `stepMs` apart. */
function feed(t: HarvestTracker, ip: string, n: number, stepMs: number, start = T0, prefix = 'u'): void {
  for (let i = 0; i < n; i++) {
    const time = start + i * stepMs;
    t.add({ mta: 'postfix', ip, recipient: `${prefix}${i}@example.com`, time, iso: new Date(time).toISOString() });
  }
}

describe('networkOf', () => {
  test.for([
    { ip: '192.0.2.77', want: '192.0.2.0/24' },
    { ip: '2001:db8:1:2:3:4:5:6', want: '2001:db8:1:2::/64' },
    { ip: '2001:db8::1', want: '2001:db8:0:0::/64' },
    { ip: 'IPv6:2001:db8:a::1', want: '2001:db8:a:0::/64' },
    { ip: '::ffff:192.0.2.1', want: '0:0:0:0::/64' },
    { ip: 'unknown', want: null },
    { ip: '1:2:3', want: null },
  ])('$ip → $want', ({ ip, want }) => {
    expect(networkOf(ip)).toBe(want);
  });
});

describe('HarvestTracker', () => {
  test(`${HARVEST_THRESHOLD} distinct addresses within the window make a harvest`, () => {
    const t = new HarvestTracker();
    feed(t, '192.0.2.7', HARVEST_THRESHOLD, (HARVEST_WINDOW_MS / HARVEST_THRESHOLD) | 0);
    const [h] = t.findings();
    expect(h).toMatchObject({
      mta: 'postfix',
      client: '192.0.2.7',
      clients: ['192.0.2.7'],
      network: '192.0.2.0/24',
      attempts: HARVEST_THRESHOLD,
      distinctAddresses: HARVEST_THRESHOLD,
      firstSeen: new Date(T0).toISOString(),
    });
    expect(h!.sampleAddresses).toEqual(['u0@example.com', 'u1@example.com', 'u2@example.com', 'u3@example.com', 'u4@example.com', `u${HARVEST_THRESHOLD - 1}@example.com`]);
    expect(h!.setting).toContain('smtpd_hard_error_limit');
    expect(h!.ban).toBe("fail2ban-client set postfix banip '192.0.2.7'");
  });

  test('times out of order give a span of zero or more, never a negative one', () => {
    const t = new HarvestTracker();
    for (let i = 0; i < HARVEST_THRESHOLD; i++) {
      const time = T0 + ((i * 7) % 13) * 1000;
      t.add({ mta: 'postfix', ip: '192.0.2.7', recipient: `u${i}@example.com`, time, iso: new Date(time).toISOString() });
    }
    expect([t.findings()[0]!.peakSeconds, t.findings()[0]!.firstSeen]).toEqual([12, new Date(T0).toISOString()]);
  });

  test('one address fewer is not a harvest', () => {
    const t = new HarvestTracker();
    feed(t, '192.0.2.7', HARVEST_THRESHOLD - 1, 1000);
    expect(t.findings()).toEqual([]);
  });

  test('as many addresses spread wider than the window are not a harvest', () => {
    const t = new HarvestTracker();
    feed(t, '192.0.2.7', HARVEST_THRESHOLD * 3, Math.ceil(HARVEST_WINDOW_MS / (HARVEST_THRESHOLD - 1)) + 1000);
    expect(t.findings()).toEqual([]);
  });

  test('the same address again and again is not a harvest', () => {
    const t = new HarvestTracker();
    for (let i = 0; i < 100; i++) t.add({ mta: 'postfix', ip: '192.0.2.7', recipient: 'same@example.com', time: T0 + i, iso: new Date(T0 + i).toISOString() });
    expect(t.findings()).toEqual([]);
  });

  test('clients of one /24 add up, and the finding names the network', () => {
    const t = new HarvestTracker();
    feed(t, '198.51.100.1', 10, 1000, T0, 'a');
    feed(t, '198.51.100.2', 10, 1000, T0 + 10_000, 'b');
    const [h] = t.findings();
    expect([h!.client, h!.clients, h!.distinctAddresses]).toEqual(['198.51.100.0/24', ['198.51.100.1', '198.51.100.2'], 20]);
    expect(h!.ban).toBe("fail2ban-client set postfix banip '198.51.100.1' '198.51.100.2'");
  });

  test('IPv6 clients are grouped by /64', () => {
    const t = new HarvestTracker();
    feed(t, '2001:db8:1:2::a', 10, 1000, T0, 'a');
    feed(t, '2001:db8:1:2::b', 10, 1000, T0, 'b');
    feed(t, '2001:db8:1:3::a', 10, 1000, T0, 'c');
    expect(t.findings().map((h) => h.network)).toEqual(['2001:db8:1:2::/64']);
  });

  test('past the networks cap the least recently active go, counted; a harvest is kept', () => {
    const t = new HarvestTracker(HARVEST_THRESHOLD, HARVEST_WINDOW_MS, 3);
    feed(t, '192.0.2.1', HARVEST_THRESHOLD, 1000);
    for (let i = 0; i < 10; i++) feed(t, `10.0.${i}.1`, 1, 1000, T0 + 60_000 + i);
    expect(t.findings().map((h) => h.client)).toEqual(['192.0.2.1']);
    // Ten networks through three places: eight evictions, the first of which is the harvest
    // (kept apart, not counted), so seven are dropped.
    expect(t.overflow.harvestNetworks).toBe(7);
  });

  test('exim gets its ratelimit advice and failregex; exchange no fail2ban line', () => {
    for (const mta of ['exim', 'exchange'] as const) {
      const t = new HarvestTracker();
      for (let i = 0; i < HARVEST_THRESHOLD; i++) t.add({ mta, ip: '192.0.2.9', recipient: `x${i}@example.org`, time: T0 + i, iso: new Date(T0 + i).toISOString() });
      const [h] = t.findings();
      if (mta === 'exim') expect([h!.setting, h!.failregex]).toEqual([expect.stringContaining('ratelimit'), expect.stringContaining('<HOST>')]);
      else expect([h!.setting, h!.failregex, h!.ban]).toEqual([expect.stringContaining('tarpitting'), null, null]);
    }
  });

  test('the postfix failregex matches a real refusal and captures the client', () => {
    const t = new HarvestTracker();
    feed(t, '192.0.2.7', HARVEST_THRESHOLD, 1000);
    const re = new RegExp(t.findings()[0]!.failregex!.replace('<HOST>', '(?<host>[0-9.]+)'));
    const line =
      'Nov 22 09:00:01 mx1 postfix/smtpd[123]: NOQUEUE: reject: RCPT from unknown[192.0.2.7]: 550 5.1.1 <u1@example.com>: Recipient address rejected: User unknown in virtual alias table; from=<a@b.test> to=<u1@example.com> proto=ESMTP helo=<x>';
    expect(re.exec(line)?.groups?.host).toBe('192.0.2.7');
  });
});

describe('HarvestTracker: runs from one client', () => {
  // A tracker rebuilt from its state file after every refusal remembers no last network: what
  // the tracker fed straight through must equal it, networks in the same order.
  test('give the state a tracker without the last-network shortcut gives', () => {
    const ips = ['192.0.2.7', '192.0.2.8', '198.51.100.1', '2001:db8::1', 'not-an-ip'];
    const add = fc.record({
      ip: fc.constantFrom(...ips),
      mta: fc.constantFrom('postfix' as const, 'exim' as const),
      user: fc.integer({ min: 0, max: 40 }),
      dt: fc.integer({ min: 0, max: 90_000 }),
    });
    fc.assert(
      fc.property(fc.array(add, { maxLength: 120 }), (adds) => {
        const straight = new HarvestTracker();
        let rebuilt = new HarvestTracker();
        let time = Date.UTC(2026, 0, 1);
        for (const a of adds) {
          time += a.dt;
          const r = { mta: a.mta, ip: a.ip, recipient: `user${a.user}@example.org`, time, iso: new Date(time).toISOString() };
          straight.add(r);
          rebuilt.add(r);
          rebuilt = HarvestTracker.fromState(JSON.parse(JSON.stringify(rebuilt.exportState())));
        }
        return JSON.stringify(straight.exportState()) === JSON.stringify(rebuilt.exportState());
      }),
      { numRuns: runs(200), seed: 9 },
    );
  });
});

describe('HarvestTracker: its compact lists', () => {
  // The tracker keeps exact-size arrays, a ring of recent times and an array of hashes that
  // becomes a Set; this is the rule as the module comment states it, kept the plain way.
  interface Model { attempts: number; seen: Set<string>; clients: string[]; samples: string[]; last: string; recent: number[]; harvest: boolean; peak: number }
  function model(adds: Array<{ ip: string; recipient: string; time: number }>, threshold: number, windowMs: number): Map<string, Model> {
    const nets = new Map<string, Model>();
    for (const a of adds) {
      const key = networkOf(a.ip)!;
      let n = nets.get(key);
      if (n === undefined) nets.set(key, (n = { attempts: 0, seen: new Set(), clients: [], samples: [], last: '', recent: [], harvest: false, peak: Infinity }));
      n.attempts++;
      if (n.clients.length < 16 && !n.clients.includes(a.ip)) n.clients.push(a.ip);
      n.last = a.recipient.toLowerCase();
      if (n.seen.has(n.last)) continue;
      n.seen.add(n.last);
      if (n.samples.length < 5) n.samples.push(n.last);
      n.recent.push(a.time);
      if (n.recent.length > threshold) n.recent.shift();
      if (n.recent.length === threshold) {
        const span = Math.max(...n.recent) - Math.min(...n.recent);
        if (span <= windowMs) {
          n.harvest = true;
          n.peak = Math.min(n.peak, span);
        }
      }
    }
    return nets;
  }

  test('give the findings the plain rule gives', () => {
    const add = fc.record({
      ip: fc.constantFrom('192.0.2.7', '192.0.2.8', '198.51.100.1', '2001:db8::1', '2001:db8::2'),
      user: fc.integer({ min: 0, max: 60 }),
      dt: fc.integer({ min: -5_000, max: 60_000 }),
    });
    fc.assert(
      fc.property(fc.array(add, { maxLength: 300 }), fc.constantFrom(3, 5, HARVEST_THRESHOLD), (adds, threshold) => {
        const t = new HarvestTracker(threshold, HARVEST_WINDOW_MS);
        let time = Date.UTC(2026, 0, 1);
        const fed = adds.map((a) => ({ ip: a.ip, recipient: `User${a.user}@example.org`, time: (time += a.dt) }));
        for (const r of fed) t.add({ mta: 'exim', ip: r.ip, recipient: r.recipient, time: r.time, iso: new Date(r.time).toISOString() });
        const want = [...model(fed, threshold, HARVEST_WINDOW_MS)]
          .filter(([, n]) => n.harvest)
          .map(([network, n]) => ({ network, attempts: n.attempts, distinctAddresses: n.seen.size, clients: n.clients, peakSeconds: Math.round(n.peak / 1000), sampleAddresses: n.samples.includes(n.last) ? n.samples : [...n.samples, n.last] }))
          .sort((a, b) => (a.network < b.network ? -1 : 1));
        const got = t
          .findings()
          .map((h) => ({ network: h.network, attempts: h.attempts, distinctAddresses: h.distinctAddresses, clients: h.clients, peakSeconds: h.peakSeconds, sampleAddresses: h.sampleAddresses }))
          .sort((a, b) => (a.network < b.network ? -1 : 1));
        expect(got).toEqual(want);
      }),
      { numRuns: runs(200), seed: 11 },
    );
  });
});

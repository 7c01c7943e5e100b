import { describe, expect, test } from 'vitest';
import type { FileStats, Snapshot } from '../../src/aggregate/types.js';
import { emptySnapshot } from '../../src/aggregate/aggregator.js';
import { LiveStore } from '../../src/tui/live.js';
import { ProblemBatcher } from '../../src/aggregate/trend.js';
import { finding, snapshotOf } from './fixtures.js';

/** A store on a fake clock whose snapshots cost `cost` ms each. */
function setup(cost = 0, maxIntervalMs = 10_000) {
  let now = 1_000_000;
  const clock = () => now;
  let snapshots = 0;
  let current: Snapshot = emptySnapshot();
  const live = new LiveStore({ clock, minIntervalMs: 100, maxIntervalMs, costFactor: 10, files: ['a.log', 'b.log'] });
  live.setSource(() => {
    snapshots++;
    now += cost;
    return current;
  });
  const published: number[] = [];
  live.subscribe((s) => published.push(s.version));
  return {
    live,
    advance: (ms: number) => (now += ms),
    set: (s: Snapshot) => (current = s),
    count: () => snapshots,
    published,
  };
}

const file = (path: string, lines: number): FileStats => ({ path, format: 'postfix', lines, unrecognised: 0 });

describe('LiveStore publishing', () => {
  test('nothing changed: nothing published, however often it ticks', () => {
    const t = setup();
    t.live.publish();
    for (let i = 0; i < 10; i++) {
      t.advance(100);
      t.live.tick();
    }
    expect(t.published).toHaveLength(1);
  });

  test('changes are published at most every 100 ms, not per change', () => {
    const t = setup();
    t.live.publish();
    for (let i = 0; i < 1000; i++) {
      t.live.touch();
      t.advance(1); // 1,000 changes over one second
      t.live.tick();
    }
    expect(t.published.length).toBeGreaterThanOrEqual(9);
    expect(t.published.length).toBeLessThanOrEqual(11);
  });

  test('costly snapshots are taken at most every ten times their cost; the screen moves in between', () => {
    const t = setup(30);
    t.live.publish();
    for (let i = 0; i < 2000; i++) {
      t.live.touch();
      t.advance(1);
      t.live.tick();
    }
    // About 2 s: a snapshot (30 ms) at most every 300 ms, publications every 100 ms.
    expect(t.count()).toBeGreaterThanOrEqual(6);
    expect(t.count()).toBeLessThanOrEqual(8);
    expect(t.published.length).toBeGreaterThanOrEqual(15);
    const slow = setup(200);
    slow.live.publish();
    for (let i = 0; i < 4000; i++) {
      slow.live.touch();
      slow.advance(1);
      slow.live.tick();
    }
    // 4 s at 2 s per snapshot, plus the first one.
    expect(slow.count()).toBeLessThanOrEqual(3);
  });

  test('the frame cost counts too', () => {
    const t = setup(0);
    t.live.rendered(40);
    t.live.publish();
    for (let i = 0; i < 1000; i++) {
      t.live.touch();
      t.advance(1);
      t.live.tick();
    }
    expect(t.published.length).toBeLessThanOrEqual(4);
  });

  test('however slow the last frame or snapshot seemed, the screen moves at least every maxIntervalMs', () => {
    // Frame costs are wall time: with every core busy one frame may seem to take 300 ms.
    const t = setup(150, 1000);
    t.live.rendered(300);
    t.live.publish();
    const at: number[] = [];
    t.live.subscribe(() => at.push(t.count()));
    for (let i = 0; i < 5000; i++) {
      t.live.touch();
      t.advance(1);
      t.live.tick();
      t.live.rendered(300);
    }
    // 5 s (plus what the snapshots took) at one publication, each with a new snapshot, a second.
    expect(at.length).toBeGreaterThanOrEqual(4);
    expect(at.length).toBeLessThanOrEqual(6);
    expect(at).toEqual(at.map((_, i) => i + 2));
  });

  test('an out-of-date snapshot is replaced once it may be, even without further changes', () => {
    const t = setup(50);
    t.live.publish();
    t.live.touch();
    t.advance(100);
    t.live.tick(); // publishes (dirty) but the snapshot is too recent to take again
    expect(t.count()).toBe(1);
    t.advance(500);
    t.live.tick();
    expect(t.count()).toBe(2);
  });

  test('done() publishes at once', () => {
    const t = setup();
    t.live.publish();
    t.live.done();
    expect(t.published).toHaveLength(2);
    expect(t.live.state.phase).toBe('done');
  });

  test('the published state is a new object each time; the old one is left as it was', () => {
    const t = setup();
    t.live.publish();
    const before = t.live.state;
    t.set(snapshotOf([finding()]));
    t.live.touch();
    t.advance(200);
    t.live.tick();
    expect(t.live.state).not.toBe(before);
    expect(before.snapshot.findings).toHaveLength(0);
    expect(t.live.state.snapshot.findings).toHaveLength(1);
  });
});

describe('LiveStore progress', () => {
  test('per file: bytes, lines per second and time left; files not started are listed', () => {
    const t = setup();
    const a = file('a.log', 0);
    t.live.progress({ index: 0, file: a, bytesRead: 0, size: 1000, done: false });
    t.advance(2000);
    a.lines = 4000;
    t.live.progress({ index: 0, file: a, bytesRead: 250, size: 1000, done: false });
    t.live.publish();
    const [fa, fb] = t.live.state.files;
    expect(fa).toMatchObject({ path: 'a.log', lines: 4000, bytesRead: 250, size: 1000, done: false, linesPerSec: 2000 });
    expect(fa!.etaMs).toBe(6000);
    expect(fb).toMatchObject({ path: 'b.log', lines: 0, bytesRead: null, done: false });
  });

  test('a file first reported at its end started when the one before ended', () => {
    const t = setup();
    t.live.progress({ index: 0, file: file('a.log', 10), bytesRead: 10, size: 10, done: true });
    t.advance(500);
    t.live.progress({ index: 1, file: file('b.log', 1000), bytesRead: 10, size: 10, done: true });
    t.live.publish();
    expect(t.live.state.files[1]!.linesPerSec).toBe(2000);
  });
});

describe('LiveStore while following', () => {
  test('findings that appear after following began are marked new', () => {
    const t = setup();
    const old = finding({ recipientDomain: 'old.test' });
    t.set(snapshotOf([old]));
    t.live.following('mail.log');
    expect(t.live.state.newKeys.size).toBe(0);
    const fresh = finding({ recipientDomain: 'new.test' });
    t.set(snapshotOf([fresh, old]));
    t.live.touch();
    t.advance(200);
    t.live.tick();
    expect([...t.live.state.newKeys]).toEqual([fresh[1].key]);
    expect(t.live.state.follow).toEqual({ path: 'mail.log', rotations: 0 });
  });

  test('the time windows end now, and the state is refreshed every second without new lines', () => {
    const t = setup();
    t.live.following('mail.log');
    const v = t.live.state.version;
    t.advance(1000);
    t.live.tick();
    expect(t.live.state.version).toBe(v + 1);
    expect(t.live.state.reference).toBe(1_000_000 + 1000);
  });

  test('rates over the last seconds, from when following began (not the history read before)', () => {
    const t = setup();
    const s = snapshotOf([]);
    s.summary.linesRead = 0;
    t.set(s);
    t.live.publish();
    s.summary.linesRead = 100_000; // the history
    t.live.touch();
    t.advance(100);
    t.live.following('mail.log');
    s.summary.linesRead += 5000;
    for (let i = 0; i < 10; i++) t.live.problem('2026-11-22T00:00:00Z', 'key-x');
    t.live.touch();
    t.advance(2000);
    t.live.tick();
    expect(t.live.state.linesPerSec).toBe(2500);
    expect(t.live.state.problemsPerMin).toBe(300);
  });

  test('problems in batches count like problems one by one: rate and trends', () => {
    const batched = setup();
    const single = setup();
    const batcher = new ProblemBatcher(4);
    const times = ['2026-11-22T00:00:00Z', '2026-11-22T00:01:00Z', null];
    for (const t of [batched, single]) {
      t.set(snapshotOf([]));
      t.live.publish();
    }
    for (let i = 0; i < 9; i++) {
      const time = times[i % 3]!;
      single.live.problem(time, 'key-x');
      if (batcher.add('key-x', time)) batched.live.problems(batcher.take()!);
    }
    batched.live.problems(batcher.take()!);
    for (const t of [batched, single]) {
      t.advance(2000);
      t.live.tick();
    }
    expect(batched.live.state.problemsPerMin).toBe(270);
    expect(single.live.state.problemsPerMin).toBe(270);
    const id = 'key-x';
    const from = Date.parse('2026-11-22T00:00:00Z');
    expect(batched.live.state.trends.series(id, from, from + 60_000, 2)).toEqual([3, 3]);
    expect(single.live.state.trends.series(id, from, from + 60_000, 2)).toEqual([3, 3]);
  });

  test('rotations and errors are shown', () => {
    const t = setup();
    t.live.following('mail.log');
    t.live.rotated();
    t.live.error('mail.log: something');
    t.live.publish();
    expect(t.live.state.follow?.rotations).toBe(1);
    expect(t.live.state.errors).toEqual(['mail.log: something']);
  });
});

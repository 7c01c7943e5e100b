import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { hash53, hash53Of, MessageTable, RejectSignatures } from '../../../parsers/exim/correlate.js';
import { runs } from '../../helpers/runs.js';

/** The tables' eviction as first written: a fresh `keys().next()` per eviction (slow, obvious). */
function evictOldest<K>(map: Map<K, unknown>): void {
  map.delete(map.keys().next().value as K);
}

describe('MessageTable', () => {
  test('keeps sender and client until Completed', () => {
    const t = new MessageTable();
    t.arrive('1rXyZa-000Abc-9Q', 'a@example.net', { name: null, ip: '192.0.2.1', port: null });
    expect(t.get('1rXyZa-000Abc-9Q')).toEqual({ from: 'a@example.net', client: { name: null, ip: '192.0.2.1', port: null } });
    t.complete('1rXyZa-000Abc-9Q');
    expect(t.get('1rXyZa-000Abc-9Q')).toBeUndefined();
  });

  test('an arrival kept with its fields gives the client its H= field names, when asked', () => {
    const t = new MessageTable();
    const fields = ' H=mail.example.net (helo.example) [192.0.2.7]:41234 P=esmtps S=2231 id=x@y';
    expect(t.arriveWithFields('1rXyZa-000Abc-9Q', 'a@example.net', fields)).toBe(true);
    const eager = new MessageTable();
    eager.arrive('1rXyZa-000Abc-9Q', 'a@example.net', { name: 'mail.example.net', ip: '192.0.2.7', port: 41234 });
    expect(t.get('1rXyZa-000Abc-9Q')!.client).toEqual(eager.get('1rXyZa-000Abc-9Q')!.client);
    expect(t.get('1rXyZa-000Abc-9Q')!.from).toBe('a@example.net');
    // A repeated arrival (a second copy of the log) replaces both, and is not new.
    expect(t.arriveWithFields('1rXyZa-000Abc-9Q', 'b@example.net', ' H=[198.51.100.9]:25 P=smtp')).toBe(false);
    const again = t.get('1rXyZa-000Abc-9Q')!;
    expect({ from: again.from, client: again.client }).toEqual({ from: 'b@example.net', client: { name: null, ip: '198.51.100.9', port: 25 } });
    // No H= field: no client, as arrive() with a null peer.
    t.arriveWithFields('1rXyZa-000Abc-9R', '', ' U=mail P=local S=300');
    expect(t.get('1rXyZa-000Abc-9R')!.client).toBeNull();
  });

  test('evicts the oldest past its cap and counts it', () => {
    const t = new MessageTable(2);
    t.arrive('a', 'x', null);
    t.arrive('b', 'y', null);
    t.arrive('a', 'x2', null); // known id: replaced in place, nothing evicted
    expect(t.evicted).toBe(0);
    t.arrive('c', 'z', null);
    expect(t.evicted).toBe(1);
    expect(t.get('a')).toBeUndefined();
    expect(t.size).toBe(2);
  });
});

describe('RejectSignatures', () => {
  test('a copy from another input is a duplicate, one for one', () => {
    const s = new RejectSignatures();
    expect(s.isDuplicate('t|line', 1)).toBe(false);
    expect(s.isDuplicate('t|line', 1)).toBe(false); // genuine repeat in the same input
    expect(s.isDuplicate('t|line', 2)).toBe(true);
    expect(s.isDuplicate('t|line', 2)).toBe(true);
    expect(s.isDuplicate('t|line', 2)).toBe(false); // a third copy has no counterpart
  });

  test('evicts the oldest signatures past its cap and counts them', () => {
    const s = new RejectSignatures(2);
    s.isDuplicate('a', 1);
    s.isDuplicate('b', 1);
    s.isDuplicate('c', 1);
    expect(s.evicted).toBe(1);
    expect(s.isDuplicate('a', 2)).toBe(false); // forgotten: counted again (that is what the counter reports)
    expect(s.isDuplicate('c', 2)).toBe(true);
  });

  test('hash53 is stable and spreads', () => {
    expect(hash53('abc')).toBe(hash53('abc'));
    expect(hash53('abc')).not.toBe(hash53('abd'));
    expect(Number.isSafeInteger(hash53('x'.repeat(10_000)))).toBe(true);
  });
});

describe('eviction order matches a plain insertion-order model', () => {
  const PARAMS = { seed: 20261123, numRuns: runs(300) };
  const key = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');

  test('MessageTable: arrivals, completions and lookups', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('arrive' as const), id: key, from: fc.string({ maxLength: 3 }) }),
      fc.record({ kind: fc.constant('complete' as const), id: key }),
      fc.record({ kind: fc.constant('get' as const), id: key }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 80 }), (cap, ops) => {
        const t = new MessageTable(cap);
        const model = new Map<string, string>();
        let evicted = 0;
        for (const o of ops) {
          if (o.kind === 'arrive') {
            t.arrive(o.id, o.from, null);
            if (!model.has(o.id) && model.size >= cap) {
              evictOldest(model);
              evicted++;
            }
            model.set(o.id, o.from);
          } else if (o.kind === 'complete') {
            t.complete(o.id);
            model.delete(o.id);
          } else {
            expect(t.get(o.id)?.from).toBe(model.get(o.id));
          }
        }
        expect(t.evicted).toBe(evicted);
        expect(t.size).toBe(model.size);
      }),
      PARAMS,
    );
  });

  test('RejectSignatures: duplicates across inputs, repeats, evictions', () => {
    // Enough signatures and a cap big enough for collisions and wrap-around in its index.
    const op = fc.record({ sig: fc.integer({ min: 0, max: 40 }).map(String), input: fc.integer({ min: 1, max: 3 }) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 24 }), fc.array(op, { minLength: 100, maxLength: 400 }), (cap, ops) => {
        const s = new RejectSignatures(cap);
        const model = new Map<string, { input: number; count: number }>();
        let evicted = 0;
        for (const { sig, input } of ops) {
          let expected = false;
          const m = model.get(sig);
          if (m && m.input !== input && m.count > 0) {
            m.count--;
            expected = true;
          } else if (m && m.input === input) {
            m.count++;
          } else {
            model.delete(sig);
            if (model.size >= cap) {
              evictOldest(model);
              evicted++;
            }
            model.set(sig, { input, count: 1 });
          }
          expect(s.isDuplicate(sig, input)).toBe(expected);
        }
        expect(s.evicted).toBe(evicted);
      }),
      PARAMS,
    );
  });
});

describe('hash53Of', () => {
  test('is hash53 of the two strings joined by NUL, and isDuplicateOf() meets isDuplicate()', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 200 }), (a, b) => {
        expect(hash53Of(a, b)).toBe(hash53(`${a}\u0000${b}`));
      }),
      { numRuns: 300 },
    );
    const s = new RejectSignatures(8);
    expect(s.isDuplicateOf('2026-11-22T10:00:00.000Z', 'H=x rejected RCPT <a@b>', 1)).toBe(false);
    expect(s.isDuplicate('2026-11-22T10:00:00.000Z\u0000H=x rejected RCPT <a@b>', 2)).toBe(true);
  });
});

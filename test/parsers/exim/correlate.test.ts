import { describe, expect, test } from 'vitest';
import { hash53, MessageTable, RejectSignatures } from '../../../parsers/exim/correlate.js';

describe('MessageTable', () => {
  test('keeps sender and client until Completed', () => {
    const t = new MessageTable();
    t.arrive('1rXyZa-000Abc-9Q', 'a@example.net', { name: null, ip: '192.0.2.1', port: null });
    expect(t.get('1rXyZa-000Abc-9Q')).toEqual({ from: 'a@example.net', client: { name: null, ip: '192.0.2.1', port: null } });
    t.complete('1rXyZa-000Abc-9Q');
    expect(t.get('1rXyZa-000Abc-9Q')).toBeUndefined();
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

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MAX_DEFERRED_PER_MESSAGE, QueueTable } from '../../../parsers/postfix/correlate.js';
import { parseAll } from '../../helpers/parse.js';
import { postfixParser } from '../../../parsers/postfix/index.js';
import { runs } from '../../helpers/runs.js';

const deferral = (to: string) => ({ to, origTo: null, agent: 'smtp', relay: null, dsn: '4.4.1', reason: 'connect to x: Connection timed out', raw: '' });

describe('QueueTable (bounded queue-id state)', () => {
  test('evicts the oldest entry past the cap and counts it', () => {
    const t = new QueueTable(3);
    for (const id of ['A1', 'A2', 'A3', 'A4']) t.upsert(id).from = id;
    expect(t.size).toBe(3);
    expect(t.evicted).toBe(1);
    expect(t.get('A1')).toBeUndefined();
    expect(t.get('A4')?.from).toBe('A4');
  });

  test('evicts exactly what a fresh keys().next() would (the oldest entry still there), through any mix of upserts and removes', () => {
    const op = fc.tuple(fc.constantFrom('upsert', 'upsert', 'remove'), fc.integer({ min: 0, max: 40 }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(op, { maxLength: 300 }), (cap, ops) => {
        const ref = new Map<string, number>();
        let refEvicted = 0;
        const t = new QueueTable(cap);
        ops.forEach(([kind, k], i) => {
          const id = `Q${k}`;
          if (kind === 'remove') {
            ref.delete(id);
            t.remove(id);
            return;
          }
          if (!ref.has(id)) {
            if (ref.size >= cap) {
              ref.delete(ref.keys().next().value as string);
              refEvicted++;
            }
            ref.set(id, i);
          }
          t.upsert(id).from ??= `s${i}`;
        });
        expect(t.evicted).toBe(refEvicted);
        expect(t.size).toBe(ref.size);
        for (const id of ref.keys()) expect(t.get(id)?.from).toBe(`s${ref.get(id)}`);
      }),
      { numRuns: runs(300) },
    );
  });

  test('removed frees the entry', () => {
    const t = new QueueTable(3);
    t.upsert('A1');
    t.remove('A1');
    expect(t.size).toBe(0);
  });

  test('remembers at most MAX_DEFERRED_PER_MESSAGE deferred recipients per message, and counts the rest', () => {
    const t = new QueueTable();
    for (let i = 0; i < MAX_DEFERRED_PER_MESSAGE + 5; i++) t.remember('A1', deferral(`u${i}@x.test`));
    expect(t.get('A1')!.deferred!.size).toBe(MAX_DEFERRED_PER_MESSAGE);
    expect(t.deferralsDropped).toBe(5);
    // a repeat deferral of a known recipient replaces it and is not dropped
    t.remember('A1', deferral('u0@x.test'));
    expect(t.deferralsDropped).toBe(5);
  });

  test('a log that never says removed keeps memory bounded: overflow reaches the summary counters', () => {
    const lines = Array.from(
      { length: 60_000 },
      (_, i) => `Nov 22 06:25:01 mx postfix/qmgr[1]: ${(0x100000 + i).toString(16).toUpperCase()}: from=<a@b.test>, size=1, nrcpt=1 (queue active)`,
    );
    const m = postfixParser.create();
    m.begin({ file: 'x', reference: new Date('2026-11-23T00:00:00Z') });
    lines.forEach((l, i) => m.line(l, i + 1));
    expect(m.overflow()).toEqual({ postfixQueueIdsEvicted: 10_000, postfixDeferralsDropped: 0 });
  });

  test('removed lines free state so a long, well-formed log never evicts', () => {
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      const id = (0x100000 + i).toString(16).toUpperCase();
      lines.push(`Nov 22 06:25:01 mx postfix/qmgr[1]: ${id}: from=<a@b.test>, size=1, nrcpt=1 (queue active)`);
      lines.push(`Nov 22 06:25:01 mx postfix/qmgr[1]: ${id}: removed`);
    }
    const { results } = parseAll(lines);
    expect(results.every((r) => r.status === 'recognised')).toBe(true);
    const m = postfixParser.create();
    m.begin({ file: 'x', reference: new Date('2026-11-23T00:00:00Z') });
    lines.forEach((l, i) => m.line(l, i + 1));
    expect(m.overflow()).toEqual({ postfixQueueIdsEvicted: 0, postfixDeferralsDropped: 0 });
  });
});

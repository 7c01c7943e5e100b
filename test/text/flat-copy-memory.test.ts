/**
 * flatCopy does not keep alive the string it was cut from: 100 strings of 1 MB and a forced GC,
 * not a unit test (the characters it keeps are test/text/flat-copy.test.ts).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { flatCopy } from '../../src/text/flat-copy.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use after keeping `keep(slice)` of 100 strings of 1 MB each. */
function heapAfterKeeping(keep: (s: string) => string): { bytes: number; kept: string[] } {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept: string[] = [];
  for (let i = 0; i < 100; i++) {
    const chunk = `${i}:`.padEnd(1 << 20, 'x') + ` <someone.${i}@example.org> tail`;
    kept.push(keep(chunk.slice(chunk.indexOf('<') + 1, chunk.indexOf('>'))));
  }
  gc();
  return { bytes: process.memoryUsage().heapUsed - before, kept };
}

describe('flatCopy', () => {
  it('does not keep the string it was cut from alive (a plain slice does, on this V8)', () => {
    const sliced = heapAfterKeeping((s) => s);
    const copied = heapAfterKeeping(flatCopy);
    expect(copied.kept[7]).toBe('someone.7@example.org');
    // The control: 100 slices keep 100 MB of chunks (1 byte per character) alive.
    expect(sliced.bytes).toBeGreaterThan(50 * (1 << 20));
    // The copies: a hundred short strings (and whatever else the test runner allocated).
    expect(copied.bytes).toBeLessThan(8 * (1 << 20));
  });
});

import { describe, expect, it } from 'vitest';
import { flatCopy } from '../../src/text/flat-copy.js';

describe('flatCopy', () => {
  it.each([
    ['', ''],
    ['short', 'short'],
    ['exactly13char', 'exactly13char'],
    ['someone@example.org', 'someone@example.org'],
    ['größe@exämple.de ünïcode', 'größe@exämple.de ünïcode'],
    ['emoji 📬 and a lone surrogate \ud800 stay as they are', 'emoji 📬 and a lone surrogate \ud800 stay as they are'],
  ])('keeps the characters of %j', (input, want) => {
    expect(flatCopy(input)).toBe(want);
    expect(flatCopy(input).length).toBe(want.length);
  });

  it('keeps null as null', () => {
    expect(flatCopy(null)).toBeNull();
  });
});

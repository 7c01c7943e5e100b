import { describe, expect, test } from 'vitest';
import { adjacentKeys, suggestDomain, typoDistance } from '../../src/classify/typo.js';

const never = () => false;

describe('suggestDomain', () => {
  test.for([
    { name: 'two letters swapped', domain: 'gmial.com', want: 'gmail.com' },
    { name: 'a letter missing', domain: 'gmal.com', want: 'gmail.com' },
    { name: 'a letter doubled', domain: 'gmaill.com', want: 'gmail.com' },
    { name: 'a neighbouring key (n for m)', domain: 'gnail.com', want: 'gmail.com' },
    { name: 'TLD cut short', domain: 'gmail.co', want: 'gmail.com' },
    { name: 'TLD left out', domain: 'gmail', want: 'gmail.com' },
    { name: 'TLD mistyped (con)', domain: 'gmail.con', want: 'gmail.com' },
    { name: 'hotmail swapped', domain: 'hotmial.com', want: 'hotmail.com' },
    { name: 'yahoo missing a letter', domain: 'yaho.com', want: 'yahoo.com' },
    { name: 'two edits on a long name', domain: 'outlok.cm', want: 'outlook.com' },
    { name: 'an unrelated domain', domain: 'example.org', want: null },
    { name: 'a real provider under another TLD (3 edits)', domain: 'yahoo.de', want: null },
    { name: 'a short name two edits away is not a typo', domain: 'mac.com', want: null },
    { name: 'the provider itself', domain: 'gmail.com', want: null },
  ])('$name: $domain → $want', ({ domain, want }) => {
    expect(suggestDomain(domain, never)?.domain ?? null).toBe(want);
  });

  test('a domain that accepts mail in the log is never a typo', () => {
    expect(suggestDomain('gmial.com', (d) => d === 'gmial.com')).toBeNull();
  });

  test('a domain that receives mail fine in the same log is a candidate', () => {
    const learnt = ['acme-widgets.com'];
    expect(suggestDomain('acme-widgets.cmo', never, learnt)?.domain).toBe('acme-widgets.com');
    expect(suggestDomain('acme-widgets.cmo', never)).toBeNull();
  });

  test('a big provider wins a tie with a learnt domain', () => {
    expect(suggestDomain('gmial.com', never, ['gmiam.com'])?.domain).toBe('gmail.com');
  });

  test('upper case is read as lower case', () => {
    expect(suggestDomain('GMIAL.COM', never)?.domain).toBe('gmail.com');
  });

  test('a 253-character domain is compared within the limit, and a longer one not at all', () => {
    expect(suggestDomain('a'.repeat(249) + '.com', never)).toBeNull();
    expect(suggestDomain('a'.repeat(300), never)).toBeNull();
  });
});

describe('typoDistance', () => {
  test.for([
    { a: 'gmial', b: 'gmail', limit: 2, want: 1 },
    { a: 'gnail', b: 'gmail', limit: 2, want: 0.5 },
    { a: 'gpail', b: 'gmail', limit: 2, want: 1 },
    { a: 'abc', b: 'xyz', limit: 2, want: Infinity },
    { a: 'abcdef', b: 'a', limit: 2, want: Infinity },
  ])('$a vs $b within $limit: $want', ({ a, b, limit, want }) => {
    expect(typoDistance(a, b, limit)).toBe(want);
  });

  test('keyboard adjacency is symmetric and excludes the key itself', () => {
    expect([adjacentKeys('m', 'n'), adjacentKeys('n', 'm'), adjacentKeys('m', 'm'), adjacentKeys('q', 'p')]).toEqual([true, true, false, false]);
  });
});

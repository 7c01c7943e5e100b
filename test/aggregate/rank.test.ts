import { describe, expect, test } from 'vitest';
import { compareFindings, isPermanent, rankFindings, type Rankable } from '../../src/aggregate/rank.js';

const f = (over: Partial<Rankable>): Rankable => ({
  count: 1,
  permanentCount: 1,
  temporaryCount: 0,
  direction: 'inbound',
  recipientDomain: 'example.com',
  cause: 'user-unknown',
  hint: 'h',
  ...over,
});

const order = (items: Rankable[]): string[] =>
  rankFindings(items).map(({ item }) => `${item.recipientDomain}/${item.cause}/${item.hint}/${item.direction}`);

describe('rankFindings', () => {
  test('ranks by count, largest first, starting at 1', () => {
    const r = rankFindings([f({ count: 2, hint: 'two' }), f({ count: 9, hint: 'nine' }), f({ count: 5, hint: 'five' })]);
    expect(r.map(({ rank, item }) => [rank, item.hint])).toEqual([
      [1, 'nine'],
      [2, 'five'],
      [3, 'two'],
    ]);
  });

  test('puts permanent before temporary on equal counts', () => {
    const temp = f({ count: 4, recipientDomain: 'a.example', permanentCount: 0, temporaryCount: 4 });
    const perm = f({ count: 4, recipientDomain: 'z.example', permanentCount: 4, temporaryCount: 0 });
    expect(order([temp, perm])).toEqual(['z.example/user-unknown/h/inbound', 'a.example/user-unknown/h/inbound']);
  });

  test('a finding with as many temporary as permanent events counts as temporary', () => {
    expect(isPermanent({ permanentCount: 2, temporaryCount: 2 })).toBe(false);
  });

  test('breaks remaining ties by domain, cause, hint, direction; no domain last', () => {
    const items = [
      f({ recipientDomain: null }),
      f({ recipientDomain: 'b.example' }),
      f({ recipientDomain: 'a.example', cause: 'relay-denied' }),
      f({ recipientDomain: 'a.example', cause: 'mailbox-full', hint: 'y' }),
      f({ recipientDomain: 'a.example', cause: 'mailbox-full', hint: 'x', direction: 'outbound' }),
      f({ recipientDomain: 'a.example', cause: 'mailbox-full', hint: 'x', direction: 'inbound' }),
    ];
    expect(order(items)).toEqual([
      'a.example/mailbox-full/x/inbound',
      'a.example/mailbox-full/x/outbound',
      'a.example/mailbox-full/y/inbound',
      'a.example/relay-denied/h/inbound',
      'b.example/user-unknown/h/inbound',
      'null/user-unknown/h/inbound',
    ]);
  });

  test('is a total order: equal only for identical keys', () => {
    expect(compareFindings(f({}), f({ direction: 'local' }))).not.toBe(0);
  });

  test('does not reorder its input', () => {
    const items = [f({ count: 1, hint: 'a' }), f({ count: 2, hint: 'b' })];
    rankFindings(items);
    expect(items.map((i) => i.hint)).toEqual(['a', 'b']);
  });
});

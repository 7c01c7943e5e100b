import { describe, expect, test } from 'vitest';
import { compareFindings, findingIsPermanent, rankFindings, type Rankable } from '../../src/aggregate/rank.js';

const f = (over: Partial<Rankable>): Rankable => ({
  messages: 1,
  distinctRecipients: 1,
  permanent: true,
  count: 1,
  mta: 'postfix',
  host: null,
  direction: 'inbound',
  recipientDomain: 'example.com',
  cause: 'user-unknown',
  hint: 'h',
  ...over,
});

const order = (items: Rankable[]): string[] =>
  rankFindings(items).map(({ item }) => `${item.recipientDomain}/${item.cause}/${item.hint}/${item.direction}`);

describe('rankFindings', () => {
  test('ranks by messages affected, largest first, starting at 1', () => {
    const r = rankFindings([
      f({ messages: 2, count: 90, hint: 'two' }),
      f({ messages: 9, count: 9, hint: 'nine' }),
      f({ messages: 5, count: 50, hint: 'five' }),
    ]);
    expect(r.map(({ rank, item }) => [rank, item.hint])).toEqual([
      [1, 'nine'],
      [2, 'five'],
      [3, 'two'],
    ]);
  });

  test('ranks by the deliveries lost at least: the larger of messages and recipients', () => {
    // One message to 22 recipients lost 22 deliveries; five one-recipient messages lost five.
    const wide = f({ messages: 1, distinctRecipients: 22, count: 22, hint: 'wide' });
    const many = f({ messages: 5, distinctRecipients: 5, count: 5, hint: 'many' });
    const same = f({ messages: 22, distinctRecipients: 1, count: 22, hint: 'same' });
    expect(rankFindings([many, wide, same]).map(({ item }) => item.hint)).toEqual(['same', 'wide', 'many']);
  });

  test('ten deferrals of one message never outrank five recipients’ hard bounces', () => {
    const deferrals = f({ messages: 1, distinctRecipients: 1, count: 10, permanent: false, recipientDomain: 'a.example' });
    const bounces = f({ messages: 5, distinctRecipients: 5, count: 5, permanent: true, recipientDomain: 'z.example' });
    expect(order([deferrals, bounces])).toEqual(['z.example/user-unknown/h/inbound', 'a.example/user-unknown/h/inbound']);
    // One message to five recipients still outranks one message to one recipient tried ten times.
    const oneToFive = f({ messages: 1, distinctRecipients: 5, count: 5, recipientDomain: 'z.example' });
    expect(order([deferrals, oneToFive])[0]).toBe('z.example/user-unknown/h/inbound');
  });

  test('on equal messages and recipients, permanent before temporary, then more attempts first', () => {
    const temp = f({ count: 40, recipientDomain: 'a.example', permanent: false });
    const perm = f({ count: 4, recipientDomain: 'z.example', permanent: true });
    expect(order([temp, perm])).toEqual(['z.example/user-unknown/h/inbound', 'a.example/user-unknown/h/inbound']);
    const few = f({ count: 2, recipientDomain: 'a.example' });
    const many = f({ count: 7, recipientDomain: 'z.example' });
    expect(order([few, many])).toEqual(['z.example/user-unknown/h/inbound', 'a.example/user-unknown/h/inbound']);
  });

  test('a finding is permanent as soon as one of its events is', () => {
    expect([findingIsPermanent({ permanentCount: 1 }), findingIsPermanent({ permanentCount: 0 })]).toEqual([true, false]);
  });

  test('breaks remaining ties by MTA, host (none last), domain, cause, hint, direction; no domain last', () => {
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
    const hosts = rankFindings([f({ mta: 'postfix', host: null }), f({ mta: 'postfix', host: 'mx2' }), f({ mta: 'exim', host: 'mx9' }), f({ mta: 'postfix', host: 'mx1' })]);
    expect(hosts.map(({ item }) => `${item.mta}@${item.host}`)).toEqual(['exim@mx9', 'postfix@mx1', 'postfix@mx2', 'postfix@null']);
  });

  test('is a total order: equal only for identical keys', () => {
    expect(compareFindings(f({}), f({ direction: 'local' }))).not.toBe(0);
    expect(compareFindings(f({}), f({ mta: 'exim' }))).not.toBe(0);
    expect(compareFindings(f({}), f({ host: 'mx1' }))).not.toBe(0);
    expect(compareFindings(f({}), f({}))).toBe(0);
  });

  test('does not reorder its input', () => {
    const items = [f({ messages: 1, hint: 'a' }), f({ messages: 2, hint: 'b' })];
    rankFindings(items);
    expect(items.map((i) => i.hint)).toEqual(['a', 'b']);
  });
});

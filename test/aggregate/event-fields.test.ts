import { describe, expect, test } from 'vitest';
import {
  clientOf,
  compareTime,
  messageHashOf,
  normaliseAddress,
  recipientDomain,
  senderOf,
} from '../../src/aggregate/event-fields.js';
import { hash52 } from '../../src/aggregate/counters.js';
import { delivery, notification, reject } from './fixtures.js';

describe('recipientDomain', () => {
  test.for([
    { name: 'reject: lower-cased domain of to', ev: reject({ to: 'Bob@Example.COM' }), want: 'example.com' },
    {
      name: 'delivery: orig_to wins over the expanded to',
      ev: delivery({ to: 'bob@internal.example', origTo: 'sales@Public.Example' }),
      want: 'public.example',
    },
    { name: 'delivery: to when there is no orig_to', ev: delivery({ to: 'carol@remote.test', origTo: null }), want: 'remote.test' },
    { name: 'CONNECT-stage reject without recipient', ev: reject({ stage: 'CONNECT', to: null }), want: null },
    { name: 'expiry whose recipient was never seen', ev: delivery({ status: 'expired', to: null, origTo: null }), want: null },
    { name: 'local name without @', ev: delivery({ to: 'root', origTo: null }), want: null },
    { name: 'nothing after @', ev: reject({ to: 'user@' }), want: null },
    { name: 'last @ of a quoted local part', ev: reject({ to: '"a@b"@c.example' }), want: 'c.example' },
    { name: 'domain literal kept', ev: reject({ to: 'postmaster@[192.0.2.1]' }), want: '[192.0.2.1]' },
    { name: 'notification has none', ev: notification(), want: null },
  ])('$name', ({ ev, want }) => {
    expect(recipientDomain(ev)).toBe(want);
  });
});

describe('addresses, senders, clients', () => {
  test('normaliseAddress lower-cases only the domain', () => {
    expect(normaliseAddress('John.Doe@Example.COM')).toBe('John.Doe@example.com');
  });
  test('normaliseAddress lower-cases non-ASCII domains too', () => {
    expect(normaliseAddress('Kunde@BÜCHER.Example')).toBe('Kunde@bücher.example');
  });
  test('normaliseAddress returns the same string when the domain is already lower-case', () => {
    const a = 'User@example.com';
    expect(normaliseAddress(a)).toBe(a);
  });
  test('the null sender is listed as <>', () => {
    expect(senderOf(delivery({ from: '' }))).toBe('<>');
  });
  test('an unknown sender is null', () => {
    expect(senderOf(delivery({ from: null }))).toBeNull();
  });
  test('the client is its IP when known', () => {
    expect(clientOf(reject({ client: { name: 'mx.test', ip: '192.0.2.9', port: 25 } }))).toBe('192.0.2.9');
  });
  test('the client is its name when there is no IP', () => {
    expect(clientOf(reject({ client: { name: 'mx.test', ip: null, port: null } }))).toBe('mx.test');
  });
});

describe('compareTime', () => {
  test('orders same-precision times lexically', () => {
    expect(compareTime('2024-05-01T10:00:00Z', '2024-05-01T09:59:59Z')).toBe(1);
  });
  test('orders times of different precision by instant', () => {
    expect(compareTime('2024-05-01T10:00:00.500Z', '2024-05-01T10:00:00Z')).toBe(1);
  });
});

describe('messageHashOf: the hash52 of the key its comment gives, made without the key', () => {
  const client = { name: 'mail.sender.test', ip: '192.0.2.10', port: null };
  test.for([
    ['a queue id, on its host', reject({ queueId: 'ABC123' }), true, 'qmx1\u0000ABC123'],
    ['a queue id, no host', reject({ queueId: 'ABC123', host: null }), false, 'q\u0000ABC123'],
    ['temporary, with a recipient (its domain lower-cased)', reject({ to: 'Bob@Example.COM' }), false, 'ralice@sender.test\u0000Bob@example.com'],
    ['temporary, no recipient', reject({ to: null }), false, 'c192.0.2.10\u0000alice@sender.test'],
    ['temporary, the null sender', reject({ to: null, from: '' }), false, 'c192.0.2.10\u0000<>'],
    ['permanent, no port: to the second', reject({ time: '2024-05-01T10:00:07.123456+02:00' }), true, 'tmx1\u0000192.0.2.10\u0000alice@sender.test\u00002024-05-01T10:00:07'],
    ['permanent, a port: the day', reject({ client: { ...client, port: 51535 }, time: '2024-05-01T10:00:07Z' }), true, 'pmx1\u0000192.0.2.10\u000051535\u0000alice@sender.test\u00002024-05-01'],
    ['permanent, a time shorter than its cut', reject({ time: '2024-05-01' }), true, 'tmx1\u0000192.0.2.10\u0000alice@sender.test\u00002024-05-01'],
    ['permanent, no time: the line', reject({ time: null, origin: { file: 'mail.log', line: 77 } }), true, 'omail.log\u000077'],
    ['a delivery by queue id', delivery(), true, 'qmx1\u0000ABC123'],
    ['a non-ASCII sender', reject({ to: null, from: 'jörg@exämple.de' }), false, 'c192.0.2.10\u0000jörg@exämple.de'],
  ] as const)('%s', ([, ev, permanent, key]) => {
    expect(messageHashOf(ev, permanent)).toBe(hash52(key));
  });

  test('one event asked for twice, as permanent and as temporary: each its own key', () => {
    const ev = reject({ time: '2024-05-01T10:00:07Z' });
    for (let i = 0; i < 2; i++) {
      expect(messageHashOf(ev, true)).toBe(hash52('tmx1\u0000192.0.2.10\u0000alice@sender.test\u00002024-05-01T10:00:07'));
      expect(messageHashOf(ev, false)).toBe(hash52('ralice@sender.test\u0000bob@example.com'));
    }
  });
});

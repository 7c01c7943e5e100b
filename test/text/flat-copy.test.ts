import { describe, expect, it } from 'vitest';
import { flatCopy, ownCopy } from '../../src/text/flat-copy.js';

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

describe('ownCopy', () => {
  const events = [
    { kind: 'reject', mta: 'exim', time: '2026-12-04T17:33:56.809', queueId: 'someone@example.org'.repeat(2), client: { name: 'client.lab.test', ip: '127.0.0.1', port: 51535 }, origin: { file: 'mainlog', line: 7, offset: undefined }, to: null, smtpCode: 550, stage: undefined },
    { list: ['a', undefined, 3, { deep: [NaN, Infinity, -0, 'größe@exämple.de'] }], flag: true, nothing: null },
    'a lone string cut from a longer one'.slice(2),
    42,
    null,
  ];
  it.each(events.map((e) => [e]))('gives what a JSON round trip gives: %j', (e) => {
    expect(ownCopy(e)).toStrictEqual(JSON.parse(JSON.stringify(e)));
  });

  it('copies: changing the copy leaves the original', () => {
    const ev = { client: { name: 'n', ip: '192.0.2.1' }, list: [1] };
    const copy = ownCopy(ev);
    copy.client.name = 'changed';
    copy.list.push(2);
    expect(ev).toEqual({ client: { name: 'n', ip: '192.0.2.1' }, list: [1] });
  });
});

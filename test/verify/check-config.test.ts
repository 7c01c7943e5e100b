/**
 * --check-config without the real tools: edit distance, the nearest key, PowerShell quoting, a
 * tool that is not there. Against the real postconf, postmap and Exim: test/cli/check-config.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { checkConfig, editDistance, exchangeScript, nearestKey } from '../../src/verify/check-config.js';
import { finding } from './fixtures.js';

describe('nearest key', () => {
  test.for([
    { name: 'one substitution', a: 'ann.smith@x.test', b: 'ann.smyth@x.test', max: 3, want: 1 },
    { name: 'insertion and deletion', a: 'jon@x.test', b: 'john@x.test', max: 3, want: 1 },
    { name: 'equal', a: 'a@b', b: 'a@b', max: 1, want: 0 },
    { name: 'past the bound stops early', a: 'aaaaaaaa', b: 'bbbbbbbb', max: 2, want: 3 },
    { name: 'length difference alone past the bound', a: 'a', b: 'abcdef', max: 2, want: 3 },
  ])('$name', ({ a, b, max, want }) => {
    expect(editDistance(a, b, max)).toBe(want);
  });
  test('the nearest within a quarter of the length, case-blind; none when all are far', () => {
    expect(nearestKey('Ann.Smith@x.test', ['bob@x.test', 'ann.smyth@x.test', 'ann.smiths@x.test'])).toEqual({ key: 'ann.smyth@x.test', distance: 1 });
    expect(nearestKey('zed@x.test', ['ann.smyth@x.test', 'sales@x.test'])).toBeNull();
  });
});

describe('Exchange script', () => {
  test('values are single-quoted PowerShell strings, quotes doubled', () => {
    const s = exchangeScript([finding({ mta: 'exchange', recipientDomain: 'x.test', topRecipients: [{ address: "o'brien$(calc)@x.test", count: 1 }] })]);
    expect(s).toContain("Get-Recipient -Identity 'o''brien$(calc)@x.test'");
    expect(s).toContain("Get-Mailbox -Identity 'o''brien$(calc)@x.test'");
    expect(s).toContain("$_.DomainName -eq 'x.test'");
  });
  test('a missing command is reported, not fatal', () => {
    const r = checkConfig([finding({ topRecipients: [{ address: 'a@x.test', count: 1 }] }), finding({ rank: 2, mta: 'exim', topRecipients: [{ address: 'a@x.test', count: 1 }] })], {
      postconf: '/nonexistent/postconf',
      exim: '/nonexistent/exim',
    }, null);
    expect(r).toEqual([
      { rank: 1, checks: ['postconf virtual_alias_maps: /nonexistent/postconf not found (run --check-config on the mail server)'] },
      { rank: 2, checks: ['exim -bt a@x.test: /nonexistent/exim not found (run --check-config on the mail server)'] },
    ]);
  });
});

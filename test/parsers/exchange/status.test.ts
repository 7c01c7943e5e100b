/**
 * recipient-status forms (FORMAT-NOTES.md §4; the wrappers as shown in the corpus's Format-List
 * files and the nauplius post) and the splitting of `;`-joined status lists.
 */
import { describe, expect, test } from 'vitest';
import { parseStatus, splitStatuses, statusFor } from '../../../parsers/exchange/status.js';

describe('one status', () => {
  test.for([
    {
      name: 'bare reply with "; " inside',
      text: '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
      want: { smtpCode: 550, dsn: '5.1.1', reason: '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found', remoteName: null, remoteIp: null },
    },
    {
      name: '2013 wrapper (nauplius)',
      text: '[{LRT=};{LED=550 5.7.1 RESOLVER.RST.AuthRequired; authentication required};{FQDN=};{IP=}]',
      want: { smtpCode: 550, dsn: '5.7.1', reason: '550 5.7.1 RESOLVER.RST.AuthRequired; authentication required', remoteName: null, remoteIp: null },
    },
    {
      name: '2016 wrapper inside the Format-List braces (Q&A 1407358)',
      text: '{[{LED=550 5.7.1 Sender ID (PRA) Not Permitted};{MSG=};{FQDN=};{IP=x.x.x.x};{LRT=}]}',
      want: { smtpCode: 550, dsn: '5.7.1', reason: '550 5.7.1 Sender ID (PRA) Not Permitted', remoteName: null, remoteIp: 'x.x.x.x' },
    },
    {
      name: '2016 wrapper with host, address and MSG',
      text: '[{LED=451 4.4.0 Primary target IP address responded with: "421 4.4.2 Connection dropped."};{MSG=Attempted failover to alternate host, but that did not succeed.};{FQDN=mx.example.net};{IP=198.51.100.25};{LRT=11/22/2026 10:30:00 AM}]',
      want: {
        smtpCode: 451,
        dsn: '4.4.0',
        reason: '451 4.4.0 Primary target IP address responded with: "421 4.4.2 Connection dropped."; Attempted failover to alternate host, but that did not succeed.',
        remoteName: 'mx.example.net',
        remoteIp: '198.51.100.25',
      },
    },
    {
      name: 'expiry: 550 with a 4.x.x enhanced code (docs example)',
      text: '550 4.4.7 QUEUE.Expired;<ErrorText>',
      want: { smtpCode: 550, dsn: '4.4.7', reason: '550 4.4.7 QUEUE.Expired;<ErrorText>', remoteName: null, remoteIp: null },
    },
    {
      name: 'NDR body form',
      text: '#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##',
      want: { smtpCode: 550, dsn: '5.1.1', reason: '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found', remoteName: null, remoteIp: null },
    },
    {
      name: 'code running into the text (elastic_integrations line 4)',
      text: '250 2.1.5Recipient OK',
      want: { smtpCode: 250, dsn: '2.1.5', reason: '250 2.1.5Recipient OK', remoteName: null, remoteIp: null },
    },
    { name: 'To on STOREDRIVER RECEIVE', text: 'To', want: { smtpCode: null, dsn: null, reason: 'To', remoteName: null, remoteIp: null } },
    { name: 'empty', text: '', want: { smtpCode: null, dsn: null, reason: '', remoteName: null, remoteIp: null } },
  ])('$name', ({ text, want }) => {
    expect(parseStatus(text)).toEqual(want);
  });
});

describe('status lists', () => {
  test('";"-joined bare statuses that contain "; " split by status, not by ";"', () => {
    expect(splitStatuses('550 5.1.1 RESOLVER.ADR.RecipNotFound; not found;550 5.2.2 STOREDRV.Deliver: mailbox full', ';')).toEqual([
      '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
      '550 5.2.2 STOREDRV.Deliver: mailbox full',
    ]);
  });

  test('wrappers keep their inner ";"', () => {
    const w = '[{LRT=};{LED=550 5.7.1 RESOLVER.RST.NotAuthorized; not authorized};{FQDN=};{IP=}]';
    expect(splitStatuses(`${w};${w}`, ';')).toEqual([w, w]);
  });

  test('the docs example "550 4.4.7 QUEUE.Expired;<ErrorText>" is one status', () => {
    expect(splitStatuses('550 4.4.7 QUEUE.Expired;<ErrorText>', ';')).toEqual(['550 4.4.7 QUEUE.Expired;<ErrorText>']);
  });

  test('Format-List collections split at ", " between statuses only', () => {
    expect(splitStatuses('550 5.7.1 Sender ID (PRA) Domain Does Not Exist, sorry, 550 5.1.1 RESOLVER.ADR.RecipNotFound; not found', ', ')).toEqual([
      '550 5.7.1 Sender ID (PRA) Domain Does Not Exist, sorry',
      '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
    ]);
  });

  test('To;Cc;Bcc and empty lists', () => {
    expect(splitStatuses('To;Cc;Bcc', ';')).toEqual(['To', 'Cc', 'Bcc']);
    expect(splitStatuses('', ';')).toEqual([]);
  });

  test('alignment: by position, one status for all, or none', () => {
    expect(statusFor(['a', 'b'], 1, 2)).toBe('b');
    expect(statusFor(['a'], 1, 3)).toBe('a');
    expect(statusFor([], 0, 1)).toBe('');
    expect(statusFor(['a', 'b'], 2, 3)).toBe('');
  });
});

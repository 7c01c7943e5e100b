import { describe, expect, test } from 'vitest';
import { ACTION_TABLE, SAMPLE_BASE, decideAction, type ActionFacts } from '../../src/classify/action.js';

const facts = (f: Partial<ActionFacts>): ActionFacts => ({ ...SAMPLE_BASE, ...f });

describe('the act-or-not table', () => {
  test('every row has at least one sample', () => {
    expect(ACTION_TABLE.filter((r) => r.samples.length === 0).map((r) => r.id)).toEqual([]);
  });

  test('row ids are unique', () => {
    const ids = ACTION_TABLE.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  const samples = ACTION_TABLE.flatMap((row) => row.samples.map((s, i) => ({ name: `${row.id} #${i + 1}`, row, s })));
  test.for(samples)('$name is decided by its own row', ({ row, s }) => {
    const d = decideAction(facts(s));
    expect([d.row, d.action]).toEqual([row.id, row.action]);
    expect(d.reason.length).toBeGreaterThan(10);
  });
});

describe('decideAction: the cases of the brief', () => {
  test.for([
    {
      name: 'inbound user-unknown from many clients to addresses that never existed: informational',
      f: { cause: 'user-unknown', distinctRecipients: 58, distinctClients: 20 },
      want: 'informational',
    },
    {
      name: 'inbound user-unknown for an address that received mail earlier: actionable',
      f: { cause: 'user-unknown', workedBefore: 1, distinctRecipients: 58, distinctClients: 20 },
      want: 'actionable',
    },
    { name: 'outbound blocklisted: actionable (our IP reputation)', f: { direction: 'outbound', cause: 'blocklisted' }, want: 'actionable' },
    { name: 'outbound auth-required: actionable (our relay credentials)', f: { direction: 'outbound', cause: 'auth-required' }, want: 'actionable' },
    { name: 'outbound SPF/DKIM failure: actionable', f: { direction: 'outbound', cause: 'sender-auth-failed' }, want: 'actionable' },
    { name: 'a remote mailbox full: informational', f: { direction: 'outbound', cause: 'mailbox-full' }, want: 'informational' },
    {
      name: "a stranger's typo domain: informational",
      f: { direction: 'outbound', cause: 'domain-not-found', suggestion: 'gmail.com' },
      want: 'informational',
    },
    {
      name: 'a domain that accepted our mail is now not found: actionable (our resolver)',
      f: { direction: 'outbound', cause: 'domain-not-found', domainAcceptsMail: true, suggestion: null },
      want: 'actionable',
    },
    { name: 'local accept-then-bounce: actionable', f: { direction: 'local', cause: 'user-unknown' }, want: 'actionable' },
    { name: 'relay probes by strangers: informational', f: { cause: 'relay-denied', distinctClients: 12 }, want: 'informational' },
    { name: 'our own users refused relay: actionable', f: { cause: 'relay-denied', ownSender: true }, want: 'actionable' },
    { name: 'one of our mailboxes full: actionable', f: { cause: 'mailbox-full' }, want: 'actionable' },
  ] as Array<{ name: string; f: Partial<ActionFacts>; want: string }>)('$name', ({ f, want }) => {
    expect(decideAction(facts(f)).action).toBe(want);
  });

  test('the reason of an address that stopped working counts the addresses', () => {
    expect(decideAction(facts({ cause: 'user-unknown', workedBefore: 3 })).reason).toMatch(/^3 addresses that received mail earlier/);
  });
});

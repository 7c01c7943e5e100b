/**
 * Format-List records: where a block ends and what carries its events. The property lines
 * copy the layout of the corpus's `.fl.log` files (names padded to 24 columns, `{a, b}`
 * collections, 2016 status wrappers); records with several recipients and PowerShell's
 * `$FormatEnumerationLimit` cut (`...`) follow PowerShell's documented collection display.
 */
import { describe, expect, test } from 'vitest';
import { exchangeParser } from '../../../parsers/exchange/index.js';
import { MailEvent } from '../../../src/event.js';
import { parseAll } from '../../helpers/parse.js';

const prop = (name: string, value: string) => `${name.padEnd(24)}:${value === '' ? '' : ` ${value}`}`;
const led = (s: string) => `[{LED=${s}};{MSG=};{FQDN=};{IP=};{LRT=}]`;

function record(id: string, recipients: string[], statuses: string[], cut = false): string[] {
  const more = cut ? '...' : '';
  return [
    prop('RunspaceId', 'e939e06b-1823-4dbe-8803-8dafea667cef'),
    prop('Timestamp', '11/22/2026 10:15:00 AM'),
    prop('ServerHostname', 'EX01'),
    prop('Source', 'ROUTING'),
    prop('EventId', 'FAIL'),
    prop('InternalMessageId', id),
    prop('Recipients', `{${recipients.join(', ')}${more}}`),
    prop('RecipientStatus', `{${statuses.map(led).join(', ')}${more}}`),
    prop('Sender', 'alice@example.net'),
  ];
}

const NOT_FOUND = '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found';
const NOT_AUTHORIZED = '550 5.7.1 RESOLVER.RST.NotAuthorizedToGroup; not authorized to send to the distribution list';

describe('Format-List blocks', () => {
  test('a repeated first property ends the record; its events ride on that line; the last comes from end()', () => {
    const lines = [...record('1001', ['a@example.com'], [NOT_FOUND]), ...record('1002', ['b@example.com'], [NOT_FOUND])];
    const m = exchangeParser.create();
    m.begin({ file: 'fl.log', reference: new Date('2026-11-23T00:00:00Z') });
    const results = lines.map((l, i) => m.line(l, i + 1));
    expect(results.every((r) => r.status === 'recognised')).toBe(true);
    const carrying = results.flatMap((r, i) => (r.status === 'recognised' && r.events.length > 0 ? [i + 1] : []));
    expect(carrying).toEqual([10]); // the second RunspaceId line
    const first = results[9]!.status === 'recognised' ? results[9]!.events : [];
    expect(first.map((e) => [e.queueId, e.origin.line, e.kind === 'delivery' && e.to])).toEqual([['1001', 1, 'a@example.com']]);
    expect(first[0]!.raw).toBe(lines.slice(0, 9).join('\n'));
    const last = m.end();
    expect(last.map((e) => [e.queueId, e.origin.line])).toEqual([['1002', 10]]);
  });

  test('collections: one event per recipient, statuses aligned by position', () => {
    const { events } = parseAll(record('1003', ['a@example.com', 'list@example.com'], [NOT_FOUND, NOT_AUTHORIZED]), exchangeParser);
    expect(events.map((e) => e.kind === 'delivery' && [e.to, e.reason])).toEqual([
      ['a@example.com', NOT_FOUND],
      ['list@example.com', NOT_AUTHORIZED],
    ]);
    for (const ev of events) expect(MailEvent.parse(ev)).toEqual(ev);
  });

  test('a collection cut at $FormatEnumerationLimit yields the recipients shown', () => {
    const shown = ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com'];
    const { events } = parseAll(record('1004', shown, shown.map(() => NOT_FOUND), true), exchangeParser);
    expect(events.map((e) => e.kind === 'delivery' && e.to)).toEqual(shown);
  });

  test('a record open at the end of one input is closed by the next begin() and handed out by end()', () => {
    const m = exchangeParser.create();
    m.begin({ file: 'one.fl.log', reference: new Date('2026-11-23T00:00:00Z') });
    record('1005', ['a@example.com'], [NOT_FOUND]).forEach((l, i) => m.line(l, i + 1));
    m.begin({ file: 'two.fl.log', reference: new Date('2026-11-23T00:00:00Z') });
    const evs = m.end();
    expect(evs.map((e) => [e.queueId, e.origin])).toEqual([['1005', { file: 'one.fl.log', line: 1 }]]);
  });

  test('an indented line after a blank line is not a continuation', () => {
    const { results } = parseAll([prop('EventId', 'FAIL'), '', '                          Agent=0.003'], exchangeParser);
    expect(results.map((r) => r.status)).toEqual(['recognised', 'ignored', 'unrecognised']);
  });

  test('a property Get-MessageTrackingLog does not have never starts a record', () => {
    const { results } = parseAll(['Note : this is prose', prop('EventId', 'FAIL'), prop('SomethingNew', 'x')], exchangeParser);
    expect(results.map((r) => r.status)).toEqual(['unrecognised', 'recognised', 'recognised']);
  });
});

/**
 * 1 MB lines built on the worst shapes for this parser: quotes, commas, semicolons, status
 * wrappers, Format-List collections, protocol replies. They must finish (no timing asserts: a
 * backtracking regex would not finish within the test timeout) and never throw.
 */
import { describe, expect, test } from 'vitest';
import { exchangeParser } from '../../../parsers/exchange/index.js';
import { MailEvent } from '../../../src/event.js';
import { parseAll } from '../../helpers/parse.js';
import { FIELDS_2019, RECEIVE_HEADER, TRACKING_HEADER_2019 } from './formats.js';

const MB = 1 << 20;
const bodies: Record<string, string> = {
  quotes: '"'.repeat(MB),
  'doubled quotes': '""'.repeat(MB / 2),
  commas: ','.repeat(MB),
  semicolons: ';'.repeat(MB),
  'open wrappers': '{[{'.repeat(MB / 3),
  'wrapper items': '{LED=550 5.1.1 x;'.repeat(MB / 16),
  'mixed': '";,{[{'.repeat(MB / 6),
  'status list': '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found;'.repeat(MB / 48),
  'addresses': 'a@example.com;'.repeat(MB / 14),
  'braces': '{'.repeat(MB),
  'spaces': ' '.repeat(MB),
  'colons': ':'.repeat(MB),
};

/** Where the crafted text goes: a FAIL row's recipient lists, a quoted subject, a protocol reply, a Format-List value. */
const shapes: Record<string, (body: string) => string[]> = {
  'FAIL row, recipients and statuses': (b) => [
    ...TRACKING_HEADER_2019,
    FIELDS_2019.map((f) => ({ 'date-time': '2026-11-22T10:00:00.000Z', source: 'ROUTING', 'event-id': 'FAIL', 'internal-message-id': '1', 'recipient-address': b, 'recipient-status': b })[f] ?? '').join(','),
  ],
  'FAIL row, quoted cells': (b) => [...TRACKING_HEADER_2019, `2026-11-22T10:00:00.000Z,,,,EX01,"${b}",,ROUTING,FAIL,1,,,"${b}","${b}"${',x'.repeat(16)}`],
  'bare headerless row': (b) => [`2026-11-22T10:00:00.000Z,${b}`],
  'protocol reply': (b) => [...RECEIVE_HEADER, `2026-11-22T10:00:00.000Z,EX01\\Default,08DD0A2B3C4D5E01,1,192.0.2.1:25,192.0.2.2:1,>,"550 5.7.1 ${b.replace(/"/g, '""')}",`],
  'protocol command': (b) => [...RECEIVE_HEADER, `2026-11-22T10:00:00.000Z,EX01\\Default,08DD0A2B3C4D5E01,1,192.0.2.1:25,192.0.2.2:1,<,RCPT TO:<${b}`],
  'Format-List collection': (b) => [`EventId                 : FAIL`, `Recipients              : {${b}}`, `RecipientStatus         : {${b}}`],
  'Format-List continuation': (b) => [`EventId                 : FAIL`, `MessageInfo             : x`, `                          ${b}`],
  'Export-Csv row': (b) => ['"Timestamp","EventId","Recipients","RecipientStatus"', `"${b}","FAIL","${b}","${b}"`],
  'line alone': (b) => [b],
};

describe('hostile lines', () => {
  const combos = Object.entries(shapes).flatMap(([shape, build]) => Object.entries(bodies).map(([body, text]) => ({ shape, body, lines: build(text) })));
  test.for(combos)('$shape with 1 MB of $body finishes and never throws', ({ lines }) => {
    const { results, events } = parseAll(lines, exchangeParser);
    for (const r of results) expect(['recognised', 'ignored', 'unrecognised']).toContain(r.status);
    expect(events.length).toBeLessThanOrEqual(1000);
    for (const ev of events.slice(0, 3)) MailEvent.parse(ev);
  });

  test('sniffing a 1 MB line looks at its start only', () => {
    for (const text of Object.values(bodies)) expect(exchangeParser.sniff(`2026-11-22T10:00:00.000Z,${text}`)).toBe(false);
  });
});

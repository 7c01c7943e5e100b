/**
 * The column order comes from `#Fields:`, never from a fixed list; headerless rows take the
 * documented layout of their column count (FORMAT-NOTES.md §2: 21 = 2007, 26 = 2010,
 * 27 = 2013, 30 = 2016/2019/SE). Records are built in those documented layouts.
 */
import { describe, expect, test } from 'vitest';
import { layoutByCount, layoutFromFieldsLine } from '../../../parsers/exchange/columns.js';
import { exchangeParser } from '../../../parsers/exchange/index.js';
import { parseAll, stripOrigin } from '../../helpers/parse.js';
import { csvRow, FIELDS_2019 } from './formats.js';
import { BOM8_FIELDS_2010 } from './real-lines.js';

const parse = (lines: string[]) => parseAll(lines, exchangeParser).events.map(stripOrigin);

/** One ROUTING FAIL, as a field → value record; the subject holds a comma and a quote. */
const FAIL: Record<string, string> = {
  'date-time': '2026-11-22T10:15:00.312Z',
  'client-ip': '198.51.100.7',
  'client-hostname': 'mail.example.net',
  'server-hostname': 'EX01',
  source: 'ROUTING',
  'event-id': 'FAIL',
  'internal-message-id': '73014444033',
  'message-id': '<a1b2c3@mail.example.net>',
  'network-message-id': '4c7c9d51-1f5e-4a61-8d20-08dd0a1b2c3d',
  'recipient-address': 'nobody@example.com',
  'recipient-status': '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
  'message-subject': 'Re: "Quarterly", report',
  'sender-address': 'alice@example.net',
  'return-path': 'alice@example.net',
  'custom-data': 'S:DeliveryPriority=Normal;S:AccountForest=example.com',
  'schema-version': '15.02.1544.004',
};

const V2007 = FIELDS_2019.filter((f) => !['network-message-id', 'directionality', 'tenant-id', 'original-client-ip', 'original-server-ip', 'custom-data', 'transport-traffic-type', 'log-id', 'schema-version'].includes(f));
const V2010 = [...V2007, 'directionality', 'tenant-id', 'original-client-ip', 'original-server-ip', 'custom-data'];
const V2013 = [...V2007.slice(0, 11), 'network-message-id', ...V2007.slice(11), 'directionality', 'tenant-id', 'original-client-ip', 'original-server-ip', 'custom-data'];

describe('column order', () => {
  test('the same record under two different #Fields orders yields the same event', () => {
    const reversed = [...FIELDS_2019].reverse();
    const a = parse([`#Fields: ${FIELDS_2019.join(',')}`, csvRow(FIELDS_2019, FAIL)]);
    const b = parse([`#Fields: ${reversed.join(',')}`, csvRow(reversed, FAIL)]);
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ to: 'nobody@example.com', from: 'alice@example.net', queueId: '73014444033', status: 'bounced' });
    expect(b).toEqual(a);
  });

  test('a later #Fields line replaces the earlier one (concatenated logs)', () => {
    const shuffled = [...FIELDS_2019.slice(15), ...FIELDS_2019.slice(0, 15)];
    const events = parse([
      `#Fields: ${FIELDS_2019.join(',')}`,
      csvRow(FIELDS_2019, FAIL),
      `#Fields: ${shuffled.join(',')}`,
      csvRow(shuffled, FAIL),
    ]);
    expect(events).toHaveLength(2);
    expect(events[1]).toEqual(events[0]);
  });

  test('headerless rows: the layout of each documented column count gives the same event', () => {
    const withHeader = parse([`#Fields: ${FIELDS_2019.join(',')}`, csvRow(FIELDS_2019, FAIL)]);
    for (const fields of [V2007, V2010, V2013, FIELDS_2019]) {
      expect(fields.length).toBeOneOf([21, 26, 27, 30]);
      expect(parse([csvRow(fields, FAIL)]), `${fields.length} columns`).toEqual(withHeader);
    }
  });

  test('a row that does not fit the header falls back on the layout of its column count', () => {
    const events = parse([`#Fields: ${FIELDS_2019.join(',')}`, csvRow(V2010, FAIL)]);
    expect(events).toEqual(parse([csvRow(FIELDS_2019, FAIL)]));
  });

  test('the 2010 header of the corpus names 26 fields without network-message-id (bom8 line 5)', () => {
    const layout = layoutFromFieldsLine(BOM8_FIELDS_2010)!;
    expect(layout.kind).toBe('tracking');
    expect(layout.width).toBe(26);
    expect(layout.index.has('network-message-id')).toBe(false);
    expect(layout.index.get('event-id')).toBe(layoutByCount(26)!.index.get('event-id'));
  });

  test('only documented column counts have a fallback layout', () => {
    expect([9, 21, 26, 27, 30].map((n) => layoutByCount(n)?.kind)).toEqual(['protocol', 'tracking', 'tracking', 'tracking', 'tracking']);
    expect(layoutByCount(29)).toBeNull();
    expect(layoutFromFieldsLine('#Fields: a,b,c')).toBeNull();
  });
});

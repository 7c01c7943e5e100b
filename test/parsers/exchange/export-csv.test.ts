/**
 * `Get-MessageTrackingLog | Export-Csv` files. No real export is public (SOURCES.md "Gaps"), so
 * the files are built as Windows PowerShell 5.1's Export-Csv writes them: a `#TYPE` line, the
 * 33 property names recorded in microsoft/CSS-Exchange Measure-EmailDelayInMTL.ps1, every cell
 * quoted, Timestamp in the server's local time and culture, and array properties either joined
 * by the caller (`@{n='Recipients';e={$_.Recipients -join ';'}}`) or left as their type name
 * `System.String[]` (FORMAT-NOTES.md §5).
 */
import { describe, expect, test } from 'vitest';
import { exchangeParser } from '../../../parsers/exchange/index.js';
import { MailEvent } from '../../../src/event.js';
import { parseAll, stripOrigin } from '../../helpers/parse.js';
import { FAIL_RECIP_NOT_FOUND } from './events.cases.js';
import { csvRow, EXPORT_COLUMNS, EXPORT_TYPE_LINE, TRACKING_HEADER_2019 } from './formats.js';

const HEADER = csvRow(EXPORT_COLUMNS, Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, c])), true);

/** The ROUTING FAIL of events.cases.ts (FAIL_RECIP_NOT_FOUND) as its exported object. */
const FAIL_OBJECT: Record<string, string> = {
  PSComputerName: 'ex01.example.com',
  RunspaceId: '3f2a9c1e-7b4d-4e8a-9c0f-1d2e3f4a5b6c',
  PSShowComputerName: 'False',
  Timestamp: '11/22/2026 10:15:00 AM',
  ServerHostname: 'EX01',
  Source: 'ROUTING',
  EventId: 'FAIL',
  InternalMessageId: '73014444033',
  MessageId: '<a1b2c3@mail.example.net>',
  NetworkMessageId: '4c7c9d51-1f5e-4a61-8d20-08dd0a1b2c3d',
  Recipients: 'nobody@example.com;ghost@example.com',
  RecipientStatus: '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found;550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
  TotalBytes: '5120',
  RecipientCount: '2',
  Reference: '<2f1d3c4b5a6978@EX01.example.com>',
  MessageSubject: 'Quarterly report, draft',
  Sender: 'alice@example.net',
  ReturnPath: 'alice@example.net',
  Directionality: 'Incoming',
  MessageLatencyType: 'None',
  EventData: '[DeliveryPriority, Normal];[AccountForest, example.com]',
  TransportTrafficType: 'Email',
  SchemaVersion: '15.02.1544.004',
};

const exported = (values: Record<string, string>) => csvRow(EXPORT_COLUMNS, values, true);

describe('Get-MessageTrackingLog | Export-Csv', () => {
  test('#TYPE and the header are header lines; an expanded row gives the events of the native row', () => {
    const { results, events } = parseAll([EXPORT_TYPE_LINE, HEADER, exported(FAIL_OBJECT)], exchangeParser);
    expect(results.slice(0, 2)).toEqual([
      { status: 'ignored', reason: 'header' },
      { status: 'ignored', reason: 'header' },
    ]);
    const native = parseAll([...TRACKING_HEADER_2019, FAIL_RECIP_NOT_FOUND], exchangeParser).events;
    expect(events).toHaveLength(2);
    // The local 10:15:00 AM is 10:15:00Z with TZ=UTC; the native row carries milliseconds.
    expect(events.map(stripOrigin)).toEqual(native.map((e) => ({ ...stripOrigin(e), time: '2026-11-22T10:15:00.000Z' })));
    for (const ev of events) expect(MailEvent.parse(ev)).toEqual(ev);
  });

  test('unexpanded arrays (System.String[]): the row is kept with an unknown recipient, and counted once per row', () => {
    const m = exchangeParser.create();
    m.begin({ file: 'export.csv', reference: new Date('2026-11-23T00:00:00Z') });
    m.line(EXPORT_TYPE_LINE, 1);
    m.line(HEADER, 2);
    const r = m.line(exported({ ...FAIL_OBJECT, Recipients: 'System.String[]', RecipientStatus: 'System.String[]', Reference: 'System.String[]' }), 3);
    m.line(exported({ ...FAIL_OBJECT, Recipients: 'System.String[]' }), 4);
    expect(r.status).toBe('recognised');
    const [ev] = r.status === 'recognised' ? r.events : [];
    expect(ev).toMatchObject({ kind: 'delivery', status: 'bounced', to: null, reason: '', dsn: null, smtpCode: null, program: 'ROUTING/FAIL' });
    expect(MailEvent.parse(ev)).toEqual(ev);
    expect(m.overflow().exchangeUnexpandedArrays).toBe(2);
  });

  test('recipients joined with spaces ("$($_.Recipients)") are split too', () => {
    const { events } = parseAll([HEADER, exported({ ...FAIL_OBJECT, Recipients: 'nobody@example.com ghost@example.com' })], exchangeParser);
    expect(events.map((e) => e.kind === 'delivery' && e.to)).toEqual(['nobody@example.com', 'ghost@example.com']);
  });

  test('PowerShell 7 without quotes and without #TYPE, day-first culture', () => {
    const columns = ['Timestamp', 'EventId', 'Source', 'Sender', 'Recipients', 'RecipientStatus', 'InternalMessageId', 'ServerHostname'];
    const { results, events } = parseAll(
      [
        columns.join(','),
        ['22/11/2026 10:15:00', 'FAIL', 'STOREDRIVER', 'heidi@example.net', 'erin@example.com', '550 5.2.2 STOREDRV.Deliver: mailbox full', '21474836600', 'EX02'].join(','),
      ],
      exchangeParser,
    );
    expect(results[0]).toEqual({ status: 'ignored', reason: 'header' });
    expect(events.map(stripOrigin)).toEqual([
      {
        kind: 'delivery',
        mta: 'exchange',
        time: '2026-11-22T10:15:00.000Z',
        host: 'EX02',
        program: 'STOREDRIVER/FAIL',
        queueId: '21474836600',
        status: 'bounced',
        agent: 'storedriver',
        router: null,
        to: 'erin@example.com',
        origTo: null,
        relay: null,
        dsn: '5.2.2',
        reason: '550 5.2.2 STOREDRV.Deliver: mailbox full',
        smtpCode: 550,
        remoteHost: null,
        inReplyTo: null,
        from: 'heidi@example.net',
        client: null,
        delay: null,
      },
    ]);
  });

  test('a quoted row before any Export-Csv header is not guessed at', () => {
    expect(parseAll([exported(FAIL_OBJECT)], exchangeParser).results[0]!.status).toBe('unrecognised');
  });
});

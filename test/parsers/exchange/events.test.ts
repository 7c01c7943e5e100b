import { describe, expect, test } from 'vitest';
import { exchangeParser } from '../../../parsers/exchange/index.js';
import { MailEvent } from '../../../src/event.js';
import { parseAll, stripOrigin } from '../../helpers/parse.js';
import { inputCases, nonEventCases, row, rowCases } from './events.cases.js';
import { FIELDS_2019, TRACKING_HEADER_2019 } from './formats.js';

const parse = (lines: string[]) => parseAll(lines, exchangeParser);

describe('exchange message tracking rows → events', () => {
  test.for(rowCases)('$name', ({ before = [], line, want }) => {
    const { results, events } = parse([...before, line]);
    const last = results[results.length - 1]!;
    expect(last.status).toBe('recognised');
    const produced = last.status === 'recognised' ? last.events : [];
    expect(produced.map(stripOrigin)).toEqual(want);
    for (const ev of events) expect(MailEvent.parse(ev)).toEqual(ev);
    for (const ev of produced) {
      expect(ev.raw).toBe(line);
      expect(ev.origin).toEqual({ file: 'test.log', line: before.length + 1 });
    }
  });

  test('built rows have the 30 documented columns', async () => {
    const { csvCells } = await import('../../../parsers/exchange/csv-row.js');
    for (const c of rowCases) expect(csvCells(c.line)!.length, c.name).toBe(FIELDS_2019.length);
  });
});

describe('Format-List output → events', () => {
  test.for(inputCases)('$name', ({ lines, want }) => {
    const { events } = parse(lines);
    expect(events.map(stripOrigin)).toEqual(want);
    for (const ev of events) expect(MailEvent.parse(ev)).toEqual(ev);
  });
});

describe('known lines that are not events', () => {
  test.for(nonEventCases)('$name', ({ before = [], line, status, reason }) => {
    const { results } = parse([...before, line]);
    const r = results[results.length - 1]!;
    expect(r.status).toBe(status);
    if (status === 'ignored') expect(r).toEqual({ status, reason });
    if (status === 'recognised') expect(r).toEqual({ status, events: [] });
  });
});

describe('DSN rows', () => {
  test.for([
    ['Undeliverable: Quarterly report', 'non-delivery'],
    ['Delivery delayed: Quarterly report', 'delay'],
    ['Relayed: Quarterly report', 'success'],
    ['Unzustellbar: Quartalsbericht', 'non-delivery'],
  ])('subject %s → %s notice', ([subject, notice]) => {
    const dsn = row({ 'date-time': '2026-11-22T10:00:00.000Z', source: 'DSN', 'event-id': 'DSN', 'internal-message-id': '9', reference: '<unknown@example.net>', 'message-subject': subject! });
    const { events } = parse([...TRACKING_HEADER_2019, dsn]);
    expect(events).toMatchObject([{ kind: 'notification', notice, queueId: null, notificationQueueId: '9' }]);
  });
});

/**
 * The three forms of a message tracking record → one TrackingRow (tracking.ts):
 *
 * - native MSGTRK* rows: cells by the `#Fields:` layout (columns.ts); recipient-address and
 *   recipient-status are `;`-joined lists (Microsoft Learn "Message tracking" field table);
 * - Get-MessageTrackingLog | Export-Csv rows: the same cells under PowerShell property names;
 *   array properties are `;`-joined when the caller expanded them (`-join ';'`), or the bare type
 *   name `System.String[]` when not (FORMAT-NOTES.md §5); Timestamp is local time;
 * - Format-List blocks (format-list.ts): `{a, b}` collections, local Timestamp.
 */
import type { Layout } from './columns.js';
import { splitStatuses } from './status.js';
import { anyTime } from './time.js';
import type { CellCuts } from './csv-row.js';
import { isDeliveryEventId, MAX_RECIPIENTS_PER_ROW, type TrackingRow } from './tracking.js';

/** The native field behind each value a TrackingRow is read from. */
const FIELD_OF = {
  dateTime: 'date-time',
  clientIp: 'client-ip',
  clientHostname: 'client-hostname',
  serverIp: 'server-ip',
  serverHostname: 'server-hostname',
  sourceContext: 'source-context',
  connectorId: 'connector-id',
  source: 'source',
  eventId: 'event-id',
  internalId: 'internal-message-id',
  messageId: 'message-id',
  recipients: 'recipient-address',
  statuses: 'recipient-status',
  reference: 'reference',
  subject: 'message-subject',
  sender: 'sender-address',
  returnPath: 'return-path',
  messageInfo: 'message-info',
} as const;

/** Where those fields are among a record's cells; -1 where the record has none. */
type Columns = Record<keyof typeof FIELD_OF, number>;

function columnsOf(index: ReadonlyMap<string, number>): Columns {
  const c = {} as Columns;
  for (const k of Object.keys(FIELD_OF) as Array<keyof Columns>) c[k] = index.get(FIELD_OF[k]) ?? -1;
  return c;
}

/** Columns of each layout, found once rather than by field name on every row. */
const layoutColumns = new WeakMap<Layout, Columns>();

function columnsOfLayout(layout: Layout): Columns {
  let c = layoutColumns.get(layout);
  if (c === undefined) {
    c = columnsOf(layout.index);
    layoutColumns.set(layout, c);
  }
  return c;
}

/** Cell `i` of a record, '' when it has none. */
const cellAt = (cells: readonly string[], i: number): string => (i < 0 ? '' : (cells[i] ?? ''));

/** A record's cell by column (-1: none), '' when it has none. */
type CellOf = (i: number) => string;

/**
 * Does map() read this row's recipient and status lists? Only deliveries do (tracking.ts); any
 * other row needs its recipient list only to count what is over MAX_RECIPIENTS_PER_ROW, which a
 * cell this short cannot hold (each recipient takes a character and a separator).
 */
function needsLists(eventId: string, recipientCell: string): boolean {
  return isDeliveryEventId(eventId) || recipientCell.length > 2 * MAX_RECIPIENTS_PER_ROW;
}

function rowOf(cell: CellOf, c: Columns, recipients: string[], statuses: string[], unexpanded: boolean, reference: string, eventId: string): TrackingRow {
  return {
    time: anyTime(cell(c.dateTime)),
    clientIp: cell(c.clientIp),
    clientHostname: cell(c.clientHostname),
    serverIp: cell(c.serverIp),
    serverHostname: cell(c.serverHostname),
    sourceContext: cell(c.sourceContext),
    connectorId: cell(c.connectorId),
    source: cell(c.source).trim(),
    eventId,
    internalId: cell(c.internalId).trim(),
    messageId: cell(c.messageId).trim(),
    recipients,
    statuses,
    reference,
    subject: cell(c.subject),
    sender: cell(c.sender).trim(),
    returnPath: cell(c.returnPath),
    messageInfo: cell(c.messageInfo),
    unexpanded,
  };
}

/** PowerShell's text for an array property it did not expand: `System.String[]`, `System.Collections.Generic.List`1[…]`. */
export function isUnexpandedArray(cell: string): boolean {
  return cell.startsWith('System.') && (cell.endsWith('[]') || cell.includes('`1['));
}

/** `a@x;b@y` (native, `-join ';'`); an Export-Csv cell may also hold `a@x b@y` ("$($_.Recipients)"). */
function splitAddresses(cell: string, spaces: boolean): string[] {
  const parts = spaces ? cell.split(/[;,\s]+/) : cell.split(';');
  const out: string[] = [];
  for (const p of parts) {
    const a = p.trim();
    if (a !== '') out.push(a);
  }
  return out;
}

/** A native row or an Export-Csv row, by its layout. */
export function rowFromCells(cells: readonly string[], layout: Layout, exported: boolean): TrackingRow {
  return rowFromCellOf((i) => cellAt(cells, i), layout, exported);
}

/** A native row in plain RFC 4180 form, from where its cells are (csv-row.ts CellCuts): the same row as rowFromCells(csvCells(line)). */
export function rowFromCuts(line: string, cuts: CellCuts, layout: Layout): TrackingRow {
  return rowFromCellOf((i) => cuts.text(line, i), layout, false);
}

function rowFromCellOf(cell: CellOf, layout: Layout, exported: boolean): TrackingRow {
  const c = columnsOfLayout(layout);
  const eventId = cell(c.eventId).trim();
  const rcpt = cell(c.recipients);
  let recipients: string[] = [];
  let statuses: string[] = [];
  let unexpanded = false;
  if (exported) {
    const status = cell(c.statuses);
    unexpanded = isUnexpandedArray(rcpt) || isUnexpandedArray(status);
    if (needsLists(eventId, rcpt)) {
      if (!isUnexpandedArray(rcpt)) recipients = splitAddresses(rcpt, true);
      if (!isUnexpandedArray(status)) statuses = splitStatuses(status, ';');
    }
  } else if (needsLists(eventId, rcpt)) {
    recipients = splitAddresses(rcpt, false);
    statuses = splitStatuses(cell(c.statuses), ';');
  }
  let reference = cell(c.reference);
  if (exported && isUnexpandedArray(reference)) reference = '';
  return rowOf(cell, c, recipients, statuses, unexpanded, firstOf(reference), eventId);
}

/** Reference can list several ids; the first is the one DSN and TRANSFER rows point to. */
function firstOf(list: string): string {
  const semi = list.indexOf(';');
  return (semi < 0 ? list : list.slice(0, semi)).trim();
}

/**
 * `{a, b, c...}` → [a, b, c]: PowerShell's collection display. It shows at most
 * $FormatEnumerationLimit items (4 by default) and then `...`; the rest are not in the text.
 */
export function collectionItems(value: string, statuses: boolean): string[] {
  let v = value.trim();
  if (v.startsWith('{') && v.endsWith('}')) v = v.slice(1, -1);
  if (v.endsWith('...')) v = v.slice(0, -3);
  else if (v.endsWith('…')) v = v.slice(0, -1);
  v = v.trim();
  if (v === '') return [];
  if (statuses) return splitStatuses(v, ', ').map((s) => s.trim());
  return v
    .split(', ')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A Format-List block: PowerShell property name (lower-cased) → value, continuation lines joined. */
export function rowFromProperties(props: ReadonlyMap<string, string>, fieldOf: (name: string) => string | null): TrackingRow {
  const index = new Map<string, number>();
  const cells: string[] = [];
  for (const [name, value] of props) {
    const f = fieldOf(name);
    if (f === null) continue;
    // A field shown twice keeps its last value.
    if (!index.has(f)) index.set(f, cells.length);
    cells[index.get(f)!] = value.trim();
  }
  const c = columnsOf(index);
  const recipients = collectionItems(cellAt(cells, c.recipients), false);
  const statuses = collectionItems(cellAt(cells, c.statuses), true);
  const references = collectionItems(cellAt(cells, c.reference), false);
  return rowOf((i) => cellAt(cells, i), c, recipients, statuses, false, references[0] ?? '', cellAt(cells, c.eventId).trim());
}

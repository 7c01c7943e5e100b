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
import type { TrackingRow } from './tracking.js';

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

function rowOf(cells: readonly string[], c: Columns, recipients: string[], statuses: string[], unexpanded: boolean, reference: string): TrackingRow {
  return {
    time: anyTime(cellAt(cells, c.dateTime)),
    clientIp: cellAt(cells, c.clientIp),
    clientHostname: cellAt(cells, c.clientHostname),
    serverIp: cellAt(cells, c.serverIp),
    serverHostname: cellAt(cells, c.serverHostname),
    sourceContext: cellAt(cells, c.sourceContext),
    connectorId: cellAt(cells, c.connectorId),
    source: cellAt(cells, c.source).trim(),
    eventId: cellAt(cells, c.eventId).trim(),
    internalId: cellAt(cells, c.internalId).trim(),
    messageId: cellAt(cells, c.messageId).trim(),
    recipients,
    statuses,
    reference,
    subject: cellAt(cells, c.subject),
    sender: cellAt(cells, c.sender).trim(),
    returnPath: cellAt(cells, c.returnPath),
    messageInfo: cellAt(cells, c.messageInfo),
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
  const c = columnsOfLayout(layout);
  const rcpt = cellAt(cells, c.recipients);
  const status = cellAt(cells, c.statuses);
  const unexpanded = exported && (isUnexpandedArray(rcpt) || isUnexpandedArray(status));
  const recipients = exported && isUnexpandedArray(rcpt) ? [] : splitAddresses(rcpt, exported);
  const statuses = exported && isUnexpandedArray(status) ? [] : splitStatuses(status, ';');
  let reference = cellAt(cells, c.reference);
  if (exported && isUnexpandedArray(reference)) reference = '';
  return rowOf(cells, c, recipients, statuses, unexpanded, firstOf(reference));
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
  return rowOf(cells, c, recipients, statuses, false, references[0] ?? '');
}

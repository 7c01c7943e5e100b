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

type Get = (field: string) => string;

function rowOf(get: Get, recipients: string[], statuses: string[], unexpanded: boolean, reference: string): TrackingRow {
  return {
    time: anyTime(get('date-time')),
    clientIp: get('client-ip'),
    clientHostname: get('client-hostname'),
    serverIp: get('server-ip'),
    serverHostname: get('server-hostname'),
    sourceContext: get('source-context'),
    connectorId: get('connector-id'),
    source: get('source').trim(),
    eventId: get('event-id').trim(),
    internalId: get('internal-message-id').trim(),
    messageId: get('message-id').trim(),
    recipients,
    statuses,
    reference,
    subject: get('message-subject'),
    sender: get('sender-address').trim(),
    returnPath: get('return-path'),
    messageInfo: get('message-info'),
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
  const get: Get = (field) => {
    const i = layout.index.get(field);
    return i === undefined ? '' : (cells[i] ?? '');
  };
  const rcpt = get('recipient-address');
  const status = get('recipient-status');
  const unexpanded = exported && (isUnexpandedArray(rcpt) || isUnexpandedArray(status));
  const recipients = exported && isUnexpandedArray(rcpt) ? [] : splitAddresses(rcpt, exported);
  const statuses = exported && isUnexpandedArray(status) ? [] : splitStatuses(status, ';');
  let reference = get('reference');
  if (exported && isUnexpandedArray(reference)) reference = '';
  return rowOf(get, recipients, statuses, unexpanded, firstOf(reference));
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
  const byField = new Map<string, string>();
  for (const [name, value] of props) {
    const f = fieldOf(name);
    if (f !== null) byField.set(f, value);
  }
  const get: Get = (field) => (byField.get(field) ?? '').trim();
  const recipients = collectionItems(get('recipient-address'), false);
  const statuses = collectionItems(get('recipient-status'), true);
  const references = collectionItems(get('reference'), false);
  return rowOf(get, recipients, statuses, false, references[0] ?? '');
}

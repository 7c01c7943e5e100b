/**
 * Column layouts of Exchange's CSV logs, and the names PowerShell gives the same fields.
 *
 * Followed: Microsoft Learn "Message tracking in Exchange Server" (fields table, 2016/2019/SE),
 * TechNet cc539064 "Description of Message Tracking Log Fields" (2007), Microsoft Learn
 * "Protocol logging" (fields of SMTP Receive/Send protocol logs), and the facts gathered in
 * ../shared/corpus/exchange/FORMAT-NOTES.md §2 and §5.
 *
 * The `#Fields:` header line is the truth whenever a file has one: the column order differs
 * between versions, so it is never hard-coded for such files. Only headerless rows (excerpts,
 * a file cut after its header) fall back on the documented per-version lists below, chosen by
 * the row's column count.
 */

/** Exchange 2007: the 21-field base list (TechNet cc539064). */
const V2007 = [
  'date-time', 'client-ip', 'client-hostname', 'server-ip', 'server-hostname', 'source-context',
  'connector-id', 'source', 'event-id', 'internal-message-id', 'message-id', 'recipient-address',
  'recipient-status', 'total-bytes', 'recipient-count', 'related-recipient-address', 'reference',
  'message-subject', 'sender-address', 'return-path', 'message-info',
] as const;

const V2010_TAIL = ['directionality', 'tenant-id', 'original-client-ip', 'original-server-ip', 'custom-data'] as const;

/** Exchange 2010: 26 fields, the 2007 list plus five (header of elastic/beats bom8.log). */
const V2010 = [...V2007, ...V2010_TAIL];

/** Exchange 2013: 27 fields, network-message-id inserted after message-id. */
const V2013 = [...V2007.slice(0, 11), 'network-message-id', ...V2007.slice(11), ...V2010_TAIL];

/** Exchange 2016/2019/SE: 30 fields, the 2013 list plus three (Microsoft Learn fields table). */
const V2016 = [...V2013, 'transport-traffic-type', 'log-id', 'schema-version'];

/** SMTP Receive and Send protocol logs (Microsoft Learn "Protocol logging"), all versions. */
export const PROTOCOL_FIELDS = [
  'date-time', 'connector-id', 'session-id', 'sequence-number', 'local-endpoint', 'remote-endpoint',
  'event', 'data', 'context',
] as const;

/** What kind of record a layout describes. */
export type LayoutKind = 'tracking' | 'protocol';

export interface Layout {
  kind: LayoutKind;
  /** Column index of each canonical field name (the native log's names). */
  index: ReadonlyMap<string, number>;
  /** Number of columns the layout was declared with. */
  width: number;
}

function layoutOf(names: readonly string[]): Layout {
  const index = new Map<string, number>();
  names.forEach((n, i) => {
    if (!index.has(n)) index.set(n, i);
  });
  const kind: LayoutKind = index.has('event-id') ? 'tracking' : 'protocol';
  return { kind, index, width: names.length };
}

/**
 * Headerless rows: the layout by column count. 21/26/27/30 are the message tracking lists of
 * 2007/2010/2013/2016+ (FORMAT-NOTES.md §2), 9 is the protocol log. Any other count has no
 * documented layout and is not guessed at.
 */
const BY_COUNT: ReadonlyMap<number, Layout> = new Map([
  [V2007.length, layoutOf(V2007)],
  [V2010.length, layoutOf(V2010)],
  [V2013.length, layoutOf(V2013)],
  [V2016.length, layoutOf(V2016)],
  [PROTOCOL_FIELDS.length, layoutOf(PROTOCOL_FIELDS)],
]);

export function layoutByCount(count: number): Layout | null {
  return BY_COUNT.get(count) ?? null;
}

/**
 * `#Fields: date-time,client-ip,…` → the layout it declares, or null when it names neither a
 * message tracking log (`event-id`) nor a protocol log (`session-id` and `event`).
 */
export function layoutFromFieldsLine(line: string): Layout | null {
  const names = line
    .slice(line.indexOf(':') + 1)
    .split(',')
    .map((n) => n.trim().toLowerCase());
  const layout = layoutOf(names);
  if (layout.kind === 'protocol' && !(layout.index.has('session-id') && layout.index.has('event'))) return null;
  return layout;
}

/**
 * Get-MessageTrackingLog property names (Format-List labels and Export-Csv header cells) → the
 * native field they show. EventData is custom-data without the `S:` prefixes; MessageLatency,
 * MessageLatencyType and the PowerShell remoting properties (PSComputerName, RunspaceId,
 * PSShowComputerName) have no native column and are read but not used.
 */
const POWERSHELL_NAMES: Record<string, string> = {
  timestamp: 'date-time',
  clientip: 'client-ip',
  clienthostname: 'client-hostname',
  serverip: 'server-ip',
  serverhostname: 'server-hostname',
  sourcecontext: 'source-context',
  connectorid: 'connector-id',
  source: 'source',
  eventid: 'event-id',
  internalmessageid: 'internal-message-id',
  messageid: 'message-id',
  networkmessageid: 'network-message-id',
  recipients: 'recipient-address',
  recipientstatus: 'recipient-status',
  totalbytes: 'total-bytes',
  recipientcount: 'recipient-count',
  relatedrecipientaddress: 'related-recipient-address',
  reference: 'reference',
  messagesubject: 'message-subject',
  sender: 'sender-address',
  returnpath: 'return-path',
  directionality: 'directionality',
  tenantid: 'tenant-id',
  originalclientip: 'original-client-ip',
  originalserverip: 'original-server-ip',
  messageinfo: 'message-info',
  messagelatency: 'message-latency',
  messagelatencytype: 'message-latency-type',
  eventdata: 'custom-data',
  transporttraffictype: 'transport-traffic-type',
  schemaversion: 'schema-version',
  logid: 'log-id',
  pscomputername: 'ps-computer-name',
  runspaceid: 'runspace-id',
  psshowcomputername: 'ps-show-computer-name',
};

/** The native field a PowerShell property shows, or null for a name Get-MessageTrackingLog does not have. */
export function fieldOfProperty(name: string): string | null {
  return POWERSHELL_NAMES[name.toLowerCase()] ?? null;
}

/**
 * An Export-Csv header row (`"Timestamp","EventId",…` or, with PowerShell 7's `-UseQuotes
 * Never`, unquoted) → its layout; null unless it has an EventId column, the one property every
 * tracking record has.
 */
export function layoutFromExportHeader(cells: readonly string[]): Layout | null {
  const names = cells.map((c) => fieldOfProperty(c.trim()) ?? `?${c}`);
  if (!names.includes('event-id')) return null;
  return layoutOf(names);
}

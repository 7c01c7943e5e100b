/**
 * Native message tracking rows for tests: the documented 30-column layout of Exchange 2016+
 * (Microsoft Learn, "Message tracking"), written out here rather than read from the parser.
 */
export const TRACKING_FIELDS = [
  'date-time', 'client-ip', 'client-hostname', 'server-ip', 'server-hostname', 'source-context', 'connector-id', 'source',
  'event-id', 'internal-message-id', 'message-id', 'network-message-id', 'recipient-address', 'recipient-status', 'total-bytes',
  'recipient-count', 'related-recipient-address', 'reference', 'message-subject', 'sender-address', 'return-path', 'message-info',
  'directionality', 'tenant-id', 'original-client-ip', 'original-server-ip', 'custom-data', 'transport-traffic-type', 'log-id',
  'schema-version',
] as const;

/** A row of `fields`: the given cells as written (quotes and all), the others empty. */
export function trackingRow(cells: Record<string, string>, fields: readonly string[] = TRACKING_FIELDS): string {
  return fields.map((f) => cells[f] ?? '').join(',');
}

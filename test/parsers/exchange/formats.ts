/**
 * The documented layouts that built test lines follow, where the real corpus has no example
 * (../shared/corpus/exchange/SOURCES.md "Gaps": no native FAIL/DEFER/DSN rows, no protocol
 * log, no Export-Csv file). Each constant names the Microsoft document it copies.
 */

/**
 * Message tracking header block of Exchange 2016/2019/SE, field list as in Microsoft Learn
 * "Message tracking" (fields table) and byte for byte as in the real 2016 header of
 * Qazeer_artefacts.help_MSGTRKMS2022091915-1.LOG.
 */
export const TRACKING_HEADER_2019 = [
  '#Software: Microsoft Exchange Server',
  '#Version: 15.02.1544.004',
  '#Log-type: Message Tracking Log',
  '#Date: 2026-11-22T00:00:01.512Z',
  '#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data,transport-traffic-type,log-id,schema-version',
];

export const FIELDS_2019 = TRACKING_HEADER_2019[4]!.slice('#Fields: '.length).split(',');

/**
 * SMTP Receive protocol log header: Microsoft Learn "Protocol logging" (Exchange Server),
 * section "Structure of the protocol log files" and its fields table.
 */
export const RECEIVE_HEADER = [
  '#Software: Microsoft Exchange Server',
  '#Version: 15.02.1544.004',
  '#Log-type: SMTP Receive Protocol Log',
  '#Date: 2026-11-22T00:00:03.117Z',
  '#Fields: date-time,connector-id,session-id,sequence-number,local-endpoint,remote-endpoint,event,data,context',
];

/**
 * Get-MessageTrackingLog | Export-Csv (Windows PowerShell 5.1): the `#TYPE` line and the
 * 33-column header recorded in microsoft/CSS-Exchange Measure-EmailDelayInMTL.ps1 (commit
 * cbb5886f, FORMAT-NOTES.md §5); every cell quoted, as Export-Csv writes it.
 */
export const EXPORT_TYPE_LINE = '#TYPE Deserialized.Microsoft.Exchange.Management.TransportLogSearchTasks.MessageTrackingEvent';
export const EXPORT_COLUMNS = [
  'PSComputerName', 'RunspaceId', 'PSShowComputerName', 'Timestamp', 'ClientIp', 'ClientHostname', 'ServerIp',
  'ServerHostname', 'SourceContext', 'ConnectorId', 'Source', 'EventId', 'InternalMessageId', 'MessageId',
  'NetworkMessageId', 'Recipients', 'RecipientStatus', 'TotalBytes', 'RecipientCount', 'RelatedRecipientAddress',
  'Reference', 'MessageSubject', 'Sender', 'ReturnPath', 'Directionality', 'TenantId', 'OriginalClientIp',
  'MessageInfo', 'MessageLatency', 'MessageLatencyType', 'EventData', 'TransportTrafficType', 'SchemaVersion',
];

/** RFC 4180 cell: quoted when it holds a comma, quote or line break, inner quotes doubled. */
export function csvCell(value: string, always = false): string {
  return always || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One row of `fields` from a field → value record; fields the record lacks are empty. */
export function csvRow(fields: readonly string[], values: Record<string, string>, quoteAll = false): string {
  return fields.map((f) => csvCell(values[f] ?? '', quoteAll)).join(',');
}

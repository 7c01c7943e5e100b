/**
 * The JSON report: exactly the keys of src/report/schema.ts, in that order, 2-space indent,
 * trailing newline. Values are the raw log data (JSON.stringify escapes C0 controls); DEL, the
 * C1 controls and the bidi overrides, which JSON.stringify leaves raw, are written as `\uXXXX`
 * escapes too, so `cat report.json` cannot drive a terminal. Parsing gives back the same data.
 */
import type { FileStats, Finding, Report, Summary } from '../aggregate/types.js';

/** Characters JSON.stringify leaves raw but a terminal may act on; only ever inside strings. */
const RAW_CONTROL_RE = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const escapeChar = (ch: string): string => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');

function pickFile(f: FileStats): FileStats {
  const out: FileStats = { path: f.path, format: f.format, lines: f.lines, unrecognised: f.unrecognised };
  if (f.error !== undefined) out.error = f.error;
  return out;
}

function pickSummary(s: Summary): Summary {
  return {
    linesRead: s.linesRead,
    linesRecognised: s.linesRecognised,
    linesIgnored: s.linesIgnored,
    ignoredByReason: s.ignoredByReason,
    linesUnrecognised: s.linesUnrecognised,
    invalidUtf8Lines: s.invalidUtf8Lines,
    oversizedLines: s.oversizedLines,
    ...(s.nulBytes ? { nulBytes: s.nulBytes } : {}),
    ...(s.followLostBytes ? { followLostBytes: s.followLostBytes } : {}),
    eventsByKind: { reject: s.eventsByKind.reject, delivery: s.eventsByKind.delivery, notification: s.eventsByKind.notification },
    eventsByStatus: {
      sent: s.eventsByStatus.sent,
      bounced: s.eventsByStatus.bounced,
      deferred: s.eventsByStatus.deferred,
      expired: s.eventsByStatus.expired,
    },
    files: s.files.map(pickFile),
    firstSeen: s.firstSeen,
    lastSeen: s.lastSeen,
    overflow: s.overflow,
  };
}

function pickFinding(f: Finding): Finding {
  return {
    rank: f.rank,
    direction: f.direction,
    recipientDomain: f.recipientDomain,
    cause: f.cause,
    hint: f.hint,
    advice: f.advice,
    verify: f.verify,
    smtpCodes: f.smtpCodes,
    enhancedStatus: f.enhancedStatus,
    count: f.count,
    distinctRecipients: f.distinctRecipients,
    distinctSenders: f.distinctSenders,
    distinctClients: f.distinctClients,
    firstSeen: f.firstSeen,
    lastSeen: f.lastSeen,
    topRecipients: f.topRecipients.map((r) => ({ address: r.address, count: r.count })),
    examples: f.examples,
  };
}

/** The report as JSON text. Extra in-memory fields (a Snapshot's `details`) are left out. */
export function renderJson(report: Report): string {
  const doc: Report = { summary: pickSummary(report.summary), findings: report.findings.map(pickFinding) };
  return JSON.stringify(doc, null, 2).replace(RAW_CONTROL_RE, escapeChar) + '\n';
}

/**
 * The JSON report: exactly the keys of src/report/schema.ts, in that order, 2-space indent,
 * trailing newline. Every string that came from a log or the command line (domains, addresses,
 * verify commands, example lines, file names and errors) goes through `sanitize`, as in the text
 * and CSV reports: terminal control sequences, control characters, bidi and zero-width
 * characters are removed (TAB, CR, LF become spaces), so a consumer that prints a value, or
 * `jq -r`, cannot be driven by it. What is left that JSON.stringify would write raw and a
 * terminal might act on is written as a `\uXXXX` escape as a second line of defence.
 */
import type { FileStats, Finding, Report, Summary } from '../aggregate/types.js';
import { sanitize } from '../text/sanitize.js';

/** Characters JSON.stringify leaves raw but a terminal may act on; only ever inside strings. */
const RAW_CONTROL_RE = /[\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

const escapeChar = (ch: string): string => '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');

function pickFile(f: FileStats): FileStats {
  const out: FileStats = { path: sanitize(f.path), format: sanitize(f.format), lines: f.lines, unrecognised: f.unrecognised };
  if (f.error !== undefined) out.error = sanitize(f.error);
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
    // Only the caps that were hit: parsers report each of theirs, at 0 when it never filled.
    overflow: Object.fromEntries(Object.entries(s.overflow).filter(([, v]) => v > 0)),
  };
}

function pickFinding(f: Finding): Finding {
  return {
    rank: f.rank,
    mta: f.mta,
    direction: f.direction,
    recipientDomain: f.recipientDomain === null ? null : sanitize(f.recipientDomain),
    cause: f.cause,
    hint: sanitize(f.hint),
    permanent: f.permanent,
    rule: f.rule,
    rules: f.rules.map((r) => ({ rule: r.rule, count: r.count })),
    advice: f.advice,
    verify: sanitize(f.verify),
    smtpCodes: f.smtpCodes,
    enhancedStatus: f.enhancedStatus,
    messages: f.messages,
    count: f.count,
    distinctRecipients: f.distinctRecipients,
    distinctSenders: f.distinctSenders,
    distinctClients: f.distinctClients,
    firstSeen: f.firstSeen,
    lastSeen: f.lastSeen,
    onset: f.onset,
    onsetNote: f.onsetNote,
    after: f.after === null ? null : sanitize(f.after),
    hosts: f.hosts.map((h) => ({ host: sanitize(h.host), count: h.count })),
    topRecipients: f.topRecipients.map((r) => ({ address: sanitize(r.address), count: r.count })),
    examples: f.examples.map(sanitize),
  };
}

/** The report as JSON text. Extra in-memory fields (a Snapshot's `details`) are left out. */
export function renderJson(report: Report): string {
  const doc: Report = {
    summary: pickSummary(report.summary),
    findings: report.findings.map(pickFinding),
    markers: report.markers.map((m) => ({
      time: m.time,
      host: m.host === null ? null : sanitize(m.host),
      mta: m.mta,
      marker: m.marker,
      version: m.version === null ? null : sanitize(m.version),
    })),
  };
  return JSON.stringify(doc, null, 2).replace(RAW_CONTROL_RE, escapeChar) + '\n';
}

/**
 * The JSON report: exactly the keys of src/report/schema.ts, in that order, 2-space indent,
 * trailing newline. Every string that came from a log or the command line (domains, addresses,
 * verify commands, example lines, file names and errors) goes through `sanitize`, as in the text
 * and CSV reports: terminal control sequences, control characters, bidi and zero-width
 * characters are removed (TAB, CR, LF become spaces), so a consumer that prints a value, or
 * `jq -r`, cannot be driven by it. What is left that JSON.stringify would write raw and a
 * terminal might act on is written as a `\uXXXX` escape as a second line of defence.
 */
import type {
  BackscatterFinding,
  Comparison,
  ComparedFinding,
  FileStats,
  Finding,
  HarvestFinding,
  Report,
  Summary,
  TrafficReport,
} from '../aggregate/types.js';
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
    ...(s.followRotations?.length
      ? { followRotations: s.followRotations.map((r) => ({ path: sanitize(r.path), to: r.to === null ? null : sanitize(r.to), reason: r.reason, at: r.at })) }
      : {}),
    eventsByKind: { reject: s.eventsByKind.reject, delivery: s.eventsByKind.delivery, notification: s.eventsByKind.notification },
    eventsByStatus: {
      sent: s.eventsByStatus.sent,
      bounced: s.eventsByStatus.bounced,
      deferred: s.eventsByStatus.deferred,
      expired: s.eventsByStatus.expired,
    },
    files: s.files.map(pickFile),
    ...(s.window ? { window: { ...s.window } } : {}),
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
    action: f.action,
    actionReason: sanitize(f.actionReason),
    suggestion: f.suggestion === null ? null : sanitize(f.suggestion),
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
    exampleIds: (f.exampleIds ?? []).map((id) => (id === null ? null : sanitize(id))),
  };
}

function pickCompared(e: ComparedFinding): ComparedFinding {
  const s = (v: string | null): string | null => (v === null ? null : sanitize(v));
  return {
    rank: e.rank,
    mta: sanitize(e.mta),
    direction: sanitize(e.direction),
    recipientDomain: s(e.recipientDomain),
    cause: sanitize(e.cause),
    hint: sanitize(e.hint),
    host: s(e.host),
    lostAtLeastBefore: e.lostAtLeastBefore,
    lostAtLeastAfter: e.lostAtLeastAfter,
  };
}

function pickComparison(c: Comparison): Comparison {
  return {
    against: sanitize(c.against),
    previousFirstSeen: c.previousFirstSeen === null ? null : sanitize(c.previousFirstSeen),
    previousLastSeen: c.previousLastSeen === null ? null : sanitize(c.previousLastSeen),
    new: c.new.map(pickCompared),
    grew: c.grew.map(pickCompared),
    gone: c.gone.map(pickCompared),
  };
}

function pickHarvest(h: HarvestFinding): HarvestFinding {
  return {
    mta: h.mta,
    client: sanitize(h.client),
    clients: h.clients.map(sanitize),
    network: sanitize(h.network),
    firstSeen: h.firstSeen,
    lastSeen: h.lastSeen,
    attempts: h.attempts,
    distinctAddresses: h.distinctAddresses,
    peakAddresses: h.peakAddresses,
    peakSeconds: h.peakSeconds,
    sampleAddresses: h.sampleAddresses.map(sanitize),
    setting: h.setting,
    advice: h.advice,
    failregex: h.failregex,
    ban: h.ban === null ? null : sanitize(h.ban),
  };
}

function pickBackscatter(b: BackscatterFinding): BackscatterFinding {
  return {
    kind: b.kind,
    mta: b.mta,
    count: b.count,
    distinctSenders: b.distinctSenders,
    firstSeen: b.firstSeen,
    lastSeen: b.lastSeen,
    setting: b.setting,
    advice: b.advice,
    examples: b.examples.map(sanitize),
  };
}

function pickTraffic(t: TrafficReport): TrafficReport {
  return {
    received: t.received,
    delivered: t.delivered,
    deferred: { messages: t.deferred.messages, attempts: t.deferred.attempts },
    bounced: t.bounced,
    expired: t.expired,
    rejected: { messages: t.rejected.messages, attempts: t.rejected.attempts },
    approximate: t.approximate,
    hourly: t.hourly.map((h) => ({ hour: h.hour, received: h.received, delivered: h.delivered, deferred: h.deferred, bounced: h.bounced, rejected: h.rejected })),
    delays: t.delays,
    domains: t.domains.map((d) => ({
      domain: sanitize(d.domain),
      delivered: d.delivered,
      deferred: d.deferred,
      bounced: d.bounced,
      delayAverage: d.delayAverage,
      delayMax: d.delayMax,
    })),
    domainsTotal: t.domainsTotal,
    topSenders: t.topSenders.map((r) => ({ address: sanitize(r.address), count: r.count })),
    topRecipients: t.topRecipients.map((r) => ({ address: sanitize(r.address), count: r.count })),
    authFailures: {
      total: t.authFailures.total,
      clientsTotal: t.authFailures.clientsTotal,
      clients: t.authFailures.clients.map((c) => ({
        client: sanitize(c.client),
        count: c.count,
        firstSeen: c.firstSeen,
        lastSeen: c.lastSeen,
        usernames: c.usernames.map(sanitize),
      })),
    },
  };
}

/** The report as JSON text. Extra in-memory fields (a Snapshot's `details`) are left out. */
export function renderJson(report: Report): string {
  const doc: Report = {
    // With --compare the comparison comes first: it is what a second run is read for.
    ...(report.comparison ? { comparison: pickComparison(report.comparison) } : {}),
    summary: pickSummary(report.summary),
    findings: report.findings.map(pickFinding),
    harvest: (report.harvest ?? []).map(pickHarvest),
    backscatter: (report.backscatter ?? []).map(pickBackscatter),
    traffic: pickTraffic(report.traffic),
    markers: report.markers.map((m) => ({
      time: m.time,
      host: m.host === null ? null : sanitize(m.host),
      mta: m.mta,
      marker: m.marker,
      version: m.version === null ? null : sanitize(m.version),
    })),
    ...(report.configChecks ? { configChecks: report.configChecks.map((c) => ({ rank: c.rank, checks: c.checks.map(sanitize) })) } : {}),
  };
  return JSON.stringify(doc, null, 2).replace(RAW_CONTROL_RE, escapeChar) + '\n';
}

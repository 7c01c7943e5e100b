/**
 * The traffic overview and the diagnosis' evidence through a state file: exportState → JSON →
 * fromState gives the same report, and the copy goes on counting as the original would.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { Aggregator, emptyRunStats } from '../../src/aggregate/aggregator.js';
import { Diagnosis, type JudgeInput } from '../../src/aggregate/diagnosis.js';
import { HARVEST_THRESHOLD } from '../../src/aggregate/harvest.js';
import { Traffic } from '../../src/aggregate/traffic.js';
import type { Snapshot } from '../../src/aggregate/types.js';
import type { Classification } from '../../src/classify/types.js';
import type { MailEvent } from '../../src/event.js';
import { decodeState, encodeState } from '../../src/state/state-file.js';
import { authFailure, cls, delivery, received, reject } from '../aggregate/fixtures.js';

const viaJson = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
const outbound = (f: Partial<Classification> = {}) => cls({ direction: 'outbound', hint: 'remote', ...f });
const at = (i: number) => `2024-05-01T${String(10 + (i % 3)).padStart(2, '0')}:00:${String(i % 60).padStart(2, '0')}Z`;

function trafficEvents(from: number, n: number): MailEvent[] {
  const out: MailEvent[] = [];
  for (let i = from; i < from + n; i++) {
    out.push(received({ queueId: `Q${i}`, time: at(i), from: i % 4 === 0 ? '' : `s${i % 7}@sender.test` }));
    out.push(delivery({ status: 'sent', queueId: `Q${i}`, time: at(i), to: `r${i % 5}@d${i % 3}.example`, delay: i % 2 ? 1.25 : null }));
    if (i % 3 === 0) out.push(delivery({ status: 'deferred', queueId: `Q${i}`, time: at(i), to: `late@slow.example` }));
    if (i % 5 === 0) out.push(delivery({ status: i % 10 ? 'bounced' : 'expired', time: at(i), to: `gone${i}@d1.example` }));
    out.push(reject({ to: `x${i}@example.com`, time: at(i) }));
    if (i % 2) out.push(authFailure({ time: at(i), client: { name: null, ip: `198.51.100.${i % 8}`, port: null }, username: `user${i % 3}` }));
  }
  return out;
}

/** Evidence of every kind: worked addresses, a harvest, both kinds of backscatter, own senders. */
function diagnosisEvents(from: number): Array<[MailEvent, Classification | null, string]> {
  const out: Array<[MailEvent, Classification | null, string]> = [];
  for (let i = from; i < from + 5; i++) out.push([delivery({ status: 'sent', to: `bob${i}@example.com` }), null, '']);
  for (let i = from; i < from + 3; i++) out.push([reject({ to: `bob${i}@example.com` }), cls(), 'uu']);
  for (let i = from; i < from + HARVEST_THRESHOLD + 3; i++) {
    const time = `2024-05-01T1${from / 100}:00:${String(i - from).padStart(2, '0')}Z`;
    out.push([reject({ to: `guess${i}@example.com`, time, client: { name: null, ip: `203.0.113.${i % 2}`, port: null } }), cls(), 'uu']);
  }
  out.push([delivery({ to: 'x@remote.test', from: `me${from}@partner.example` }), outbound(), 'out']);
  out.push([delivery({ to: `forged${from}@victim.example`, from: '', status: 'deferred', smtpCode: 450 }), outbound({ cause: 'connection-failed', permanent: false }), 'ns']);
  out.push([
    delivery({ to: `bob${from}@example.com`, from: `spam${from}@forged.test`, client: { name: null, ip: '192.0.2.7', port: null } }),
    cls({ direction: 'local' }),
    'atb',
  ]);
  return out;
}

function feed(d: Diagnosis, events: Array<[MailEvent, Classification | null, string]>): void {
  for (const [ev, c, key] of events) {
    if (c === null) d.sent(ev.kind === 'delivery' ? ev.to : null);
    else d.problem(ev, c, key);
  }
}

const JUDGE: JudgeInput[] = ['uu', 'later', 'out', 'ns', 'atb', 'none'].map((key) => ({
  key,
  mta: 'postfix',
  direction: key === 'uu' || key === 'later' ? 'inbound' : 'outbound',
  cause: key === 'uu' || key === 'later' ? 'user-unknown' : 'mailbox-full',
  hint: 'h',
  recipientDomain: key === 'out' ? 'exampel.com' : 'example.com',
  distinctClients: 1,
  distinctRecipients: 3,
  bounced: true,
  topSenders: [{ address: 'me@partner.example' }],
}));

const diagnosisReport = (d: Diagnosis) => ({
  harvest: d.harvestFindings(),
  backscatter: d.backscatterFindings(),
  overflow: d.overflowed(),
  verdicts: JUDGE.map((j) => d.judge(j)),
});

describe('state round trip', () => {
  test('a Traffic: the same report, and the same after more events', () => {
    const t = new Traffic();
    for (const ev of trafficEvents(0, 40)) t.add(ev);
    const copy = Traffic.fromState(viaJson(t.exportState()));
    expect(copy.report()).toEqual(t.report());
    expect(copy.overflowed()).toEqual(t.overflowed());
    expect(copy.report().hourly.length).toBeGreaterThan(1);
    expect(copy.report().authFailures.clients.length).toBe(4);
    for (const ev of trafficEvents(40, 20)) {
      t.add(ev);
      copy.add(ev);
    }
    expect(copy.report()).toEqual(t.report());
  });

  test('a Diagnosis: the same harvests, backscatter, overflow and verdicts, and the same after more events', () => {
    const d = new Diagnosis();
    feed(d, diagnosisEvents(0));
    const before = diagnosisReport(d);
    expect(before.harvest).toHaveLength(1);
    expect(before.backscatter.map((b) => b.kind).sort()).toEqual(['accept-then-bounce', 'null-sender']);
    expect(before.verdicts[0]!.action).toBe('actionable');
    const copy = Diagnosis.fromState(viaJson(d.exportState()));
    expect(diagnosisReport(copy)).toEqual(before);
    // Refusals of addresses that worked before the save: judged by what the copy remembers.
    const more = [...diagnosisEvents(100), ...[0, 1, 2].map((i): [MailEvent, Classification, string] => [reject({ to: `bob${i}@example.com` }), cls(), 'later'])];
    feed(d, more);
    feed(copy, more);
    const after = diagnosisReport(copy);
    expect(after).toEqual(diagnosisReport(d));
    expect(after.verdicts[1]!.actionReason).toMatch(/^3 addresses that received mail earlier/);
  });

  test('an aggregator through a state file: the same snapshot, traffic and diagnosis included', () => {
    const a = new Aggregator();
    for (const ev of trafficEvents(0, 30)) a.add(ev, ev.kind === 'reject' ? cls() : null);
    for (const [ev, c] of diagnosisEvents(0)) a.add(ev, c);
    const loaded = decodeState('s', encodeState(a, emptyRunStats(), 't')).aggregator;
    const want = a.snapshot(emptyRunStats());
    expect(want.traffic.received).toBe(30);
    expect(want.harvest).toHaveLength(1);
    // Search text lists a top list's keys in slot order, which a reloaded TopK renumbers: a set of words.
    const words = (x: Snapshot) => ({ ...x, details: x.details.map((d) => ({ ...d, search: d.search.split('\n').sort() })) });
    expect(words(loaded.snapshot(emptyRunStats()))).toEqual(words(want));
  });

  test('a version 1 file (no traffic, no diagnosis) still reads, with both empty', () => {
    const a = new Aggregator();
    a.add(reject(), cls());
    const doc = { format: 'maillog-doctor-state', version: 1, writtenBy: 't', run: emptyRunStats(), aggregator: a.exportState() };
    delete doc.aggregator.traffic;
    delete doc.aggregator.diagnosis;
    for (const f of doc.aggregator.findings) {
      delete f.evidence;
      delete f.queueIds;
    }
    const s = decodeState('old', gzipSync(JSON.stringify(doc))).aggregator.snapshot(emptyRunStats());
    expect(s.findings.map((f) => f.count)).toEqual([1]);
    expect(s.traffic.rejected.attempts).toBe(0);
  });
});

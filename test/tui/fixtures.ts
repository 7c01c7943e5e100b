/** Snapshots and live states for the TUI tests: hand-made findings, and the real sample log. */
import { fileURLToPath } from 'node:url';
import type { Finding, FindingDetails, Snapshot } from '../../src/aggregate/types.js';
import { analyse } from '../../src/pipeline.js';
import { emptySnapshot } from '../../src/aggregate/aggregator.js';
import { LiveStore, type LiveState } from '../../src/tui/live.js';
import type { LiveSource } from '../../src/tui/use-live-state.js';

export const SAMPLE = fileURLToPath(new URL('../../samples/postfix/mail.log', import.meta.url));

let seq = 0;

/** A finding and its details; everything not given is plausible and small. */
export function finding(f: Partial<Finding> = {}, d: Partial<FindingDetails> = {}): [Finding, FindingDetails] {
  seq++;
  const full: Finding = {
    rank: seq,
    mta: 'postfix',
    direction: 'inbound',
    recipientDomain: 'example.com',
    cause: 'user-unknown',
    hint: 'virtual_alias_maps',
    permanent: true,
    // Informational by default: its act cell is blank, so rows read as they did before the marker.
    action: 'informational',
    actionReason: 'addresses that never received mail here: a stranger’s typo or an old address',
    suggestion: null,
    rule: 'postfix.virtual-alias-unknown',
    rules: [{ rule: 'postfix.virtual-alias-unknown', count: 10 }],
    advice: 'Add the alias.',
    verify: 'postconf -hx virtual_alias_maps',
    smtpCodes: [550],
    enhancedStatus: ['5.1.1'],
    messages: 4,
    count: 10,
    distinctRecipients: 3,
    distinctSenders: 2,
    distinctClients: 2,
    firstSeen: '2026-11-22T01:00:00.000Z',
    lastSeen: '2026-11-22T05:00:00.000Z',
    hosts: [{ host: 'mx1', count: 10 }],
    topRecipients: [{ address: 'a@example.com', count: 5 }],
    examples: ['Nov 22 01:00:00 mx1 postfix/smtpd[1]: NOQUEUE: reject: RCPT from x[192.0.2.1]: 550 5.1.1 <a@example.com>: User unknown'],
    exampleIds: [null],
    ...f,
  };
  const details: FindingDetails = {
    key: `key-${seq}`,
    catchAll: false,
    host: null,
    permanentCount: full.count,
    temporaryCount: 0,
    eventsByStatus: { reject: full.count, sent: 0, bounced: 0, deferred: 0, expired: 0 },
    topRecipients: full.topRecipients,
    topSenders: [{ address: 'spam@sender.test', count: 4 }],
    topClients: [{ address: '192.0.2.1', count: 6 }],
    evidence: new Float64Array(0),
    evidenceIds: '',
    evidenceLines: 0,
    search: 'a@example.com\nspam@sender.test\n192.0.2.1\n550\n5.1.1',
    approximate: { messages: false, recipients: false, senders: false, clients: false, topLists: false },
    ...d,
  };
  return [full, details];
}

/** A snapshot of the given findings, ranked in the order given. */
export function snapshotOf(pairs: Array<[Finding, FindingDetails]>): Snapshot {
  const s = emptySnapshot();
  s.findings = pairs.map(([f], i) => ({ ...f, rank: i + 1 }));
  s.details = pairs.map(([, d]) => d);
  s.summary.linesRead = 1000;
  s.summary.linesRecognised = 900;
  s.summary.eventsByKind.reject = pairs.reduce((n, [f]) => n + f.count, 0);
  s.summary.firstSeen = '2026-11-22T00:00:00.000Z';
  s.summary.lastSeen = '2026-11-22T23:59:00.000Z';
  return s;
}

/** A LiveState around a snapshot (as LiveStore would publish it once reading is done). */
export function stateOf(snapshot: Snapshot, over: Partial<LiveState> = {}): LiveState {
  const live = new LiveStore({ clock: () => 0 });
  live.setSource(() => snapshot);
  live.done();
  return { ...live.state, ...over };
}

/** A source that never changes, for App tests. */
export const fixedSource = (state: LiveState): LiveSource => ({ state, subscribe: () => () => undefined });

/** The sample log read through the real pipeline into a LiveStore (trends included), reading done. */
export async function sampleStore(): Promise<LiveStore> {
  const live = new LiveStore({ clock: () => 0 });
  const r = await analyse([SAMPLE], {
    now: new Date('2026-11-23T12:00:00Z'),
    onProblem: (ev, _c, finding) => live.problem(ev.time, finding),
  });
  live.setSource(() => r.aggregator.snapshot(r.stats));
  live.done();
  return live;
}

/**
 * The places of a finding's lines (for the evidence view), its queue ids and its search text:
 * each bounded per finding and per run, what is not kept counted.
 */
import { describe, expect, test } from 'vitest';
import { EVIDENCE_PER_FINDING, EvidenceBudget, Accumulator } from '../../src/aggregate/accumulator.js';
import { Aggregator, emptyRunStats } from '../../src/aggregate/aggregator.js';
import { cls, reject } from './fixtures.js';

const ID = { mta: 'postfix', host: null, direction: 'inbound', recipientDomain: 'example.com', cause: 'user-unknown', hint: 'h' } as const;

describe('evidence places', () => {
  test('the first EVIDENCE_PER_FINDING lines are kept, all are counted, the rest is overflow', () => {
    const a = new Aggregator();
    a.beginFile('mail.log', 0);
    const n = EVIDENCE_PER_FINDING + 310;
    for (let i = 1; i <= n; i++) a.add(reject({ origin: { file: 'mail.log', line: i, offset: i * 100 }, queueId: `Q${i}` }), cls());
    const snap = a.snapshot(emptyRunStats());
    const d = snap.details[0]!;
    expect(d.evidenceLines).toBe(n);
    expect(d.evidence.length).toBe(3 * EVIDENCE_PER_FINDING);
    expect([...d.evidence.slice(0, 6)]).toEqual([0, 1, 100, 0, 2, 200]);
    expect(d.evidenceIds.split('\n').slice(0, 2)).toEqual(['Q1', 'Q2']);
    expect(snap.summary.overflow.evidence).toBe(310);
  });

  test('events of one line count as one line of evidence', () => {
    const a = new Aggregator();
    a.beginFile('mail.log', 0);
    for (const to of ['a@example.com', 'b@example.com']) a.add(reject({ to, origin: { file: 'mail.log', line: 7, offset: 70 } }), cls());
    const d = a.snapshot(emptyRunStats()).details[0]!;
    expect([d.evidenceLines, [...d.evidence]]).toEqual([1, [0, 7, 70]]);
  });

  test('the run’s total is shared by all findings', () => {
    const budget = new EvidenceBudget(5, 3);
    const x = new Accumulator(ID, 'x', budget);
    const y = new Accumulator({ ...ID, hint: 'other' }, 'y', budget);
    for (let i = 1; i <= 4; i++) x.add(reject({ origin: { file: 'f', line: i }, queueId: `X${i}` }), cls(), 0);
    for (let i = 1; i <= 4; i++) y.add(reject({ origin: { file: 'f', line: 10 + i }, queueId: `Y${i}` }), cls(), 0);
    expect([x.evidenceRefs().length / 3, y.evidenceRefs().length / 3]).toEqual([4, 1]);
    expect([x.evidenceLines, y.evidenceLines]).toEqual([4, 4]);
    expect(budget.refsDropped).toBe(3);
    // An unknown offset is kept as -1 (the view finds the line by its number).
    expect(x.evidenceRefs()[2]).toBe(-1);
    expect(budget.queueIdsDropped).toBe(5);
  });

  test('merge appends the other’s places after its own', () => {
    const x = new Accumulator(ID, 'x');
    const y = new Accumulator(ID, 'y');
    x.add(reject({ origin: { file: 'f', line: 1, offset: 0 } }), cls(), 0);
    y.add(reject({ origin: { file: 'g', line: 1, offset: 0 } }), cls(), 1);
    x.merge(y);
    expect([...x.evidenceRefs()]).toEqual([0, 1, 0, 1, 1, 0]);
    expect(x.evidenceLines).toBe(2);
  });
});

describe('search text', () => {
  test('holds queue ids, client IPs, senders, full recipients and codes, in lower case', () => {
    const a = new Aggregator();
    a.add(reject({ queueId: '4XyZ1Q2', to: 'Bob@Example.com', from: 'alice@sender.test' }), cls());
    const s = a.snapshot(emptyRunStats()).details[0]!.search.split('\n');
    expect(s).toEqual(expect.arrayContaining(['4xyz1q2', 'bob@example.com', 'alice@sender.test', '192.0.2.10', '550', '5.1.1']));
  });
});

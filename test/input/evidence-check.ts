/**
 * Every finding's evidence of the samples, read back from the files: shared by the test on this
 * thread (test/input/evidence.test.ts) and the one through the compiled reader thread
 * (test/input/evidence-thread.test.ts, not a unit test).
 */
import { expect } from 'vitest';
import { readEvidence } from '../../src/input/evidence.js';
import { analyse } from '../../src/pipeline.js';

const NOW = new Date('2026-11-23T00:00:00Z');
const SAMPLES = ['samples/postfix/mail.log.2.gz', 'samples/postfix/mail.log.1', 'samples/postfix/mail.log', 'samples/exim/mainlog'];

export async function checkEvidence(threads: number, pipeline: { analyse: typeof analyse } = { analyse }): Promise<void> {
  const r = await pipeline.analyse(SAMPLES, { now: NOW, threads });
  const snap = r.aggregator.snapshot(r.stats);
  const files = snap.summary.files.map((f) => f.path);
  expect(snap.findings.length).toBeGreaterThan(10);
  for (const [i, f] of snap.findings.entries()) {
    const d = snap.details[i]!;
    const n = d.evidence.length / 3;
    expect(n).toBe(d.evidenceLines);
    expect(d.evidenceIds.split('\n')).toHaveLength(n);
    // Every place is known: each line was read lately when its event came.
    for (let k = 0; k < n; k++) expect(d.evidence[3 * k + 2]).toBeGreaterThanOrEqual(0);
    const back = await readEvidence(files, d.evidence);
    expect(back.unreadable).toEqual([]);
    // The first example is the first event's line: the first line read back.
    expect(back.lines[0]!.text).toBe(f.examples[0]);
    // Each line read back is one of the finding's: it holds its queue id, when it has one.
    const ids = d.evidenceIds.split('\n');
    back.lines.forEach((l, k) => {
      if (ids[k] !== '') expect(l.text).toContain(ids[k]);
    });
  }
}

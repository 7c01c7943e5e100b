/**
 * Tables that outlive a line keep copies, not slices of it: 64 chunks of 1 MB, each with a value
 * cut out of it and kept, then a forced GC. A slice, or a key joined from slices, would keep the
 * chunk alive (on the 205 MB Exchange bench input the bounce candidates' keys kept 28 MB). And
 * the fields of a batch's state updates, which the parsers keep as they are, are strings of
 * their own, not slices of the batch's decoded windows. And the aggregator, which lives on
 * through the report, does not keep the run's parsers alive.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { BounceCandidates } from '../../src/aggregate/backscatter.js';
import { BatchReader, BatchWriter, Entry } from '../../src/pipeline/batch.js';
import { LocalDomains } from '../../src/classify/local-domains.js';
import { Analysis } from '../../src/pipeline/analysis.js';
import { classify } from '../../src/classify/classify.js';
import { rejectEvent } from '../../src/event-builders.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const CHUNKS = 64;
const MB = 1 << 20;

/** Heap in use after handing `keep` a value cut from each of CHUNKS strings of 1 MB. */
function heapAfterKeeping(keep: (cut: (at: string) => string, i: number) => void): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < CHUNKS; i++) {
    const chunk = `${i}:`.padEnd(MB, 'x') + ` <bounce.${i}@sub${i}.example.org> tail`;
    // Any text after `at` up to the next `>`: a slice of the chunk (13 characters or more).
    const cut = (at: string): string => chunk.slice(chunk.indexOf(at), chunk.indexOf('>'));
    keep(cut, i);
  }
  gc();
  return process.memoryUsage().heapUsed - before;
}

describe('tables keep no slices of the line', () => {
  it('the control: kept slices keep their chunks alive', () => {
    const kept: string[] = [];
    expect(heapAfterKeeping((cut) => kept.push(cut('bounce')))).toBeGreaterThan(CHUNKS * MB * 0.75);
    expect(kept).toHaveLength(CHUNKS);
  });

  it('bounce candidates: their keys and fields', () => {
    const candidates = new BounceCandidates();
    const bytes = heapAfterKeeping((cut, i) => {
      const address = cut('bounce');
      const rcptDomain = cut('sub');
      const kept = candidates.add(
        { kind: 'accept-then-bounce', mta: 'exchange', finding: `finding ${i}`, address, rcptDomain, local: false },
        '2026-11-22T10:50:27.690Z',
        cut(`${i}:`).slice(-40),
      );
      expect(kept).toBe(true);
    });
    expect(candidates.size).toBe(CHUNKS);
    expect(bytes).toBeLessThan(8 * MB);
  });

  it('learnt local domains', () => {
    const domains = new LocalDomains();
    const bytes = heapAfterKeeping((cut) => domains.learnSent('exim', cut('bounce'), null));
    expect(domains.has('sub7.example.org', 'exim')).toBe(true);
    expect(bytes).toBeLessThan(8 * MB);
  });

  it("the classifier's answer cache: texts and facts it keeps", () => {
    const bytes = heapAfterKeeping((cut, i) => {
      // A text of its own per event (each is stored), and a stage of 13 characters or more.
      const text = `${cut(`${i}:`).slice(-20)} <bounce.${i}@x>: Recipient address rejected: spam`;
      const ev = rejectEvent({
        mta: 'postfix', time: null, host: null, program: 'postfix/smtpd', queueId: null, raw: '',
        origin: { file: 'test.log', line: i + 1 }, via: 'smtpd', stage: cut(`${i}:`).slice(0, 14),
        smtpCode: 550, enhancedStatus: '5.7.1', text, client: null, from: null, to: cut('bounce'), helo: null, proto: null,
      });
      expect(classify(ev)).not.toBeNull();
    });
    expect(bytes).toBeLessThan(8 * MB);
  });

  it("a batch's state updates: key, field and second field", () => {
    const kept: string[] = [];
    gc();
    const before = process.memoryUsage().heapUsed;
    const update = Buffer.from('1xUu3s-000000000qH-00B4 <= carla.lopez92@example.org H=(MacBook-Pro.local) [80.88.174.194]:23123');
    const padding = Buffer.from(`2026-11-22 00:00:00 ${'x'.repeat(60_000)}`);
    const at = update.indexOf('carla');
    const end = update.indexOf(' H=');
    // One writer, as the reader thread has: it starts afresh after each take().
    const w = new BatchWriter();
    for (let i = 0; i < 256; i++) {
      w.line(false);
      w.update(1, w.time('2026-11-22 00:00:00'), { kind: 1, keyAt: 0, keyEnd: 23, fieldAt: at, fieldEnd: end, extraAt: end + 1, extraEnd: update.length }, update, 0);
      // What follows fills the 64 KiB window the fields would be cut from.
      w.line(false);
      w.parse(2, -1, null, null, null, 20, padding, 0, padding.length, true, 0);
      const r = new BatchReader(w.take(0)!.batch);
      expect(r.next() && r.kind === Entry.UPDATE).toBe(true);
      kept.push(r.key(), r.field(), r.extra()!);
    }
    gc();
    expect(kept.slice(0, 3)).toEqual(['1xUu3s-000000000qH-00B4', 'carla.lopez92@example.org', 'H=(MacBook-Pro.local) [80.88.174.194]:23123']);
    // Slices of the windows would keep 256 × 64 KiB = 16 MiB.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(4 * MB);
  });

  it("the aggregator does not keep the run's parsers and their tables alive", async () => {
    let aggregator: Analysis['aggregator'] | null = null;
    let machineGone = false;
    const registry = new FinalizationRegistry(() => (machineGone = true));
    (() => {
      const analysis = new Analysis({ mta: 'postfix' });
      analysis.begin('mail.log', new Date('2026-11-23T00:00:00Z'));
      analysis.line('Nov 22 10:00:00 mx postfix/smtpd[1]: 4ABC123: client=a.example[192.0.2.1]', 1);
      analysis.line('Nov 22 10:00:01 mx postfix/smtp[2]: 4ABC123: to=<x@y.example>, relay=none, delay=1, dsn=5.1.1, status=bounced (host said: 550 5.1.1 User unknown)', 2);
      analysis.end();
      aggregator = analysis.finish().aggregator;
      // The machine holds the correlation tables: reachable from the analysis only.
      registry.register((analysis as unknown as { machines: Map<unknown, object> }).machines.values().next().value!, 'machine');
    })();
    // FinalizationRegistry callbacks run in a later task.
    const turn = () => new Promise((r) => setTimeout(r, 20));
    for (let i = 0; i < 5 && !machineGone; i++) {
      gc();
      await turn();
    }
    expect(aggregator).not.toBeNull();
    expect(machineGone).toBe(true);
  });
});

/**
 * The live view's analysis on a thread of its own gives what analyse() gives on this one: the
 * same final report, the same problems for the trends (through ProblemBatches), the same
 * --unrecognised lines in order, the same errors, progress to the end of every input. The
 * worker starts from the compiled module only (npm test builds first), so that one is imported
 * from dist/; the in-process fallback is held to the same from the sources.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { assertFreshDist } from './helpers/dist.js';
import { generatePostfix } from '../bench/gen/postfix.js';
import { analyse } from '../src/pipeline.js';
import { renderJson } from '../src/report/json.js';
import { TrendStore } from '../src/aggregate/trend.js';
import * as fromSources from '../src/analysis-thread.js';

// dist/ older than its sources fails here instead of testing yesterday's build (see helpers/dist.ts).
beforeAll(assertFreshDist);

type Module = typeof fromSources;
let compiled: Module;
let dir: string;
const NOW = new Date('2026-11-23T12:00:00Z');

beforeAll(async () => {
  compiled = (await import('../dist/src/analysis-thread.js' as string)) as Module;
  dir = mkdtempSync(join(tmpdir(), 'mld-analysis-thread-'));
});

interface Seen {
  json: string;
  errors: string[];
  unrecognised: string[];
  problems: number;
  trends: TrendStore;
  lastProgress: Map<number, { lines: number; done: boolean }>;
  threaded: boolean;
}

async function viaRun(m: Module, files: string[], inProcess: boolean, threads?: number, byHost?: boolean): Promise<Seen> {
  const seen: Omit<Seen, 'json' | 'errors' | 'threaded'> = { unrecognised: [], problems: 0, trends: new TrendStore(), lastProgress: new Map() };
  const run = m.analyseOnThread(
    { files, now: NOW, threads, byHost },
    {
      onProgress: (p) => seen.lastProgress.set(p.index, { lines: p.file.lines, done: p.done }),
      onProblems: (batch) => {
        seen.problems += batch.pairs.length / 2;
        seen.trends.addBatch(batch);
      },
      onUnrecognised: (file, no, line) => seen.unrecognised.push(`${file}:${no}: ${line}`),
    },
    inProcess,
  );
  // Before or while reading, snapshot() answers at once with a whole (maybe empty) snapshot.
  expect(Array.isArray(run.snapshot().findings)).toBe(true);
  const r = await run.done;
  return {
    ...seen,
    json: renderJson(r.snapshot),
    errors: r.errors.map((e) => `${e.name} ${e.file}: ${e.message}`),
    threaded: run.threaded,
  };
}

/** analyse() itself, with the trends fed event by event as follow mode feeds them. */
async function direct(files: string[], byHost?: boolean) {
  const trends = new TrendStore();
  const unrecognised: string[] = [];
  let problems = 0;
  const r = await analyse(files, {
    now: NOW,
    byHost,
    onUnrecognised: (file, no, line) => unrecognised.push(`${file}:${no}: ${line}`),
    onProblem: (ev, _c, finding) => {
      problems++;
      trends.add(finding, ev.time);
    },
  });
  const snapshot = r.aggregator.snapshot(r.stats);
  return {
    snapshot,
    json: renderJson(snapshot),
    errors: r.errors.map((e) => `${e.name} ${e.file}: ${e.message}`),
    unrecognised,
    problems,
    trends,
  };
}

describe('analyseOnThread', () => {
  test('gives what analyse() gives: report, problems, trends, unrecognised lines, errors, progress', async () => {
    const junk = join(dir, 'junk-and-mail.log');
    writeFileSync(
      junk,
      [
        ...generatePostfix({ seed: 7, messages: 1_500, start: new Date('2026-11-22T00:00:00+01:00'), format: 'classic', mix: 'realistic' }),
        'this is not a mail log line',
        '\u001b[31mhostile\u001b[0m line',
      ].join('\n') + '\n',
    );
    const files = ['samples/postfix/mail.log.2.gz', 'samples/postfix/mail.log.1', 'samples/postfix/mail.log', junk, 'samples/exim/mainlog', join(dir, 'missing.log')];
    const want = await direct(files);
    expect(want.problems).toBeGreaterThan(100);
    expect(want.unrecognised.length).toBeGreaterThanOrEqual(2);
    expect(want.errors).toHaveLength(1);

    for (const [m, inProcess, threads] of [
      [compiled, false, undefined],
      [compiled, false, 2],
      [fromSources, true, undefined],
    ] as const) {
      const got = await viaRun(m, files, inProcess, threads);
      expect(got.threaded).toBe(!inProcess);
      expect(got.json).toBe(want.json);
      expect(got.errors).toEqual(want.errors);
      expect(got.unrecognised).toEqual(want.unrecognised);
      expect(got.problems).toBe(want.problems);
      expect(got.trends.size).toBe(want.trends.size);
      const ref = Date.parse(want.snapshot.summary.lastSeen!);
      for (const { key: id } of want.snapshot.details) {
        expect(got.trends.series(id, ref - 24 * 3_600_000, ref, 24)).toEqual(want.trends.series(id, ref - 24 * 3_600_000, ref, 24));
      }
      // Every input that could be read was reported to its end.
      for (let i = 0; i < files.length - 1; i++) expect(got.lastProgress.get(i)?.done).toBe(true);
      expect([...got.lastProgress.values()].reduce((n, p) => n + p.lines, 0)).toBe(want.snapshot.summary.linesRead);
    }
  });

  test('split by host, the findings, their hosts and MTAs and their trends cross the thread as they are', async () => {
    const mx2 = join(dir, 'mx2.log');
    writeFileSync(
      mx2,
      [...generatePostfix({ seed: 11, messages: 800, start: new Date('2026-11-22T00:00:00+01:00'), format: 'classic', mix: 'realistic', host: 'mx2' })].join('\n') + '\n',
    );
    const files = ['samples/postfix/mail.log', mx2, 'samples/exim/mainlog'];
    const want = await direct(files, true);
    const hosts = new Set(want.snapshot.details.map((d) => d.host));
    const mtas = new Set(want.snapshot.findings.map((f) => f.mta));
    expect([hosts.has('mx1'), hosts.has('mx2'), mtas.has('postfix'), mtas.has('exim')]).toEqual([true, true, true, true]);
    for (const [i, f] of want.snapshot.findings.entries()) {
      const host = want.snapshot.details[i]!.host;
      expect(f.hosts.map((h) => h.host)).toEqual(host === null ? [] : [host]);
    }
    // Split by host, one finding of the fleet view becomes two: the keys differ from the fleet's.
    const fleet = await direct(files, false);
    expect(want.snapshot.findings.length).toBeGreaterThan(fleet.snapshot.findings.length);
    const ref = Date.parse(want.snapshot.summary.lastSeen!);
    const day = (t: TrendStore, id: string) => t.series(id, ref - 24 * 3_600_000, ref, 24);
    expect(day(want.trends, want.snapshot.details[0]!.key).some((n) => n > 0)).toBe(true);
    for (const [m, inProcess] of [
      [compiled, false],
      [fromSources, true],
    ] as const) {
      const got = await viaRun(m, files, inProcess, undefined, true);
      expect(got.json).toBe(want.json);
      expect(got.problems).toBe(want.problems);
      for (const { key } of want.snapshot.details) expect(day(got.trends, key)).toEqual(day(want.trends, key));
    }
  });

  test('the thread sends snapshots while it reads, each at least as far as the one before', async () => {
    const big = join(dir, 'big.log');
    writeFileSync(big, [...generatePostfix({ seed: 9, messages: 12_000, start: new Date('2026-11-22T00:00:00+01:00'), format: 'classic', mix: 'realistic' })].join('\n') + '\n');
    const linesAt: number[] = [];
    let progressed = 0;
    const run = compiled.analyseOnThread(
      { files: [big], now: NOW },
      {
        onProgress: () => progressed++,
        onProblems: () => undefined,
        onSnapshot: () => linesAt.push(run.snapshot().summary.linesRead),
      },
    );
    const { snapshot } = await run.done;
    expect(progressed).toBeGreaterThan(2);
    // The first is made at the first progress report, while the rest of the file is read.
    expect(linesAt.length).toBeGreaterThanOrEqual(1);
    expect(linesAt[0]).toBeGreaterThan(0);
    expect(linesAt[0]).toBeLessThan(snapshot.summary.linesRead);
    for (let i = 1; i < linesAt.length; i++) expect(linesAt[i]).toBeGreaterThanOrEqual(linesAt[i - 1]!);
    expect(run.snapshot()).toBe(snapshot);
  });

  test('a thread that cannot read anything still ends with a report and the errors', async () => {
    const files = [join(dir, 'nope-1.log'), dir];
    const got = await viaRun(compiled, files, false);
    const want = await direct(files);
    expect(got.json).toBe(want.json);
    expect(got.errors).toEqual(want.errors);
    expect(got.errors).toHaveLength(2);
    expect(got.problems).toBe(0);
  });
});

/**
 * The analysis of whole files on a thread of its own, for the live view. The main thread then
 * holds the view alone (Ink, React, its frames), which it loads while reading has begun, and
 * the view's heap stays out of the analysis' garbage collections: with both in one heap, V8's
 * collector threads did twice the work (bench/README.md).
 *
 * The view gets what it needs as messages: progress; the problems for its trends, in numbered
 * batches (see ProblemBatch) sent before each progress message and at the end; unrecognised
 * lines (for `--unrecognised`); snapshots of the findings, from the first progress on, spaced
 * by what the last one took (see SNAPSHOT_COST_FACTOR); last the final snapshot and the errors.
 * Where a worker cannot start (the TypeScript sources under test), the same interface runs the
 * analysis on this thread, with the same batches.
 */
import type { TimeWindow } from './window.js';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { emptySnapshot } from './aggregate/aggregator.js';
import type { FileStats, Snapshot } from './aggregate/types.js';
import type { Classification } from './classify/types.js';
import { InputError } from './errors.js';
import type { MailEvent } from './event.js';
import { analyse, type Analysis, type PipelineOptions } from './pipeline.js';
import { ProblemBatcher, type ProblemBatch } from './aggregate/trend.js';
import { bundledOr } from './bundled.js';

export interface AnalysisProgress {
  index: number;
  file: FileStats;
  bytesRead: number | null;
  size: number | null;
  done: boolean;
}

export interface AnalysisHandlers {
  onProgress(p: AnalysisProgress): void;
  /** Problem events for the trends, in batches (each before the progress that counts it, the rest before the end). */
  onProblems(batch: ProblemBatch): void;
  onUnrecognised?: (file: string, no: number, line: string) => void;
  /** A newer snapshot is there (from the thread; in process, snapshot() makes one when asked). */
  onSnapshot?: () => void;
  /** Every problem event with its classification (--events, --clickhouse): the analysis then runs on this thread. */
  onProblem?: (ev: MailEvent, c: Classification) => void;
}

/** What the analysis thread is given: the data options of analyse() (no callbacks: it crosses to a worker). */
export interface AnalysisInput
  extends Pick<PipelineOptions, 'mta' | 'year' | 'byHost' | 'localDomains' | 'window' | 'addresses' | 'host' | 'now' | 'threads'> {
  files: readonly string[];
}

export interface AnalysisResult {
  /** The final snapshot: the report. */
  snapshot: Snapshot;
  /** The inputs that failed or stopped early. */
  errors: InputError[];
}

export interface AnalysisRun {
  /** The newest snapshot there is (empty before the first). */
  snapshot(): Snapshot;
  done: Promise<AnalysisResult>;
  /** True when the analysis runs on a thread of its own. */
  readonly threaded: boolean;
}

const ROLE = 'maillog-doctor/analysis';
/** Unrecognised lines per message. */
const UNRECOGNISED_BATCH = 2048;
/**
 * The thread makes a snapshot at most once per this many times what the last one took, within
 * [SNAPSHOT_MIN_INTERVAL_MS, SNAPSHOT_MAX_INTERVAL_MS] (its cost is wall time, which a busy
 * machine inflates). It holds up the analysis meanwhile: at 1 GB (1,040 findings) making one
 * takes 30-45 ms and cloning it for the view as much again, so at most one every few seconds
 * keeps them to ~2 % of the read; the first comes at once, with the first progress report.
 */
const SNAPSHOT_COST_FACTOR = 60;
const SNAPSHOT_MIN_INTERVAL_MS = 500;
const SNAPSHOT_MAX_INTERVAL_MS = 4000;

type ToView =
  | ({ type: 'progress' } & AnalysisProgress)
  | { type: 'problems'; batch: ProblemBatch }
  | { type: 'unrecognised'; list: Array<string | number> }
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'done'; snapshot: Snapshot; errors: Array<{ file: string; message: string }> }
  | { type: 'failed'; message: string };

interface ThreadData {
  role: typeof ROLE;
  files: readonly string[];
  mta?: AnalysisInput['mta'];
  year?: number;
  byHost?: boolean;
  localDomains?: readonly string[];
  window?: TimeWindow | null;
  addresses?: boolean;
  host?: string;
  now: number;
  threads?: number;
  unrecognised: boolean;
}

/**
 * Starts the analysis of `input`, on its own thread where it can; `handlers` are called on this
 * one. `inProcess` forces this thread (the fallback, and tests of it).
 */
export function analyseOnThread(input: AnalysisInput, handlers: AnalysisHandlers, inProcess = false): AnalysisRun {
  // Only from the compiled module: a worker cannot start from TypeScript source (tests).
  // Events cannot cross to this thread one by one at full speed: whoever wants them gets the analysis here.
  if (inProcess || handlers.onProblem || !import.meta.url.endsWith('.js')) return analyseHere(input, handlers);
  const data: ThreadData = {
    role: ROLE,
    files: input.files,
    mta: input.mta,
    year: input.year,
    byHost: input.byHost,
    localDomains: input.localDomains,
    window: input.window,
    addresses: input.addresses,
    host: input.host,
    now: input.now.getTime(),
    threads: input.threads,
    unrecognised: handlers.onUnrecognised !== undefined,
  };
  const worker = new Worker(bundledOr(new URL(import.meta.url)), { workerData: data });
  let latest = emptySnapshot();
  const done = new Promise<AnalysisResult>((resolve, reject) => {
    worker.on('message', (m: ToView) => {
      switch (m.type) {
        case 'progress':
          handlers.onProgress(m);
          break;
        case 'problems':
          handlers.onProblems(m.batch);
          break;
        case 'unrecognised': {
          const l = m.list;
          for (let i = 0; i < l.length; i += 3) handlers.onUnrecognised?.(l[i] as string, l[i + 1] as number, l[i + 2] as string);
          break;
        }
        case 'snapshot':
          latest = m.snapshot;
          handlers.onSnapshot?.();
          break;
        case 'done':
          latest = m.snapshot;
          // Errors cross as plain objects (a clone of an Error keeps only its message).
          resolve({ snapshot: m.snapshot, errors: m.errors.map((e) => new InputError(e.file, e.message)) });
          void worker.terminate();
          break;
        case 'failed':
          reject(new Error(m.message));
          void worker.terminate();
          break;
      }
    });
    worker.on('error', reject);
    // After `done` this rejects a settled promise: nothing happens.
    worker.on('exit', (code) => reject(new Error(`analysis thread exited (${code})`)));
  });
  return {
    snapshot: () => latest,
    done,
    threaded: true,
  };
}

/** Where either side sends what the analysis reports. */
interface Sink {
  progress(p: AnalysisProgress): void;
  problems(batch: ProblemBatch): void;
  unrecognised?: (file: string, no: number, line: string) => void;
  problem?: (ev: MailEvent, c: Classification) => void;
}

/**
 * analyse() options reporting to `sink` (problems batched, sent before each progress report),
 * the running Analysis to `running`; `flush` sends the problems still batched.
 */
function reporting(input: AnalysisInput, sink: Sink, running: (a: Analysis) => void): { options: PipelineOptions; flush(): void } {
  const batcher = new ProblemBatcher();
  const flush = () => {
    const batch = batcher.take();
    if (batch !== null) sink.problems(batch);
  };
  const options: PipelineOptions = {
    mta: input.mta,
    year: input.year,
    byHost: input.byHost,
    localDomains: input.localDomains,
    window: input.window,
    addresses: input.addresses,
    host: input.host,
    now: input.now,
    threads: input.threads,
    onUnrecognised: sink.unrecognised,
    onProgress: (p) => {
      running(p.analysis);
      flush();
      sink.progress({ index: p.index, file: p.file, bytesRead: p.bytesRead, size: p.size, done: p.done });
    },
    onProblem: (ev, c, finding) => {
      sink.problem?.(ev, c);
      if (batcher.add(finding, ev.time)) flush();
    },
  };
  return { options, flush };
}

/** The same on this thread. */
function analyseHere(input: AnalysisInput, handlers: AnalysisHandlers): AnalysisRun {
  let current: Analysis | null = null;
  const sink: Sink = {
    progress: handlers.onProgress,
    problems: handlers.onProblems,
    unrecognised: handlers.onUnrecognised,
    problem: handlers.onProblem,
  };
  const { options, flush } = reporting(input, sink, (a) => (current = a));
  const done = analyse(input.files, options).then((r) => {
    flush();
    return { snapshot: r.aggregator.snapshot(r.stats, true), errors: r.errors };
  });
  return {
    snapshot: () => (current ? current.aggregator.snapshot(current.stats) : emptySnapshot()),
    done,
    threaded: false,
  };
}

/** The thread's side. */
async function analysisThread(d: ThreadData): Promise<void> {
  const port = parentPort!;
  const post = (m: ToView) => port.postMessage(m);
  let unrecognised: Array<string | number> = [];
  const flushUnrecognised = () => {
    if (unrecognised.length > 0) post({ type: 'unrecognised', list: unrecognised });
    unrecognised = [];
  };
  const sink: Sink = {
    progress: (p) => {
      flushUnrecognised();
      post({ type: 'progress', ...p });
    },
    // The batch's buffer moves to the view's thread: nothing is copied.
    problems: (batch) => port.postMessage({ type: 'problems', batch } satisfies ToView, [batch.pairs.buffer as ArrayBuffer]),
    unrecognised: d.unrecognised
      ? (file, no, line) => {
          unrecognised.push(file, no, line);
          if (unrecognised.length >= 3 * UNRECOGNISED_BATCH) flushUnrecognised();
        }
      : undefined,
  };
  // Snapshots at progress reports (every 16,384 lines and at the end of each input), when the
  // last one is old enough. Not on a timer: reading a file on this thread does not always
  // return to the event loop between its lines (split2 hands out whole chunks).
  let nextSnapshotAt = 0;
  const { options, flush } = reporting({ ...d, now: new Date(d.now) }, sink, (a) => {
    const t0 = performance.now();
    if (t0 < nextSnapshotAt) return;
    // The trends are then at least as new as the findings.
    flushAll();
    post({ type: 'snapshot', snapshot: a.aggregator.snapshot(a.stats) });
    const t1 = performance.now();
    nextSnapshotAt = t1 + Math.min(SNAPSHOT_MAX_INTERVAL_MS, Math.max(SNAPSHOT_MIN_INTERVAL_MS, (t1 - t0) * SNAPSHOT_COST_FACTOR));
  });
  const flushAll = () => {
    flush();
    flushUnrecognised();
  };
  try {
    const r = await analyse(d.files, options);
    flushAll();
    post({ type: 'done', snapshot: r.aggregator.snapshot(r.stats, true), errors: r.errors.map((e) => ({ file: e.file, message: e.message })) });
  } catch (err) {
    post({ type: 'failed', message: (err as Error)?.message ?? String(err) });
  }
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) void analysisThread(workerData as ThreadData);

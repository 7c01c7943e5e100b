/**
 * A run: the inputs in the order given. A regular file of a format whose parser has a fast path
 * (parsers/types.ts FastPath: Postfix, Exim, Exchange) goes through its front (front-reader.ts),
 * which reads, cuts and settles most lines and passes the rest in batches (batch.ts) to the
 * analysis (analysis.ts), which does everything that has state: on a second thread
 * (reader-thread.ts) for big files on a multi-core machine, else on this one. Stdin and files
 * of no format with a front are read as text lines on this thread. The result is the same
 * every way, to the line (test/bench-equivalence.test.ts).
 */
import type { Worker } from 'node:worker_threads';
import type { Readable } from 'node:stream';
import { parserByName } from '../../parsers/index.js';
import { hasFastPath, type FastLogParser, type FrontMachine } from '../../parsers/types.js';
import type { FileStats } from '../aggregate/types.js';
import type { Mta } from '../event.js';
import { describeSystemError, InputError } from '../errors.js';
import { forEachLine } from '../input/lines.js';
import { openChunks, openInput, type ChunkedInput, type OpenedInput } from '../input/open.js';
import { rawName } from '../input/paths.js';
import { Analysis, type AnalysisOptions, type PipelineResult } from './analysis.js';
import type { Batch, EndMessage, ReadJob, ReaderMessage } from './batch.js';
import { frontWanted, readWithFront, type TextSink } from './front-reader.js';
import { isFileOf, readerMinBytes, startReaderWorker, takePrestartedReader, threadsFor, type ReaderWorker } from './reader-worker.js';

/** How often (in lines) analyse() reports progress. */
export const PROGRESS_EVERY_LINES = 16_384;

export interface PipelineOptions extends AnalysisOptions {
  /** The run's start: the reference time for stdin. */
  now: Date;
  stdin?: Readable;
  /** Called every PROGRESS_EVERY_LINES lines and at the end of each input. */
  onProgress?: (p: Progress) => void;
  /**
   * Threads to use: 1 reads everything on this thread; 2 (or more) lets files of a format with
   * a fast path be read by a second one, whatever their size. Default: the environment's MAILLOG_DOCTOR_THREADS,
   * else 2 for files of PARALLEL_MIN_BYTES and more when the machine has a second core. The
   * results are the same either way.
   */
  threads?: number;
  /**
   * Which thread reduces sent deliveries when two are used: `auto` (the default) lets the
   * reader take them on while the main thread is behind; `reader` and `main` fix it (tests run
   * both: the results are the same).
   */
  sentOn?: 'auto' | 'reader' | 'main';
  /**
   * false reads every line as text through Parser.parse, on this thread: the reference the
   * fronts (front-reader.ts) are tested against. Default: the environment's
   * MAILLOG_DOCTOR_FRONT (`0` for false), else true: regular files of a format with a fast path
   * go through its front, on the reader thread or on this one.
   */
  front?: boolean;
}

/** May inputs go through a front: not with `front` false, nor when --mta forces a format that has none. */
function useFront(opts: PipelineOptions): boolean {
  if (!frontWanted(opts.front)) return false;
  return !opts.mta || hasFastPath(parserByName(opts.mta));
}

export interface Progress {
  file: FileStats;
  /** Index of the input in the list given. */
  index: number;
  /** Bytes read from disk so far (compressed bytes for gzip); null for stdin. */
  bytesRead: number | null;
  size: number | null;
  done: boolean;
  analysis: Analysis;
}

/** Why reading stopped, as the file's error says it. */
function readError(err: { message?: string; code?: string } | undefined, lines: number): string {
  return `${describeSystemError(err)} (after ${lines} ${lines === 1 ? 'line' : 'lines'})`;
}

/** Reads the inputs in the order given, one after another. */
export async function analyse(inputs: readonly string[], opts: PipelineOptions): Promise<PipelineResult> {
  const analysis = new Analysis({ ...opts, oneInput: inputs.length === 1 });
  const reader = await ReaderThread.forRun(inputs, opts);
  const readByThread: string[] = [];
  const readByFront: string[] = [];
  try {
    for (const [index, path] of inputs.entries()) {
      const viaThread = reader !== null && (await reader.eligible(path));
      if (viaThread && (await reader.read(path, index, analysis, opts))) {
        readByThread.push(path);
        continue;
      }
      // Not one for the reader thread: through the front on this one. (One the reader thread
      // gave back, of a format without a front or none detected, is read as text below.)
      if (!viaThread && useFront(opts) && (path === '-' || (await isFileOf(path, 0)))) {
        const how = await readHere(path, index, analysis, opts);
        if (how === 'front') readByFront.push(path);
        if (how !== 'fallback') continue;
      }
      let opened: OpenedInput;
      try {
        opened = await openInput(path, opts.now, opts.stdin);
      } catch (err) {
        analysis.failed(path, err instanceof InputError ? err : new InputError(path, describeSystemError(err)));
        continue;
      }
      // A regular file (gzip too) can be read again from its start; stdin and pipes cannot.
      const file = analysis.begin(path, opened.reference, opened.gzip, opened.size !== null);
      const progress = (done: boolean) =>
        opts.onProgress?.({
          file,
          index,
          bytesRead: opened.size === null ? null : opened.bytesRead(),
          size: opened.size,
          done,
          analysis,
        });
      let error: string | undefined;
      for (;;) {
        let nulBytes = 0;
        try {
          nulBytes = (
            await forEachLine(opened.stream, {
              line: (line, no, offset) => {
                analysis.line(line, no, offset);
                if (opts.onProgress && no % PROGRESS_EVERY_LINES === 0) progress(false);
              },
              oversized: (head, no, offset) => analysis.oversizedLine(head, no, offset),
              stop: () => analysis.rereadWanted,
            })
          ).nulBytes;
        } catch (err) {
          error = readError(err as Error, file.lines);
          nulBytes = (err as { nulBytes?: number }).nulBytes ?? 0;
        }
        if (error !== undefined || !analysis.dataEnded()) {
          analysis.nulBytes(nulBytes);
          break;
        }
        // No line was claimed by any parser in the first DETECT_BUFFER_CHARS; detection has
        // now decided: read the file again from its start (at most once).
        opened.close();
        try {
          opened = await openInput(path, opts.now, opts.stdin);
        } catch (err) {
          error = `${describeSystemError(err)} (reading it again)`;
          break;
        }
        analysis.restart();
      }
      analysis.end(error, opened.bytesRead());
      progress(true);
    }
  } finally {
    await reader?.close();
  }
  return { ...analysis.finish(), readByThread, readByFront };
}

/**
 * The main thread's side of the reader thread: one per run, reused for every file it takes.
 * The thread starts with the first file for it, and stops when it gives a file back (no fast
 * path for its format): an idle thread holds memory while this thread reads that file
 * itself. The next file for it starts a new one.
 */
class ReaderThread {
  /** The worker, with its count of the batches taken from it (its flow control), while one runs. */
  private thread: ReaderWorker | null = null;
  private readonly queue: ReaderMessage[] = [];
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  /** The input forRun() found to be for the thread: eligible() need not look at it again. */
  private known: string | null = null;

  private constructor(private readonly minBytes: number) {}

  /** A reader thread for follow mode's range (catchUpOnThread() has decided to use one). */
  static forRange(): ReaderThread {
    return new ReaderThread(0);
  }

  /** A reader thread when more than one thread may be used and some input is for it. */
  static async forRun(inputs: readonly string[], opts: PipelineOptions): Promise<ReaderThread | null> {
    const { asked, threads } = threadsFor(opts.threads);
    if (threads < 2 || !useFront(opts)) return null;
    // Only from the compiled module: a worker cannot start from TypeScript source (tests).
    if (!import.meta.url.endsWith('.js')) return null;
    const minBytes = readerMinBytes(asked);
    // The first such input decides; the others are asked as their turn comes (eligible()).
    for (const path of inputs) {
      if (!(await isFileOf(path, minBytes))) continue;
      const reader = new ReaderThread(minBytes);
      reader.known = path;
      return reader;
    }
    return null;
  }

  private start(): Worker {
    if (this.thread) return this.thread.worker;
    // The one the bin started while the command loaded, if it did (reader-worker.ts).
    const thread = takePrestartedReader() ?? startReaderWorker();
    const worker = thread.worker;
    worker.on('message', (m: ReaderMessage) => {
      this.queue.push(m);
      this.wake?.();
    });
    const fail = (err: Error) => {
      if (this.thread !== thread) return; // stopped on purpose
      this.failure ??= err;
      this.wake?.();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`reader thread exited (${code})`)));
    this.thread = thread;
    return worker;
  }

  private async stop(): Promise<void> {
    const thread = this.thread;
    this.thread = null;
    this.queue.length = 0;
    await thread?.worker.terminate();
  }

  eligible(path: string): Promise<boolean> {
    if (this.failure) return Promise.resolve(false);
    if (path === this.known) {
      this.known = null;
      return Promise.resolve(true);
    }
    return isFileOf(path, this.minBytes);
  }

  /**
   * Reads one file through the reader thread into `analysis`. False when the file is not for
   * it (no fast path for its format, could not be opened): nothing was counted, read it the ordinary way.
   */
  async read(path: string, index: number, analysis: Analysis, opts: PipelineOptions): Promise<boolean> {
    this.start().postMessage(readJob(path, opts));
    const file = new FileFromFront(index, analysis, opts);
    for (;;) {
      const m = await this.next();
      if (m === null) {
        if (!file.started) return false;
        // The thread died: the lines read so far stay counted, like any read error.
        file.failed(this.failure?.message ?? 'reader thread failed');
        return true;
      }
      const next = file.take(path, m);
      if (next === 'fallback') {
        await this.stop();
        return false;
      }
      if (next === 'done') return true;
    }
  }

  /**
   * Reads the range of `job` (follow mode catching up) through the thread, each batch to
   * `batch` in order; its `start` is not handed on (the caller has begun the file). The `end`
   * message; null when nothing was read (the thread could not start it); `stopped` when
   * `batch` said to stop (the thread is then stopped). Throws when the thread failed after
   * handing some on.
   */
  async readRange(job: ReadJob, batch: (b: Batch) => boolean | Promise<boolean>): Promise<EndMessage | 'stopped' | null> {
    this.start().postMessage(job);
    let handed = false;
    for (;;) {
      const m = await this.next();
      if (m === null) {
        if (!handed) return null;
        throw new Error(this.failure?.message ?? 'reader thread failed');
      }
      if (m.type === 'fallback') return null;
      if (m.type === 'end') return m;
      if (m.type !== 'batch') continue;
      handed = true;
      if (!(await batch(m))) {
        await this.stop();
        return 'stopped';
      }
    }
  }

  async close(): Promise<void> {
    await this.stop();
  }

  /**
   * The next message, or null once the thread has failed. A batch counts as taken here: the
   * reader may run one further ahead (its flow control).
   */
  private async next(): Promise<ReaderMessage | null> {
    while (this.queue.length === 0) {
      if (this.failure) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    const m = this.queue.shift()!;
    const applied = this.thread?.applied;
    if (m.type === 'batch' && applied) {
      Atomics.add(applied, 0, 1);
      Atomics.notify(applied, 0);
    }
    return m;
  }
}

/**
 * Follow mode's first reading of a big log (follow-feed.ts): bytes [0, end) of the file the
 * follower holds open as `fd` (`end` ends a line), read through the front of `mta` on the
 * reader thread, each batch handed to `batch` (false: stop) on this thread, in order. Resolves
 * with the reader's `end` message; null when no thread is used or it read nothing; `stopped`
 * after `batch` said to stop. A thread is used where a whole file that big would be read by
 * one (size, cores, `threads`).
 */
export async function catchUpOnThread(
  path: string,
  range: { fd: number; end: number; reference: Date },
  opts: { mta: Mta; year?: number; threads?: number },
  batch: (b: Batch) => boolean | Promise<boolean>,
): Promise<EndMessage | 'stopped' | null> {
  const { asked, threads } = threadsFor(opts.threads);
  if (threads < 2 || !import.meta.url.endsWith('.js')) return null;
  if (range.end < readerMinBytes(asked)) return null;
  const reader = ReaderThread.forRange();
  try {
    const job: ReadJob = {
      ...readJob(path, { now: range.reference, year: opts.year, mta: opts.mta, sentOn: 'auto' }),
      range: { fd: range.fd, end: range.end, reference: range.reference.getTime() },
    };
    return await reader.readRange(job, batch);
  } finally {
    await reader.close();
  }
}

function readJob(path: string, opts: PipelineOptions): ReadJob {
  return { type: 'read', path, raw: rawName(path), now: (opts.now ?? new Date()).getTime(), year: opts.year, forced: opts.mta, sentOn: opts.sentOn ?? 'auto' };
}

/**
 * One file's messages from a front (front-reader.ts), on this thread, whichever thread read
 * it: `start` begins the file, batches are applied, `end` ends it.
 */
class FileFromFront {
  private file: FileStats | null = null;
  private parser: FastLogParser | null = null;
  private machine: FrontMachine | null = null;
  private size: number | null = null;
  private bytesRead = 0;

  constructor(
    private readonly index: number,
    private readonly analysis: Analysis,
    private readonly opts: PipelineOptions,
  ) {}

  get started(): boolean {
    return this.file !== null;
  }

  /** How the input went, once read: through the front, as text (text()), or given back (nothing counted). */
  get way(): 'front' | 'text' | 'fallback' {
    return this.file === null ? 'fallback' : this.parser === null ? 'text' : 'front';
  }

  /** `fallback`: nothing was counted, read the file the ordinary way; `done`: the file has ended. */
  take(path: string, m: ReaderMessage): 'fallback' | 'more' | 'done' {
    if (m.type === 'fallback') return 'fallback';
    if (m.type === 'start') {
      this.file = this.analysis.begin(path, new Date(m.reference), m.gzip);
      this.parser = parserByName(m.mta) as FastLogParser;
      this.machine = this.analysis.startFast(this.parser);
      this.size = m.size;
      return 'more';
    }
    if (m.type === 'batch') {
      this.bytesRead = m.bytesRead;
      const before = this.file!.lines;
      this.analysis.applyBatch(m, this.machine!, this.parser!.fast);
      // Once per PROGRESS_EVERY_LINES lines: where batches divide it, exactly at its multiples.
      if (this.opts.onProgress && Math.floor(before / PROGRESS_EVERY_LINES) !== Math.floor(this.file!.lines / PROGRESS_EVERY_LINES)) {
        this.progress(false);
      }
      return 'more';
    }
    this.bytesRead = m.bytesRead;
    this.analysis.nulBytes(m.nulBytes);
    this.analysis.end(m.error ? readError(m.error, this.file!.lines) : undefined, this.bytesRead);
    this.progress(true);
    return 'done';
  }

  /**
   * The input's lines as text from the first (front-reader.ts TextSink): what the text path of
   * analyse() does with them, for stdin whose format has no front, or a file read to its end
   * with no format found (its lines were all held: the text path would decide the same).
   */
  text(path: string, opened: ChunkedInput): TextSink {
    this.file = this.analysis.begin(path, opened.reference, opened.gzip, false);
    this.size = opened.size;
    const analysis = this.analysis;
    return {
      line: (text, no, offset) => {
        analysis.line(text, no, offset);
        if (this.opts.onProgress && no % PROGRESS_EVERY_LINES === 0) {
          this.bytesRead = opened.bytesRead();
          this.progress(false);
        }
      },
      oversized: (head, no, offset) => analysis.oversizedLine(head, no, offset),
    };
  }

  /** Reading stopped for `why` (the reader thread died): the lines read so far stay counted. */
  failed(why: string): void {
    const lines = this.file!.lines;
    this.analysis.end(`${why} (after ${lines} ${lines === 1 ? 'line' : 'lines'})`);
    this.progress(true);
  }

  private progress(done: boolean): void {
    this.opts.onProgress?.({ file: this.file!, index: this.index, bytesRead: this.bytesRead, size: this.size, done, analysis: this.analysis });
  }
}

/**
 * A file or stdin read through its format's front on this thread (one thread:
 * MAILLOG_DOCTOR_THREADS=1, one core, a small file, stdin): the same batches as from the reader
 * thread, each applied as it is made, without decoding the lines the front settles. `fallback`
 * as ReaderThread.read() gives false: nothing was counted. `text`: stdin of no format with a
 * front, or a file read to its end with no format found, read as text lines in the same pass.
 */
async function readHere(path: string, index: number, analysis: Analysis, opts: PipelineOptions): Promise<'front' | 'text' | 'fallback'> {
  let opened: ChunkedInput;
  try {
    opened = await openChunks(path, opts.now ?? new Date(), opts.stdin);
  } catch {
    return 'fallback';
  }
  const file = new FileFromFront(index, analysis, opts);
  const asText = () => file.text(path, opened);
  const turn = eventLoopTurns();
  await readWithFront(
    // Sent deliveries reduced by the front are never copied into the batch as text.
    readJob(path, { ...opts, sentOn: opts.sentOn === 'main' ? 'main' : 'reader' }),
    opened,
    (m) => void file.take(path, m),
    {
      behind: () => false,
      // Timers (the live view) get a turn every TURN_MS: the chunks come from blocking reads.
      between: turn,
      batchLines: HERE_BATCH_LINES,
      // Stdin cannot be read again: without a front its lines go on here as text. Its lines
      // may come slowly: each is seen when its chunk is read.
      ...(path === '-' ? { asText, flushEachChunk: true } : {}),
      // A file read to its end with no format found needs no second reading either.
      endedAsText: asText,
    },
  );
  return file.way;
}

/** Longest a one-thread read goes without letting the event loop run. */
const TURN_MS = 25;

/**
 * For work that runs without waiting on anything (blocking reads, batches already queued): a
 * function to call between its steps, which lets the event loop run (timers, signals, output)
 * once TURN_MS have passed since it last did.
 */
export function eventLoopTurns(): () => Promise<void> | undefined {
  let last = Date.now();
  return () => {
    if (Date.now() - last < TURN_MS) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        last = Date.now();
        resolve();
      }),
    );
  };
}

/**
 * Lines per batch on one thread, applied as soon as made: only one is held at a time, and
 * each costs a little to make and take (new arrays, the time strings again), so as many lines
 * as the reader thread's batches hold (bench/README.md).
 */
const HERE_BATCH_LINES = 8192;


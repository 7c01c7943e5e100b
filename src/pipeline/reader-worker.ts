/**
 * The reader thread's worker (reader-thread.ts), and when a run uses one. A worker is slow to
 * start (bench/README.md, item 58), and the main thread has nothing to analyse until its first
 * batch; so bin/maillog-doctor asks for one at once (prestartReader()) when the command line
 * names a file a run would give it, and run.ts takes that one instead of starting its own.
 * Light on imports: the bin loads this module before the command's bundle.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { bundledOr } from '../bundled.js';
import { logBytes } from '../input/gzip.js';
import { fsPath } from '../input/paths.js';

/** workerData.role of the reader thread. */
export const READER_ROLE = 'maillog-doctor/reader';

/**
 * Files of at least this many bytes of log (a gzip file's uncompressed size) are read by a
 * second thread when there is a second core: its first lines reach the analysis later than one
 * thread would begin on them, and below this size it does not win that back (bench/README.md).
 */
export const PARALLEL_MIN_BYTES = 64 * 1024 * 1024;

/**
 * Young generation of the reader thread, MiB: its garbage is lines that die at once, but each
 * scavenge copies the live 64 KiB window, so a smaller one means more scavenges for little
 * less RSS (bench/README.md).
 */
const READER_YOUNG_MB = 4;

/** A reader thread's worker and the count of batches the main thread has taken from it (its flow control). */
export interface ReaderWorker {
  worker: Worker;
  applied: Int32Array;
}

/**
 * Threads a run may use: as asked (PipelineOptions.threads, else MAILLOG_DOCTOR_THREADS;
 * `asked` undefined when neither says), else 2 on a machine with a second core.
 */
export function threadsFor(threads?: number): { asked: number | undefined; threads: number } {
  const asked = threads ?? (Number(process.env.MAILLOG_DOCTOR_THREADS) || undefined);
  return { asked, threads: asked ?? (availableParallelism() > 1 ? 2 : 1) };
}

/** Bytes of log from which a file goes to the reader thread, as threadsFor() says `asked`. */
export function readerMinBytes(asked: number | undefined): number {
  return asked === undefined ? PARALLEL_MIN_BYTES : 0;
}

/** Is `path` a regular file of at least `minBytes` of log (logBytes())? */
export async function isFileOf(path: string, minBytes: number): Promise<boolean> {
  if (path === '-') return false;
  try {
    const s = await stat(fsPath(path));
    if (!s.isFile()) return false;
    return s.size >= minBytes || (minBytes > 0 && (await logBytes(path, s.size)) >= minBytes);
  } catch {
    return false;
  }
}

/** A new reader thread's worker. */
export function startReaderWorker(): ReaderWorker {
  const applied = new Int32Array(new SharedArrayBuffer(4));
  // A small young generation: the reader's garbage is lines that die at once, and the
  // default (16 MiB semi-spaces) would only add to the peak RSS.
  const worker = new Worker(bundledOr(new URL('./reader-thread.js', import.meta.url)), {
    workerData: { role: READER_ROLE, applied },
    resourceLimits: { maxYoungGenerationSizeMb: READER_YOUNG_MB },
  });
  return { worker, applied };
}

/**
 * Where a prestarted worker waits to be taken: on globalThis, since the bin's copy of this
 * module and the one bundled into the command are two module instances.
 */
const SLOT = Symbol.for('maillog-doctor/prestarted-reader');
interface Prestarted extends ReaderWorker {
  failed: boolean;
}
type WithSlot = { [SLOT]?: Prestarted };

/**
 * Starts a reader thread's worker now when a run of these arguments will most likely want one:
 * a second thread may be used, the report is not the live view (which reads on a thread of its
 * own), and some argument is a file the run would give the thread (isFileOf(), as run.ts asks).
 * Guessed from the arguments before they are parsed: a worker the run does not take costs its
 * start on the other core and is not waited for at exit (unref).
 */
export async function prestartReader(args: readonly string[]): Promise<void> {
  // The text path (front-reader.ts frontWanted(), not imported: it would load the parsers).
  if (process.stdout.isTTY || process.env.MAILLOG_DOCTOR_FRONT === '0') return;
  const { asked, threads } = threadsFor();
  if (threads < 2) return;
  const min = readerMinBytes(asked);
  let wanted = false;
  for (const a of args) if (!a.startsWith('-') && (wanted = await isFileOf(a, min))) break;
  if (!wanted) return;
  const started: Prestarted = { ...startReaderWorker(), failed: false };
  started.worker.unref();
  // Until taken, a failure only means the run starts a worker of its own.
  started.worker.on('error', () => (started.failed = true));
  started.worker.on('exit', () => (started.failed = true));
  (globalThis as WithSlot)[SLOT] = started;
}

/** The prestarted worker (once; ref'd again), or null when there is none or it failed. */
export function takePrestartedReader(): ReaderWorker | null {
  const g = globalThis as WithSlot;
  const started = g[SLOT];
  if (started === undefined) return null;
  delete g[SLOT];
  if (started.failed) return null;
  started.worker.ref();
  return { worker: started.worker, applied: started.applied };
}

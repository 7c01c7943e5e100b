/**
 * The reader thread (started by run.ts as a worker of this module): reads a file through its
 * format's front (front-reader.ts) and posts the batches to the main thread, in order. Sent
 * deliveries (a third of a busy Postfix log) can be cut down to queue id and recipients by
 * either thread; this one does it while the main thread is behind (load balancing).
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { openChunks, openRange } from '../input/open.js';
import { rememberName } from '../input/paths.js';
import { MAX_BATCHES_AHEAD, type ReaderMessage, type ReadJob } from './batch.js';
import { READER_ROLE } from './reader-worker.js';
import { readWithFront } from './front-reader.js';

/**
 * The reader thread's loop: one file at a time, as the main thread asks. `applied` counts the
 * batches the main thread has taken; the reader stays at most MAX_BATCHES_AHEAD ahead of it by
 * blocking on that counter (a message per batch back to the reader, as it was, cost both
 * threads a wake-up each time).
 */
function readerThread(port: MessagePort, applied: Int32Array): void {
  /** Batches posted, over all files. */
  let posted = 0;
  const waitForMain = () => {
    for (;;) {
      const taken = Atomics.load(applied, 0);
      if (posted - taken < MAX_BATCHES_AHEAD) return;
      Atomics.wait(applied, 0, taken, 1000);
    }
  };
  const jobs: ReadJob[] = [];
  let busy = false;
  port.on('message', (m: ReadJob) => {
    jobs.push(m);
    if (!busy) void run();
  });

  async function run(): Promise<void> {
    busy = true;
    while (jobs.length > 0) await readFile(jobs.shift()!);
    busy = false;
  }

  async function readFile(job: ReadJob): Promise<void> {
    if (job.raw) rememberName(job.path, job.raw);
    let opened;
    try {
      const r = job.range;
      opened = r ? openRange(r.fd, r.end, new Date(r.reference)) : await openChunks(job.path, new Date(job.now));
    } catch {
      port.postMessage({ type: 'fallback' });
      return;
    }
    const post = (m: ReaderMessage, transfer?: ArrayBuffer[]) => {
      port.postMessage(m, transfer);
      if (m.type === 'batch') posted++;
    };
    // Sent deliveries are reduced here for the next batch while the main thread is behind (two
    // batches or more waiting): then this thread has time to spare.
    await readWithFront(job, opened, post, { behind: () => posted - Atomics.load(applied, 0) >= 2, between: waitForMain });
  }
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === READER_ROLE) readerThread(parentPort!, (workerData as { applied: Int32Array }).applied);

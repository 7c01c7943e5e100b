/**
 * The byte-level front over one input (a file, or stdin), on whichever thread reads it: cuts it
 * into lines, detects the format, and runs the parser's LineFront on every line. What the front
 * settles is only counted; the rest is posted in batches (batch.ts), in order, for
 * Analysis.applyBatch(). The reader thread (reader-thread.ts) posts them to the main thread; one
 * thread alone (run.ts) applies each as it is posted. Sent deliveries (a third of a busy Postfix log) can be
 * cut down to queue id and recipients here or by the analysis.
 */
import { ownerOfProgram, parserByName } from '../../parsers/index.js';
import {
  FRONT_IGNORED,
  FRONT_PARSE,
  FRONT_UNDECIDED,
  FRONT_UPDATE,
  hasFastPath,
  type FastLogParser,
  type FrontContext,
  type LineFront,
  type LogParser,
  type SentSpans,
} from '../../parsers/types.js';
import { decodeLine, LineSplitter } from '../input/lines.js';
import type { ChunkedInput } from '../input/open.js';
import { BatchWriter, type Batch, type ReaderMessage, type ReadJob } from './batch.js';
import { Detection } from './detection.js';

/**
 * Lines per batch; divides PROGRESS_EVERY_LINES (run.ts). Across threads each batch wakes the
 * main thread once (smaller batches cost a few per cent of both threads' time), and the batches
 * in flight are memory (bench/README.md).
 */
export const BATCH_LINES = 8192;
/**
 * A batch also ends, at the next multiple of BATCH_STEP lines, once its bytes pass this: long
 * lines passed on whole (Exchange rows) made batches of several MB, four of them in flight.
 * Batches still end at every multiple of their line count, where progress is reported.
 */
export const BATCH_BYTES = 1024 * 1024;
/** Divides every batch line count (and so PROGRESS_EVERY_LINES). */
const BATCH_STEP = 512;

/**
 * Are inputs read through their format's front? `asked`: PipelineOptions.front (tests); else
 * yes unless MAILLOG_DOCTOR_FRONT=0, which keeps every line on the text path (the reference).
 */
export function frontWanted(asked?: boolean): boolean {
  return asked ?? process.env.MAILLOG_DOCTOR_FRONT !== '0';
}

/** How readWithFront() hands on its batches. */
export interface FrontFlow {
  /** Asked after each batch when job.sentOn is `auto`: should the next batch carry sent deliveries reduced here? */
  behind: () => boolean;
  /** Runs after each chunk (flow control, a turn of the event loop). */
  between: () => void | Promise<void>;
  /** Lines per batch (default BATCH_LINES): a multiple of BATCH_STEP that divides PROGRESS_EVERY_LINES. */
  batchLines?: number;
  /**
   * Post what there is after each chunk too: a pipe's lines are then seen as soon as they
   * come, not after batchLines more (stdin written to slowly).
   */
  flushEachChunk?: boolean;
  /**
   * For an input that cannot be read again (stdin): asked instead of posting `fallback`, when
   * its format has no front or none was detected. Its lines, from the first, then go to the
   * sink it gives, as text, and the input ends with `end` as usual.
   */
  asText?: () => TextSink;
  /**
   * For an input read to its end with no format decided (a file of no mail log, or of NUL
   * bytes only): all its lines are held then, so they go to this sink as text, as asText,
   * instead of `fallback` and a second reading that would decide the same.
   */
  endedAsText?: () => TextSink;
}

/** Where an input's lines go as text (Analysis.line and oversizedLine take them). */
export interface TextSink {
  line(text: string, no: number, offset: number): void;
  oversized(head: string, no: number, offset: number): void;
}

/**
 * The lines of one input whose format is known, through that format's front: what the front
 * settles is only counted, the rest is written for a batch (as Analysis.line() + parse() would
 * count each line). Used by readWithFront() and by follow mode (follow-feed.ts), which take
 * the batches when they like; `full` is called when a batch is complete (see after()).
 */
export class FrontLines {
  readonly front: LineFront;
  /** Should sent deliveries be reduced to queue id and recipients here (for the next lines)? */
  sentHere: boolean;
  private readonly w = new BatchWriter();
  // The MTA of the last program that was not the file's (syslog programs repeat line after line).
  private lastProgram = '';
  private lastOwner: LogParser | null = null;

  constructor(
    readonly parser: FastLogParser,
    context: FrontContext,
    sentHere: boolean,
    private readonly batchLines: number,
    private readonly full: () => void,
  ) {
    if (batchLines % BATCH_STEP !== 0) throw new Error(`batches of ${batchLines} lines: not a multiple of ${BATCH_STEP}`);
    this.front = parser.fast.front(context);
    this.sentHere = sentHere;
  }

  /** The batch of the lines since the last one (null: none), with `bytesRead` of the input so far. */
  take(bytesRead: number): { batch: Batch; transfer: ArrayBuffer[] } | null {
    return this.w.take(bytesRead);
  }

  /** An oversized line (the splitter kept only its head): as Analysis.oversizedLine() counts it. */
  oversized(no: number, head: string): void {
    this.w.line(head.indexOf('\uFFFD') >= 0);
    this.w.oversized(no, head + '…');
    this.after(no);
  }

  /**
   * One line: decided from its bytes where it can be when it is ASCII (most are only counted
   * as ignored), and decoded only when its text is needed.
   */
  line(no: number, raw: Buffer, start: number, end: number, isAscii: boolean, offset: number): void {
    const front = this.front;
    const w = this.w;
    let text: string | null = null;
    if (!isAscii) text = decodeLine(raw, start, end, false);
    w.line(text !== null && text.indexOf('\uFFFD') >= 0);
    let verdict: number = FRONT_PARSE;
    let sent: Readonly<SentSpans> | null = null;
    let threw = false;
    try {
      verdict = text === null ? front.bytes(raw, start, end) : FRONT_UNDECIDED;
      if (verdict === FRONT_UNDECIDED) {
        text ??= decodeLine(raw, start, end, isAscii);
        verdict = front.text(text);
        // The update's offsets are into the text: bytes of it only when the line is ASCII.
        if (verdict === FRONT_UPDATE && !isAscii) verdict = FRONT_PARSE;
      }
      // An ASCII line: its characters are its bytes, so queue id and recipient are bytes of it.
      if (verdict === FRONT_PARSE && isAscii && this.sentHere) {
        const fast = this.parser.fast;
        if (text === null && fast.sentDeliveryAscii !== undefined) sent = fast.sentDeliveryAscii(raw, start, end, Math.max(0, front.bodyAt));
        else sent = fast.sentDelivery((text ??= decodeLine(raw, start, end, true)), Math.max(0, front.bodyAt));
      }
    } catch {
      threw = true;
    }
    const reason = !threw && verdict === FRONT_IGNORED ? front.reason : null;
    if (reason === 'other-program' && this.otherMta(raw, start, text)) {
      // Another MTA's line (Exim through the same syslog): the analysis routes it.
      w.routed(no, raw, start, end, isAscii, offset);
    } else if (reason !== null) {
      w.ignored(reason, no);
    } else if (threw) {
      w.threw(no, raw, start, end, isAscii, offset);
    } else {
      const bodyAt = front.bodyAt;
      if (verdict === FRONT_UPDATE) {
        // A sender line may be the message's arrival, which the traffic overview counts by hour.
        w.update(no, w.time(front.time), front.update, raw, start);
      } else if (sent !== null) {
        w.sent(no, bodyAt >= 0 ? w.time(front.time) : -1, sent, raw, start);
      } else if (bodyAt >= 0) {
        const time = w.time(front.time);
        const r = front.ranges;
        w.parse(no, time, r, r === null ? front.host : null, r === null ? front.program : null, bodyAt, raw, start, end, isAscii, offset);
      } else {
        w.parse(no, -1, null, null, null, -1, raw, start, end, isAscii, offset);
      }
    }
    this.after(no);
  }

  /** After line `no`: a batch ends at every `batchLines` lines, and sooner past BATCH_BYTES. */
  private after(no: number): void {
    if (no % BATCH_STEP === 0 && (no % this.batchLines === 0 || this.w.byteCount >= BATCH_BYTES)) this.full();
  }

  /** Does the program of the line the front just called `other-program` belong to another MTA? */
  private otherMta(raw: Buffer, start: number, text: string | null): boolean {
    const r = this.front.ranges;
    let program: string | null;
    // Offsets into the text when the front read it, else into the (ASCII) bytes from `start`.
    if (r === null) program = this.front.program;
    else if (text !== null) program = text.slice(r.programAt, r.programEnd);
    else program = decodeLine(raw, start + r.programAt, start + r.programEnd, true);
    if (program === null) return false;
    if (program !== this.lastProgram) {
      this.lastProgram = program;
      this.lastOwner = ownerOfProgram(program, this.parser);
    }
    return this.lastOwner !== null;
  }
}

/**
 * Reads `opened` to its end through the front of its format and posts `start`, the batches and
 * `end`; or only `fallback` when its format has no front or none was detected (then nothing
 * was counted: read it the ordinary way). Never throws: a read error ends the file with `end`.
 */
export async function readWithFront(
  job: ReadJob,
  opened: ChunkedInput,
  post: (m: ReaderMessage, transfer?: ArrayBuffer[]) => void,
  flow: FrontFlow,
): Promise<void> {
  const { behind, between } = flow;
  const batchLines = flow.batchLines ?? BATCH_LINES;
  /** The lines' way once the format is known (with front). */
  let front: FrontLines | null = null;
  const detection = job.forced ? null : new Detection();
  /** The input is given back (nothing was counted): read no further. */
  let fallback = false;
  /** The lines' way once they go on as text (flow.asText, flow.endedAsText). */
  let sink: TextSink | null = null;

  const flush = () => {
    const taken = front!.take(opened.bytesRead());
    if (taken === null) return;
    post(taken.batch, taken.transfer);
    if (job.sentOn === 'auto') front!.sentHere = behind();
  };
  const start = (p: FastLogParser) => {
    front = new FrontLines(p, { reference: opened.reference, year: job.year }, job.sentOn === 'reader', batchLines, flush);
    post({ type: 'start', mta: p.name, reference: opened.reference.getTime(), gzip: opened.gzip, size: opened.size });
  };
  /** From here on the lines go as text (to `sinkOf`'s sink): the held ones first, as read. */
  const toText = (sinkOf: () => TextSink) => {
    sink = sinkOf();
    const heldAt = detection!.takeOffsets();
    detection!.take().forEach((l, i) => {
      if (typeof l === 'string') sink!.line(l, i + 1, heldAt[i] ?? -1);
      else sink!.oversized(l.oversized, i + 1, heldAt[i] ?? -1);
    });
  };
  /** Detection is over (`atEnd`: the input has ended). */
  const decide = (atEnd = false) => {
    const best = detection!.best();
    if (!hasFastPath(best)) {
      const sinkOf = flow.asText ?? (atEnd ? flow.endedAsText : undefined);
      if (sinkOf) toText(sinkOf);
      else fallback = true;
      return;
    }
    const heldAt = detection!.takeOffsets();
    const held = detection!.take();
    start(best);
    // The held lines' bytes are gone: encode them again (as UTF-8, which gives back the same
    // string: what was invalid is U+FFFD by now, and that encodes and decodes as itself).
    held.forEach((l, i) => {
      if (typeof l !== 'string') return front!.oversized(i + 1, l.oversized);
      const b = Buffer.from(l, 'utf8');
      front!.line(i + 1, b, 0, b.length, b.length === l.length, heldAt[i] ?? -1);
    });
  };
  const splitter = new LineSplitter({
    line: (no, raw, start, end, isAscii, offset) => {
      if (front) front.line(no, raw, start, end, isAscii, offset);
      else if (sink) sink.line(decodeLine(raw, start, end, isAscii), no, offset);
      else if (!fallback && detection!.add(decodeLine(raw, start, end, isAscii), offset)) decide();
    },
    oversized: (no, head, offset) => {
      if (front) front.oversized(no, head);
      else if (sink) sink.oversized(head, no, offset);
      else if (!fallback && detection!.addOversized(head, offset)) decide();
    },
  });
  if (job.forced) start(parserByName(job.forced) as FastLogParser);

  let error: { message?: string; code?: string } | undefined;
  try {
    for await (const chunk of opened.chunks) {
      splitter.push(chunk);
      if (fallback) break;
      if (flow.flushEachChunk && front) flush();
      await between();
    }
    // A range (follow mode) ends at a line's end; read short (the file was cut meanwhile), its
    // unfinished last line is left for the follower, which reads on from where it starts.
    if (!fallback && !job.range) splitter.end();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    error = { message: e?.message, code: e?.code };
  }
  const undecided = !front && !fallback && !sink && detection !== null;
  if (undecided && error === undefined) decide(true);
  // Undecided when reading failed: what was read goes on as text, where it cannot be read again.
  else if (undecided && flow.asText) toText(flow.asText);
  if (!front && !sink) {
    opened.close();
    // Undecided before an error, or of a format without a fast path: the main thread reads it
    // (and meets the error) itself.
    post({ type: 'fallback' });
    return;
  }
  if (front) flush();
  const resume = job.range && front ? { resume: (front as FrontLines).front.resume?.() ?? {} } : {};
  const bytesRead = job.range ? splitter.unfinishedAt : opened.bytesRead();
  post({ type: 'end', bytesRead, nulBytes: splitter.nulBytes, ...(error ? { error } : {}), ...resume });
}

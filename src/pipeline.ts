/**
 * input → detect → parse → classify → aggregate. Knows no output format. `Analysis` holds the
 * state of one run and takes lines one at a time (files, stdin, or a followed log alike);
 * `analyse()` drives it over whole inputs and reports progress through a callback.
 *
 * Two threads for big files of a format whose parser has a fast path (parsers/types.ts
 * FastPath: Postfix). A second thread (this same module, started as a worker) reads the file,
 * cuts it into lines, detects the format, and runs the parser's LineFront on every line: it
 * reads every envelope (the year inference needs all of them, in order) and settles the lines
 * that are ignored whatever came before (for Postfix: sessions, TLS, postscreen triage, other
 * programs: most of a busy log). The
 * main thread gets the rest with their envelopes, in order, in batches, and does everything
 * that has state: correlation by queue id, events, classification, aggregation. Sent
 * deliveries (a third of the lines) go through a shortcut that only settles the recipient;
 * either thread can cut them down to queue id and recipient, and the reader does so while the
 * main thread is behind (load balancing). The result is the same as reading on one thread, to
 * the line (see Analysis.applyBatch; test/bench-equivalence.test.ts). Small files, stdin, and
 * files forced to or detected as another format are read on this thread alone.
 */
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { isMainThread, parentPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import type { Readable } from 'node:stream';
import { builtinParsers, FormatDetector, ownerOfProgram, parserByName, syslogOwner } from '../parsers/index.js';
import {
  FRONT_IGNORED,
  FRONT_PARSE,
  FRONT_UNDECIDED,
  FRONT_UPDATE,
  hasFastPath,
  ignored,
  UNRECOGNISED,
  type FastLogParser,
  type FastPath,
  type FrontMachine,
  type LineFront,
  type LineMachine,
  type LineResult,
  type LogParser,
  type SentSpans,
  type StateUpdate,
} from '../parsers/types.js';
import { Aggregator, emptyRunStats } from './aggregate/aggregator.js';
import type { FileStats, FollowRotation, RunStats } from './aggregate/types.js';
import { classifyDeferred } from './classify/classify.js';
import { classifyHealth } from './classify/health.js';
import { LocalDomains } from './classify/local-domains.js';
import type { Classification } from './classify/types.js';
import { describeSystemError, InputError } from './errors.js';
import type { IgnoreReason, MailEvent, Mta } from './event.js';
import { AsciiWindows, decodeLine, forEachLine, LineSplitter, MAX_LINE_BYTES, OVERSIZED_SHOWN_CHARS } from './input/lines.js';
import { openChunks, openInput, type OpenedInput } from './input/open.js';
import { fsPath, rawName, rememberName } from './input/paths.js';
import { WindowFilter, type TimeWindow } from './window.js';
import { journalEntryLine } from './input/journal.js';

/**
 * Lines longer than this are counted (oversized, unrecognised) but not parsed: the line
 * splitter hands them on as oversized (src/input/lines.ts); this catches any other source.
 */
export const MAX_PARSE_CHARS = MAX_LINE_BYTES;
/**
 * Characters of lines held back while the format is undecided. Past it with no line claimed by
 * any parser, a file is read on with detection alone and read again once a parser is picked
 * (or to count its lines as unrecognised); stdin and pipes, which cannot be read again, count
 * the held lines as unrecognised and go on detecting.
 */
export const DETECT_BUFFER_CHARS = 4 * 1024 * 1024;
/** How often (in lines) analyse() reports progress. */
export const PROGRESS_EVERY_LINES = 16_384;
/**
 * Rotations of a followed log kept for the summary (the last ones); older ones are dropped and
 * counted in overflow.followRotations. One per rotation: a log rotated every minute for a week
 * would otherwise keep 10,000.
 */
export const FOLLOW_ROTATIONS_KEPT = 16;
/**
 * Files at least this big (on disk) are read by a second thread when there is a second core.
 * Starting it costs about 0.1 s of CPU; below this size it does not pay.
 */
export const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;
/**
 * Lines per batch from the reader thread; divides PROGRESS_EVERY_LINES. Each batch wakes the
 * main thread once (4,096 a batch cost a few per cent of both threads' time), and the batches
 * in flight are memory (16,384 × 4 ahead: ~12 MB more peak RSS at 1 GB than 8,192 × 3).
 */
const BATCH_LINES = 8192;
/** Batches the reader thread may be ahead of the main thread (bounds the memory in between). */
const MAX_BATCHES_AHEAD = 3;
/**
 * Lines whose offsets are remembered (a power of two), for events a parser releases after a
 * later line (an Exim rejectlog entry, an Exchange record over several lines): their origin gets
 * the offset of their own line when it is this recent. Older ones keep none, and the evidence
 * view finds them by line number instead.
 */
const OFFSET_RING = 4096;

export interface AnalysisOptions {
  /** Force a format instead of detecting it. */
  mta?: Mta;
  /** Year for timestamps that have none. */
  year?: number;
  /** Split findings by host (`--by host`): see Aggregator. */
  byHost?: boolean;
  /** Recipient domains this server hosts (--local-domains), besides those learnt from the log. */
  localDomains?: readonly string[];
  /** `--since`/`--until`: events outside it are not aggregated (see src/window.ts). */
  window?: TimeWindow | null;
  /** Keep every address of every finding (--addresses, --suppression-list). */
  addresses?: boolean;
  /** `--host NAME`: the host of events whose lines name none (Exim's own log files, Exchange protocol logs). */
  host?: string;
  /** Every unrecognised line, for --unrecognised. */
  onUnrecognised?: (file: string, no: number, line: string) => void;
  /**
   * Every classified problem event as it is added (follow mode prints these, the live view
   * counts them). `c.verify` is worked out when read (quoting a dozen values; none of the
   * callers shows it per event), and `c` holds the event: copy what you keep, not `c`.
   * `finding` is the key of the finding it joined (FindingDetails.key), what the trends count by.
   */
  onProblem?: (ev: MailEvent, c: Classification, finding: string) => void;
}

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

export interface PipelineResult {
  aggregator: Aggregator;
  stats: RunStats;
  /** One per input that failed or stopped early; its lines read before that still count. */
  errors: InputError[];
  /** The inputs the second thread read (see `threads`); the results do not depend on it. */
  readByThread?: string[];
}

/** A line held during detection: its text, or the head of an oversized line. */
type Held = string | { oversized: string };

/**
 * Format detection over the first lines of an input, as Analysis does it: every line is held
 * until a parser has DETECT_ENOUGH claims, DETECT_LINES were seen and some parser claimed one,
 * or the held lines pass DETECT_BUFFER_CHARS (then best() may be null: none was claimed).
 * Shared with the reader thread, which must decide the same way.
 */
class Detection {
  private readonly detector = new FormatDetector(builtinParsers);
  held: Held[] = [];
  /** Where each held line starts in the input (-1: unknown). */
  heldAt: number[] = [];
  private heldChars = 0;

  /** Holds `text`; true when detection is over (take best() and the held lines). */
  add(text: string, offset = -1): boolean {
    this.held.push(text);
    this.heldAt.push(offset);
    this.heldChars += text.length;
    if (this.detector.add(text) !== null) return true;
    return this.heldChars > DETECT_BUFFER_CHARS || (this.detector.exhausted && this.detector.best() !== null);
  }

  /** Holds an oversized line (not looked at: it is never parsed); true when detection is over. */
  addOversized(head: string, offset = -1): boolean {
    this.held.push({ oversized: head });
    this.heldAt.push(offset);
    this.heldChars += head.length;
    return this.heldChars > DETECT_BUFFER_CHARS;
  }

  best(): LogParser | null {
    return this.detector.best();
  }

  /** The held lines, which are then forgotten (their offsets: takeOffsets() first). */
  take(): Held[] {
    const lines = this.held;
    this.held = [];
    this.heldAt = [];
    this.heldChars = 0;
    return lines;
  }

  /** The offsets of the held lines, in order (to read before take()). */
  takeOffsets(): number[] {
    return this.heldAt;
  }
}

/**
 * Lines the reader thread settled or passes on, for Analysis.applyBatch: lines
 * `first`…`first + lines - 1` of the current input.
 */
interface Batch {
  type: 'batch';
  first: number;
  lines: number;
  invalidUtf8: number;
  /** Lines ignored by the reader: per reason in order of first appearance, [reason, count, first line]. */
  ignored: Array<[IgnoreReason, number, number]>;
  /**
   * The other lines, in order: their bytes one after another (as read: a line decodes from them
   * exactly as it did in the reader, and a transferred buffer costs nothing to send, where an
   * array of strings costs a copy on each side).
   */
  bytes: Uint8Array;
  /** All of `bytes` is ASCII. */
  ascii: boolean;
  /**
   * META numbers per passed-on line: line number, kind, index into `strings` of its time (-1:
   * null), then by kind. LINE: host start and end, program start and end (offsets in the line;
   * an empty host is null; for the rarer envelope forms, whose host and program are not always
   * substrings, the start is -2 - their index in `strings`, or -1 for null), where its message
   * starts (-1: no envelope), where its bytes end. SENT (a sent delivery, see sentDelivery()):
   * where the bytes of its queue id end (-1: NOQUEUE, no bytes), where those of its recipient end,
   * where those of its original recipient end (-1: no orig_to, no bytes), its delay in
   * hundredths of a second (-1: none). QUEUED + a StateUpdate's kind: where the bytes of its key
   * end, where those of its field end.
   * OVERSIZED: nothing (its text is in `cut`). THREW, ROUTED: where its bytes end.
   */
  meta: Int32Array;
  strings: string[];
  /** Texts of the OVERSIZED lines (cut as unrecognised() shows them), in order. */
  cut: string[];
  /** Bytes read from disk so far. */
  bytesRead: number;
  /** Per passed-on line (one per META entry): where it starts in the input, -1 when not needed. */
  offsets: Float64Array;
}
const META = 9;
const EMPTY = Buffer.alloc(0);
/** A line for FrontMachine.parsed(). */
const LINE = 0;
/** A sent delivery the reader recognised: only its queue id and recipient are sent. */
const SENT = 1;
/** The line is over MAX_PARSE_CHARS: not parsed; its text is in `cut`. */
const OVERSIZED = 2;
/** The reader's triage threw on the line (counted as a parser exception, as line() would). */
const FRONT_THREW = 3;
/** A state update the reader's front recognised (FRONT_UPDATE): QUEUED + its kind. */
const QUEUED = 4;
/** A line of another MTA's syslog program (Exim in the same syslog file): routed by Analysis. */
const ROUTED = -1;

/** The result parsers give a line of another syslog program (shared and frozen: see ignored()). */
const OTHER_PROGRAM = ignored('other-program');

/** The state of one run: statistics, the aggregator, and one parser machine per format. */
export class Analysis {
  readonly aggregator: Aggregator;
  readonly stats: RunStats = emptyRunStats();
  readonly errors: InputError[] = [];
  // One machine per format for the whole run: correlation crosses rotated files.
  private readonly machines = new Map<LogParser, LineMachine>();
  private parserExceptions = 0;
  /** Which recipient domains are ours: decides local vs outbound for failed deliveries. */
  private readonly domains: LocalDomains;
  /** The run's time window, when one was given. */
  private readonly window: WindowFilter | null;

  // The current input.
  private file: FileStats | null = null;
  private reference = new Date();
  private gzip = false;
  private machine: LineMachine | null = null;
  /** The parser of `machine`. */
  private parser: LogParser | null = null;
  private undetected = false;
  private detection = new Detection();
  /** The input can be read again from its start (a file, not stdin or a pipe). */
  private rereadable = false;
  /** Detection alone, past DETECT_BUFFER_CHARS with nothing claimed (a rereadable input). */
  private scanning: FormatDetector | null = null;
  /** Detection ended while scanning: read the input again with this parser (null: none). */
  private rereadWith: LogParser | null | undefined = undefined;
  /** Counters as they were when the current input began, for a read from its start again. */
  private mark = { linesRead: 0, invalidUtf8Lines: 0, oversizedLines: 0, linesUnrecognised: 0 };
  /** Parsers of syslog programs other than the detected one seen in the current input. */
  private begun = new Set<LogParser>();
  /** The last OFFSET_RING parsed lines of the current input: line number and offset (see add()). */
  private readonly ringNo = new Int32Array(OFFSET_RING);
  private readonly ringAt = new Float64Array(OFFSET_RING);
  /** The input the ring is of: the last one begun (events flushed at the end are of it too). */
  private ringFile: string | null = null;

  constructor(private opts: AnalysisOptions = {}) {
    this.domains = new LocalDomains(opts.localDomains);
    // Our domains decide whose bounce is backscatter (src/aggregate/diagnosis.ts).
    this.aggregator = new Aggregator({
      byHost: opts.byHost,
      addresses: opts.addresses,
      ours: (d, mta) => this.domains.has(d, mta),
    });
    this.window = opts.window ? new WindowFilter(opts.window) : null;
  }

  /**
   * The format of the inputs from now on, when it was not known at the start (follow mode: the
   * log did not exist yet). Inputs begun after this are parsed as `mta` without detection.
   */
  useFormat(mta: Mta): void {
    this.opts = { ...this.opts, mta };
  }

  /**
   * Starts an input; its lines follow through line(). `rereadable`: the input can be read
   * again from its start (see rereadWanted).
   */
  begin(path: string, reference: Date, gzip = false, rereadable = false): FileStats {
    const file: FileStats = { path, format: 'unknown', lines: 0, unrecognised: 0 };
    this.stats.files.push(file);
    this.aggregator.beginFile(path, this.stats.files.length - 1);
    this.file = file;
    this.reference = reference;
    this.gzip = gzip;
    this.rereadable = rereadable;
    const { linesRead, invalidUtf8Lines, oversizedLines, linesUnrecognised } = this.stats;
    this.mark = { linesRead, invalidUtf8Lines, oversizedLines, linesUnrecognised };
    this.reset();
    const forced = this.opts.mta ? parserByName(this.opts.mta) : undefined;
    if (forced) this.start(forced);
    return file;
  }

  private reset(): void {
    const file = this.file!;
    file.format = this.gzip ? 'unknown (gzip)' : 'unknown';
    file.lines = 0;
    file.unrecognised = 0;
    this.machine = null;
    this.parser = null;
    this.undetected = false;
    this.detection = new Detection();
    this.scanning = null;
    this.rereadWith = undefined;
    this.begun.clear();
    this.ringNo.fill(0);
    this.ringFile = file.path;
  }

  /**
   * True when the current input must be read again from its start: no line was claimed by any
   * parser in the first DETECT_BUFFER_CHARS, and detection, which went on alone, has ended.
   * Stop reading, call restart(), and give the lines again from line 1.
   */
  get rereadWanted(): boolean {
    return this.rereadWith !== undefined;
  }

  /**
   * The current input's data has ended (before end()): true when it must be read again (see
   * rereadWanted), because detection was going on alone until now.
   */
  dataEnded(): boolean {
    if (this.scanning && this.rereadWith === undefined) this.rereadWith = this.scanning.best();
    return this.rereadWanted;
  }

  /** Begins the current input again, with the format detection settled on (see rereadWanted). */
  restart(): void {
    const choice = this.rereadWith;
    Object.assign(this.stats, this.mark);
    this.reset();
    if (choice) this.start(choice);
    else this.undetected = true;
  }

  /** Bytes of a followed log that could not be read (see src/input/follow.ts). */
  followLost(n: number): void {
    if (n > 0) this.stats.followLostBytes = (this.stats.followLostBytes ?? 0) + n;
  }

  /** Puts what the window left out into the stats (finish() does; follow mode's snapshots too). */
  windowStats(): void {
    if (!this.window) return;
    this.stats.window = this.window.stats();
    if (this.window.evicted > 0) this.stats.overflow.windowMessagesEvicted = this.window.evicted;
  }

  /** A followed log was rotated (see src/input/follow.ts): kept for the summary, the last FOLLOW_ROTATIONS_KEPT. */
  followRotated(r: FollowRotation): void {
    const kept = (this.stats.followRotations ??= []);
    kept.push(r);
    if (kept.length > FOLLOW_ROTATIONS_KEPT) {
      kept.shift();
      this.stats.overflow.followRotations = (this.stats.overflow.followRotations ?? 0) + 1;
    }
  }

  /** NUL bytes dropped from the current input (see src/input/lines.ts). */
  nulBytes(n: number): void {
    if (n > 0) this.stats.nulBytes = (this.stats.nulBytes ?? 0) + n;
  }

  /** An input that could not be opened at all. */
  failed(path: string, err: InputError): void {
    this.stats.files.push({ path, format: 'unknown', lines: 0, unrecognised: 0, error: err.message });
    this.errors.push(err);
  }

  /**
   * One physical line of the current input (`no` is 1-based; `offset`: where it starts in the
   * input, -1 when unknown). Never throws.
   */
  line(text: string, no: number, offset = -1): void {
    const file = this.file!;
    // `journalctl -o json` entries are read as the syslog lines they stand for (src/input/journal.ts).
    if (text.charCodeAt(0) === 123 /* { */) text = journalEntryLine(text) ?? text;
    this.stats.linesRead++;
    file.lines++;
    if (text.indexOf('\uFFFD') >= 0) this.stats.invalidUtf8Lines++;
    if (this.machine) return this.parse(text, no, offset);
    if (this.undetected) return this.unrecognised(text, no);
    if (this.scanning) {
      const picked = this.rereadWith === undefined ? this.scanning.add(text) : null;
      if (picked) this.rereadWith = picked;
      return;
    }
    if (this.detection.add(text, offset)) this.decide(false);
  }

  /**
   * A line over MAX_LINE_BYTES of the current input, by its first characters (the line
   * splitter skipped the rest): counted as oversized and unrecognised, never parsed.
   */
  oversizedLine(head: string, no: number, offset = -1): void {
    this.stats.linesRead++;
    this.file!.lines++;
    if (head.indexOf('\uFFFD') >= 0) this.stats.invalidUtf8Lines++;
    if (this.machine || this.undetected) return this.oversized(head, no);
    if (this.scanning) return;
    if (this.detection.addOversized(head, offset)) this.decide(false);
  }

  /**
   * Ends the current input; `error` when reading stopped early. `bytes`: how much was read (for
   * the message when no line was recognised).
   */
  end(error?: string, bytes?: number): void {
    const file = this.file!;
    if (error !== undefined) {
      file.error = error;
      this.errors.push(new InputError(file.path, error));
    }
    // Detection still going on alone when reading stopped: no line could be parsed.
    if (this.scanning) this.undetected = true;
    if (!this.machine && !this.undetected) this.decide(true);
    if (this.undetected && file.lines > 0 && error === undefined) {
      const names = builtinParsers
        .map((p) => p.name[0]!.toUpperCase() + p.name.slice(1))
        .join(', ')
        .replace(/, ([^,]+)$/, ' or $1');
      const read = `${file.lines} ${file.lines === 1 ? 'line' : 'lines'}${bytes === undefined ? '' : ` (${bytes} bytes${this.gzip ? ' compressed' : ''})`}`;
      const msg = `not a ${names} log: no line recognised in the ${read} read (force a format with --mta)`;
      file.error ??= msg;
      this.errors.push(new InputError(file.path, msg));
    }
    if (file.lines === 0 && !file.error) file.format = 'empty';
    this.file = null;
  }

  /** After the last input: flush the machines and collect their overflow counters. */
  finish(): PipelineResult {
    for (const m of this.machines.values()) {
      for (const ev of m.end()) this.add(ev);
      for (const [k, v] of Object.entries(m.overflow())) this.stats.overflow[k] = (this.stats.overflow[k] ?? 0) + v;
    }
    if (this.parserExceptions > 0) this.stats.overflow.parserExceptions = this.parserExceptions;
    if (this.domains.dropped > 0) this.stats.overflow.localDomainsNotLearnt = this.domains.dropped;
    this.windowStats();
    return { aggregator: this.aggregator, stats: this.stats, errors: this.errors };
  }

  /**
   * The current input is of `parser`'s format and its lines come from the reader thread
   * (analyse() only): begin() then this, instead of detecting the format here.
   */
  startFast(parser: FastLogParser): FrontMachine {
    this.start(parser);
    return this.machine as FrontMachine;
  }

  /**
   * Lines of the current input from the reader thread. Gives the same statistics, events and
   * callbacks as line() on each of them: the lines it passes on are parsed here in order; the
   * ones it ignored are added up, and each reason is entered in ignoredByReason just before
   * the first passed-on line that follows its first appearance, so that even the order of the
   * reasons is the same.
   */
  applyBatch(b: Batch, machine: FrontMachine, fast: FastPath): void {
    const file = this.file!;
    this.stats.linesRead += b.lines;
    file.lines += b.lines;
    this.stats.invalidUtf8Lines += b.invalidUtf8;
    const { ignored, meta, strings, ascii } = b;
    const bytes = Buffer.from(b.bytes.buffer, b.bytes.byteOffset, b.bytes.byteLength);
    // An ASCII batch is decoded a window at a time, as LineSplitter does.
    const windows = ascii ? new AsciiWindows(bytes) : null;
    const decode = (start: number, end: number, isAscii: boolean): string =>
      windows ? windows.slice(start, end) : decodeLine(bytes, start, end, isAscii);
    const str = (idx: number): string | null => (idx < 0 ? null : strings[idx]!);
    let k = 0;
    let cut = 0;
    let pos = 0;
    for (let at = 0; at < meta.length; at += META) {
      const no = meta[at]!;
      const offset = b.offsets[at / META]!;
      while (k < ignored.length && ignored[k]![2] < no) this.ignoredMany(ignored[k++]!);
      const kind = meta[at + 1]!;
      if (kind === SENT) {
        // What the shortcut below does, with the two fields the reader cut out.
        const queueEnd = meta[at + 3]!;
        const toEnd = meta[at + 4]!;
        const origEnd = meta[at + 5]!;
        const queueId = queueEnd < 0 ? null : decode(pos, queueEnd, true);
        const to = decode(queueEnd < 0 ? pos : queueEnd, toEnd, true);
        const origTo = origEnd < 0 ? null : decode(toEnd, origEnd, true);
        pos = origEnd < 0 ? toEnd : origEnd;
        const delay = meta[at + 6]!;
        this.sentDelivery(machine, queueId, to, str(meta[at + 2]!), origTo, delay < 0 ? null : delay / 100);
        continue;
      }
      if (kind > QUEUED) {
        const queueEnd = meta[at + 3]!;
        const fieldEnd = meta[at + 4]!;
        const queueId = decode(pos, queueEnd, true);
        const field = decode(queueEnd, fieldEnd, true);
        pos = fieldEnd;
        // What parsed() + result() do with the line: update the table, count the line (and
        // count the message's arrival, the first time: parsed() gives a received event then).
        if (machine.update(kind - QUEUED, queueId, field)) this.aggregator.countReceived(str(meta[at + 2]!), field);
        this.stats.linesRecognised++;
        continue;
      }
      if (kind === OVERSIZED) {
        this.stats.oversizedLines++;
        this.unrecognised(b.cut[cut++]!, no);
        continue;
      }
      const end = meta[at + 8]!;
      const text = decode(pos, end, false);
      pos = end;
      this.remember(no, offset);
      if (kind === ROUTED) {
        this.result(OTHER_PROGRAM, text, no);
        continue;
      }
      if (kind === FRONT_THREW) {
        this.parserExceptions++;
        this.unrecognised(text, no);
        continue;
      }
      const bodyAt = meta[at + 7]!;
      let r;
      try {
        // A sent delivery (most of these lines) is only counted and settles its recipient: what
        // parsed() + result() would do with it, without building the event (see sentDelivery()).
        const sent = fast.sentDelivery(text, Math.max(0, bodyAt));
        if (sent !== null) {
          const queueId = sent.queueEnd < 0 ? null : text.slice(sent.queueAt, sent.queueEnd);
          const origTo = sent.origAt < 0 ? null : text.slice(sent.origAt, sent.origEnd);
          const delay = sent.delay < 0 ? null : sent.delay;
          this.sentDelivery(machine, queueId, text.slice(sent.toAt, sent.toEnd), str(meta[at + 2]!), origTo, delay);
          continue;
        }
        const hostAt = meta[at + 3]!;
        const programAt = meta[at + 5]!;
        const host = hostAt < 0 ? str(-2 - hostAt) : meta[at + 4]! > hostAt ? text.slice(hostAt, meta[at + 4]!) : null;
        const program = programAt < 0 ? str(-2 - programAt) : text.slice(programAt, meta[at + 6]!);
        r = machine.parsed(text, no, str(meta[at + 2]!), host, program, bodyAt);
      } catch {
        this.parserExceptions++;
        this.unrecognised(text, no);
        continue;
      }
      this.result(r, text, no);
    }
    while (k < ignored.length) this.ignoredMany(ignored[k++]!);
  }

  /** What parse() + result() + add() do with a sent delivery's line (see sentDelivery()). */
  private sentDelivery(
    machine: FrontMachine,
    queueId: string | null,
    to: string,
    time: string | null,
    origTo: string | null,
    delay: number | null,
  ): void {
    machine.sent(queueId, to);
    this.stats.linesRecognised++;
    if (this.window && !this.window.keep(time)) return;
    this.aggregator.countSent(time, to, delay);
    // The diagnosis's evidence that these addresses work (an alias's own address is orig_to).
    this.aggregator.sentTo(to, origTo);
  }

  private ignoredMany([reason, count]: [IgnoreReason, number, number]): void {
    this.stats.linesIgnored += count;
    this.stats.ignoredByReason[reason] = (this.stats.ignoredByReason[reason] ?? 0) + count;
  }

  /** The run's machine for `parser`, begun for the current input. */
  private machineOf(parser: LogParser): LineMachine {
    let m = this.machines.get(parser);
    if (!m) {
      m = parser.create();
      this.machines.set(parser, m);
    }
    m.begin({ file: this.file!.path, reference: this.reference, year: this.opts.year });
    return m;
  }

  private start(parser: LogParser): void {
    this.machine = this.machineOf(parser);
    this.parser = parser;
    this.file!.format = parser.name + (this.gzip ? ' (gzip)' : '');
  }

  /**
   * A line the input's parser called `other-program`: the result of the parser whose syslog
   * program it is (Postfix and Exim in one syslog file), or null when no parser owns it.
   */
  private route(line: string, no: number): LineResult | null {
    const owner = syslogOwner(line, this.parser);
    if (owner === null) return null;
    let m = this.machines.get(owner);
    if (!m || !this.begun.has(owner)) {
      m = this.machineOf(owner);
      this.begun.add(owner);
      const file = this.file!;
      file.format = [this.parser!, ...this.begun].map((p) => p.name).join(' + ') + (this.gzip ? ' (gzip)' : '');
    }
    try {
      return m.line(line, no);
    } catch {
      this.parserExceptions++;
      return UNRECOGNISED;
    }
  }

  /**
   * Detection is over (`atEnd`: the input ended): pick the parser and replay the held lines. With
   * no line claimed yet and the input not over, detection goes on: alone for an input that can
   * be read again, else after counting the held lines as unrecognised.
   */
  private decide(atEnd: boolean): void {
    const best = this.detection.best();
    const first = this.file!.lines - this.detection.held.length + 1;
    if (best) {
      this.start(best);
    } else if (!atEnd && this.rereadable) {
      this.detection.take();
      this.scanning = new FormatDetector(builtinParsers);
      return;
    } else if (atEnd) {
      this.undetected = true;
    }
    const offsets = this.detection.takeOffsets();
    const lines = this.detection.take();
    lines.forEach((l, i) => {
      if (typeof l !== 'string') this.oversized(l.oversized, first + i);
      else if (this.machine) this.parse(l, first + i, offsets[i] ?? -1);
      else this.unrecognised(l, first + i);
    });
    if (!best && !atEnd) this.detection = new Detection();
  }

  /** Line `no` of the current input starts at `offset` (see OFFSET_RING). */
  private remember(no: number, offset: number): void {
    const i = no & (OFFSET_RING - 1);
    this.ringNo[i] = no;
    this.ringAt[i] = offset;
  }

  private add(ev: MailEvent): void {
    if (ev.host === null && this.opts.host !== undefined) ev.host = this.opts.host;
    // Where its line starts, when that line was read lately (the parsers do not know offsets).
    const o = ev.origin;
    if (o.offset === undefined && o.file === this.ringFile) {
      const i = o.line & (OFFSET_RING - 1);
      if (this.ringNo[i] === o.line && this.ringAt[i]! >= 0) o.offset = this.ringAt[i]!;
    }
    // classify() with the verify command filled in only when read (the aggregator reads it for
    // a finding's first event; filling it in for every event was 2-3 % of the live view's run).
    const c = ev.kind === 'health' ? classifyHealth(ev) : classifyDeferred(ev, this.domains);
    // Which domains are ours is learnt from every event: it is a fact about the server, not the window.
    this.domains.learn(ev, c);
    if (this.window && !this.window.keep(ev.time, ev.queueId, ev.host)) return;
    const finding = this.aggregator.add(ev, c);
    if (c && this.opts.onProblem) this.opts.onProblem(ev, c, finding!);
  }

  private unrecognised(line: string, no: number): void {
    this.stats.linesUnrecognised++;
    this.file!.unrecognised++;
    this.opts.onUnrecognised?.(this.file!.path, no, line);
  }

  private oversized(line: string, no: number): void {
    this.stats.oversizedLines++;
    this.unrecognised(line.slice(0, OVERSIZED_SHOWN_CHARS) + '…', no);
  }

  private parse(line: string, no: number, offset = -1): void {
    if (line.length > MAX_PARSE_CHARS) return this.oversized(line, no);
    this.remember(no, offset);
    let r;
    try {
      r = this.machine!.line(line, no);
    } catch {
      // A parser bug must not stop the run: the line counts as not understood.
      this.parserExceptions++;
      this.unrecognised(line, no);
      return;
    }
    this.result(r, line, no);
  }

  private result(r: LineResult, line: string, no: number): void {
    if (r === OTHER_PROGRAM) r = this.route(line, no) ?? r;
    if (r.status === 'recognised') {
      this.stats.linesRecognised++;
      for (const ev of r.events) this.add(ev);
    } else {
      if (r.status === 'ignored') {
        this.stats.linesIgnored++;
        this.stats.ignoredByReason[r.reason] = (this.stats.ignoredByReason[r.reason] ?? 0) + 1;
      } else {
        this.unrecognised(line, no);
      }
      // Events of earlier lines that this one released (parsers/types.ts withEvents()).
      if (r.events) for (const ev of r.events) this.add(ev);
    }
  }
}

/** Why reading stopped, as the file's error says it. */
function readError(err: { message?: string; code?: string } | undefined, lines: number): string {
  return `${describeSystemError(err)} (after ${lines} ${lines === 1 ? 'line' : 'lines'})`;
}

/** Reads the inputs in the order given, one after another. */
export async function analyse(inputs: readonly string[], opts: PipelineOptions): Promise<PipelineResult> {
  const analysis = new Analysis(opts);
  const reader = await ReaderThread.forRun(inputs, opts);
  const readByThread: string[] = [];
  try {
    for (const [index, path] of inputs.entries()) {
      if (reader && (await reader.eligible(path)) && (await reader.read(path, index, analysis, opts))) {
        readByThread.push(path);
        continue;
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
  return { ...analysis.finish(), readByThread };
}

// ---------------------------------------------------------------- the reader thread

const READER_ROLE = 'maillog-doctor/reader';
/**
 * Young generation of the reader thread, MiB: its garbage is lines that die at once, but each
 * scavenge copies the live 64 KiB window; 2 MiB meant twice the scavenges (100 MB: 247 in
 * 103 ms, 121 in 74 ms at 4 MiB) for 2 MB less RSS.
 */
const READER_YOUNG_MB = 4;

/** Main → reader: read this file. */
interface ReadJob {
  type: 'read';
  path: string;
  /** The bytes of `path` when it is the display name of a name that is not UTF-8 (src/input/paths.ts). */
  raw?: Uint8Array;
  now: number;
  year?: number;
  /** --mta naming a format with a fast path: no detection. */
  forced?: Mta;
  sentOn: 'auto' | 'reader' | 'main';
}

/** Reader → main, per file: `fallback` (read it yourself), or `start`, batches, `end`. */
type ReaderMessage =
  | { type: 'fallback' }
  | { type: 'start'; mta: Mta; reference: number; gzip: boolean; size: number | null }
  | Batch
  | { type: 'end'; bytesRead: number; nulBytes: number; error?: { message?: string; code?: string } };

/**
 * The main thread's side of the reader thread: one per run, reused for every file it takes.
 * The thread starts with the first file for it, and stops when it gives a file back (no fast
 * path for its format): an idle thread holds some 20 MB while this thread reads that file itself. The next
 * file for it starts a new one.
 */
class ReaderThread {
  private worker: Worker | null = null;
  /** Batches taken from the reader so far (shared with it: its flow control). */
  private readonly applied = new Int32Array(new SharedArrayBuffer(4));
  private readonly queue: ReaderMessage[] = [];
  private wake: (() => void) | null = null;
  private failure: Error | null = null;

  private constructor(private readonly minBytes: number) {}

  /** A reader thread when more than one thread may be used and some input is for it. */
  static async forRun(inputs: readonly string[], opts: PipelineOptions): Promise<ReaderThread | null> {
    const asked = opts.threads ?? (Number(process.env.MAILLOG_DOCTOR_THREADS) || undefined);
    const threads = asked ?? (availableParallelism() > 1 ? 2 : 1);
    if (threads < 2 || (opts.mta && !hasFastPath(parserByName(opts.mta)))) return null;
    // Only from the compiled module: a worker cannot start from TypeScript source (tests).
    if (!import.meta.url.endsWith('.js')) return null;
    const minBytes = asked === undefined ? PARALLEL_MIN_BYTES : 0;
    let any = false;
    for (const path of inputs) if (await isFileOf(path, minBytes)) any = true;
    return any ? new ReaderThread(minBytes) : null;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    Atomics.store(this.applied, 0, 0);
    // A small young generation: the reader's garbage is lines that die at once, and the
    // default (16 MiB semi-spaces) would only add to the peak RSS.
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { role: READER_ROLE, applied: this.applied },
      resourceLimits: { maxYoungGenerationSizeMb: READER_YOUNG_MB },
    });
    worker.on('message', (m: ReaderMessage) => {
      this.queue.push(m);
      this.wake?.();
    });
    const fail = (err: Error) => {
      if (this.worker !== worker) return; // stopped on purpose
      this.failure ??= err;
      this.wake?.();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`reader thread exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  private async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.queue.length = 0;
    await worker?.terminate();
  }

  eligible(path: string): Promise<boolean> {
    return this.failure ? Promise.resolve(false) : isFileOf(path, this.minBytes);
  }

  /**
   * Reads one file through the reader thread into `analysis`. False when the file is not for
   * it (no fast path for its format, could not be opened): nothing was counted, read it the ordinary way.
   */
  async read(path: string, index: number, analysis: Analysis, opts: PipelineOptions): Promise<boolean> {
    const job: ReadJob = {
      type: 'read', path, raw: rawName(path), now: opts.now.getTime(), year: opts.year, forced: opts.mta, sentOn: opts.sentOn ?? 'auto',
    };
    this.start().postMessage(job);
    const first = await this.next();
    if (first === null || first.type !== 'start') {
      if (first?.type === 'fallback') await this.stop();
      return false;
    }
    const file = analysis.begin(path, new Date(first.reference), first.gzip);
    const parser = parserByName(first.mta) as FastLogParser;
    const machine = analysis.startFast(parser);
    let bytesRead = 0;
    const progress = (done: boolean) =>
      opts.onProgress?.({ file, index, bytesRead, size: first.size, done, analysis });
    for (;;) {
      const m = await this.next();
      if (m === null) {
        // The thread died: the lines read so far stay counted, like any read error.
        analysis.end(`${this.failure?.message ?? 'reader thread failed'} (after ${file.lines} ${file.lines === 1 ? 'line' : 'lines'})`);
        break;
      }
      if (m.type === 'batch') {
        Atomics.add(this.applied, 0, 1);
        Atomics.notify(this.applied, 0);
        bytesRead = m.bytesRead;
        analysis.applyBatch(m, machine, parser.fast);
        if (opts.onProgress && file.lines % PROGRESS_EVERY_LINES === 0) progress(false);
      } else if (m.type === 'end') {
        bytesRead = m.bytesRead;
        analysis.nulBytes(m.nulBytes);
        analysis.end(m.error ? readError(m.error, file.lines) : undefined, bytesRead);
        break;
      }
    }
    progress(true);
    return true;
  }

  async close(): Promise<void> {
    await this.stop();
  }

  /** The next message, or null once the thread has failed. */
  private async next(): Promise<ReaderMessage | null> {
    while (this.queue.length === 0) {
      if (this.failure) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
    return this.queue.shift()!;
  }
}

/**
 * Bytes [start, end) of `from` into `to` at `at`; returns how many. Most ranges are a queue id
 * or an address: a loop copies those in less time than Buffer.copy() takes to check its
 * arguments and make a view.
 */
function copyBytes(from: Uint8Array, start: number, end: number, to: Buffer, at: number): number {
  const n = end - start;
  if (n > 96) return (from as Buffer).copy(to, at, start, end);
  for (let i = 0; i < n; i++) to[at + i] = from[start + i]!;
  return n;
}

/** Is `path` a regular file of at least `minBytes`? */
async function isFileOf(path: string, minBytes: number): Promise<boolean> {
  if (path === '-') return false;
  try {
    const s = await stat(fsPath(path));
    return s.isFile() && s.size >= minBytes;
  } catch {
    return false;
  }
}

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
      opened = await openChunks(job.path, new Date(job.now));
    } catch {
      port.postMessage({ type: 'fallback' });
      return;
    }
    const post = (m: ReaderMessage, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);
    let front: LineFront | null = null;
    /** The format of the file, once known (with front). */
    let parser: FastLogParser | null = null;
    const detection = job.forced ? null : new Detection();
    let fallback = false;

    // The batch being filled.
    let first = 1;
    let count = 0;
    let invalidUtf8 = 0;
    let ignored = new Map<IgnoreReason, [IgnoreReason, number, number]>();
    let bytes = Buffer.allocUnsafeSlow(1 << 20);
    let used = 0;
    let ascii = true;
    let meta = new Int32Array(META * 1024);
    let offsets = new Float64Array(1024);
    let lines = 0;
    let strings: string[] = [];
    let stringIndex = new Map<string, number>();
    let cut: string[] = [];
    const idx = (s: string | null): number => {
      if (s === null) return -1;
      let i = stringIndex.get(s);
      if (i === undefined) {
        i = strings.length;
        strings.push(s);
        stringIndex.set(s, i);
      }
      return i;
    };
    // Times repeat line after line: the last one is checked first.
    let lastTime: string | null = null;
    let lastTimeIdx = -1;
    const timeIndex = (f: LineFront): number => {
      const time = f.time;
      if (time !== lastTime) {
        lastTime = time;
        lastTimeIdx = idx(time);
      }
      return lastTimeIdx;
    };
    const room = (n: number) => {
      if (used + n > bytes.length) {
        const bigger = Buffer.allocUnsafeSlow(Math.max(bytes.length * 2, used + n));
        bytes.copy(bigger, 0, 0, used);
        bytes = bigger;
      }
      if ((lines + 1) * META > meta.length) {
        const bigger = new Int32Array(meta.length * 2);
        bigger.set(meta);
        meta = bigger;
        const more = new Float64Array(offsets.length * 2);
        more.set(offsets);
        offsets = more;
      }
      offsets[lines] = -1;
      return lines++ * META;
    };
    const pass = (no: number, kind: number, time: number, host: number, hostEnd: number, program: number, programEnd: number, bodyAt: number, from: Buffer, start: number, end: number, isAscii: boolean, offset = -1) => {
      const n = end - start;
      const at = room(n);
      offsets[at / META] = offset;
      copyBytes(from, start, end, bytes, used);
      used += n;
      if (!isAscii) ascii = false;
      meta[at] = no;
      meta[at + 1] = kind;
      meta[at + 2] = time;
      meta[at + 3] = host;
      meta[at + 4] = hostEnd;
      meta[at + 5] = program;
      meta[at + 6] = programEnd;
      meta[at + 7] = bodyAt;
      meta[at + 8] = used;
    };
    /** A sent delivery of an ASCII line (bytes [start, …) of `from`): the bytes of its queue id and recipient. */
    const passSent = (no: number, time: number, s: Readonly<SentSpans>, from: Buffer, start: number) => {
      const at = room((s.queueEnd < 0 ? 0 : s.queueEnd - s.queueAt) + s.toEnd - s.toAt + (s.origAt < 0 ? 0 : s.origEnd - s.origAt));
      meta[at] = no;
      meta[at + 1] = SENT;
      meta[at + 2] = time;
      if (s.queueEnd < 0) {
        meta[at + 3] = -1;
      } else {
        used += copyBytes(from, start + s.queueAt, start + s.queueEnd, bytes, used);
        meta[at + 3] = used;
      }
      used += copyBytes(from, start + s.toAt, start + s.toEnd, bytes, used);
      meta[at + 4] = used;
      if (s.origAt < 0) {
        meta[at + 5] = -1;
      } else {
        used += copyBytes(from, start + s.origAt, start + s.origEnd, bytes, used);
        meta[at + 5] = used;
      }
      // The delay in hundredths of a second: Postfix logs at most two decimals.
      meta[at + 6] = s.delay < 0 ? -1 : Math.min(Math.round(s.delay * 100), 0x7fffffff);
    };
    /** A state update of an ASCII line (bytes [start, …) of `from`): the bytes of its key and field. */
    const passQueued = (no: number, time: number, u: Readonly<StateUpdate>, from: Buffer, start: number) => {
      const at = room(u.keyEnd - u.keyAt + u.fieldEnd - u.fieldAt);
      meta[at] = no;
      meta[at + 1] = QUEUED + u.kind;
      meta[at + 2] = time;
      used += copyBytes(from, start + u.keyAt, start + u.keyEnd, bytes, used);
      meta[at + 3] = used;
      used += copyBytes(from, start + u.fieldAt, start + u.fieldEnd, bytes, used);
      meta[at + 4] = used;
    };
    // Sent deliveries are a third of the lines, and either thread can reduce them to queue id
    // and recipient with the same function. The reader does it for the next batch while the main
    // thread is behind (two batches or more waiting): then the reader has time to spare.
    let sentHere = job.sentOn === 'reader';
    const flush = () => {
      if (count === 0) return;
      const out = bytes.buffer.slice(0, used);
      const m = meta.slice(0, lines * META);
      const o = offsets.slice(0, lines);
      const batch: Batch = {
        type: 'batch', first, lines: count, invalidUtf8, ignored: [...ignored.values()], bytes: new Uint8Array(out), ascii,
        meta: m, strings, cut, bytesRead: opened.bytesRead(), offsets: o,
      };
      post(batch, [out, m.buffer, o.buffer]);
      posted++;
      first += count;
      count = 0;
      invalidUtf8 = 0;
      ignored = new Map();
      used = 0;
      ascii = true;
      lines = 0;
      strings = [];
      stringIndex = new Map();
      lastTime = null;
      lastTimeIdx = -1;
      cut = [];
      if (job.sentOn === 'auto') sentHere = posted - Atomics.load(applied, 0) >= 2;
    };
    const start = (p: FastLogParser) => {
      parser = p;
      front = p.fast.front({ reference: opened.reference, year: job.year });
      post({ type: 'start', mta: p.name, reference: opened.reference.getTime(), gzip: opened.gzip, size: opened.size });
    };
    /**
     * One line once the format is known: as Analysis.line() + parse() would count it. An ASCII
     * line is decided from its bytes where it can be (most are only counted as ignored) and
     * decoded only when its text is needed.
     */
    /** An oversized line (the splitter kept only its head): as Analysis.oversizedLine() counts it. */
    const takeOversized = (no: number, head: string) => {
      count++;
      if (head.indexOf('\uFFFD') >= 0) invalidUtf8++;
      cut.push(head + '…');
      pass(no, OVERSIZED, -1, -1, -1, -1, -1, -1, EMPTY, 0, 0, true);
      if (no % BATCH_LINES === 0) flush();
    };
    // The MTA of the last program that was not the file's (syslog programs repeat line after line).
    let lastProgram = '';
    let lastOwner: LogParser | null = null;
    /** Does the program of the line the front just called `other-program` belong to another MTA? */
    const otherMta = (raw: Buffer, start: number, text: string | null): boolean => {
      const r = front!.ranges;
      let program: string | null;
      // Offsets into the text when the front read it, else into the (ASCII) bytes from `start`.
      if (r === null) program = front!.program;
      else if (text !== null) program = text.slice(r.programAt, r.programEnd);
      else program = decodeLine(raw, start + r.programAt, start + r.programEnd, true);
      if (program === null) return false;
      if (program !== lastProgram) {
        lastProgram = program;
        lastOwner = ownerOfProgram(program, parser);
      }
      return lastOwner !== null;
    };
    const take = (no: number, raw: Buffer, start: number, end: number, isAscii: boolean, offset: number) => {
      count++;
      let text: string | null = null;
      if (!isAscii) {
        text = decodeLine(raw, start, end, false);
        if (text.indexOf('\uFFFD') >= 0) invalidUtf8++;
      }
      {
        let verdict: number = FRONT_PARSE;
        let sent: Readonly<SentSpans> | null = null;
        let threw = false;
        try {
          verdict = text === null ? front!.bytes(raw, start, end) : FRONT_UNDECIDED;
          if (verdict === FRONT_UNDECIDED) {
            text ??= decodeLine(raw, start, end, isAscii);
            verdict = front!.text(text);
          }
          // An ASCII line: its characters are its bytes, so queue id and recipient are bytes of it.
          if (verdict === FRONT_PARSE && isAscii && sentHere) {
            text ??= decodeLine(raw, start, end, true);
            sent = parser!.fast.sentDelivery(text, Math.max(0, front!.bodyAt));
          }
        } catch {
          threw = true;
        }
        const reason = !threw && verdict === FRONT_IGNORED ? front!.reason : null;
        if (reason === 'other-program' && otherMta(raw, start, text)) {
          // Another MTA's line (Exim through the same syslog): the main thread routes it.
          pass(no, ROUTED, -1, -1, -1, -1, -1, -1, raw, start, end, isAscii, offset);
        } else if (reason !== null) {
          const seen = ignored.get(reason);
          if (seen) seen[1]++;
          else ignored.set(reason, [reason, 1, no]);
        } else if (threw) {
          pass(no, FRONT_THREW, -1, -1, -1, -1, -1, -1, raw, start, end, isAscii, offset);
        } else {
          const bodyAt = front!.bodyAt;
          if (verdict === FRONT_UPDATE) {
            // A sender line may be the message's arrival, which the traffic overview counts by hour.
            passQueued(no, timeIndex(front!), front!.update, raw, start);
          } else if (sent !== null) {
            passSent(no, bodyAt >= 0 ? timeIndex(front!) : -1, sent, raw, start);
          } else if (bodyAt >= 0) {
            const time = timeIndex(front!);
            const r = front!.ranges;
            if (r !== null) pass(no, LINE, time, r.hostAt, r.hostEnd, r.programAt, r.programEnd, bodyAt, raw, start, end, isAscii, offset);
            else pass(no, LINE, time, -2 - idx(front!.host), 0, -2 - idx(front!.program), 0, bodyAt, raw, start, end, isAscii, offset);
          } else {
            pass(no, LINE, -1, -1, -1, -1, -1, -1, raw, start, end, isAscii, offset);
          }
        }
      }
      if (no % BATCH_LINES === 0) flush();
    };
    const decide = () => {
      const best = detection!.best();
      const heldAt = detection!.takeOffsets();
      const held = detection!.take();
      if (!hasFastPath(best)) {
        fallback = true;
        return;
      }
      start(best);
      // The held lines' bytes are gone: encode them again (as UTF-8, which gives back the same
      // string: what was invalid is U+FFFD by now, and that encodes and decodes as itself).
      held.forEach((l, i) => {
        if (typeof l !== 'string') return takeOversized(i + 1, l.oversized);
        const b = Buffer.from(l, 'utf8');
        take(i + 1, b, 0, b.length, b.length === l.length, heldAt[i] ?? -1);
      });
    };
    const splitter = new LineSplitter({
      line: (no, raw, start, end, isAscii, offset) => {
        if (front) take(no, raw, start, end, isAscii, offset);
        else if (!fallback && detection!.add(decodeLine(raw, start, end, isAscii), offset)) decide();
      },
      oversized: (no, head) => {
        if (front) takeOversized(no, head);
        else if (!fallback && detection!.addOversized(head)) decide();
      },
    });
    if (job.forced) start(parserByName(job.forced) as FastLogParser);

    let error: { message?: string; code?: string } | undefined;
    try {
      for await (const chunk of opened.chunks) {
        splitter.push(chunk);
        if (fallback) break;
        waitForMain();
      }
      if (!fallback) splitter.end();
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      error = { message: e?.message, code: e?.code };
    }
    if (!front && !fallback && detection && error === undefined) decide();
    if (fallback || !front) {
      opened.close();
      // Undecided before an error, or of a format without a fast path: the main thread reads it
      // (and meets the error) itself.
      post({ type: 'fallback' });
      return;
    }
    flush();
    post({ type: 'end', bytesRead: opened.bytesRead(), nulBytes: splitter.nulBytes, ...(error ? { error } : {}) });
  }
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === READER_ROLE) readerThread(parentPort!, (workerData as { applied: Int32Array }).applied);

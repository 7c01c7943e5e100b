/**
 * input → detect → parse → classify → aggregate for one run, a line at a time. `Analysis`
 * holds the state of the run and takes lines one at a time (files, stdin, or a followed log
 * alike), or in batches from the reader thread (applyBatch(): the same results, to the line).
 * Knows no output format; run.ts drives it over whole inputs.
 */
import { builtinParsers, FormatDetector, parserByName, syslogOwner } from '../../parsers/index.js';
import { ignored, UNRECOGNISED, type FastLogParser, type FastPath, type FrontMachine, type LineMachine, type LineResult, type LogParser } from '../../parsers/types.js';
import { Aggregator, emptyRunStats } from '../aggregate/aggregator.js';
import type { FileStats, FollowRotation, RunStats } from '../aggregate/types.js';
import { classifyDeferred } from '../classify/classify.js';
import { classifyHealth } from '../classify/health.js';
import { LocalDomains } from '../classify/local-domains.js';
import type { Classification } from '../classify/types.js';
import { InputError } from '../errors.js';
import type { IgnoreReason, MailEvent, Mta } from '../event.js';
import { MAX_LINE_BYTES, OVERSIZED_SHOWN_CHARS } from '../input/lines.js';
import { journalEntryLine } from '../input/journal.js';
import { WindowFilter, type TimeWindow } from '../window.js';
import { BatchReader, Entry, type Batch } from './batch.js';
import { Detection } from './detection.js';
import { holdYoungGeneration } from './young-generation.js';


/**
 * Lines longer than this are counted (oversized, unrecognised) but not parsed: the line
 * splitter hands them on as oversized (src/input/lines.ts); this catches any other source.
 */
export const MAX_PARSE_CHARS = MAX_LINE_BYTES;
/**
 * Rotations of a followed log kept for the summary (the last ones); older ones are dropped and
 * counted in overflow.followRotations. One per rotation: a log rotated every minute for a week
 * would otherwise keep 10,000.
 */
export const FOLLOW_ROTATIONS_KEPT = 16;
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
  /**
   * The run reads one input and no other (analyse() of a single path; never follow mode, where a
   * rotation begins another): parsers are told (ParseContext.alone).
   */
  oneInput?: boolean;
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

export interface PipelineResult {
  aggregator: Aggregator;
  stats: RunStats;
  /** One per input that failed or stopped early; its lines read before that still count. */
  errors: InputError[];
  /** The inputs the second thread read (see `threads`); the results do not depend on it. */
  readByThread?: string[];
  /** The inputs read through their format's front on this thread (stdin that had one too). */
  readByFront?: string[];
}

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
    const domains = (this.domains = new LocalDomains(opts.localDomains));
    // Our domains decide whose bounce is backscatter (src/aggregate/diagnosis.ts). The callback
    // holds them alone: the aggregator outlives the run, and holding `this` kept the parsers'
    // correlation tables alive while the report was built.
    this.aggregator = new Aggregator({
      byHost: opts.byHost,
      addresses: opts.addresses,
      ours: (d, mta) => domains.has(d, mta),
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
    holdYoungGeneration();
    const file = this.file!;
    this.stats.linesRead += b.lines;
    file.lines += b.lines;
    this.stats.invalidUtf8Lines += b.invalidUtf8;
    const ignored = b.ignored;
    const e = new BatchReader(b);
    let k = 0;
    while (e.next()) {
      const no = e.no;
      while (k < ignored.length && ignored[k]![2] < no) this.ignoredMany(ignored[k++]!);
      const kind = e.kind;
      if (kind === Entry.SENT) {
        // What the shortcut below does, with the fields the reader cut out.
        const queueId = e.queueId();
        const to = e.to();
        this.sentDelivery(machine, queueId, to, e.time, e.origTo(), e.delay, e.here, e.toPlain, e.toHash);
        continue;
      }
      if (kind === Entry.UPDATE) {
        const key = e.key();
        const field = e.field();
        const extra = e.extra();
        // What parsed() + result() do with the line: update the state, count the line (and
        // count the message's arrival, the first time: parsed() gives a received event then).
        if (machine.update(e.updateKind, key, field, extra) && (!this.window || this.window.keep(e.time))) {
          this.aggregator.countReceived(e.time, field);
        }
        this.stats.linesRecognised++;
        continue;
      }
      if (kind === Entry.OVERSIZED) {
        this.stats.oversizedLines++;
        this.unrecognised(e.cut(), no);
        continue;
      }
      const text = e.text();
      this.remember(no, e.offset);
      if (kind === Entry.ROUTED) {
        this.result(OTHER_PROGRAM, text, no);
        continue;
      }
      if (kind === Entry.THREW) {
        this.parserExceptions++;
        this.unrecognised(text, no);
        continue;
      }
      const bodyAt = e.bodyAt;
      let r;
      try {
        // A sent delivery (most of these lines) is only counted and settles its recipient: what
        // parsed() + result() would do with it, without building the event (see sentDelivery()).
        const sent = fast.sentDelivery(text, Math.max(0, bodyAt));
        if (sent !== null) {
          const queueId = sent.queueEnd < 0 ? null : text.slice(sent.queueAt, sent.queueEnd);
          const origTo = sent.origAt < 0 ? null : text.slice(sent.origAt, sent.origEnd);
          const delay = sent.delay < 0 ? null : sent.delay;
          this.sentDelivery(machine, queueId, text.slice(sent.toAt, sent.toEnd), e.time, origTo, delay, sent.here);
          continue;
        }
        r = machine.parsed(text, no, e.time, e.host(text), e.program(text), bodyAt);
      } catch {
        this.parserExceptions++;
        this.unrecognised(text, no);
        continue;
      }
      this.result(r, text, no);
    }
    while (k < ignored.length) this.ignoredMany(ignored[k++]!);
  }

  /**
   * What parse() + result() + add() do with a sent delivery's line (see sentDelivery()).
   * `plain`, `hash`: what the batch says of the recipient (Aggregator.countSent()).
   */
  private sentDelivery(
    machine: FrontMachine,
    queueId: string | null,
    to: string,
    time: string | null,
    origTo: string | null,
    delay: number | null,
    here: boolean,
    plain = -1,
    hash = 0,
  ): void {
    machine.sent(queueId, to);
    this.stats.linesRecognised++;
    // Which domains are ours, as add() learns it from the event, before the window.
    if (here) this.domains.learnSent(this.parser!.name, to, origTo);
    if (this.window && !this.window.keep(time)) return;
    // Counted, and the diagnosis's evidence that these addresses work (an alias's own address is orig_to).
    this.aggregator.countSent(time, to, origTo, delay, plain, hash);
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
    m.begin({ file: this.file!.path, reference: this.reference, year: this.opts.year, alone: this.opts.oneInput === true });
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
    // classify() with the verify command filled in only when read: the aggregator reads it for
    // a finding's first event only, and filling it in for every event was measurable (bench/README.md).
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

/**
 * input → detect → parse → classify → aggregate. Knows no output format. `Analysis` holds the
 * state of one run and takes lines one at a time (files, stdin, or a followed log alike);
 * `analyse()` drives it over whole inputs and reports progress through a callback.
 */
import type { Readable } from 'node:stream';
import { builtinParsers, DETECT_LINES, FormatDetector, parserByName } from '../parsers/index.js';
import type { LineMachine, LogParser } from '../parsers/types.js';
import { Aggregator } from './aggregate/aggregator.js';
import type { FileStats, RunStats } from './aggregate/types.js';
import { classify } from './classify/classify.js';
import type { Classification } from './classify/types.js';
import { describeSystemError, InputError } from './errors.js';
import type { MailEvent, Mta } from './event.js';
import { forEachLine, MAX_LINE_BYTES } from './input/lines.js';
import { openInput } from './input/open.js';

/** Lines longer than this are counted (oversized, unrecognised) but not parsed. */
export const MAX_PARSE_CHARS = 1024 * 1024;
/** Bytes of lines held back while the format is being detected. */
const DETECT_BUFFER_CHARS = 4 * 1024 * 1024;
/** How often (in lines) analyse() reports progress. */
export const PROGRESS_EVERY_LINES = 16_384;

export interface AnalysisOptions {
  /** Force a format instead of detecting it. */
  mta?: Mta;
  /** Year for timestamps that have none. */
  year?: number;
  /** Every unrecognised line, for --unrecognised. */
  onUnrecognised?: (file: string, no: number, line: string) => void;
  /** Every classified problem event as it is added (follow mode prints these). */
  onProblem?: (ev: MailEvent, c: Classification) => void;
}

export interface PipelineOptions extends AnalysisOptions {
  /** The run's start: the reference time for stdin. */
  now: Date;
  stdin?: Readable;
  /** Called every PROGRESS_EVERY_LINES lines and at the end of each input. */
  onProgress?: (p: Progress) => void;
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
}

/** The state of one run: statistics, the aggregator, and one parser machine per format. */
export class Analysis {
  readonly aggregator = new Aggregator();
  readonly stats: RunStats = {
    linesRead: 0,
    linesRecognised: 0,
    linesIgnored: 0,
    ignoredByReason: {},
    linesUnrecognised: 0,
    invalidUtf8Lines: 0,
    oversizedLines: 0,
    files: [],
    overflow: {},
  };
  readonly errors: InputError[] = [];
  // One machine per format for the whole run: correlation crosses rotated files.
  private readonly machines = new Map<LogParser, LineMachine>();
  private parserExceptions = 0;

  // The current input.
  private file: FileStats | null = null;
  private reference = new Date();
  private gzip = false;
  private machine: LineMachine | null = null;
  private undetected = false;
  private detector = new FormatDetector(builtinParsers);
  private held: string[] = [];
  private heldChars = 0;

  constructor(private readonly opts: AnalysisOptions = {}) {}

  /** Starts an input; its lines follow through line(). */
  begin(path: string, reference: Date, gzip = false): FileStats {
    const file: FileStats = { path, format: 'unknown', lines: 0, unrecognised: 0 };
    this.stats.files.push(file);
    this.file = file;
    this.reference = reference;
    this.gzip = gzip;
    if (gzip) file.format = 'unknown (gzip)';
    this.machine = null;
    this.undetected = false;
    this.detector = new FormatDetector(builtinParsers);
    this.held = [];
    this.heldChars = 0;
    const forced = this.opts.mta ? parserByName(this.opts.mta) : undefined;
    if (forced) this.start(forced);
    return file;
  }

  /** An input that could not be opened at all. */
  failed(path: string, err: InputError): void {
    this.stats.files.push({ path, format: 'unknown', lines: 0, unrecognised: 0, error: err.message });
    this.errors.push(err);
  }

  /** One physical line of the current input (`no` is 1-based). Never throws. */
  line(text: string, no: number): void {
    const file = this.file!;
    this.stats.linesRead++;
    file.lines++;
    if (text.indexOf('\uFFFD') >= 0) this.stats.invalidUtf8Lines++;
    if (this.machine) return this.parse(text, no);
    if (this.undetected) return this.unrecognised(text, no);
    this.held.push(text);
    this.heldChars += text.length;
    const picked = this.detector.add(text);
    if (picked || this.detector.exhausted || this.heldChars > DETECT_BUFFER_CHARS) this.decide();
  }

  /** Ends the current input; `error` when reading stopped early. */
  end(error?: string): void {
    const file = this.file!;
    if (error !== undefined) {
      file.error = error;
      this.errors.push(new InputError(file.path, error));
    }
    if (!this.machine && !this.undetected) this.decide();
    if (this.undetected && file.lines > 0) {
      const names = builtinParsers
        .map((p) => p.name[0]!.toUpperCase() + p.name.slice(1))
        .join(', ')
        .replace(/, ([^,]+)$/, ' or $1');
      const msg = `not a ${names} log: no line recognised in the first ${Math.min(file.lines, DETECT_LINES)} lines (force a format with --mta)`;
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
    return { aggregator: this.aggregator, stats: this.stats, errors: this.errors };
  }

  private start(parser: LogParser): void {
    let m = this.machines.get(parser);
    if (!m) {
      m = parser.create();
      this.machines.set(parser, m);
    }
    m.begin({ file: this.file!.path, reference: this.reference, year: this.opts.year });
    this.file!.format = parser.name + (this.gzip ? ' (gzip)' : '');
    this.machine = m;
  }

  /** Detection is over: pick the parser (or none) and replay the held lines. */
  private decide(): void {
    const best = this.detector.best();
    if (best) this.start(best);
    else this.undetected = true;
    const lines = this.held;
    this.held = [];
    this.heldChars = 0;
    const first = this.file!.lines - lines.length + 1;
    lines.forEach((l, i) => (this.machine ? this.parse(l, first + i) : this.unrecognised(l, first + i)));
  }

  private add(ev: MailEvent): void {
    const c = classify(ev);
    this.aggregator.add(ev, c);
    if (c && this.opts.onProblem) this.opts.onProblem(ev, c);
  }

  private unrecognised(line: string, no: number): void {
    this.stats.linesUnrecognised++;
    this.file!.unrecognised++;
    this.opts.onUnrecognised?.(this.file!.path, no, line);
  }

  private parse(line: string, no: number): void {
    if (line.length > MAX_PARSE_CHARS) {
      this.stats.oversizedLines++;
      this.unrecognised(line.slice(0, 200) + '…', no);
      return;
    }
    let r;
    try {
      r = this.machine!.line(line, no);
    } catch {
      // A parser bug must not stop the run: the line counts as not understood.
      this.parserExceptions++;
      this.unrecognised(line, no);
      return;
    }
    if (r.status === 'recognised') {
      this.stats.linesRecognised++;
      for (const ev of r.events) this.add(ev);
    } else if (r.status === 'ignored') {
      this.stats.linesIgnored++;
      this.stats.ignoredByReason[r.reason] = (this.stats.ignoredByReason[r.reason] ?? 0) + 1;
    } else {
      this.unrecognised(line, no);
    }
  }
}

/** Reads the inputs in the order given, one after another. */
export async function analyse(inputs: readonly string[], opts: PipelineOptions): Promise<PipelineResult> {
  const analysis = new Analysis(opts);
  for (const [index, path] of inputs.entries()) {
    let opened;
    try {
      opened = await openInput(path, opts.now, opts.stdin);
    } catch (err) {
      analysis.failed(path, err instanceof InputError ? err : new InputError(path, describeSystemError(err)));
      continue;
    }
    const file = analysis.begin(path, opened.reference, opened.gzip);
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
    try {
      await forEachLine(opened.stream, (line, no) => {
        analysis.line(line, no);
        if (opts.onProgress && no % PROGRESS_EVERY_LINES === 0) progress(false);
      });
    } catch (err) {
      const e = err as Error;
      const why =
        e.message?.includes('maximum buffer') || e.message?.includes('maxLength')
          ? `line ${file.lines + 1} is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB; stopped reading this file`
          : describeSystemError(err);
      error = `${why} (after ${file.lines} lines)`;
    }
    analysis.end(error);
    progress(true);
  }
  return analysis.finish();
}

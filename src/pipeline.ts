/**
 * input → detect → parse → classify → aggregate. Knows no output format: it returns the
 * aggregator and the line-level statistics, and reports progress through callbacks.
 */
import type { Readable } from 'node:stream';
import { builtinParsers, DETECT_LINES, FormatDetector, parserByName } from '../parsers/index.js';
import type { LineMachine, LogParser } from '../parsers/types.js';
import { Aggregator } from './aggregate/aggregator.js';
import type { FileStats, RunStats } from './aggregate/types.js';
import { classify } from './classify/classify.js';
import { describeSystemError, InputError } from './errors.js';
import type { Mta } from './event.js';
import { forEachLine, MAX_LINE_BYTES } from './input/lines.js';
import { openInput } from './input/open.js';

/** Lines longer than this are counted (oversized, unrecognised) but not parsed. */
export const MAX_PARSE_CHARS = 1024 * 1024;
/** Bytes of lines held back while the format is being detected. */
const DETECT_BUFFER_CHARS = 4 * 1024 * 1024;

export interface PipelineOptions {
  /** Force a format instead of detecting it. */
  mta?: Mta;
  /** Year for timestamps that have none. */
  year?: number;
  /** The run's start: the reference time for stdin. */
  now: Date;
  stdin?: Readable;
  /** Every unrecognised line, for --unrecognised. */
  onUnrecognised?: (file: string, no: number, line: string) => void;
}

export interface PipelineResult {
  aggregator: Aggregator;
  stats: RunStats;
  /** One per input that failed or stopped early; its lines read before that still count. */
  errors: InputError[];
}

/** Reads the inputs in the order given, one after another. */
export async function analyse(inputs: readonly string[], opts: PipelineOptions): Promise<PipelineResult> {
  const aggregator = new Aggregator();
  const stats: RunStats = {
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
  const errors: InputError[] = [];
  // One machine per format for the whole run: correlation crosses rotated files.
  const machines = new Map<LogParser, LineMachine>();
  let parserExceptions = 0;

  for (const path of inputs) {
    const file: FileStats = { path, format: 'unknown', lines: 0, unrecognised: 0 };
    stats.files.push(file);
    let opened;
    try {
      opened = await openInput(path, opts.now, opts.stdin);
    } catch (err) {
      const e = err instanceof InputError ? err : new InputError(path, describeSystemError(err));
      file.error = e.message;
      errors.push(e);
      continue;
    }
    if (opened.gzip) file.format = 'unknown (gzip)';

    const forced = opts.mta ? parserByName(opts.mta) : undefined;
    let machine: LineMachine | null = null;
    let undetected = false;
    const detector = new FormatDetector(builtinParsers);
    let held: string[] = [];
    let heldChars = 0;

    const start = (parser: LogParser) => {
      let m = machines.get(parser);
      if (!m) {
        m = parser.create();
        machines.set(parser, m);
      }
      m.begin({ file: path, reference: opened.reference, year: opts.year });
      file.format = parser.name + (opened.gzip ? ' (gzip)' : '');
      machine = m;
    };

    const unrecognised = (line: string, no: number) => {
      stats.linesUnrecognised++;
      file.unrecognised++;
      opts.onUnrecognised?.(path, no, line);
    };

    const parse = (line: string, no: number) => {
      if (line.length > MAX_PARSE_CHARS) {
        stats.oversizedLines++;
        unrecognised(line.slice(0, 200) + '…', no);
        return;
      }
      let r;
      try {
        r = machine!.line(line, no);
      } catch {
        // A parser bug must not stop the run: the line counts as not understood.
        parserExceptions++;
        unrecognised(line, no);
        return;
      }
      if (r.status === 'recognised') {
        stats.linesRecognised++;
        for (const ev of r.events) aggregator.add(ev, classify(ev));
      } else if (r.status === 'ignored') {
        stats.linesIgnored++;
        stats.ignoredByReason[r.reason] = (stats.ignoredByReason[r.reason] ?? 0) + 1;
      } else {
        unrecognised(line, no);
      }
    };

    /** Detection is over: pick the parser (or none) and replay the held lines. */
    const decide = () => {
      const best = detector.best();
      if (best) start(best);
      else undetected = true;
      const lines = held;
      held = [];
      const first = file.lines - lines.length + 1;
      lines.forEach((l, i) => (machine ? parse(l, first + i) : unrecognised(l, first + i)));
    };

    if (forced) start(forced);

    try {
      await forEachLine(opened.stream, (line, no) => {
        stats.linesRead++;
        file.lines++;
        if (line.indexOf('\uFFFD') >= 0) stats.invalidUtf8Lines++;
        if (machine) return parse(line, no);
        if (undetected) return unrecognised(line, no);
        held.push(line);
        heldChars += line.length;
        const picked = detector.add(line);
        if (picked || detector.exhausted || heldChars > DETECT_BUFFER_CHARS) decide();
      });
    } catch (err) {
      const e = err as Error & { lineNo?: number };
      const why =
        e.message?.includes('maximum buffer') || e.message?.includes('maxLength')
          ? `line ${file.lines + 1} is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB; stopped reading this file`
          : describeSystemError(err);
      file.error = `${why} (after ${file.lines} lines)`;
      errors.push(new InputError(path, file.error));
    }
    if (!machine && !undetected) decide();
    if (undetected && file.lines > 0) {
      const msg = `not a Postfix log: no line recognised in the first ${Math.min(file.lines, DETECT_LINES)} lines (force a format with --mta)`;
      file.error = msg;
      errors.push(new InputError(path, msg));
    }
    if (file.lines === 0 && !file.error) file.format = 'empty';
  }

  for (const m of machines.values()) {
    for (const ev of m.end()) aggregator.add(ev, classify(ev));
    for (const [k, v] of Object.entries(m.overflow())) stats.overflow[k] = (stats.overflow[k] ?? 0) + v;
  }
  if (parserExceptions > 0) stats.overflow.parserExceptions = parserExceptions;
  return { aggregator, stats, errors };
}

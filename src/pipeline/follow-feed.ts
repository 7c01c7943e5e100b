/**
 * Follow mode's way into the analysis (src/input/follow.ts hands on raw lines, cli.ts follow()
 * wires them here). A log whose format is known and has a front is read as whole files are on
 * one thread: each line through the front (front-reader.ts FrontLines), the lines it passes on
 * applied as a batch after every chunk read, so a line is analysed as soon as it is read, as
 * before. Otherwise (format not known yet, no front, or MAILLOG_DOCTOR_FRONT=0) every line goes
 * to Analysis.line() as text.
 */
import { parserByName } from '../../parsers/index.js';
import { hasFastPath, type FastLogParser, type FrontMachine, type FrontResume } from '../../parsers/types.js';
import type { FileStats } from '../aggregate/types.js';
import type { Mta } from '../event.js';
import { decodeLine } from '../input/lines.js';
import type { Analysis } from './analysis.js';
import { frontWanted, FrontLines } from './front-reader.js';
import { catchUpOnThread } from './run.js';

/**
 * Lines per batch within one chunk read (follow.ts reads 256 KiB at a time: a few thousand
 * lines); the rest of a chunk is applied when it ends.
 */
const FOLLOW_BATCH_LINES = 2048;

export class FollowFeed {
  private lines: FrontLines | null = null;
  private machine: FrontMachine | null = null;
  private file: FileStats | null = null;
  private reference = new Date(0);
  /** Generations read through the front so far (for tests: the front really read them). */
  frontGenerations = 0;

  constructor(
    private readonly analysis: Analysis,
    private mta: Mta | undefined,
    private readonly opts: { year?: number; front?: boolean } = {},
  ) {}

  /** The format, once known (the followed log did not exist at first): generations begun from now on. */
  useFormat(mta: Mta): void {
    this.mta = mta;
    this.analysis.useFormat(mta);
  }

  /** A generation of the log begins (Analysis.begin()). */
  begin(path: string, reference: Date): FileStats {
    const file = this.analysis.begin(path, reference);
    this.file = file;
    this.reference = reference;
    this.lines = null;
    this.machine = null;
    const parser = this.mta && frontWanted(this.opts.front) ? parserByName(this.mta) : undefined;
    if (hasFastPath(parser)) {
      this.machine = this.analysis.startFast(parser);
      this.lines = this.frontLines(parser);
      this.frontGenerations++;
    }
    return file;
  }

  /**
   * Catching up with a big log on the reader thread (run.ts catchUpOnThread()): bytes [0, end)
   * of the generation just begun, open as `fd` (`end` ends a line), its batches applied here as
   * they come; then this thread's front reads on from `end` as the reader's would have. `next`
   * runs after each batch with the bytes read so far (false: stop); while it is pending no
   * batch is applied, so it can let the event loop turn (output drained, signals). What was read (lines,
   * bytes); null when the thread was not used (nothing was read); `stopped` when `next` said
   * to stop. Throws when reading failed.
   */
  async catchUp(path: string, fd: number, end: number, next: (bytesRead: number) => boolean | Promise<boolean>, threads?: number): Promise<{ lines: number; bytes: number } | 'stopped' | null> {
    const lines = this.lines;
    const machine = this.machine;
    const file = this.file;
    if (lines === null || machine === null || file === null || this.mta === undefined || file.lines > 0) return null;
    const fast = lines.parser.fast;
    const ended = await catchUpOnThread(path, { fd, end, reference: this.reference }, { mta: this.mta, year: this.opts.year, threads }, (b) => {
      this.analysis.applyBatch(b, machine, fast);
      return next(b.bytesRead);
    });
    if (ended === null || ended === 'stopped') return ended;
    if (ended.error) throw Object.assign(new Error(ended.error.message ?? 'read error'), { code: ended.error.code });
    this.analysis.nulBytes(ended.nulBytes);
    this.lines = this.frontLines(lines.parser, ended.resume);
    return { lines: file.lines, bytes: ended.bytesRead };
  }

  /** The front of the current generation (from where `resume` says another front stopped). */
  private frontLines(parser: FastLogParser, resume?: FrontResume): FrontLines {
    return new FrontLines(parser, { reference: this.reference, year: this.opts.year, resume }, true, FOLLOW_BATCH_LINES, () => this.flush());
  }

  /** A line of the current generation, as the Follower hands it on (rawLine). */
  line(no: number, raw: Buffer, start: number, end: number, isAscii: boolean, offset: number): void {
    if (this.lines) this.lines.line(no, raw, start, end, isAscii, offset);
    else this.analysis.line(decodeLine(raw, start, end, isAscii), no, offset);
  }

  /** An over-long line of it, by its head. */
  oversized(head: string, no: number, offset: number): void {
    if (this.lines) this.lines.oversized(no, head);
    else this.analysis.oversizedLine(head, no, offset);
  }

  /** Applies the lines the front passed on since the last time (after every chunk read). */
  flush(): void {
    const lines = this.lines;
    const taken = lines?.take(0);
    if (!lines || !taken) return;
    this.analysis.applyBatch(taken.batch, this.machine!, lines.parser.fast);
  }

  /** The generation ends (Analysis.end()). */
  end(): void {
    this.flush();
    this.lines = null;
    this.machine = null;
    this.analysis.end();
  }
}

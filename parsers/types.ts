/**
 * The parsers' only shared vocabulary. A parser turns lines into MailEvents (src/event.ts)
 * and knows nothing about classification, aggregation or display.
 */
import type { IgnoreReason, MailEvent, Mta } from '../src/event.js';

/** Per-input facts a parser needs but must not find out itself (no clock inside parsers). */
export interface ParseContext {
  /** Name of the input as the user gave it (`-` for stdin); goes into each event's origin. */
  file: string;
  /**
   * Reference time for year inference of year-less timestamps: the file's mtime, or the
   * run's start for stdin. The last line of a file cannot be later than this.
   */
  reference: Date;
  /** Year forced by the user (--year); wins over inference. */
  year?: number;
}

/**
 * What the line's envelope (syslog, or an MTA's own log prefix) tells about it: the fields every
 * event of the line shares.
 */
export interface LineContext {
  time: string | null;
  /** Syslog host, when the line came through syslog. */
  host: string | null;
  /** Syslog program (`postfix/smtpd`, `exim4`); null when the line has none. */
  program: string | null;
  raw: string;
  file: string;
  line: number;
}

export type LineResult =
  /** Understood; zero events means the line only fed correlation state (client=, from=, removed). */
  | { status: 'recognised'; events: MailEvent[] }
  /** Known and deliberately not an event. `events`: see withEvents(). */
  | { status: 'ignored'; reason: IgnoreReason; events?: MailEvent[] }
  /** Not understood: counted and reportable with --unrecognised. `events`: see withEvents(). */
  | { status: 'unrecognised'; events?: MailEvent[] };

/**
 * One machine per parser per run, fed every input of that format in the order given, so that
 * correlation survives log rotation (a message queued in mail.log.1 and bounced in mail.log).
 */
export interface LineMachine {
  /** Called before the first line of each input. */
  begin(ctx: ParseContext): void;
  /** Never throws. `no` is the 1-based physical line number in the current input. */
  line(text: string, no: number): LineResult;
  /** Called once at end of input: anything correlation still holds. */
  end(): MailEvent[];
  /** Counters of bounded state that overflowed (e.g. queue ids evicted). */
  overflow(): Record<string, number>;
}

export interface LogParser {
  name: Mta;
  /** Cheap test used by format detection: does this line look like this MTA's log? */
  sniff(line: string): boolean;
  /**
   * For formats that come through syslog: is this syslog program (`postfix/smtpd`, `exim4`)
   * one of this MTA's? Lets one file hold several MTAs' lines (see parsers/index.ts).
   */
  ownsProgram?(program: string): boolean;
  create(): LineMachine;
}

export const RECOGNISED_NO_EVENT: LineResult = Object.freeze({ status: 'recognised', events: [] }) as LineResult;
export const UNRECOGNISED: LineResult = Object.freeze({ status: 'unrecognised' }) as LineResult;

const ignoredCache = new Map<IgnoreReason, LineResult>();
/** Shared frozen results: ignoring a line allocates nothing. */
export function ignored(reason: IgnoreReason): LineResult {
  let r = ignoredCache.get(reason);
  if (!r) {
    r = Object.freeze({ status: 'ignored', reason }) as LineResult;
    ignoredCache.set(reason, r);
  }
  return r;
}
export function recognised(...events: MailEvent[]): LineResult {
  return { status: 'recognised', events };
}

/**
 * `r` with `events` of earlier lines added: events a parser held until a later line told it
 * what they are (an Exim rejection after DATA whose recipients its rejectlog entry lists on the
 * lines that follow). The line itself keeps its own status and counts as it would.
 */
export function withEvents(r: LineResult, events: readonly MailEvent[]): LineResult {
  if (events.length === 0) return r;
  if (r.status === 'recognised') return { status: 'recognised', events: [...events, ...r.events] };
  if (r.status === 'ignored') return { status: 'ignored', reason: r.reason, events: [...events] };
  return { status: 'unrecognised', events: [...events] };
}

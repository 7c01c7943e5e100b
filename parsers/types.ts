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
  /**
   * True when the run reads this input and no other: no line of another input can be a copy
   * of one of its lines (as Exim's rejectlog repeats mainlog rejections), so a parser need not
   * remember lines to recognise such copies.
   */
  alone?: boolean;
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

/**
 * What a LineFront made of a line. Numbers, not objects: the front decides most lines of a
 * big file, and the details sit in the front's fields until its next call.
 */
export const FRONT_IGNORED = 0;
/** The line needs the machine: FrontMachine.parsed() with the envelope the front read. */
export const FRONT_PARSE = 1;
/** The line only updates correlation state (see LineFront.update and FrontMachine.update()). */
export const FRONT_UPDATE = 2;
/** From LineFront.bytes() only: the bytes alone cannot tell; decode the line and call text(). */
export const FRONT_UNDECIDED = 3;
export type FrontVerdict = typeof FRONT_IGNORED | typeof FRONT_PARSE | typeof FRONT_UPDATE | typeof FRONT_UNDECIDED;

/** Where a line's syslog host and program are in it (host: equal ends for none). */
export interface LineRanges {
  hostAt: number;
  hostEnd: number;
  programAt: number;
  programEnd: number;
}

/**
 * A line that only updates correlation state: its kind (the parser's own, 1 to 15), where its
 * key (a queue id), its field and its optional second field are in the line (offsets from the
 * line's start).
 */
export interface StateUpdate {
  kind: number;
  keyAt: number;
  keyEnd: number;
  fieldAt: number;
  fieldEnd: number;
  /** A second span the machine needs (Exim: the arrival's fields after the sender); -1: none. */
  extraAt: number;
  extraEnd: number;
  /**
   * Further spans after the second one (absent or 0: none), [moreAt[i], moreEnd[i]) for
   * i < more: for cells scattered over a row (Exchange: a RECEIVE row's client and sender).
   * update() gets them in `extra`, each after a '\n' (a character no line holds): extraOf().
   */
  more?: number;
  moreAt?: Int32Array;
  moreEnd?: Int32Array;
}

/** The `extra` that FrontMachine.update() gets for update `u` of `line` (null: none). */
export function extraOf(line: string, u: Readonly<StateUpdate>): string | null {
  if (u.extraAt < 0) return null;
  let extra = line.slice(u.extraAt, u.extraEnd);
  for (let i = 0; i < (u.more ?? 0); i++) extra += '\n' + line.slice(u.moreAt![i], u.moreEnd![i]);
  return extra;
}

/** Offsets in a line of a sent delivery's queue id (`queueEnd` -1: none), recipient and original recipient (-1: none). */
export interface SentSpans {
  queueAt: number;
  queueEnd: number;
  toAt: number;
  toEnd: number;
  origAt: number;
  origEnd: number;
  /** `delay=` in seconds; -1 when the line has none. */
  delay: number;
  /**
   * The line says an agent of this machine delivered it (Exim: a transport other than SMTP).
   * False when the parser does not tell (Postfix, Exchange): what it means for the recipient's
   * domain is src/classify/local-domains.ts's to decide.
   */
  here: boolean;
}

/**
 * The stateless half of a parser for one input, for a thread that only reads (src/pipeline/):
 * it reads every envelope in order (the year inference needs all of them) and settles the lines
 * that are ignored whatever came before, so that only what carries state reaches the machine.
 * It must decide a line only as the machine's line() would (test/parsers/<mta>/cheap-path.test.ts).
 */
export interface LineFront {
  /** The ASCII line in bytes [start, end) of `b`, without making a string where it can. */
  bytes(b: Uint8Array, start: number, end: number): FrontVerdict;
  /**
   * The line as text (never FRONT_UNDECIDED). FRONT_UPDATE only with `time` and `bodyAt` set as
   * for FRONT_PARSE: the update's offsets are into `line`, and a caller that passes updates on
   * as bytes takes a line that is not ASCII for FRONT_PARSE instead.
   */
  text(line: string): FrontVerdict;
  /** After FRONT_IGNORED: why. After `other-program`, `ranges` or `program` tell the program. */
  readonly reason: IgnoreReason;
  /** After FRONT_UPDATE: what it updates. */
  readonly update: Readonly<StateUpdate>;
  /** After FRONT_PARSE, the envelope: its time, */
  readonly time: string | null;
  /** where the message starts (-1: the line has no envelope), */
  readonly bodyAt: number;
  /**
   * where host and program are (offsets into the line's text) for the everyday envelope forms,
   * else null: then `host` and `program`, which are not always substrings of the line.
   */
  readonly ranges: Readonly<LineRanges> | null;
  readonly host: string | null;
  readonly program: string | null;
  /** What a front reading on after this one's last line needs to know (none: nothing). */
  resume?(): FrontResume;
}

/**
 * What a front that read the start of an input leaves for a new front that reads on from there
 * (follow mode: the reader thread caught up with the log, this thread follows it): what the
 * front's state holds that is not the same for every input, such as where the year inference
 * of year-less stamps stands. Only a front of the same parser reads it; a plain object, since
 * it is posted between threads.
 */
export type FrontResume = Readonly<Record<string, string | number | boolean | null>>;

/** The machine of a parser with a fast path: ways in for what its LineFront passed on. */
export interface FrontMachine extends LineMachine {
  /**
   * A line the front returned FRONT_PARSE for, with the envelope it read (`bodyAt` -1: none):
   * what line() does after reading the envelope.
   */
  parsed(text: string, no: number, time: string | null, host: string | null, program: string | null, bodyAt: number): LineResult;
  /**
   * A line FastPath.sentDelivery() recognised, for its correlation state. The caller counts
   * the line as recognised and the sent delivery (recipient, delay): line() would give a
   * `sent` delivery event and nothing else.
   */
  sent(queueId: string | null, to: string): void;
  /**
   * A line the front returned FRONT_UPDATE for, by its kind, key, field and second field (null:
   * none; with StateUpdate.more, see extraOf()); the caller counts it as recognised. True when
   * line() would have given a received event and nothing else for it (a message's arrival,
   * whose sender is `field`); else line() would have given no event. The strings are the
   * caller's own, made for this call (not slices of a longer text): the machine may keep them,
   * and what it cuts from them, without copying.
   */
  update(kind: number, key: string, field: string, extra: string | null): boolean;
}

/** What a front is made with: the input's reference time and --year, and where to resume from. */
export interface FrontContext extends Pick<ParseContext, 'reference' | 'year'> {
  /** LineFront.resume() of the front that read the input up to where this one starts. */
  resume?: FrontResume;
}

/**
 * The optional fast path of a parser: a front that runs on the reader thread, and a shortcut
 * for the commonest line that carries state (a sent delivery), which either thread may take.
 * Reading through it gives the same results as line() on every line (test/bench-equivalence.test.ts).
 */
export interface FastPath {
  front(ctx: FrontContext): LineFront;
  /**
   * For a line the front returned FRONT_PARSE for (its message from `from` on): when line()
   * would give one `sent` delivery event and nothing else, where its queue id and recipients
   * are in `text` (valid until the next call); else null.
   */
  sentDelivery(text: string, from: number): Readonly<SentSpans> | null;
  /**
   * sentDelivery() of the ASCII line in bytes [start, end) of `b` (its message from `start +
   * from` on), read from the bytes: the same answer, offsets from `start`. Optional: without it
   * the caller decodes the line and calls sentDelivery().
   */
  sentDeliveryAscii?(b: Uint8Array, start: number, end: number, from: number): Readonly<SentSpans> | null;
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
  /** A fast path for big files (see FastPath); then create() gives a FrontMachine. */
  fast?: FastPath;
}

/** A parser with a fast path. */
export interface FastLogParser extends LogParser {
  fast: FastPath;
  create(): FrontMachine;
}

export function hasFastPath(p: LogParser | null | undefined): p is FastLogParser {
  return p?.fast !== undefined;
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

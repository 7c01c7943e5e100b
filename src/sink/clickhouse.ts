/**
 * `--clickhouse URL`: problem events into ClickHouse over its HTTP interface
 * (`INSERT INTO table FORMAT JSONEachRow`), in batches of at most BATCH_ROWS, one request at a
 * time, each retried with backoff (RETRY_DELAYS_MS) before its rows go to the spool file.
 * add() never waits: it only queues; past MAX_QUEUED_ROWS waiting, batches go straight to the
 * spool (counted). Nothing is dropped silently: every row is sent, or written to the spool and
 * counted in close()'s message; the next `--clickhouse` run, or `--clickhouse-flush`, sends the
 * spool first. Delivery is at least once: a batch whose reply was lost (the server died after
 * storing it) is sent again. User and password come from CLICKHOUSE_USER / CLICKHOUSE_PASSWORD
 * (HTTP basic authentication), never from the command line.
 */
import { createInterface } from 'node:readline';
import { appendFileSync, createReadStream, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Classification } from '../classify/types.js';
import type { MailEvent } from '../event.js';
import { messageHashOf } from '../aggregate/event-fields.js';
import { describeSystemError } from '../errors.js';
import type { FlatEvent } from '../report/events.js';
import { sanitize } from '../text/sanitize.js';

/** Rows per INSERT: large enough that a request costs little per row, small enough to retry. */
export const BATCH_ROWS = 5_000;
/** A batch not yet full is sent after this long (follow mode: events arrive in seconds). */
export const BATCH_DELAY_MS = 1_000;
/**
 * Rows waiting to be sent, at most (~1 KB each); past it new batches go to the spool, so the
 * analysis never waits for a slow server; at the end of the run they are sent from there.
 */
export const MAX_QUEUED_ROWS = 50_000;
/** Waits before each retry of a failed INSERT; after the last, the batch is spooled. */
export const RETRY_DELAYS_MS = [250, 500, 1_000, 2_000, 4_000];
/** One request's time limit. */
export const REQUEST_TIMEOUT_MS = 15_000;
/** A raw log line kept in the row, at most (characters). */
const RAW_MAX_CHARS = 4_096;

/** The table name `--clickhouse-table` takes: `name` or `database.name`, plain identifiers. */
export const TABLE_RE = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;
export const DEFAULT_TABLE = 'maillog_events';

export interface ClickHouseTarget {
  url: string;
  table: string;
  user?: string;
  password?: string;
}

/** The target from the options and the environment; throws a one-line message for a bad one. */
export function clickhouseTarget(url: string, table: string | undefined, env: NodeJS.ProcessEnv = process.env): ClickHouseTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`not a URL: ${url} (e.g. http://127.0.0.1:8123)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`not an http(s) URL: ${url}`);
  if (u.username || u.password) throw new Error('put the user and password in CLICKHOUSE_USER and CLICKHOUSE_PASSWORD, not in the URL');
  const t = table ?? DEFAULT_TABLE;
  if (!TABLE_RE.test(t)) throw new Error(`--clickhouse-table: not a table name: ${t}`);
  return { url: u.href, table: t, user: env.CLICKHOUSE_USER || undefined, password: env.CLICKHOUSE_PASSWORD || undefined };
}

/** Runs one statement over HTTP; resolves with the body, rejects with the server's first line. */
export async function clickhouseQuery(t: ClickHouseTarget, query: string, body?: string, timeoutMs = REQUEST_TIMEOUT_MS): Promise<string> {
  const u = new URL(t.url);
  const headers: Record<string, string> = {};
  if (t.user !== undefined) headers.Authorization = `Basic ${Buffer.from(`${t.user}:${t.password ?? ''}`).toString('base64')}`;
  let res: Response;
  if (body === undefined) {
    res = await fetch(u, { method: 'POST', body: query, headers, signal: AbortSignal.timeout(timeoutMs) });
  } else {
    u.searchParams.set('query', query);
    res = await fetch(u, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs) });
  }
  const text = await res.text();
  if (!res.ok) throw new Error(`ClickHouse said ${res.status}: ${sanitize(text.split('\n')[0] ?? '').slice(0, 300)}`);
  return text;
}

/** Why a request failed, in a few words (fetch hides the system error in `cause`). */
export function requestFailure(err: unknown): string {
  const e = err as Error & { cause?: unknown };
  if (e?.name === 'TimeoutError') return 'no answer in time';
  if (e?.cause) return describeSystemError(e.cause);
  return sanitize(e?.message ?? String(err));
}

/** The row of the events table (see clickhouse-schema.ts) for a problem event. */
export function clickhouseRow(f: FlatEvent, ev: MailEvent, c: Classification): string {
  const t = f.time === null ? NaN : Date.parse(f.time);
  const row = {
    time: Number.isNaN(t) ? 0 : Math.floor(t / 1000),
    time_known: Number.isNaN(t) ? 0 : 1,
    host: f.host ?? '',
    mta: f.mta,
    direction: f.direction,
    action: f.action,
    permanent: f.permanent ? 1 : 0,
    cause: f.cause,
    hint: f.hint,
    rule: f.rule,
    queue_id: f.queueId ?? '',
    // As the findings tell messages apart (messageHashOf): the key holds addresses.
    message_key: messageHashOf(ev, c.permanent).toString(36),
    sender: f.sender ?? '',
    recipient: f.recipient ?? '',
    domain: f.domain ?? '',
    client_ip: f.clientIp ?? '',
    client_name: f.clientName ?? '',
    client: f.client ?? '',
    smtp_code: f.smtpCode ?? 0,
    enhanced_status: f.enhancedStatus ?? '',
    reply_text: f.text,
    advice: sanitize(c.advice),
    verify: sanitize(c.verify),
    raw: sanitize(ev.raw.length > RAW_MAX_CHARS ? ev.raw.slice(0, RAW_MAX_CHARS) + '…' : ev.raw),
  };
  return JSON.stringify(row);
}

/** The default spool: $XDG_STATE_HOME/maillog-doctor/clickhouse.spool (~/.local/state/…). */
export function defaultSpool(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'maillog-doctor', 'clickhouse.spool');
}

interface Batch {
  rows: string[];
  /** Rows an earlier run spooled. */
  fromSpool: boolean;
}

export interface SinkReport {
  sent: number;
  /** Rows written to the spool in this run (not sent). */
  spooled: number;
  /** Rows of earlier runs' spool sent in this run. */
  resent: number;
  /** Why the last failed batch failed. */
  lastError: string | null;
  /** Rows that could not even be spooled (the spool file failed too): lost, and said. */
  lost: number;
  spoolError: string | null;
}

/**
 * The sink. start() takes over what earlier runs spooled (renamed to `SPOOL.sending.*` first, so
 * a run that dies meanwhile leaves them for the next one) and queues it before any new event.
 */
export class ClickHouseSink {
  private current: string[] = [];
  private readonly queue: Batch[] = [];
  private queuedRows = 0;
  private busy = false;
  private timer: NodeJS.Timeout | null = null;
  private idle: Array<() => void> = [];
  private closing = false;
  private taken: string[] = [];
  /** Rows spooled because too many were waiting (not because a send failed). */
  private overflowRows = 0;
  /** Batches that could not be sent (after their retries). */
  private failures = 0;
  private readonly counts: SinkReport = { sent: 0, spooled: 0, resent: 0, lastError: null, lost: 0, spoolError: null };

  constructor(
    readonly target: ClickHouseTarget,
    readonly spool: string,
    private readonly delays: readonly number[] = RETRY_DELAYS_MS,
  ) {}

  /** Queues the rows earlier runs could not send. */
  start(): void {
    const dir = dirname(this.spool);
    const name = basename(this.spool);
    try {
      renameSync(this.spool, `${this.spool}.sending.${process.pid}.${Date.now()}`);
    } catch {
      // no spool: nothing was left over
    }
    let files: string[] = [];
    try {
      files = readdirSync(dir).filter((f) => f.startsWith(`${name}.sending.`)).sort();
    } catch {
      return;
    }
    for (const f of files) {
      const path = join(dir, f);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        continue;
      }
      this.taken.push(path);
      const rows = text.split('\n').filter((l) => l !== '');
      for (let i = 0; i < rows.length; i += BATCH_ROWS) this.enqueue(rows.slice(i, i + BATCH_ROWS), true);
    }
  }

  add(row: string): void {
    this.current.push(row);
    if (this.current.length >= BATCH_ROWS) this.cut();
    else this.timer ??= setTimeout(() => this.cut(), BATCH_DELAY_MS);
  }

  /** Sends what is queued, spools what cannot be sent; then the counts. */
  async close(): Promise<SinkReport> {
    this.closing = true;
    this.cut();
    await this.whenIdle();
    // Rows spooled only because the server was slower than the reading: send them now.
    if (this.overflowRows > 0 && this.failures === 0) {
      const again = `${this.spool}.sending.${process.pid}.${Date.now()}`;
      try {
        renameSync(this.spool, again);
        this.taken.push(again);
        // A piece at a time, so the memory is a few batches whatever the spool holds.
        for await (const rows of linesInPieces(again, BATCH_ROWS)) {
          this.counts.spooled -= rows.length;
          this.enqueue(rows, false);
          await this.whenIdle();
        }
      } catch {
        // the spool stays as it is: said in the counts
      }
    }
    // Every row taken from the spool was sent or spooled again: the old files can go.
    for (const p of this.taken) {
      try {
        unlinkSync(p);
      } catch {
        // already gone
      }
    }
    return { ...this.counts };
  }

  private async whenIdle(): Promise<void> {
    if (this.busy) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private cut(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.current.length === 0) return;
    const rows = this.current;
    this.current = [];
    this.enqueue(rows, false);
  }

  private enqueue(rows: string[], fromSpool: boolean): void {
    if (!fromSpool && !this.closing && this.queuedRows + rows.length > MAX_QUEUED_ROWS) {
      this.overflowRows += rows.length;
      this.toSpool(rows, 'too many events waiting to be sent');
      return;
    }
    this.queue.push({ rows, fromSpool });
    this.queuedRows += rows.length;
    if (!this.busy) void this.pump();
  }

  private async pump(): Promise<void> {
    this.busy = true;
    while (this.queue.length > 0) {
      const b = this.queue.shift()!;
      this.queuedRows -= b.rows.length;
      const fromSpool = b.fromSpool;
      const err = await this.send(b.rows);
      if (err === null) {
        if (fromSpool) this.counts.resent += b.rows.length;
        else this.counts.sent += b.rows.length;
      } else {
        this.failures++;
        this.toSpool(b.rows, err);
        // The server is away: what waits would fail alike, and each try costs the backoff.
        while (this.queue.length > 0) {
          const rest = this.queue.shift()!;
          this.queuedRows -= rest.rows.length;
          this.toSpool(rest.rows, err);
        }
      }
    }
    this.busy = false;
    for (const f of this.idle.splice(0)) f();
  }

  /** One batch, with retries; null when it was stored, else why not. */
  private async send(rows: string[]): Promise<string | null> {
    const body = rows.join('\n') + '\n';
    let why = '';
    for (let attempt = 0; ; attempt++) {
      try {
        await clickhouseQuery(this.target, `INSERT INTO ${this.target.table} FORMAT JSONEachRow`, body);
        return null;
      } catch (err) {
        why = requestFailure(err);
        // A 4xx other than a timeout is the request's fault: sending it again will not help.
        if (/^ClickHouse said 4\d\d/.test(why) && !/^ClickHouse said 408/.test(why)) return why;
      }
      if (attempt >= this.delays.length) return why;
      await new Promise((r) => setTimeout(r, this.delays[attempt]));
    }
  }

  private toSpool(rows: string[], why: string): void {
    this.counts.lastError = why;
    try {
      mkdirSync(dirname(this.spool), { recursive: true });
      appendFileSync(this.spool, rows.join('\n') + '\n');
      this.counts.spooled += rows.length;
    } catch (err) {
      this.counts.lost += rows.length;
      this.counts.spoolError = describeSystemError(err);
    }
  }
}

/** The lines of a file, `n` at a time. */
async function* linesInPieces(path: string, n: number): AsyncGenerator<string[]> {
  const rl = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  let rows: string[] = [];
  for await (const line of rl) {
    if (line === '') continue;
    rows.push(line);
    if (rows.length >= n) {
      yield rows;
      rows = [];
    }
  }
  if (rows.length > 0) yield rows;
}

/** close()'s counts as the lines to say; `failed` when some rows were not sent. */
export function sinkMessages(t: ClickHouseTarget, spool: string, r: SinkReport): { messages: string[]; failed: boolean } {
  const messages: string[] = [];
  const where = `ClickHouse ${new URL(t.url).host} (${t.table})`;
  if (r.resent > 0) messages.push(`${where}: ${r.resent} events spooled by an earlier run were sent`);
  if (r.spooled > 0) {
    messages.push(
      `${where}: ${r.spooled} events could not be sent (${r.lastError}); they are in ${spool}: the next --clickhouse run or --clickhouse-flush sends them`,
    );
  }
  if (r.lost > 0) messages.push(`${where}: ${r.lost} events could not be sent nor written to ${spool} (${r.spoolError}): they are lost`);
  return { messages, failed: r.spooled > 0 || r.lost > 0 };
}

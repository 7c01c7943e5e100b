/**
 * Between the analysis and the screen: the analysis tells the store what happened (cheap calls:
 * progress, problems, touch); the store publishes an immutable LiveState, throttled by time,
 * never per line:
 *
 * - at most every `minIntervalMs` (200 ms, so ~5 a second), and no sooner than `costFactor`
 *   (30) times what the last frame took to draw (reported by Ink through `rendered`), but at
 *   least every `maxIntervalMs` (1 s);
 * - with a new snapshot only when the last one is older than `costFactor` times what it cost
 *   (within the same bounds): in between, the progress bars, rates and clocks move on the
 *   previous snapshot.
 *
 * So the screen takes a small share of the machine however big the log. The factor is 30, not
 * 10: what Ink reports is the React render only, while laying out and writing a frame, and the
 * garbage of frames, cost about as much again. The upper bound is there because what Ink
 * reports is wall time: with the analysis' threads busy on every core, one frame could measure
 * 200 ms and hold the next one back for six seconds. While following, the state is refreshed
 * every second even when no line came (rates decay, time windows slide).
 */
import { emptySnapshot } from '../aggregate/aggregator.js';
import type { FileStats, Snapshot } from '../aggregate/types.js';
import { TrendStore, type ProblemBatch, type TrendReader } from '../aggregate/trend.js';

export type Phase = 'reading' | 'following' | 'done';

export interface FileProgressView {
  path: string;
  lines: number;
  /** Bytes read (compressed bytes for gzip); null for stdin. */
  bytesRead: number | null;
  size: number | null;
  done: boolean;
  /** Lines per second since the file was started. */
  linesPerSec: number | null;
  /** Time left at the current byte rate. */
  etaMs: number | null;
}

export interface LiveState {
  /** Increases with every publication. */
  version: number;
  snapshot: Snapshot;
  phase: Phase;
  files: readonly FileProgressView[];
  /** While following: the file and how often it rotated. */
  follow: { path: string; rotations: number } | null;
  /** End of the time windows (ms): the newest event's time, or now while following; null when no event had one. */
  reference: number | null;
  /** FindingDetails keys of findings that appeared while following. */
  newKeys: ReadonlySet<string>;
  trends: TrendReader;
  /** Over the last ~10 s. */
  linesPerSec: number;
  problemsPerMin: number;
  /** Since the store was created. */
  elapsedMs: number;
  errors: readonly string[];
}

export interface ProgressInput {
  /** Index of the input in the list given. */
  index: number;
  /** The pipeline's live FileStats for it (its `lines` grows while reading). */
  file: FileStats;
  bytesRead: number | null;
  size: number | null;
  done: boolean;
}

export interface LiveOptions {
  /** Milliseconds; injectable for tests. */
  clock?: () => number;
  minIntervalMs?: number;
  maxIntervalMs?: number;
  costFactor?: number;
  /** Paths in the order they will be read (shown before their first progress). */
  files?: readonly string[];
  trendCapacity?: number;
}

const RATE_WINDOW_MS = 10_000;
const FOLLOW_REFRESH_MS = 1_000;

interface FileEntry {
  path: string;
  stats: FileStats | null;
  bytesRead: number | null;
  size: number | null;
  done: boolean;
  startedAt: number | null;
  doneAt: number | null;
}

const EMPTY_SET: ReadonlySet<string> = new Set();

export class LiveStore {
  readonly trends: TrendStore;
  private readonly clock: () => number;
  private readonly minInterval: number;
  private readonly maxInterval: number;
  private readonly costFactor: number;
  private readonly createdAt: number;
  private source: (() => Snapshot) | null = null;
  private files: FileEntry[];
  private phase: Phase = 'reading';
  private followPath: string | null = null;
  private rotations = 0;
  private problemCount = 0;
  private errors: string[] = [];
  /** Something changed since the last publication. */
  private dirty = true;
  /** The last snapshot is out of date. */
  private stale = true;
  private nextAt = 0;
  private nextSnapshotAt = 0;
  private renderCost = 0;
  private lastPublish = -Infinity;
  private baseline: Set<string> | null = null;
  private baselinePending = false;
  private samples: Array<{ t: number; lines: number; problems: number }> = [];
  private listeners = new Set<(s: LiveState) => void>();
  private timer: NodeJS.Timeout | null = null;
  private current: LiveState;

  constructor(opts: LiveOptions = {}) {
    this.clock = opts.clock ?? Date.now;
    this.minInterval = opts.minIntervalMs ?? 200;
    this.maxInterval = Math.max(this.minInterval, opts.maxIntervalMs ?? 1000);
    this.costFactor = opts.costFactor ?? 30;
    this.trends = new TrendStore(opts.trendCapacity);
    this.createdAt = this.clock();
    this.files = (opts.files ?? []).map((path) => ({
      path,
      stats: null,
      bytesRead: null,
      size: null,
      done: false,
      startedAt: null,
      doneAt: null,
    }));
    this.current = this.build(emptySnapshot(), this.createdAt);
  }

  /** Where snapshots come from: `() => aggregator.snapshot(stats)` of the running analysis. */
  setSource(source: () => Snapshot): void {
    this.source = source;
    this.changed();
  }

  /** Something changed (lines were read); publish at the next opportunity. */
  touch(): void {
    this.changed();
  }

  private changed(): void {
    this.dirty = true;
    this.stale = true;
  }

  progress(p: ProgressInput): void {
    let f = this.files[p.index];
    if (f === undefined) {
      f = { path: p.file.path, stats: null, bytesRead: null, size: null, done: false, startedAt: null, doneAt: null };
      this.files[p.index] = f;
    }
    const now = this.clock();
    if (f.startedAt === null) {
      // The first report of a file comes after its first 16,384 lines or at its end: it began when the one before ended.
      const before = this.files.slice(0, p.index).reduce((t, e) => Math.max(t, e?.doneAt ?? -Infinity), -Infinity);
      f.startedAt = Number.isFinite(before) ? before : this.createdAt;
    }
    f.stats = p.file;
    f.bytesRead = p.bytesRead;
    f.size = p.size;
    if (p.done && !f.done) f.doneAt = now;
    f.done = p.done;
    this.changed();
  }

  /** One rejection, bounce or deferral of the finding `identity` (its key), for the trends (the aggregator counts it itself). */
  problem(time: string | null, identity: string): void {
    this.problemCount++;
    this.trends.add(identity, time);
    this.changed();
  }

  /** Problem events as the analysis thread sends them (see ProblemBatch). */
  problems(batch: ProblemBatch): void {
    this.problemCount += batch.pairs.length / 2;
    this.trends.addBatch(batch);
    this.changed();
  }

  /** Following `path` from now on: findings that appear from here on are marked new. */
  following(path: string): void {
    this.phase = 'following';
    this.followPath = path;
    this.baselinePending = true;
    // Rates from here on: reading the history is not what the log is doing now.
    this.samples = [];
    this.changed();
    this.publish(true);
  }

  rotated(): void {
    this.rotations++;
    this.changed();
  }

  /** Reading is over (not used while following). */
  done(): void {
    this.phase = 'done';
    this.changed();
    this.publish(true);
  }

  /** How long the last frame took to draw (ms), to space the next publications. */
  rendered(ms: number): void {
    this.renderCost = ms;
  }

  error(message: string): void {
    this.errors = [...this.errors, message];
    this.dirty = true;
  }

  get state(): LiveState {
    return this.current;
  }

  subscribe(listener: (s: LiveState) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Publish on a timer (unref'd: it never keeps the process alive). */
  start(tickMs = 50): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Publishes when something changed and the throttle allows, or refreshes while following. */
  tick(): void {
    const now = this.clock();
    if ((this.dirty || (this.stale && now >= this.nextSnapshotAt)) && now >= this.nextAt) this.publish();
    else if (this.phase === 'following' && now - this.lastPublish >= FOLLOW_REFRESH_MS) this.publish();
  }

  /**
   * Builds and hands out a new LiveState now; with a new snapshot when the last one is out of
   * date and old enough (or `fresh`: the phase changed, show the final numbers).
   */
  publish(fresh = false): void {
    const t0 = this.clock();
    let snapshot = this.current.snapshot;
    if (this.source && this.stale && (fresh || t0 >= this.nextSnapshotAt)) {
      snapshot = this.source();
      const cost = this.clock() - t0;
      this.stale = false;
      this.nextSnapshotAt = t0 + this.spacing(cost);
    }
    const now = this.clock();
    this.nextAt = now + this.spacing(this.renderCost);
    this.dirty = false;
    this.current = this.build(snapshot, now);
    this.lastPublish = now;
    for (const l of this.listeners) l(this.current);
  }

  /** How long to wait after something that cost `cost` ms (see the top of this file). */
  private spacing(cost: number): number {
    return Math.min(this.maxInterval, Math.max(this.minInterval, cost * this.costFactor));
  }

  private build(snapshot: Snapshot, now: number): LiveState {
    if (this.baselinePending) {
      this.baseline = new Set(snapshot.details.map((d) => d.key));
      this.baselinePending = false;
    }
    let newKeys = EMPTY_SET;
    if (snapshot.comparison) {
      // --compare: `+` marks what the earlier report did not have.
      const ranks = new Set(snapshot.comparison.new.map((e) => e.rank));
      const fresh = new Set<string>();
      snapshot.findings.forEach((f, i) => {
        if (ranks.has(f.rank)) fresh.add(snapshot.details[i]!.key);
      });
      if (fresh.size > 0) newKeys = fresh;
    } else if (this.baseline !== null) {
      const fresh = new Set<string>();
      for (const d of snapshot.details) if (!this.baseline.has(d.key)) fresh.add(d.key);
      if (fresh.size > 0) newKeys = fresh;
    }
    const s = snapshot.summary;
    this.samples.push({ t: now, lines: s.linesRead, problems: this.problemCount });
    while (this.samples.length > 2 && now - this.samples[1]!.t >= RATE_WINDOW_MS) this.samples.shift();
    const oldest = this.samples[0]!;
    const span = (now - oldest.t) / 1000;
    const linesPerSec = span >= 0.5 ? (s.linesRead - oldest.lines) / span : 0;
    const problemsPerMin = span >= 0.5 ? ((this.problemCount - oldest.problems) * 60) / span : 0;
    const last = s.lastSeen === null ? Number.NaN : Date.parse(s.lastSeen);
    let reference: number | null = Number.isNaN(last) ? null : last;
    if (this.phase === 'following') reference = Math.max(reference ?? 0, now);
    return {
      version: (this.current?.version ?? 0) + 1,
      snapshot,
      phase: this.phase,
      files: this.files.map((f) => this.fileView(f, now)),
      follow: this.followPath === null ? null : { path: this.followPath, rotations: this.rotations },
      reference,
      newKeys,
      trends: this.trends,
      linesPerSec,
      problemsPerMin,
      elapsedMs: now - this.createdAt,
      errors: this.errors,
    };
  }

  private fileView(f: FileEntry, now: number): FileProgressView {
    const lines = f.stats?.lines ?? 0;
    const elapsed = f.startedAt === null ? 0 : ((f.doneAt ?? now) - f.startedAt) / 1000;
    const linesPerSec = elapsed > 0 ? lines / elapsed : null;
    let etaMs: number | null = null;
    if (!f.done && f.bytesRead !== null && f.size !== null && f.bytesRead > 0 && elapsed > 0) {
      etaMs = Math.round(((f.size - f.bytesRead) / f.bytesRead) * elapsed * 1000);
      if (etaMs < 0) etaMs = 0;
    }
    return { path: f.path, lines, bytesRead: f.bytesRead, size: f.size, done: f.done, linesPerSec, etaMs };
  }
}

/**
 * Follow mode catches up with a big log on the reader thread (src/pipeline/follow-feed.ts
 * catchUp(), run.ts catchUpOnThread()) and then reads on here: the report, the --unrecognised
 * lines and the problem events are, to the byte, what reading it all on this thread gives. The
 * log is followed from its start (the thread reads what is there), grows once caught up, and is
 * rotated. Cases where what the thread's front knew must carry over to this thread's: classic
 * syslog times across New Year (the year inference), an Exchange header, a last line still
 * being written when following began.
 *
 * The reader thread starts from the compiled module only, so everything is imported from dist/.
 */
import { appendFileSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { generateExchange } from '../../bench/gen/exchange.js';
import { generateExim } from '../../bench/gen/exim.js';
import { generatePostfix } from '../../bench/gen/postfix.js';
import type { Mta } from '../../src/event.js';
import { assertFreshDist } from '../helpers/dist.js';
import { feedHandlers } from '../helpers/feed-handlers.js';
import { waitFor } from '../helpers/wait-for.js';

beforeAll(assertFreshDist);

type Modules = {
  follow: typeof import('../../src/input/follow.js');
  analysis: typeof import('../../src/pipeline/analysis.js');
  feed: typeof import('../../src/pipeline/follow-feed.js');
  json: typeof import('../../src/report/json.js');
};
let m: Modules;
beforeAll(async () => {
  m = {
    follow: await import('../../dist/src/input/follow.js' as string),
    analysis: await import('../../dist/src/pipeline/analysis.js' as string),
    feed: await import('../../dist/src/pipeline/follow-feed.js' as string),
    json: await import('../../dist/src/report/json.js' as string),
  } as Modules;
});

const POLL_MS = 10;
/** Where the documented Exchange layout has these two (bench/gen/exchange.ts writes it). */
const CLIENT_IP = 1;
const SERVER_IP = 3;

interface Run {
  json: string;
  unrecognised: string[];
  problems: string[];
  /** What the thread read: lines and bytes; null when it was not asked or read nothing. */
  caught: { lines: number; bytes: number } | null;
}

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

interface Plan {
  mta: Mta;
  /** Written before following starts, appended once caught up, then written to a new file after a rename. */
  first: string;
  second: string;
  rest: string;
  /** The file's mtime when following starts (the reference of the year inference). */
  mtime?: Date;
  /** Stop after this many of the thread's batches. */
  stopAfter?: number;
  /**
   * With the thread: after its first batch the log is renamed, `second` is appended to the
   * renamed file (a writer not yet told to reopen) and `rest` begins the new one.
   */
  rotateWhileCatchingUp?: boolean;
}

async function follow(plan: Plan, catchUp: boolean): Promise<Run> {
  dir = mkdtempSync(join(tmpdir(), 'md-follow-catch-up-'));
  const log = join(dir, 'mail.log');
  writeFileSync(log, plan.first);
  if (plan.mtime) utimesSync(log, plan.mtime, plan.mtime);
  const count = (s: string) => s.split('\n').length - 1;
  const out: Run = { json: '', unrecognised: [], problems: [], caught: null };
  const analysis = new m.analysis.Analysis({
    mta: plan.mta,
    onUnrecognised: (file, no, line) => out.unrecognised.push(`${file.endsWith('.1') ? 'old' : 'new'}:${no}: ${line}`),
    onProblem: (ev, c, finding) => out.problems.push(`${ev.origin.line} ${ev.time} ${c.rule} ${JSON.stringify(finding)}`),
  });
  const feed = new m.feed.FollowFeed(analysis, plan.mta);
  let caughtUp = false;
  let batches = 0;
  let stopped = false;
  const follower = new m.follow.Follower(
    log,
    {
      ...feedHandlers(feed, analysis),
      caughtUp: () => (caughtUp = true),
      ...(catchUp
        ? {
            catchUp: async ({ fd, end }: { fd: number; end: number }) => {
              const r = await feed.catchUp(
                log,
                fd,
                end,
                () => {
                  if (++batches === 1 && plan.rotateWhileCatchingUp) {
                    renameSync(log, log + '.1');
                    appendFileSync(log + '.1', plan.second);
                    writeFileSync(log, plan.rest);
                  }
                  return batches !== plan.stopAfter;
                },
                2,
              );
              if (r === 'stopped') stopped = true;
              else out.caught = r;
              return r;
            },
          }
        : {}),
    },
    { pollMs: POLL_MS, chunkBytes: 7919 },
  );
  await follower.start();
  try {
    if (plan.stopAfter !== undefined) {
      await waitFor(() => stopped, 'the stop', 20_000);
    } else if (catchUp && plan.rotateWhileCatchingUp) {
      await waitFor(() => analysis.stats.linesRead === count(plan.first + plan.second + plan.rest), 'every line', 20_000);
    } else {
      await waitFor(() => caughtUp, 'the first part', 20_000);
      appendFileSync(log, plan.second);
      await waitFor(() => analysis.stats.linesRead === count(plan.first + plan.second), 'the second part', 20_000);
      renameSync(log, log + '.1');
      writeFileSync(log, plan.rest);
      await waitFor(() => analysis.stats.linesRead === count(plan.first + plan.second + plan.rest), 'every line', 20_000);
    }
  } finally {
    await follower.stop();
  }
  const r = analysis.finish();
  out.json = m.json.renderJson(r.aggregator.snapshot(r.stats)).split(dir).join('DIR');
  return out;
}

const joined = (lines: string[]) => lines.map((l) => l + '\n').join('');

/** A plan of `all` cut at `a` and `b` (line indexes). */
function plan(mta: Mta, all: string[], a: number, b: number, extra: Partial<Plan> = {}): Plan {
  return { mta, first: joined(all.slice(0, a)), second: joined(all.slice(a, b)), rest: joined(all.slice(b)), ...extra };
}

async function same(p: Plan): Promise<Run> {
  const here = await follow(p, false);
  const thread = await follow(p, true);
  expect(here.caught).toBeNull();
  expect(thread.caught).not.toBeNull();
  expect(thread.json).toBe(here.json);
  expect(thread.unrecognised).toEqual(here.unrecognised);
  expect(thread.problems).toEqual(here.problems);
  return thread;
}

describe('follow mode catching up on the reader thread gives what this thread alone gives', () => {
  test('Postfix across New Year: the year goes on from where the thread left it', async () => {
    const all = [
      ...generatePostfix({ seed: 31, messages: 3000, start: new Date('2026-12-31T18:00:00Z'), durationSeconds: 12 * 3600, format: 'classic', mix: 'realistic' }),
    ];
    const jan = all.findIndex((l) => l.startsWith('Jan '));
    expect(jan).toBeGreaterThan(8192 * 2);
    // The thread reads December only; January is read here, after the reference's month.
    const r = await same(plan('postfix', all, jan, jan + Math.round((all.length - jan) / 2), { mtime: new Date('2026-12-31T23:59:59Z') }));
    expect(r.caught!.lines).toBe(jan);
    // January lines read here after the thread's December: the year went on (the new file
    // after the rotation has today's mtime as its reference, so its year may differ).
    expect(r.problems.some((p) => / 2027-01-01T/.test(p))).toBe(true);
  });

  test('Exim main log, the last line still being written when following began', async () => {
    const all = [...generateExim({ seed: 32, messages: 6000, start: new Date('2026-11-22T00:00:00Z') })];
    const a = Math.round(all.length * 0.6);
    const p = plan('exim', all, a, Math.round(all.length * 0.8));
    // Half of line `a` is there already: the thread reads up to the line before it.
    const cut = Math.floor(all[a]!.length / 2);
    p.first += all[a]!.slice(0, cut);
    p.second = p.second.slice(cut);
    const r = await same(p);
    expect(r.caught!.lines).toBe(a);
    expect(r.problems.length).toBeGreaterThan(100);
  });

  test('Exchange message tracking log: its header is known to the front that reads on', async () => {
    // Columns in an order of their own (two swapped, header and rows): read by the documented
    // order instead, a message's arrival would be counted from the server's address.
    const all = [...generateExchange({ seed: 33, messages: 4000, start: new Date('2026-11-22T00:00:00Z') })].map((l) => {
      if (l.startsWith('#') && !l.startsWith('#Fields:')) return l;
      const head = l.startsWith('#Fields: ') ? '#Fields: ' : '';
      const cells = parse(l.slice(head.length), { relaxQuotes: true })[0] as string[];
      const a = head ? cells.indexOf('client-ip') : CLIENT_IP;
      const b = head ? cells.indexOf('server-ip') : SERVER_IP;
      [cells[a], cells[b]] = [cells[b]!, cells[a]!];
      return head + stringify([cells]).trimEnd();
    });
    expect(all.filter((l) => l.startsWith('#Fields: ')).length).toBeGreaterThan(0);
    const r = await same(plan('exchange', all, Math.round(all.length * 0.5), Math.round(all.length * 0.75)));
    expect(r.problems.length).toBeGreaterThan(10);
  });

  test('the log rotated while the thread reads: the old file is read to its end, then the new one', async () => {
    const all = [...generatePostfix({ seed: 35, messages: 3000, start: new Date('2026-11-22T00:00:00Z'), format: 'classic', mix: 'realistic' })];
    const r = await same(plan('postfix', all, Math.round(all.length * 0.7), Math.round(all.length * 0.85), { rotateWhileCatchingUp: true }));
    expect(r.unrecognised.length + r.problems.length).toBeGreaterThan(100);
  });

  test('a stop asked for while the thread reads: nothing more is read, nothing twice', async () => {
    const all = [...generatePostfix({ seed: 34, messages: 3000, start: new Date('2026-11-22T00:00:00Z'), format: 'classic', mix: 'realistic' })];
    expect(all.length).toBeGreaterThan(8192 * 3);
    const r = await follow({ ...plan('postfix', all, all.length, all.length), stopAfter: 1 }, true);
    const read = JSON.parse(r.json) as { summary: { linesRead: number } };
    // The thread's first batch only (it ends at a multiple of 512 lines): the ones it had sent
    // after it are dropped with the thread, and this thread reads nothing from the start again.
    expect(read.summary.linesRead % 512).toBe(0);
    expect(read.summary.linesRead).toBeGreaterThan(0);
    expect(read.summary.linesRead).toBeLessThan(all.length / 2);
    expect(r.problems.length).toBe(new Set(r.problems.map((p) => p.split(' ')[0])).size);
  });
});

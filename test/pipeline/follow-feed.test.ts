/**
 * Follow mode reads a log through its format's front (src/pipeline/follow-feed.ts) and gives,
 * to the byte, what reading every line as text gives: the report, the --unrecognised lines and
 * the problem events in order. Each generated log is followed from its start, grows while
 * followed, and is rotated (renamed, a new file begun) part way, so lines come in chunks of
 * every size and across two generations.
 */
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { generateExchange } from '../../bench/gen/exchange.js';
import { generateExim } from '../../bench/gen/exim.js';
import { generatePostfix } from '../../bench/gen/postfix.js';
import type { Mta } from '../../src/event.js';
import { Follower } from '../../src/input/follow.js';
import { MAX_LINE_BYTES } from '../../src/input/lines.js';
import { Analysis } from '../../src/pipeline/analysis.js';
import { FollowFeed } from '../../src/pipeline/follow-feed.js';
import { renderJson } from '../../src/report/json.js';
import { feedHandlers } from '../helpers/feed-handlers.js';
import { waitFor } from '../helpers/wait-for.js';

const POLL_MS = 10;

interface Run {
  json: string;
  unrecognised: string[];
  problems: string[];
  frontGenerations: number;
}

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

/**
 * Follows a log made of `parts` (each a string of whole lines): the first is there when following
 * starts, the second appended once caught up, then the file is renamed and the rest are written
 * to a new one. Stops once every line was read.
 */
async function follow(mta: Mta, parts: string[], front: boolean): Promise<Run> {
  dir = mkdtempSync(join(tmpdir(), 'md-follow-feed-'));
  const log = join(dir, 'mail.log');
  writeFileSync(log, parts[0]!);
  const total = parts.reduce((n, p) => n + p.split('\n').length - 1, 0);
  const out: Run = { json: '', unrecognised: [], problems: [], frontGenerations: 0 };
  const analysis = new Analysis({
    mta,
    year: 2026,
    onUnrecognised: (file, no, line) => out.unrecognised.push(`${file.endsWith('.1') ? 'old' : 'new'}:${no}: ${line}`),
    onProblem: (ev, c, finding) => out.problems.push(`${ev.origin.line} ${c.rule} ${JSON.stringify(finding)}`),
  });
  const feed = new FollowFeed(analysis, mta, { year: 2026, front });
  let caughtUp = false;
  // Small reads: a line is often cut between two chunks, and batches end mid-way.
  const follower = new Follower(
    log,
    {
      ...feedHandlers(feed, analysis),
      caughtUp: () => (caughtUp = true),
    },
    { pollMs: POLL_MS, chunkBytes: 7919 },
  );
  await follower.start();
  try {
    await waitFor(() => caughtUp, 'the first part', 20_000);
    appendFileSync(log, parts[1]!);
    await waitFor(() => analysis.stats.linesRead === (parts[0]! + parts[1]!).split('\n').length - 1, 'the second part', 20_000);
    renameSync(log, log + '.1');
    writeFileSync(log, parts.slice(2).join(''));
    await waitFor(() => analysis.stats.linesRead === total, 'every line', 20_000);
  } finally {
    await follower.stop();
  }
  const r = analysis.finish();
  out.json = renderJson(r.aggregator.snapshot(r.stats)).split(dir).join('DIR');
  out.frontGenerations = feed.frontGenerations;
  return out;
}

/** The lines of `all` cut into four parts at the given fractions. */
function quarters(all: string[]): string[] {
  const cut = [0, 0.3, 0.55, 0.8, 1].map((f) => Math.round(all.length * f));
  return [0, 1, 2, 3].map((i) => all.slice(cut[i], cut[i + 1]).map((l) => l + '\n').join(''));
}

async function same(mta: Mta, all: string[]): Promise<Run> {
  const parts = quarters(all);
  const text = await follow(mta, parts, false);
  expect(text.frontGenerations).toBe(0);
  const front = await follow(mta, parts, true);
  expect(front.frontGenerations).toBe(2);
  expect(front.json).toBe(text.json);
  expect(front.unrecognised).toEqual(text.unrecognised);
  expect(front.problems).toEqual(text.problems);
  return front;
}

describe('follow mode through the front gives what every line as text gives', () => {
  test('Postfix, with hostile and non-ASCII lines', async () => {
    const all = [...generatePostfix({ seed: 21, messages: 1500, start: new Date('2026-11-22T00:00:00+01:00'), format: 'classic', mix: 'realistic' })];
    all.splice(100, 0, 'x'.repeat(MAX_LINE_BYTES + 10), 'nul\u0000\u0000 bytes', 'garbage \u001b[31m line', 'Nov 22 00:00:09 mx1 postfix/smtpd[1]: NOQUEUE: reject: RCPT from x[192.0.2.1]: 550 5.1.1 <é@example.org>: Recipient address rejected: User unknown in local recipient table; from=<a@b.test> to=<é@example.org> proto=ESMTP helo=<x>');
    const r = await same('postfix', all);
    expect(r.problems.length).toBeGreaterThan(100);
    expect(r.unrecognised.length).toBeGreaterThan(0);
    expect(r.json).toMatch(/"oversizedLines": 1,/);
    expect(r.json).toMatch(/"nulBytes": 2,/);
  });

  test('Exim main log', async () => {
    const all = [...generateExim({ seed: 22, messages: 1500, start: new Date('2026-11-22T00:00:00Z') })];
    const r = await same('exim', all);
    expect(r.problems.length).toBeGreaterThan(100);
  });

  test('Exchange message tracking log', async () => {
    const all = [...generateExchange({ seed: 23, messages: 1500, start: new Date('2026-11-22T00:00:00Z') })];
    const r = await same('exchange', all);
    expect(r.problems.length).toBeGreaterThan(10);
  });
});

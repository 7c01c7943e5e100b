/**
 * --state and `maillog-doctor merge`: the merged report of per-host runs equals one run over
 * all their logs (counts exact; distinct counts exact below the caps, and past them the merged
 * registers give the estimate of the union); a foreign or damaged file is one line and exit 1.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, test } from 'vitest';
import { Aggregator, emptyRunStats } from '../../src/aggregate/aggregator.js';
import { DISTINCT_EXACT_CAP, TOPK_CAP } from '../../src/aggregate/counters.js';
import { decodeState, encodeState, mergeStates } from '../../src/state/state-file.js';
import { cls, reject } from '../aggregate/fixtures.js';
import type { Report } from '../../src/aggregate/types.js';
import { ROOT, run } from '../helpers/cli.js';

const HOSTS = {
  postfix: ['samples/postfix/mail.log.2.gz', 'samples/postfix/mail.log.1', 'samples/postfix/mail.log'],
  exim: ['samples/exim/mainlog', 'samples/exim/rejectlog'],
  exchange: ['samples/exchange/MSGTRK20261122-1.LOG', 'samples/exchange/RECV20261122-1.LOG'],
};

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mld-state-'));
  for (const [name, files] of Object.entries(HOSTS)) {
    const r = await run([...files.map((f) => join(ROOT, f)), '--year', '2026', '--state', join(dir, `${name}.state`), '--format', 'json', '-o', join(dir, `${name}.json`)]);
    expect([r.code, r.stderr]).toEqual([0, '']);
  }
  // Three runs of the CLI: seconds each on a loaded machine.
}, 120_000);

const states = () => Object.keys(HOSTS).map((n) => join(dir, `${n}.state`));
const allFiles = () => Object.values(HOSTS).flat().map((f) => join(ROOT, f));

describe('merge of state files', () => {
  test.each(['json', 'csv', 'text'])('--format %s equals one run over all the logs', async (format) => {
    const merged = await run(['merge', ...states(), '--format', format, '--width', '120']);
    const one = await run([...allFiles(), '--year', '2026', '--format', format, '--width', '120']);
    expect([merged.code, merged.stderr]).toEqual([0, '']);
    expect(merged.stdout).toBe(one.stdout);
  });

  test('the diagnosis is among what they agree on: backscatter, act or not, onsets', async () => {
    const merged = JSON.parse((await run(['merge', ...states(), '--format', 'json'])).stdout) as Report;
    expect(merged.backscatter.map((b) => `${b.kind} ${b.mta}`).sort()).toEqual(['accept-then-bounce exchange', 'accept-then-bounce postfix']);
    expect(merged.findings.filter((f) => f.action === 'actionable').length).toBeGreaterThan(0);
    expect(merged.findings.filter((f) => f.onset !== null).length).toBeGreaterThan(0);
  });

  test('one state merged alone is the report of its run', async () => {
    const merged = await run(['merge', join(dir, 'exim.state'), '--format', 'json']);
    expect(merged.stdout).toBe(readFileSync(join(dir, 'exim.json'), 'utf8'));
  });

  test('states of runs split by host and of runs that are not do not merge', async () => {
    const split = join(dir, 'split.state');
    expect((await run([join(ROOT, HOSTS.exim[0]!), '--by', 'host', '--state', split, '--format', 'json'])).code).toBe(0);
    const r = await run(['merge', join(dir, 'exim.state'), split]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^maillog-doctor: .*split\.state: its findings are split by host .*--by\n$/);
  });
});

describe('a file that is not a state', () => {
  const cases: Array<[string, Buffer, RegExp]> = [
    ['a log file', Buffer.from('Nov 22 00:06:18 mx1 postfix/smtpd[1]: connect\n'), /not a maillog-doctor state file/],
    ['empty', Buffer.alloc(0), /not a maillog-doctor state file/],
    ['cut short', readFileSyncLazy(), /not a maillog-doctor state file/],
    ['gzip of other JSON', gzipSync('{"hello":1}'), /not a maillog-doctor state file/],
    ['gzip of text', gzipSync('hello'), /damaged state file: not JSON/],
    ['another version', gzipSync('{"format":"maillog-doctor-state","version":99}'), /state file version 99: this maillog-doctor reads version 1/],
    ['a field of the wrong kind', gzipSync('{"format":"maillog-doctor-state","version":1,"writtenBy":"x","run":{}}'), /damaged state file: run\.linesRead/],
  ];
  function readFileSyncLazy(): Buffer {
    // A real state cut in half: built here, as the files of beforeAll do not exist yet.
    const a = new Aggregator();
    a.add(reject({ to: 'x@example.com' }), cls());
    const b = encodeState(a, emptyRunStats(), 'test');
    return b.subarray(0, b.length >> 1);
  }
  test.each(cases)('%s: one line, exit 1', async (_name, bytes, want) => {
    const f = join(dir, `bad-${_name.replace(/ /g, '-')}`);
    writeFileSync(f, bytes);
    const r = await run(['merge', join(dir, 'exim.state'), f]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(want);
    expect(r.stdout).toBe('');
  });

  test('a missing file and no file at all', async () => {
    const r = await run(['merge', join(dir, 'nope.state')]);
    expect([r.code, r.stderr]).toEqual([1, `maillog-doctor: ${join(dir, 'nope.state')}: no such file or directory\n`]);
    expect((await run(['merge'])).code).toBe(2);
  });
});

describe('state of counters past their caps', () => {
  /** Events of one finding: `n` distinct recipients (and clients), from index `from`. */
  function agg(from: number, n: number): Aggregator {
    const a = new Aggregator();
    for (let i = from; i < from + n; i++) {
      const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      a.add(reject({ to: `u${i}@example.com`, client: { name: null, ip, port: null }, from: `s${i % 1500}@example.net` }), cls());
    }
    return a;
  }

  test('save, load and merge: the same report as merging the aggregators themselves', () => {
    const a = agg(0, DISTINCT_EXACT_CAP + 2_000);
    const b = agg(DISTINCT_EXACT_CAP, 3_000);
    const loaded = mergeStates([
      { path: 'a', state: decodeState('a', encodeState(a, emptyRunStats(), 't')) },
      { path: 'b', state: decodeState('b', encodeState(b, emptyRunStats(), 't')) },
    ]);
    const direct = a;
    direct.merge(b);
    const got = loaded.aggregator.snapshot(loaded.stats);
    const want = direct.snapshot(emptyRunStats());
    expect(got).toEqual(want);
    const f = got.findings[0]!;
    expect(got.details[0]!.approximate.recipients).toBe(true);
    expect(got.details[0]!.approximate.topLists).toBe(TOPK_CAP < 1500);
    // 13,000 distinct recipients: the merged registers estimate the union (±0.81 % s.e.).
    expect(Math.abs(f.distinctRecipients - 13_000) / 13_000).toBeLessThan(0.04);
    expect(f.count).toBe(DISTINCT_EXACT_CAP + 5_000);
  });
});

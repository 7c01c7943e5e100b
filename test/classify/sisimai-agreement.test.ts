/**
 * The outbound reply rules against real replies labelled by sisimai (bench/sisimai-agreement.ts
 * measures, test/data/sisimai/ holds the data and its provenance): the agreement goals hold, and
 * every disagreement is one DISAGREEMENTS.md lists with why, so that list stays true.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  BIG_PROVIDERS,
  bigTogether,
  byCause,
  byProvider,
  DATA,
  disagreements,
  GOAL_BIG,
  GOAL_OVERALL,
  measure,
  MIN_PROVIDER_SAMPLES,
  MTAS,
  overall,
  rate,
  replyEvent,
  table,
} from '../../bench/sisimai-agreement.js';
import { classify } from '../../src/classify/classify.js';
import { eximParser } from '../../parsers/exim/index.js';
import { parseLines } from '../helpers/parse.js';

const m = measure();

describe('outbound replies against sisimai labels', () => {
  test('the data is what SOURCES.md describes, and enough of it', () => {
    expect(m.meta.labelled).toBeGreaterThan(600);
    expect(m.judged.length).toBeGreaterThan(300);
    const big = byProvider(m).filter((r) => (BIG_PROVIDERS as readonly string[]).includes(r.group));
    expect(big.reduce((s, r) => s + r.n, 0)).toBeGreaterThan(50);
  });

  test(`≥ ${GOAL_BIG * 100} % on the big providers (together, and each with ≥ ${MIN_PROVIDER_SAMPLES} samples), ≥ ${GOAL_OVERALL * 100} % overall`, () => {
    console.log(`${table('provider', [...byProvider(m), bigTogether(m), overall(m)])}\n\n${table('cause', byCause(m))}`);
    for (const mta of MTAS) {
      // Below 20 samples one reply moves a provider's rate by more than the 5 % margin, so a
      // small provider counts in the together figure only (its own rate is printed).
      for (const r of byProvider(m)) {
        if (r.group !== 'others' && r.n >= MIN_PROVIDER_SAMPLES) expect(rate(r, mta), `${mta} ${r.group}`).toBeGreaterThanOrEqual(GOAL_BIG);
      }
      expect(rate(bigTogether(m), mta), `${mta} big providers`).toBeGreaterThanOrEqual(GOAL_BIG);
      expect(rate(overall(m), mta), `${mta} overall`).toBeGreaterThanOrEqual(GOAL_OVERALL);
    }
  });

  test('every disagreement is listed in DISAGREEMENTS.md, and every listed one still disagrees', () => {
    const listed = new Set<string>();
    const md = readFileSync(join(DATA, '..', 'DISAGREEMENTS.md'), 'utf8');
    for (const line of md.split('\n')) {
      const cells = line.split('|').map((c) => c.trim());
      // | sample | MTA | sisimai → ours | we say | rule | reply | why |
      if (!/^[a-z0-9-]+\.eml#[0-9]+$/.test(cells[1] ?? '')) continue;
      expect(cells[7], `no reason given for ${cells[1]}`).toMatch(/\w{3}/);
      for (const mta of cells[2]!.split(/,\s*/)) listed.add(`${cells[1]} ${mta} ${cells[4]}`);
    }
    const actual = new Set(disagreements(m).map((d) => `${d.key} ${d.mta} ${d.got}`));
    expect([...actual].filter((d) => !listed.has(d)), 'disagreements not in DISAGREEMENTS.md').toEqual([]);
    expect([...listed].filter((d) => !actual.has(d)), 'listed but no longer disagreeing').toEqual([]);
  });

  test('the Postfix events built here are those the Postfix parser makes of the same reply', () => {
    let n = 0;
    for (const j of m.judged) {
      const built = replyEvent('postfix', j.sample.reply!, j.sample);
      const line = `Nov  3 10:00:00 mx postfix/smtp[4243]: 3F2A1B4C5D: to=<alice@example.net>, relay=mx.example.net[192.0.2.25]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=${built.dsn}, status=${built.status} (${built.reason})`;
      const [parsed] = parseLines([line]);
      expect(parsed?.kind, line).toBe('delivery');
      expect(classify(parsed!)?.rule, line).toBe(classify(built)?.rule);
      n++;
    }
    expect(n).toBe(m.judged.length);
  });

  test('the Exim events built here are those the Exim parser makes of the same reply', () => {
    // The measurement builds events directly; this checks them against real log lines, so that
    // what is measured is what a run would classify.
    let n = 0;
    for (const j of m.judged) {
      const reply = j.sample.reply!;
      const built = replyEvent('exim', reply, j.sample);
      const flag = built.status === 'deferred' ? '== alice@example.net R=dnslookup T=remote_smtp defer (-44)' : '** alice@example.net R=dnslookup T=remote_smtp';
      const line = `2026-11-03 10:00:00 1xV5P6-00000000AWF-00AZ ${flag} H=mx.example.net [192.0.2.25]: ${built.reason}`;
      const [parsed] = parseLines([line], eximParser);
      expect(parsed?.kind, line).toBe('delivery');
      expect(classify(parsed!)?.rule, line).toBe(classify(built)?.rule);
      n++;
    }
    expect(n).toBe(m.judged.length);
  });
});

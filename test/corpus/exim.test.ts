/**
 * Every line of every real Exim corpus file is recognised, ignored with a reason, or counted as
 * unrecognised — through the real streaming pipeline (detection, parse, classify). The counts
 * are kept by hand: a change that makes the parser understand less (or more) must show up here.
 * The 115 unrecognised lines (of 4,576) are artefacts of Exim's test harness, not of Exim's
 * logging: what the test configurations write with `logwrite` and from their local_scan() and
 * event_action hooks (`msg`, `10.9.8.8 accepted by connect ACL`, `mail accepted "mail from:…"`,
 * `test write to LOG_REJECT`, `event tcp:connect data ""`, `$h_from: 'x@y'`).
 *
 * Then every problem event (rejection, bounce, deferral) in the corpus gets a specific
 * classification: non-null and never by a catch-all `exim.<direction>.other` rule.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { eximParser } from '../../parsers/exim/index.js';
import { classify } from '../../src/classify/classify.js';
import { parseAll } from '../helpers/parse.js';
import { CORPUS, corpusCounts, haveCorpus } from './counts.js';

const EXPECTED: Record<string, { format: string; read: number; recognised: number; ignored: number; unrecognised: number }> = {
  'Exim_exim_test-log-0021.log': { format: 'exim', read: 53, recognised: 41, ignored: 5, unrecognised: 7 },
  'Exim_exim_test-log-0023.log': { format: 'exim', read: 61, recognised: 60, ignored: 1, unrecognised: 0 },
  'Exim_exim_test-log-0024.log': { format: 'exim', read: 33, recognised: 31, ignored: 2, unrecognised: 0 },
  'Exim_exim_test-log-0026.log': { format: 'exim', read: 31, recognised: 17, ignored: 4, unrecognised: 10 },
  'Exim_exim_test-log-0135.log': { format: 'exim', read: 37, recognised: 24, ignored: 13, unrecognised: 0 },
  'Exim_exim_test-log-0180.log': { format: 'exim', read: 7, recognised: 7, ignored: 0, unrecognised: 0 },
  'Exim_exim_test-log-0208.log': { format: 'exim', read: 20, recognised: 18, ignored: 2, unrecognised: 0 },
  'Exim_exim_test-log-0209.log': { format: 'exim', read: 37, recognised: 26, ignored: 11, unrecognised: 0 },
  'Exim_exim_test-log-0227.log': { format: 'exim', read: 31, recognised: 20, ignored: 11, unrecognised: 0 },
  'Exim_exim_test-log-0300.log': { format: 'exim', read: 15, recognised: 13, ignored: 2, unrecognised: 0 },
  'Exim_exim_test-log-0365.log': { format: 'exim', read: 26, recognised: 16, ignored: 10, unrecognised: 0 },
  'Exim_exim_test-log-0376.log': { format: 'exim', read: 22, recognised: 10, ignored: 8, unrecognised: 4 },
  'Exim_exim_test-log-0536.log': { format: 'exim', read: 41, recognised: 36, ignored: 5, unrecognised: 0 },
  'Exim_exim_test-log-0548.log': { format: 'exim', read: 35, recognised: 18, ignored: 17, unrecognised: 0 },
  'Exim_exim_test-log-0551.log': { format: 'exim', read: 11, recognised: 11, ignored: 0, unrecognised: 0 },
  'Exim_exim_test-log-0601.log': { format: 'exim', read: 64, recognised: 32, ignored: 0, unrecognised: 32 },
  'Exim_exim_test-log-0608.log': { format: 'exim', read: 71, recognised: 66, ignored: 5, unrecognised: 0 },
  'Exim_exim_test-log-0612.log': { format: 'exim', read: 125, recognised: 40, ignored: 30, unrecognised: 55 },
  'Exim_exim_test-log-0622.log': { format: 'exim', read: 70, recognised: 61, ignored: 9, unrecognised: 0 },
  'Exim_exim_test-log-9400.log': { format: 'exim', read: 92, recognised: 86, ignored: 4, unrecognised: 2 },
  'Exim_exim_test-rejectlog-0021.log': { format: 'exim', read: 65, recognised: 12, ignored: 50, unrecognised: 3 },
  'Exim_exim_test-rejectlog-0023.log': { format: 'exim', read: 7, recognised: 7, ignored: 0, unrecognised: 0 },
  'Exim_exim_test-rejectlog-0024.log': { format: 'exim', read: 11, recognised: 10, ignored: 1, unrecognised: 0 },
  'Exim_exim_test-rejectlog-0026.log': { format: 'exim', read: 74, recognised: 6, ignored: 68, unrecognised: 0 },
  'Exim_exim_test-rejectlog-0180.log': { format: 'exim', read: 5, recognised: 5, ignored: 0, unrecognised: 0 },
  'Exim_exim_test-rejectlog-0227.log': { format: 'exim', read: 47, recognised: 20, ignored: 27, unrecognised: 0 },
  'Exim_exim_test-rejectlog-0365.log': { format: 'exim', read: 59, recognised: 16, ignored: 43, unrecognised: 0 },
  'Exim_exim_test-rejectlog-0536.log': { format: 'exim', read: 44, recognised: 24, ignored: 20, unrecognised: 0 },
  'Exim_exim_test-rejectlog-0622.log': { format: 'exim', read: 14, recognised: 14, ignored: 0, unrecognised: 0 },
  'Exim_exim_test-rejectlog-9400.log': { format: 'exim', read: 180, recognised: 14, ignored: 164, unrecognised: 2 },
  'crowdsecurity_hub_exim-logs.log': { format: 'exim', read: 12, recognised: 11, ignored: 1, unrecognised: 0 },
  'fail2ban_fail2ban_exim.log': { format: 'exim', read: 51, recognised: 20, ignored: 31, unrecognised: 0 },
  'gvengel_exim_exporter_mainlog.log': { format: 'exim', read: 35, recognised: 34, ignored: 1, unrecognised: 0 },
  'gvengel_exim_exporter_rejectlog.log': { format: 'exim', read: 4, recognised: 4, ignored: 0, unrecognised: 0 },
  'perericr_ddgrey_mainlog.log': { format: 'exim', read: 3086, recognised: 1307, ignored: 1779, unrecognised: 0 },
};

describe.skipIf(!haveCorpus)('real Exim corpus (../shared/corpus/exim)', () => {
  test('the table covers every corpus file', () => {
    const files = readdirSync(CORPUS + 'exim').filter((f) => !f.endsWith('.md'));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  test.for(Object.entries(EXPECTED))('%s', async ([file, want]) => {
    const c = await corpusCounts(CORPUS + 'exim/' + file);
    expect({ format: c.format, read: c.read, recognised: c.recognised, ignored: c.ignored, unrecognised: c.unrecognised }).toEqual(want);
    expect(c.errors).toEqual([]);
    expect(c.recognised + c.ignored + c.unrecognised).toBe(c.read);
  });

  test('all corpus files together: 115 unrecognised lines in 4,576', () => {
    const total = Object.values(EXPECTED).reduce((n, e) => n + e.unrecognised, 0);
    const read = Object.values(EXPECTED).reduce((n, e) => n + e.read, 0);
    expect(total).toBe(115);
    expect(read).toBe(4576);
  });
});

/** Problem events of one corpus file, as the parser gives them. */
function problems(file: string) {
  const lines = readFileSync(CORPUS + 'exim/' + file, 'utf8').split(/\r?\n/);
  return parseAll(lines, eximParser).events;
}

describe.skipIf(!haveCorpus)('every problem in the corpus gets a specific classification', () => {
  test.for(Object.keys(EXPECTED))('%s', (file) => {
    for (const ev of problems(file)) {
      const problem = ev.kind === 'reject' || (ev.kind === 'delivery' && ev.status !== 'sent');
      const c = classify(ev);
      if (!problem) {
        expect(c).toBeNull();
        continue;
      }
      expect(c, ev.raw).not.toBeNull();
      // Catch-all rules are for logs we have not seen; the corpus must never need them.
      expect(c!.rule, ev.raw).not.toMatch(/\.other$/);
    }
  });

  test('the corpus exercises most of the table', () => {
    const hit = new Set<string>();
    let n = 0;
    for (const file of Object.keys(EXPECTED)) {
      for (const ev of problems(file)) {
        const c = classify(ev);
        if (c) {
          hit.add(c.rule);
          n++;
        }
      }
    }
    // 1,571 problem events (the real perericr server alone gives 1,100 unknown-recipient
    // probes), classified by 47 different rules (the corpus's one `retry timeout exceeded`
    // follows its deferral, whose reason, a timed-out connection, now classifies it).
    expect(n).toBe(1571);
    expect(hit.size).toBe(47);
  });
});

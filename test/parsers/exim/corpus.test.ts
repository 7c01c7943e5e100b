/**
 * Every real Exim log in ../shared/corpus/exim/ through a fresh LineMachine, with the per-file
 * counts kept by hand. The unrecognised lines are all site or test-harness `logwrite` output
 * that no parser can know: the test suite's `10.9.8.8 accepted by connect ACL`, `mail accepted
 * "…"` (0021), `$h_from: '…'` (0026), `(random)` (0376), `msg` (0601), event_action's
 * `event tcp:connect data ""` and the harness's phase labels `rej/never` (0612), `test write to
 * LOG_MAIN`/`LOG_REJECT` (9400).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { eximParser } from '../../../parsers/exim/index.js';
import type { LineResult } from '../../../parsers/types.js';
import { CORPUS, haveCorpus } from '../../corpus/counts.js';
import { REFERENCE } from '../../helpers/parse.js';

/** The Exim logs of the shared corpus (skipped without it). */
const DIR = `${CORPUS}exim/`;

type Counts = { recognised: number; ignored: number; unrecognised: number };

const EXPECTED: Record<string, Counts> = {
  'Exim_exim_test-log-0021.log': { recognised: 41, ignored: 5, unrecognised: 7 },
  'Exim_exim_test-log-0023.log': { recognised: 60, ignored: 1, unrecognised: 0 },
  'Exim_exim_test-log-0024.log': { recognised: 31, ignored: 2, unrecognised: 0 },
  'Exim_exim_test-log-0026.log': { recognised: 17, ignored: 4, unrecognised: 10 },
  'Exim_exim_test-log-0135.log': { recognised: 24, ignored: 13, unrecognised: 0 },
  'Exim_exim_test-log-0180.log': { recognised: 7, ignored: 0, unrecognised: 0 },
  'Exim_exim_test-log-0208.log': { recognised: 18, ignored: 2, unrecognised: 0 },
  'Exim_exim_test-log-0209.log': { recognised: 26, ignored: 11, unrecognised: 0 },
  'Exim_exim_test-log-0227.log': { recognised: 20, ignored: 11, unrecognised: 0 },
  'Exim_exim_test-log-0300.log': { recognised: 13, ignored: 2, unrecognised: 0 },
  'Exim_exim_test-log-0365.log': { recognised: 16, ignored: 10, unrecognised: 0 },
  'Exim_exim_test-log-0376.log': { recognised: 10, ignored: 8, unrecognised: 4 },
  'Exim_exim_test-log-0536.log': { recognised: 36, ignored: 5, unrecognised: 0 },
  'Exim_exim_test-log-0548.log': { recognised: 18, ignored: 17, unrecognised: 0 },
  'Exim_exim_test-log-0551.log': { recognised: 11, ignored: 0, unrecognised: 0 },
  'Exim_exim_test-log-0601.log': { recognised: 32, ignored: 0, unrecognised: 32 },
  'Exim_exim_test-log-0608.log': { recognised: 66, ignored: 5, unrecognised: 0 },
  'Exim_exim_test-log-0612.log': { recognised: 40, ignored: 30, unrecognised: 55 },
  'Exim_exim_test-log-0622.log': { recognised: 61, ignored: 9, unrecognised: 0 },
  'Exim_exim_test-log-9400.log': { recognised: 86, ignored: 4, unrecognised: 2 },
  'Exim_exim_test-rejectlog-0021.log': { recognised: 12, ignored: 50, unrecognised: 3 },
  'Exim_exim_test-rejectlog-0023.log': { recognised: 7, ignored: 0, unrecognised: 0 },
  'Exim_exim_test-rejectlog-0024.log': { recognised: 10, ignored: 1, unrecognised: 0 },
  'Exim_exim_test-rejectlog-0026.log': { recognised: 6, ignored: 68, unrecognised: 0 },
  'Exim_exim_test-rejectlog-0180.log': { recognised: 5, ignored: 0, unrecognised: 0 },
  'Exim_exim_test-rejectlog-0227.log': { recognised: 20, ignored: 27, unrecognised: 0 },
  'Exim_exim_test-rejectlog-0365.log': { recognised: 16, ignored: 43, unrecognised: 0 },
  'Exim_exim_test-rejectlog-0536.log': { recognised: 24, ignored: 20, unrecognised: 0 },
  'Exim_exim_test-rejectlog-0622.log': { recognised: 14, ignored: 0, unrecognised: 0 },
  'Exim_exim_test-rejectlog-9400.log': { recognised: 14, ignored: 164, unrecognised: 2 },
  // Their `authenticator failed` lines are auth-failure events (6 and 12).
  'crowdsecurity_hub_exim-logs.log': { recognised: 11, ignored: 1, unrecognised: 0 },
  'fail2ban_fail2ban_exim.log': { recognised: 20, ignored: 31, unrecognised: 0 },
  'gvengel_exim_exporter_mainlog.log': { recognised: 34, ignored: 1, unrecognised: 0 },
  'gvengel_exim_exporter_rejectlog.log': { recognised: 4, ignored: 0, unrecognised: 0 },
  'perericr_ddgrey_mainlog.log': { recognised: 1307, ignored: 1779, unrecognised: 0 },
};

const files = haveCorpus
  ? readdirSync(DIR)
      .filter((f) => f.endsWith('.log'))
      .sort()
  : [];

/** The file's lines as the pipeline sees them: split on CR?LF, the empty string after the last newline dropped. */
function linesOf(file: string): string[] {
  const lines = readFileSync(DIR + file, 'utf8').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

describe.skipIf(!haveCorpus)('exim corpus (../shared/corpus/exim)', () => {
  test('the table lists exactly the corpus files', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(files);
  });

  test.for(files)('%s: recognised / ignored / unrecognised as counted by hand, no line throws', (file) => {
    const m = eximParser.create();
    m.begin({ file, reference: REFERENCE });
    const counts: Counts = { recognised: 0, ignored: 0, unrecognised: 0 };
    linesOf(file).forEach((line, i) => {
      let r: LineResult | undefined;
      expect(() => (r = m.line(line, i + 1))).not.toThrow();
      counts[r!.status]++;
    });
    // Left at the end: only rejections of a whole message whose rejectlog copy (with the
    // recipients) was not read; each counts once then, without a recipient.
    for (const ev of m.end()) expect(ev.kind === 'reject' && ev.to === null && ev.queueId !== null).toBe(true);
    expect(counts).toEqual(EXPECTED[file]);
  });

  test('total unrecognised stays at the harness/site logwrite lines', () => {
    const total = Object.values(EXPECTED).reduce((n, c) => n + c.unrecognised, 0);
    expect(total).toBe(115);
  });
});

/**
 * Every line of every real Postfix corpus file is recognised, ignored with a reason, or counted
 * as unrecognised — through the real streaming pipeline. The counts are kept by hand: a change
 * that makes the parser understand less (or more) must show up here. The unrecognised lines
 * are fragments: continuations of lines wrapped in the source (`ir/)`, `est SHA256`, `)`) and
 * pieces of test data that were never whole log lines (grok's `dane`, `helo=1 quit=1 …`).
 */
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { classify } from '../../src/classify/classify.js';
import { CORPUS, corpusCounts, haveCorpus } from './counts.js';

const EXPECTED: Record<string, { format: string; read: number; recognised: number; ignored: number; unrecognised: number }> = {
  'NoLE_MailLog_mail.log': { format: 'postfix', read: 1368, recognised: 742, ignored: 626, unrecognised: 0 },
  'crowdsecurity_hub_postfix-logs.log': { format: 'postfix', read: 7, recognised: 5, ignored: 2, unrecognised: 0 },
  'dmlinarr_SecurePostfix_mail.log': { format: 'postfix', read: 120, recognised: 36, ignored: 84, unrecognised: 0 },
  'fail2ban_fail2ban_postfix.log': { format: 'postfix', read: 63, recognised: 40, ignored: 23, unrecognised: 0 },
  'fonylew_config-mailgateway_maillog.log': { format: 'postfix', read: 4500, recognised: 1719, ignored: 2781, unrecognised: 0 },
  'kdent_postfix_log_analysis_mail2.log': { format: 'postfix', read: 4000, recognised: 1522, ignored: 2478, unrecognised: 0 },
  'lightmeterio_ControlCenter_15_milter-reject.log': { format: 'postfix', read: 5, recognised: 3, ignored: 2, unrecognised: 0 },
  'lightmeterio_ControlCenter_17-smtpd-reject-with-milter-reject.log': { format: 'postfix', read: 7, recognised: 4, ignored: 3, unrecognised: 0 },
  'lightmeterio_ControlCenter_18_expired.log': { format: 'postfix', read: 29, recognised: 19, ignored: 9, unrecognised: 1 },
  'lightmeterio_ControlCenter_1_bounce_simple.log': { format: 'postfix', read: 28, recognised: 12, ignored: 16, unrecognised: 0 },
  'lightmeterio_ControlCenter_20_rejected.log': { format: 'postfix', read: 6, recognised: 2, ignored: 4, unrecognised: 0 },
  'lightmeterio_ControlCenter_28_received_bounce.log': { format: 'postfix', read: 14, recognised: 4, ignored: 10, unrecognised: 0 },
  'lightmeterio_ControlCenter_2_multiple_recipients_some_bounces.log': { format: 'postfix', read: 33, recognised: 20, ignored: 13, unrecognised: 0 },
  'lightmeterio_ControlCenter_5_zimbra_amavisd.log': { format: 'postfix', read: 74, recognised: 12, ignored: 62, unrecognised: 0 },
  'lightmeterio_ControlCenter_6_deferred_message_retry.log': { format: 'postfix', read: 56, recognised: 18, ignored: 38, unrecognised: 0 },
  'lightmeterio_ControlCenter_8_weird_log_file.log': { format: 'postfix', read: 17, recognised: 8, ignored: 9, unrecognised: 0 },
  'lightmeterio_ControlCenter_9_mixed_messages.log': { format: 'postfix', read: 61, recognised: 32, ignored: 29, unrecognised: 0 },
  'lightmeterio_ControlCenter_complete.tar.gz_mail.log': { format: 'postfix', read: 2252, recognised: 448, ignored: 1804, unrecognised: 0 },
  'louisitvn_pflgviewer_mail.log': { format: 'postfix', read: 8100, recognised: 7186, ignored: 914, unrecognised: 0 },
  'okfde_froide_maillog_001.log': { format: 'postfix', read: 22, recognised: 8, ignored: 12, unrecognised: 2 },
  'okfde_froide_maillog_006.log': { format: 'postfix', read: 6, recognised: 5, ignored: 1, unrecognised: 0 },
  'okfde_froide_maillog_007.log': { format: 'postfix', read: 10, recognised: 5, ignored: 4, unrecognised: 1 },
  'shlomif_postfix-problem_maillog.log': { format: 'postfix', read: 11, recognised: 1, ignored: 10, unrecognised: 0 },
  'vdukhovni_postfix_smtpd_check.ref.log': { format: 'postfix', read: 78, recognised: 57, ignored: 21, unrecognised: 0 },
  'vdukhovni_postfix_smtpd_exp.ref.log': { format: 'postfix', read: 13, recognised: 11, ignored: 2, unrecognised: 0 },
  'whyscream_postfix-grok-patterns_test.log': { format: 'postfix', read: 191, recognised: 51, ignored: 127, unrecognised: 13 },
};

describe.skipIf(!haveCorpus)('real Postfix corpus (../shared/corpus/postfix)', () => {
  test('the table covers every corpus file', () => {
    const files = readdirSync(CORPUS + 'postfix').filter((f) => !f.endsWith('.md'));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  test.for(Object.entries(EXPECTED))('%s', async ([file, want]) => {
    const c = await corpusCounts(CORPUS + 'postfix/' + file);
    expect({ format: c.format, read: c.read, recognised: c.recognised, ignored: c.ignored, unrecognised: c.unrecognised }).toEqual(want);
    expect(c.errors).toEqual([]);
    expect(c.recognised + c.ignored + c.unrecognised).toBe(c.read);
  });

  test('all corpus files together: 17 unrecognised lines in about 21,000', async () => {
    const total = Object.values(EXPECTED).reduce((n, e) => n + e.unrecognised, 0);
    const read = Object.values(EXPECTED).reduce((n, e) => n + e.read, 0);
    expect(total).toBe(17);
    expect(read).toBe(21071);
  });
});

describe.skipIf(!haveCorpus)('every problem in the corpus gets a specific classification', () => {
  test.for(Object.keys(EXPECTED))('%s', async (file) => {
    const { readFileSync } = await import('node:fs');
    const { parseAll } = await import('../helpers/parse.js');
    const lines = readFileSync(CORPUS + 'postfix/' + file, 'utf8').split(/\r?\n/);
    const { events } = parseAll(lines);
    for (const ev of events) {
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
});

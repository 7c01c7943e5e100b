/**
 * Every real Exchange corpus file (../shared/corpus/exchange, *.md aside) read as the pipeline
 * reads it (src/input/lines.ts: split2, CR stripped, BOM kept) through one exchange
 * LineMachine. Counts are kept by hand: a change that makes the parser understand less (or
 * more) must show up here. The unrecognised lines are not records: a Format-Table row without
 * its header (1407358 line 1), and the command and the author's `...` above a pasted listing
 * (nauplius lines 1 and 3).
 */
import { createReadStream, readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { exchangeParser } from '../../../parsers/exchange/index.js';
import { classify } from '../../../src/classify/classify.js';
import { MailEvent } from '../../../src/event.js';
import { forEachLine } from '../../../src/input/lines.js';
import { CORPUS, haveCorpus } from '../../corpus/counts.js';

interface Expected {
  read: number;
  recognised: number;
  ignored: number;
  unrecognised: number;
  events: number;
}

const EXPECTED: Record<string, Expected> = {
  'Qazeer_artefacts.help_MSGTRKMS2022091915-1.LOG': { read: 7, recognised: 1, ignored: 6, unrecognised: 0, events: 0 },
  'elastic_beats_bom8.log': { read: 7, recognised: 0, ignored: 7, unrecognised: 0, events: 0 },
  'elastic_integrations_test-messagetracking.log': { read: 6, recognised: 4, ignored: 2, unrecognised: 0, events: 2 },
  'wallix_pylogsparser_MSExchange2007MessageTracking.log': { read: 1, recognised: 0, ignored: 1, unrecognised: 0, events: 0 },
  'web_learn.microsoft.com_answers-1407358_exchange-2016-blocking-emails.fl.log': { read: 63, recognised: 31, ignored: 31, unrecognised: 1, events: 1 },
  'web_learn.microsoft.com_answers-347573_transport-rule-false-positive.fl.log': { read: 33, recognised: 33, ignored: 0, unrecognised: 0, events: 1 },
  'web_nauplius-blog_access-request-emails-failing-to-deliver.fl.log': { read: 12, recognised: 9, ignored: 1, unrecognised: 2, events: 1 },
};

async function run(file: string) {
  const m = exchangeParser.create();
  m.begin({ file, reference: new Date('2026-11-23T12:00:00Z') });
  const counts = { read: 0, recognised: 0, ignored: 0, unrecognised: 0, events: 0 };
  const events: MailEvent[] = [];
  let sniffed = 0;
  await forEachLine(createReadStream(CORPUS + 'exchange/' + file), (line, no) => {
    counts.read++;
    if (exchangeParser.sniff(line)) sniffed++;
    const r = m.line(line, no);
    counts[r.status]++;
    if (r.status === 'recognised') events.push(...r.events);
  });
  events.push(...m.end());
  counts.events = events.length;
  return { counts, events, sniffed };
}

describe.skipIf(!haveCorpus)('real Exchange corpus (../shared/corpus/exchange)', () => {
  test('the table covers every corpus file', () => {
    const files = readdirSync(CORPUS + 'exchange').filter((f) => !f.endsWith('.md'));
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  test.for(Object.entries(EXPECTED))('%s', async ([file, want]) => {
    const { counts, events, sniffed } = await run(file);
    expect(counts).toEqual(want);
    for (const ev of events) expect(MailEvent.parse(ev)).toEqual(ev);
    // Format detection would pick Exchange for every file.
    expect(sniffed, 'lines claimed by sniff').toBeGreaterThan(0);
  });

  test('every failure in the corpus gets a specific classification', async () => {
    const rules: string[] = [];
    for (const file of Object.keys(EXPECTED)) {
      for (const ev of (await run(file)).events) {
        const c = classify(ev);
        const problem = ev.kind === 'reject' || (ev.kind === 'delivery' && ev.status !== 'sent');
        if (!problem) {
          expect(c).toBeNull();
          continue;
        }
        expect(c!.rule, ev.raw).not.toMatch(/\.other$/);
        rules.push(c!.rule);
      }
    }
    expect(rules.sort()).toEqual(['exchange.inbound.sender-id', 'exchange.local.auth-required', 'exchange.local.transport-rule']);
  });
});

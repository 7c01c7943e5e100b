/**
 * The diagnosis's evidence through the pipeline: Postfix's sent lines take a shortcut (they are
 * counted, not turned into events), on this thread or on the reader thread; both must tell the
 * diagnosis which addresses received mail, the original recipient (`orig_to`) included.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { THREAD_MODES } from './helpers/pipeline-files.js';

// The reader thread starts from the compiled module only (as in bench-equivalence.test.ts).
type Pipeline = typeof import('../src/pipeline.js');
let analyse: Pipeline['analyse'];

const NOW = new Date('2026-11-23T12:00:00Z');
const SENT_VIA_ALIAS =
  'Nov 22 06:20:00 mx1 postfix/virtual[200]: 4F2A91B2470C: to=<alice@vmbox.example>, orig_to=<alice@valias.example>, relay=virtual, delay=0.1, delays=0.05/0.01/0/0.04, dsn=2.0.0, status=sent (delivered to mailbox)';
const SENT_PLAIN =
  'Nov 22 06:21:00 mx1 postfix/smtp[201]: 5A2B91B2470D: to=<bob@partner.example>, relay=mx.partner.example[198.51.100.4]:25, delay=1, delays=0.1/0/0.4/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 123)';
const refused = (to: string, at: string) =>
  `Nov 22 ${at} mx1 postfix/smtpd[123]: NOQUEUE: reject: RCPT from c.example.net[192.0.2.10]: 550 5.1.1 <${to}>: Recipient address rejected: User unknown in virtual alias table; from=<a@example.net> to=<${to}> proto=ESMTP helo=<c.example.net>`;
const DNF =
  'Nov 22 06:30:00 mx1 postfix/smtp[300]: 6B2C91B2470E: to=<carol@partner.exmaple>, relay=none, delay=0.2, delays=0.1/0/0.1/0, dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name=partner.exmaple type=A: Host not found)';

let path = '';
beforeAll(async () => {
  analyse = ((await import('../dist/src/pipeline.js' as string)) as Pipeline).analyse;
  const dir = mkdtempSync(join(tmpdir(), 'mld-diag-'));
  path = join(dir, 'mail.log');
  const lines = [SENT_VIA_ALIAS, SENT_PLAIN, refused('alice@valias.example', '06:25:00'), refused('stranger@valias.example', '06:26:00'), DNF];
  writeFileSync(path, lines.join('\n') + '\n');
});

describe.for(THREAD_MODES)('$name', ({ threads, sentOn, front }) => {
  test('an alias that received mail (orig_to) and is then refused is actionable', async () => {
    const r = await analyse([path], { now: NOW, threads, sentOn, front });
    const report = r.aggregator.snapshot(r.stats);
    const alias = report.findings.find((f) => f.recipientDomain === 'valias.example')!;
    expect([alias.action, alias.actionReason]).toEqual(['actionable', expect.stringMatching(/^an address that received mail earlier/)]);
    if (threads === 2) expect(r.readByThread).toEqual([path]);
  });

  test('a bounce to a near miss of a domain that accepted mail suggests it', async () => {
    const r = await analyse([path], { now: NOW, threads, sentOn, front });
    const typo = r.aggregator.snapshot(r.stats).findings.find((f) => f.recipientDomain === 'partner.exmaple')!;
    expect([typo.direction, typo.cause, typo.suggestion]).toEqual(['outbound', 'domain-not-found', 'partner.example']);
  });
});

/**
 * The text report breaks long verify commands over lines. Pasted as shown, every command must
 * run exactly what the JSON report's command runs: both are run in bash with stub programs
 * (test/helpers/stub-bin.ts) and the programs called, with their arguments, must be the same.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { Report } from '../../src/aggregate/types.js';
import { PLACEHOLDERS, renderVerify } from '../../src/classify/classify.js';
import { EXIM_RULES } from '../../src/classify/rules-exim.js';
import { POSTFIX_RULES } from '../../src/classify/rules-postfix.js';
import { renderJson } from '../../src/report/json.js';
import { renderText } from '../../src/report/text.js';
import { makeStubBin, type StubBin } from '../helpers/stub-bin.js';
import { sampleReport } from './fixtures.js';

/** Long values with spaces, quotes and shell characters, so that breaks have somewhere to go wrong. */
const VALUES: Record<string, string> = {
  rcpt: "o'hara with spaces@very-long-subdomain.department.example-company.co.uk",
  local: "o'hara with spaces",
  domain: 'very-long-subdomain.department.example-company.co.uk',
  sender: 'newsletter+bounces-$(x)@mailer.example-sender-domain.example',
  sender_domain: 'mailer.example-sender-domain.example',
  dmarc_name: '_dmarc.mailer.example-sender-domain.example',
  client_ip: '2001:db8:ffff:ffff:ffff:ffff:ffff:1',
  helo: 'host name "quoted" `tick`',
  queue_id: '1xV5P6-00000000AWF-00AZ',
  relay_ip: '198.51.100.25',
  relay_port: '25',
  dnsbl_query: '7.113.0.203.zen.spamhaus.org',
  log_file: '/var/log/some folder/mail.log',
  reply_ip: '203.0.113.7',
  lookup_page: 'https://sender.office.com/',
};

const templates = [...new Set([...POSTFIX_RULES, ...EXIM_RULES].map((r) => r.verify))];
const commands = templates.map((t) => renderVerify(t, Object.fromEntries(PLACEHOLDERS.map((p) => [p, VALUES[p] ?? p])), 'sh'));

function reportWith(verifies: string[]): Report {
  const base = sampleReport();
  const proto = base.findings[0]!;
  return {
    summary: base.summary,
    findings: verifies.map((verify, i) => ({ ...proto, rank: i + 1, count: 1000 - i, verify })),
    traffic: base.traffic,
    markers: [],
  };
}

/** The verify commands as the text report shows them: from `verify:` to the line without ` \`. */
function displayed(text: string): string[] {
  const out: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const at = lines[i]!.indexOf('verify:  ');
    if (at < 0) continue;
    const block = [lines[i]!.slice(at + 'verify:  '.length)];
    while (block[block.length - 1]!.endsWith(' \\')) block.push(lines[++i]!);
    out.push(block.join('\n'));
  }
  return out;
}

/**
 * Runs each command in bash with the stubs; the calls of each, as `program arg…` (JSON) in
 * sorted order: the programs of a pipeline run at once, so the order they record in varies.
 */
function callsOf(bin: StubBin, cmds: string[]): string[][] {
  const { calls, stderr } = bin.run(cmds.map((c, k) => `mark ${k}\n( ${c}\n) </dev/null\n`).join(''));
  expect(stderr).not.toMatch(/command not found|syntax error|unexpected EOF/);
  const per: string[][] = [];
  for (const c of calls) {
    if (c.program === 'mark') per.push([]);
    else per[per.length - 1]!.push(JSON.stringify([c.program, ...c.args]));
  }
  return per.map((p) => p.sort());
}

let bin: StubBin;
let expected: string[][];
beforeAll(() => {
  bin = makeStubBin();
  expected = callsOf(bin, JSON.parse(renderJson(reportWith(commands))).findings.map((f: { verify: string }) => f.verify));
}, 120_000);

describe('verify commands pasted from the text report', () => {
  // One narrow width: every run of the ~120 commands starts a few hundred stub processes.
  test.for([44])('at %i columns: broken over lines, and each runs what the JSON command runs', (width) => {
    const text = renderText(reportWith(commands), { width, details: commands.length });
    const shown = displayed(text);
    expect(shown).toHaveLength(commands.length);
    expect(shown.filter((s) => s.includes('\n')).length).toBeGreaterThan(commands.length / 2);
    const got = callsOf(bin, shown);
    const differ = shown.filter((_, k) => got[k]!.join('\n') !== expected[k]!.join('\n'));
    expect(differ).toEqual([]);
    expect(got).toEqual(expected);
  }, 120_000);

  test('the check sees a break that changes the command', () => {
    const bad = callsOf(bin, ["grep -F -e 'a\n b' -- f", 'postmap -q\n grep y']);
    const good = callsOf(bin, ["grep -F -e 'a b' -- f", 'postmap -q grep y']);
    expect(bad).not.toEqual(good);
  });
});

#!/usr/bin/env node
/**
 * Rebuilds replies.jsonl from sisimai's public bounce samples and their labels (SOURCES.md says
 * which commits and why). Usage:
 *
 *   node test/data/sisimai/extract.mjs <set-of-emails dir> <go-sisimai dir> <p5-sisimai dir>
 *
 * Labels come from go-sisimai's tests (fact/*_test.go, the newest expected-value lists); the
 * texts come from decoding each sample with p5-sisimai (dump.pl, needs perl with JSON and
 * Class::Accessor::Lite). A sample is kept when both agree on the reason, so a text is never
 * paired with another recipient's label. Only facts are written: the remote reply, its label,
 * who said it, and where it came from.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [soe, goDir, p5Dir] = process.argv.slice(2);
if (!soe || !goDir || !p5Dir) {
  console.error('usage: extract.mjs <set-of-emails dir> <go-sisimai dir> <p5-sisimai dir>');
  process.exit(2);
}

const gitHead = (dir) => execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();

// 1. Labels: every `{"01", 1, "5.1.1", "550", "userunknown", true, ""}` of a publiclist block.
const ENTRY = /\{"([0-9]+)",\s*([0-9]+),\s*"([^"]*)",\s*"([^"]*)",\s*"([a-z]+)",\s*(true|false),\s*"[^"]*"\}/g;
const labels = new Map(); // `${file}#${index}` -> reason
for (const f of readdirSync(join(goDir, 'fact')).filter((n) => n.endsWith('_test.go')).sort()) {
  const kind = /^[0-9]+-(lhost|rhost)-/.exec(f)?.[1];
  const src = readFileSync(join(goDir, 'fact', f), 'utf8');
  for (const block of src.split('publiclist := ').slice(1)) {
    const body = block.slice(0, block.indexOf('EngineTest('));
    const engine = /EngineTest\(t, "([^"]+)", publiclist/.exec(block)?.[1];
    if (!engine) continue;
    for (const m of body.matchAll(ENTRY)) {
      const file = `maildir/bsd/${kind ? kind + '-' : ''}${engine.toLowerCase()}-${m[1]}.eml`;
      labels.set(`${file}#${Number(m[2])}`, { reason: m[5], engine, test: `fact/${f}` });
    }
  }
}

// 2. Texts: decode every labelled sample once.
const files = [...new Set([...labels.keys()].map((k) => k.slice(0, k.indexOf('#'))))].sort();
const decoded = execFileSync('perl', ['-I', join(p5Dir, 'lib'), join(here, 'dump.pl')], {
  cwd: soe,
  input: files.join('\n') + '\n',
  encoding: 'utf8',
  maxBuffer: 64 << 20,
})
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l));

/**
 * The remote server's reply inside sisimai's diagnostic text: from the first SMTP reply code
 * (or, without one, the first enhanced status) that starts a word, which drops the bouncing
 * MTA's lead-in ("SMTP error from remote mail server after RCPT TO:<…>: host … [ip]:", Gmail's
 * "The error that the other server returned was:", DragonFly's "did not like our RCPT TO:").
 * Without a reply code, the one the bounce gave elsewhere (sisimai's replycode) is put first.
 * null when there is no code at all: the bouncing MTA's own words, not a remote reply.
 */
function remoteReply(raw, replycode) {
  // Postfix's own wrapper around the reply, which the measurement adds back itself.
  const diag = raw.replace(/^host [^ ]+ said: /, '').replace(/ ?\(in reply to [^()]* command\)/g, '');
  // When the transcript holds several replies, the one sisimai read the reason from (its
  // replycode) is the recipient's; else the first.
  const codeAt = (re) => {
    const m = re.exec(diag);
    return m ? m.index + m[0].length - m[1].length : -1;
  };
  let at = /^[45][0-9][0-9]$/.test(replycode) ? codeAt(new RegExp(`(?:^|[\\s:<('#"])(${replycode}(?:[ -]|$))`)) : -1;
  if (at < 0) at = codeAt(/(?:^|[\s:<('#"])([45][0-9][0-9](?:[ -]|$))/);
  if (at >= 0) return firstReply(diag.slice(at).trim());
  const status = /(?:^|[\s:<('#"])([45]\.[0-9]{1,3}\.[0-9]{1,3}(?:\s|$))/.exec(diag);
  const text = status ? diag.slice(status.index + status[0].length - status[1].length).trim() : diag.trim();
  if (/^[45][0-9][0-9]$/.test(replycode)) return `${replycode} ${text}`;
  if (status) return text;
  return null;
}

/**
 * sisimai joins every reply of a session transcript (`550 5.1.1 … User unknown 503 5.0.0 Need
 * RCPT … 550 5.1.1 … User unknown`); an MTA logs one. Keep the first: cut where a reply with
 * another code and an enhanced status starts, or at the middle of a reply given twice. Folded
 * lines of one reply repeat its own code (`550-5.7.1 …`) and stay.
 */
function firstReply(text) {
  const first = text.slice(0, 3);
  for (const m of text.matchAll(/ ([45][0-9][0-9])[ -][245]\.[0-9]{1,3}\.[0-9]{1,3} /g)) {
    if (m[1] !== first) return text.slice(0, m.index);
  }
  // The whole reply twice (`550 Unknown user x 550 Unknown user x`); a fold that starts like the
  // first line and goes on (`554 Message not allowed - 554 Message not allowed - DM …`) stays.
  const half = (text.length - 1) / 2;
  return Number.isInteger(half) && text[half] === ' ' && text.slice(0, half) === text.slice(half + 1) ? text.slice(0, half) : text;
}

/** Who said the reply, by the remote host's name, else the recipient's domain. */
const PROVIDERS = [
  ['Google', /(?:^|\.)(?:google\.com|googlemail\.com|gmail\.com)$/],
  ['Microsoft', /(?:^|\.)(?:outlook\.com|hotmail\.[a-z.]+|live\.[a-z.]+|msn\.com)$/],
  ['Yahoo', /(?:^|\.)(?:yahoo\.[a-z.]+|yahoodns\.net|ymail\.com|aol\.com)$/],
  ['Apple', /(?:^|\.)(?:icloud\.com|me\.com|mac\.com|apple\.com|me\.com\.akadns\.net)$/],
  ['GMX', /(?:^|\.)gmx\.[a-z.]+$/],
  ['Mail.ru', /(?:^|\.)(?:mail\.ru|smailru\.net|bk\.ru|inbox\.ru|list\.ru)$/],
  ['Yandex', /(?:^|\.)(?:yandex\.[a-z.]+|ya\.ru)$/],
];
function provider(rhost, destination) {
  for (const host of [rhost, destination]) {
    for (const [name, re] of PROVIDERS) if (re.test(String(host).toLowerCase())) return name;
  }
  return 'others';
}

const out = [];
let unmatched = 0;
for (const d of decoded) {
  const label = labels.get(`${d.origin}#${d.index}`);
  if (!label) continue;
  if (label.reason !== d.reason) {
    unmatched++;
    continue;
  }
  out.push({
    file: d.origin,
    index: d.index,
    reason: label.reason,
    reply: d.diagnostictype === 'SMTP' ? remoteReply(d.diagnosticcode, d.replycode) : null,
    command: d.command || '',
    provider: provider(d.rhost, d.destination),
    engine: label.engine,
    rhost: d.rhost,
    test: label.test,
  });
}

const meta = {
  source: 'sisimai',
  setOfEmails: gitHead(soe),
  goSisimai: gitHead(goDir),
  p5Sisimai: gitHead(p5Dir),
  labelled: labels.size,
  decodedAndAgreeing: out.length,
  droppedReasonMismatch: unmatched,
};
writeFileSync(join(here, 'replies.jsonl'), [JSON.stringify(meta), ...out.map((r) => JSON.stringify(r))].join('\n') + '\n');
console.log(JSON.stringify(meta));

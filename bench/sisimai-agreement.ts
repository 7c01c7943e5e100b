/**
 * How well the outbound reply rules read real remote replies: each reply of sisimai's labelled
 * bounce samples (test/data/sisimai/replies.jsonl, SOURCES.md there) is classified as the tool
 * would when Postfix logs it (`status=bounced (host … said: <reply> (in reply to … command))`)
 * and when Exim logs it (`SMTP error from remote mail server after RCPT TO:<…>: <reply>`), and
 * the cause compared with sisimai's label mapped to ours (test/data/sisimai/labels.ts).
 *
 * `measure()` is shared by the test (test/classify/sisimai-agreement.test.ts, which asserts the
 * goals) and by `npm run agreement`, which runs this file and writes bench/sisimai-agreement.md.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { leadingReply } from '../parsers/exim/fields.js';
import { classify } from '../src/classify/classify.js';
import type { Cause } from '../src/classify/types.js';
import { deliveryEvent } from '../src/event-builders.js';
import type { DeliveryEvent } from '../src/event.js';
import { EXCLUDED, SISIMAI_TO_CAUSE } from '../test/data/sisimai/labels.js';

export const MTAS = ['postfix', 'exim'] as const;
export type Mta = (typeof MTAS)[number];

/** The providers the goals name, in report order; every other replier is `others`. */
export const BIG_PROVIDERS = ['Google', 'Microsoft', 'Yahoo', 'Apple', 'GMX', 'Mail.ru', 'Yandex'] as const;
export const GOAL_BIG = 0.95;
export const GOAL_OVERALL = 0.9;
/** A provider's own rate is held to GOAL_BIG from this many samples on (fewer: one reply > 5 %). */
export const MIN_PROVIDER_SAMPLES = 20;

export interface Sample {
  file: string;
  index: number;
  reason: string;
  reply: string | null;
  command: string;
  provider: string;
  engine: string;
  rhost: string;
  test: string;
}

export interface Meta {
  setOfEmails: string;
  goSisimai: string;
  p5Sisimai: string;
  labelled: number;
  decodedAndAgreeing: number;
  droppedReasonMismatch: number;
}

export interface Judged {
  sample: Sample;
  /** Stable id: `<sample file name>#<recipient index>`. */
  key: string;
  /** Our causes sisimai's label means (labels.ts): the first, or either of two. */
  want: readonly Cause[];
  got: Record<Mta, { cause: Cause; rule: string }>;
}

export interface Measurement {
  meta: Meta;
  judged: Judged[];
  /** Samples left out, by why: `no remote reply` or the sisimai reason (labels.ts EXCLUDED). */
  excluded: Map<string, number>;
}

const ROOT = [join(dirname(fileURLToPath(import.meta.url)), '..'), join(dirname(fileURLToPath(import.meta.url)), '..', '..')].find((d) =>
  existsSync(join(d, 'package.json')),
)!;
export const DATA = join(ROOT, 'test/data/sisimai/replies.jsonl');

export function load(path = DATA): { meta: Meta; samples: Sample[] } {
  const [head, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  return { meta: JSON.parse(head!) as Meta, samples: rows.map((l) => JSON.parse(l) as Sample) };
}

const TO = 'alice@example.net';

/** sisimai's command name as Postfix words it in `(in reply to … command)` and Exim after `after`. */
function commandOf(s: Sample): { postfix: string; exim: string } {
  switch (s.command) {
    case 'MAIL':
      return { postfix: 'MAIL FROM', exim: 'MAIL FROM:<bob@example.org>' };
    case 'DATA':
      return { postfix: 'end of DATA', exim: 'end of data' };
    case 'HELO':
    case 'EHLO':
      return { postfix: s.command, exim: `${s.command} mx.example.org` };
    default:
      return { postfix: 'RCPT TO', exim: `RCPT TO:<${TO}>` };
  }
}

/** The delivery event each MTA's parser gives for a remote refusal quoting `reply`. */
export function replyEvent(mta: Mta, reply: string, s: Sample): DeliveryEvent {
  const { code, enhanced } = leadingReply(reply);
  const cmd = commandOf(s);
  const temporary = reply.startsWith('4');
  const common = {
    time: null,
    host: null,
    raw: '',
    origin: { file: s.file, line: s.index },
    status: temporary ? ('deferred' as const) : ('bounced' as const),
    to: TO,
    origTo: null,
    relay: { name: 'mx.example.net', ip: '192.0.2.25', port: 25 },
    smtpCode: code,
    remoteHost: 'mx.example.net',
    from: null,
    client: null,
    delay: null,
  };
  if (mta === 'postfix') {
    const inReply = ` (in reply to ${cmd.postfix} command)`;
    return deliveryEvent({
      ...common,
      mta: 'postfix',
      program: 'postfix/smtp',
      queueId: '3F2A1B4C5D',
      agent: 'smtp',
      router: null,
      // Postfix's dsn= is the reply's enhanced status, else the reply code's class with .0.0.
      dsn: enhanced ?? (code !== null ? `${String(code)[0]}.0.0` : temporary ? '4.0.0' : '5.0.0'),
      reason: `host mx.example.net[192.0.2.25] said: ${reply}${inReply}`,
      inReplyTo: cmd.postfix,
    });
  }
  return deliveryEvent({
    ...common,
    mta: 'exim',
    program: null,
    queueId: '1xV5P6-00000000AWF-00AZ',
    agent: 'remote_smtp',
    router: 'dnslookup',
    // Exim logs no DSN: the parser takes the enhanced status from the reply.
    dsn: enhanced,
    reason: `SMTP error from remote mail server after ${cmd.exim}: ${reply}`,
    inReplyTo: cmd.postfix,
  });
}

export function measure(path = DATA): Measurement {
  const { meta, samples } = load(path);
  const judged: Judged[] = [];
  const excluded = new Map<string, number>();
  const skip = (why: string) => excluded.set(why, (excluded.get(why) ?? 0) + 1);
  for (const s of samples) {
    const mapped = SISIMAI_TO_CAUSE[s.reason];
    const want: readonly Cause[] | undefined = mapped === undefined ? undefined : typeof mapped === 'string' ? [mapped] : mapped;
    if (want === undefined && !(s.reason in EXCLUDED)) throw new Error(`sisimai reason ${s.reason} (${s.file}) is neither mapped nor excluded in labels.ts`);
    if (s.reply === null) {
      skip('no remote reply');
      continue;
    }
    if (want === undefined) {
      skip(s.reason);
      continue;
    }
    const got = {} as Judged['got'];
    for (const mta of MTAS) {
      const c = classify(replyEvent(mta, s.reply, s));
      if (c === null) throw new Error(`${mta} did not classify ${s.file}#${s.index}`);
      got[mta] = { cause: c.cause, rule: c.rule };
    }
    judged.push({ sample: s, key: `${s.file.slice(s.file.lastIndexOf('/') + 1)}#${s.index}`, want, got });
  }
  return { meta, judged, excluded };
}

export interface Row {
  group: string;
  n: number;
  agree: Record<Mta, number>;
}

function rows(judged: Judged[], groupOf: (j: Judged) => string, order: readonly string[]): Row[] {
  const by = new Map<string, Row>(order.map((g) => [g, { group: g, n: 0, agree: { postfix: 0, exim: 0 } }]));
  for (const j of judged) {
    const g = groupOf(j);
    let r = by.get(g);
    if (!r) by.set(g, (r = { group: g, n: 0, agree: { postfix: 0, exim: 0 } }));
    r.n++;
    for (const mta of MTAS) if (j.want.includes(j.got[mta].cause)) r.agree[mta]++;
  }
  return [...by.values()];
}

export const byProvider = (m: Measurement): Row[] => rows(m.judged, (j) => j.sample.provider, [...BIG_PROVIDERS, 'others']);
export const byCause = (m: Measurement): Row[] => rows(m.judged, (j) => j.want.join(' or '), []).sort((a, b) => b.n - a.n || a.group.localeCompare(b.group));
export const overall = (m: Measurement): Row => rows(m.judged, () => 'overall', ['overall'])[0]!;
/** All big providers together: the ≥ 95 % goal is checked on each provider that has samples and on this. */
export const bigTogether = (m: Measurement): Row =>
  rows(
    m.judged.filter((j) => (BIG_PROVIDERS as readonly string[]).includes(j.sample.provider)),
    () => 'big providers',
    ['big providers'],
  )[0]!;

export const rate = (r: Row, mta: Mta): number => (r.n === 0 ? NaN : r.agree[mta] / r.n);

const pct = (r: Row, mta: Mta) => (r.n === 0 ? '–' : `${((100 * r.agree[mta]) / r.n).toFixed(1)} % (${r.agree[mta]}/${r.n})`);

export function table(title: string, rs: Row[]): string {
  const lines = [`| ${title} | samples | Postfix | Exim |`, '| --- | ---: | ---: | ---: |'];
  for (const r of rs) lines.push(`| ${r.group} | ${r.n} | ${pct(r, 'postfix')} | ${pct(r, 'exim')} |`);
  return lines.join('\n');
}

/** Disagreements as `key mta want got rule` lines, sorted: what DISAGREEMENTS.md must list. */
export function disagreements(m: Measurement): { key: string; mta: Mta; want: string; got: Cause; rule: string; reply: string }[] {
  const out = [];
  for (const j of m.judged) {
    for (const mta of MTAS) {
      if (!j.want.includes(j.got[mta].cause)) out.push({ key: j.key, mta, want: `${j.sample.reason} (${j.want.join(' or ')})`, got: j.got[mta].cause, rule: j.got[mta].rule, reply: j.sample.reply! });
    }
  }
  return out.sort((a, b) => a.key.localeCompare(b.key) || a.mta.localeCompare(b.mta));
}

export function report(m: Measurement): string {
  const excl = [...m.excluded.entries()].sort((a, b) => b[1] - a[1]);
  const nExcl = excl.reduce((s, [, n]) => s + n, 0);
  return [
    '# Remote replies read against sisimai’s labels',
    '',
    `Written by \`npm run agreement\` (bench/sisimai-agreement.ts) from test/data/sisimai/replies.jsonl: sisimai set-of-emails ${m.meta.setOfEmails.slice(0, 12)}, labels of go-sisimai ${m.meta.goSisimai.slice(0, 12)}, texts decoded by p5-sisimai ${m.meta.p5Sisimai.slice(0, 12)}.`,
    `A reply agrees when the cause we give equals sisimai's reason mapped to our causes (test/data/sisimai/labels.ts). Provider is the server that said the reply (remote host, else recipient domain).`,
    '',
    table('provider', [...byProvider(m), bigTogether(m), overall(m)]),
    '',
    table('our cause (sisimai’s, mapped)', byCause(m)),
    '',
    `Measured: ${m.judged.length} replies. Left out: ${nExcl} samples — ${excl.map(([why, n]) => `${why} ${n}`).join(', ')}.`,
    `Every disagreement is listed with why in test/data/sisimai/DISAGREEMENTS.md.`,
    '',
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const m = measure();
  const out = join(ROOT, 'bench/sisimai-agreement.md');
  writeFileSync(out, report(m));
  process.stdout.write(report(m));
}

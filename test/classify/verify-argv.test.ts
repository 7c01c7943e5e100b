/**
 * Every verify template of every rule table, filled with hostile values, pasted into bash with
 * stub programs on PATH (test/helpers/stub-bin.ts): no program may get a value from the log
 * where it reads options, and nothing but the programs of the template may run. Exchange's
 * commands are PowerShell: every value must stay inside one single-quoted string.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { lookupPage, PLACEHOLDERS, renderVerify, replyIp, type Rule } from '../../src/classify/classify.js';
import { EXCHANGE_RULES } from '../../src/classify/rules-exchange.js';
import { EXIM_RULES } from '../../src/classify/rules-exim.js';
import { HEALTH_RULES } from '../../src/classify/health.js';
import { POSTFIX_RULES } from '../../src/classify/rules-postfix.js';
import { makeStubBin, TRAPS, type Call, type StubBin } from '../helpers/stub-bin.js';

const MARK = 'PWNMARK';

/**
 * Values a stranger can put in an address, a HELO name or a reply; each carries MARK. Few, so
 * the run stays short, each packing several attacks: a leading option (swaks's `--pipe` runs a
 * command, ssh-style `-o`), quotes that would close the quoting, `$(…)`, backticks, `;` and a
 * newline.
 */
export const HOSTILE = [
  `--pipe=touch /tmp/${MARK}'; pwn; '"$(pwn)"\`pwn\`\npwn`,
  `-oProxyCommand=pwn ${MARK}\\'"; pwn; "`,
  `$(pwn ${MARK})\`pwn\`'$(pwn)'@example.com`,
];

/**
 * How each program reads its arguments, as far as the templates use them: options that take the
 * next argument as their value, attached `--name=value` forms whose value may be anything, and
 * options after which every argument is literal. Options are taken to be recognised anywhere
 * before `--` (GNU getopt permutes), the strictest reading.
 */
const ARGS: Record<string, { values?: string[]; attached?: string[]; rest?: string[]; plus?: boolean }> = {
  postmap: { values: ['-q', '-c', '-d'] },
  postconf: { values: ['-c'] },
  postcat: { values: ['-c'] },
  postqueue: { values: ['-c', '-i', '-s'] },
  'posttls-finger': { values: ['-a', '-d', '-h', '-l', '-L', '-p', '-P', '-r', '-s', '-t', '-T', '-o'] },
  getent: { values: ['-s'] },
  grep: { values: ['-e', '-f', '-A', '-B', '-C', '-m', '-d', '-D'] },
  zgrep: { values: ['-e', '-f', '-A', '-B', '-C', '-m', '-d', '-D', '-X'] },
  dig: { values: ['-x', '-q', '-t', '-c', '-b', '-f', '-k', '-p', '-y'], plus: true },
  swaks: { values: ['--quit-after', '-q', '--server', '-s'], attached: ['--to'] },
  exim: { values: ['-bh', '-Mvh', '-Mvb', '-C', '-f'], rest: ['-brt'] },
  exigrep: { values: ['-t'] },
  exiqgrep: { values: ['-r', '-f', '-s', '-y', '-o', '-C', '-G', '-E'] },
  exim_dumpdb: {},
  doveadm: { values: ['-u', '-f', '-o', '-S', '-a', '-x'] },
  awk: { values: ['-F', '-v', '-f'] },
  tail: { values: ['-n', '-c'] },
  head: { values: ['-n', '-c'] },
  cut: { values: ['-d', '-f', '-c', '-b'] },
  tr: {},
  sort: {},
  df: {},
  ls: {},
  ss: {},
};

/** The arguments of one call that a program would read as an option although they hold MARK. */
export function hostileOptions(call: Call): string[] {
  // printf reads its first argument as the format: a value there would be read as directives.
  if (call.program === 'printf') return call.args[0]?.includes(MARK) ? [call.args[0]] : [];
  const spec = ARGS[call.program];
  if (spec === undefined) return [`${call.program} is not modelled`];
  const bad: string[] = [];
  for (let i = 0; i < call.args.length; i++) {
    const a = call.args[i]!;
    if (a === '--' || spec.rest?.includes(a)) break;
    const optionLike = (a.startsWith('-') && a !== '-') || (spec.plus === true && a.startsWith('+'));
    if (!optionLike) continue;
    if (a.includes(MARK)) {
      const eq = a.indexOf('=');
      const attachedOk = eq > 0 && spec.attached?.includes(a.slice(0, eq)) && !a.slice(0, eq).includes(MARK);
      if (!attachedOk) bad.push(a);
      continue;
    }
    if (spec.values?.includes(a)) i++; // its value, whatever it holds
  }
  return bad;
}

const shRules = [...POSTFIX_RULES, ...EXIM_RULES, ...HEALTH_RULES];
/** Templates with the rules that use them (many rules share one). */
function byTemplate(rules: readonly Rule[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const r of rules) m.set(r.verify, [...(m.get(r.verify) ?? []), r.id]);
  return m;
}
const fillAll = (template: string, value: string, dialect: 'sh' | 'powershell'): string =>
  renderVerify(template, Object.fromEntries(PLACEHOLDERS.map((p) => [p, value])), dialect);

let bin: StubBin;
beforeAll(() => {
  bin = makeStubBin();
});

describe('sh verify commands with hostile values', () => {
  const templates = [...byTemplate(shRules)].filter(([t]) => /\{[a-z_]+\}/.test(t));
  /** Calls per template, from one bash run of them all (`mark N` between them). */
  const callsOf: Call[][] = [];
  let stderr = '';
  beforeAll(() => {
    // One bash run for all templates: a few thousand stub processes, slow on a busy machine.
    const script = templates
      .map(([t], k) => `mark ${k}\n` + HOSTILE.map((v) => `( ${fillAll(t, v, 'sh')} ) </dev/null\n`).join(''))
      .join('');
    const r = bin.run(script);
    stderr = r.stderr;
    for (const c of r.calls) {
      if (c.program === 'mark') callsOf.push([]);
      else callsOf[callsOf.length - 1]?.push(c);
    }
  }, 180_000);

  test('there are templates to check; every program is stubbed and every command parses', () => {
    expect(templates.length).toBeGreaterThan(40);
    expect(callsOf).toHaveLength(templates.length);
    expect(stderr).not.toMatch(/command not found|syntax error|unexpected EOF/);
  });

  test.each(templates.map(([t, ids], k) => [ids[0]!, t, k] as const))('%s: no value read as an option, nothing else runs', (_id, _t, k) => {
    const calls = callsOf[k]!;
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((c) => TRAPS.includes(c.program))).toEqual([]);
    const bad = calls.flatMap((c) => hostileOptions(c).map((a) => `${c.program} ${JSON.stringify(a)}`));
    expect(bad).toEqual([]);
    // Each hostile value reaches some program whole (quoted, not split or run).
    const seen = calls.flatMap((c) => c.args).join('\n');
    for (const v of HOSTILE) expect(seen).toContain(v.replace(/\n/g, '?'));
  });

  test('the model catches the attack it is about', () => {
    const { calls } = bin.run(`swaks --to '--pipe=touch /tmp/${MARK}' --quit-after RCPT; dig +short MX '-f${MARK}'; grep '-${MARK}' f; printf '${MARK}'`);
    expect(calls.map(hostileOptions)).toEqual([[`--pipe=touch /tmp/${MARK}`], [`-f${MARK}`], [`-${MARK}`], [MARK]]);
  });
});

/**
 * PowerShell single-quoted strings: `'…'` with `''` for a quote inside; the typographic quotes
 * ‘ ’ ‚ ‛ count as quote marks too. Returns the text outside every string, or null when a
 * string is left open.
 */
function outsidePowerShellStrings(cmd: string): string | null {
  const isQuote = (c: string): boolean => c === "'" || c === '\u2018' || c === '\u2019' || c === '\u201a' || c === '\u201b';
  let out = '';
  let i = 0;
  while (i < cmd.length) {
    if (!isQuote(cmd[i]!)) {
      out += cmd[i++];
      continue;
    }
    i++;
    for (;;) {
      if (i >= cmd.length) return null;
      if (isQuote(cmd[i]!)) {
        if (i + 1 < cmd.length && isQuote(cmd[i + 1]!)) {
          i += 2;
          continue;
        }
        i++;
        break;
      }
      i++;
    }
    out += "''";
  }
  return out;
}

describe('PowerShell verify commands with hostile values', () => {
  const templates = [...byTemplate(EXCHANGE_RULES)].filter(([t]) => /\{[a-z_]+\}/.test(t));
  const psHostile = [...HOSTILE, `'; pwn ${MARK}; '`, `\u2019; pwn ${MARK}; \u2018`, `$(pwn ${MARK})`];

  test.each(templates.map(([t, ids]) => [ids[0]!, t]))('%s: every value stays inside one quoted string', (_id, template) => {
    for (const v of psHostile) {
      const outside = outsidePowerShellStrings(fillAll(template, v, 'powershell'));
      expect(outside).not.toBeNull();
      expect(outside).not.toContain(MARK);
    }
  });
});

describe('provider blocks: the IP the reply names and the provider page', () => {
  const said = (text: string) => `host mx.example.net[198.51.100.25] said: ${text} (in reply to RCPT TO command)`;

  test('the bracketed IP of the reply, not the next hop in the lead-in', () => {
    expect(replyIp(said("550 5.7.1 Unfortunately, messages from [203.0.113.5] weren't sent. (S3140)"))).toBe('203.0.113.5');
    expect(replyIp(said('550 5.7.606 Access denied, banned sending IP [2001:db8::5].'))).toBe('2001:db8::5');
    expect(replyIp(said('554 Service unavailable; 203.0.113.9 listed at zen.spamhaus.org'))).toBe('203.0.113.9');
    expect(replyIp(said('550 5.7.1 blocked'))).toBeNull();
    expect(replyIp(said('550 bad [999.1.1.1] and [x]'))).toBeNull();
  });

  test('Microsoft, Yahoo and Google blocks point to their own pages; other lists to the Spamhaus lookup', () => {
    expect(lookupPage(said('550 5.7.1 … on our block list (S3140)'), 'hotmail-com.olc.protection.outlook.com')).toBe('https://sender.office.com/');
    expect(lookupPage(said('550 5.7.606 Access denied, banned sending IP [203.0.113.5]'), 'mx.example.net')).toBe('https://sender.office.com/');
    expect(lookupPage(said('421 4.7.0 [TSS04] Messages from 203.0.113.5 temporarily deferred'), 'mta5.am0.yahoodns.net')).toBe('https://senders.yahooinc.com/');
    expect(lookupPage(said('421-4.7.0 unsolicited mail originating from your IP address - gsmtp'), null)).toBe('https://postmaster.google.com/');
    expect(lookupPage(said('554 5.7.1 Client host [203.0.113.5] blocked using b.barracudacentral.org'), 'mx.example.net')).toBe('https://check.spamhaus.org/');
    // A link in the reply is a stranger's text: never the page given.
    expect(lookupPage(said('550 blocked, delist at https://evil.example/'), 'mx.example.net')).toBe('https://check.spamhaus.org/');
  });
});

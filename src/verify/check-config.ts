/**
 * `--check-config` (opt-in, read-only): the verify step of the top findings, run on this server,
 * with the result shown beside each finding. Postfix: `postconf -hx <param>` for the setting a
 * finding names, and for rejected recipients `postmap -q <addr> <map>` in each of the maps the
 * setting lists (found, not found, and the nearest existing key from `postmap -s` by edit
 * distance: a likely typo or a removed alias). Exim: `exim -bt -- <addr>` (the router that
 * accepts it, or why it is undeliverable). Exchange: a PowerShell script of the checks
 * (Get-Recipient, Get-AcceptedDomain, Get-Mailbox) to run in the Exchange Management Shell.
 *
 * Every command runs with an argument vector (never a shell), a timeout and a cap on its
 * output; values from the log are passed as single arguments after `--` where the program
 * reads options. A missing command is said once in the results, never fatal. Nothing changes
 * the configuration: postconf and postmap -q/-s only read, exim -bt only routes.
 */
import { spawnSync } from 'node:child_process';
import type { Finding, FindingCheck } from '../aggregate/types.js';

/** Findings checked, from the top. */
export const CHECKED_FINDINGS = 10;
/** Recipients checked per finding (its top recipients). */
export const CHECKED_RECIPIENTS = 5;
/** One command's time limit. */
export const COMMAND_TIMEOUT_MS = 5_000;
/** Keys of one map read by `postmap -s` for the nearest-key search. */
export const NEAREST_KEYS_CAP = 200_000;
/** Output read from one command (a big map's `postmap -s`). */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export interface CheckConfigOptions {
  /** Postfix configuration directory (`postconf -c`, `postmap -c`); default: Postfix's own. */
  postfixConfig?: string;
  /** Exim configuration file (`exim -C`); default: Exim's own. */
  eximConfig?: string;
  /** Program names or paths (tests); defaults from PATH, as on the server. */
  postconf?: string;
  postmap?: string;
  exim?: string;
  timeoutMs?: number;
}

interface Ran {
  ok: boolean;
  status: number | null;
  stdout: string;
  /** Why it could not run (not found, timed out), or its first stderr line that is not a warning. */
  problem: string | null;
  stderr: string;
}

/** Commands found missing in this run: said once, then skipped. */
type Missing = Set<string>;

function runCommand(cmd: string, args: string[], timeoutMs: number, missing: Missing): Ran {
  if (missing.has(cmd)) return { ok: false, status: null, stdout: '', problem: `${cmd} not found`, stderr: '' };
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, shell: false, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      missing.add(cmd);
      return { ok: false, status: null, stdout: '', problem: `${cmd} not found (run --check-config on the mail server)`, stderr: '' };
    }
    if (code === 'ETIMEDOUT') return { ok: false, status: null, stdout: r.stdout ?? '', problem: `timed out after ${timeoutMs / 1000} s`, stderr: '' };
    return { ok: false, status: null, stdout: r.stdout ?? '', problem: r.error.message.split('\n')[0]!, stderr: '' };
  }
  const stderr = (r.stderr ?? '').slice(0, 65536);
  // Postfix warns about what it cannot read besides (master.cf in a private config directory).
  const err = stderr.split('\n').find((l) => l.trim() !== '' && !/\bwarning: /.test(l)) ?? null;
  return { ok: r.status === 0, status: r.status, stdout: r.stdout ?? '', problem: err, stderr };
}

/**
 * Levenshtein distance of `a` and `b`, or `max + 1` as soon as it must exceed `max` (one row at
 * a time, stopping when a whole row is past the bound): a key far from the address costs little.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** The largest distance still called near: a quarter of the address, 1 to 3 edits. */
const nearBound = (s: string): number => Math.max(1, Math.min(3, Math.floor(s.length / 4)));

/** The key of `keys` nearest to `wanted` within nearBound, ties to the first in order. */
export function nearestKey(wanted: string, keys: Iterable<string>): { key: string; distance: number } | null {
  const max = nearBound(wanted);
  let best: { key: string; distance: number } | null = null;
  const w = wanted.toLowerCase();
  for (const k of keys) {
    const d = editDistance(w, k.toLowerCase(), best ? best.distance - 1 : max);
    if (d <= max && (best === null || d < best.distance)) best = { key: k, distance: d };
    if (best?.distance === 1) break;
  }
  return best;
}

/** `texthash:/etc/postfix/virtual, hash:/x` → its maps; `$name` left over from -x is dropped. */
function mapList(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .filter((m) => m !== '' && m.includes(':') && !m.startsWith('$'));
}

/** The Postfix parameters whose maps hold the recipients of a user-unknown finding, by its hint. */
const RECIPIENT_MAPS: Record<string, string[]> = {
  virtual_alias_maps: ['virtual_alias_maps'],
  virtual_mailbox_maps: ['virtual_alias_maps', 'virtual_mailbox_maps'],
  relay_recipient_maps: ['relay_recipient_maps'],
  local_recipient_maps: ['local_recipient_maps'],
};

/** A Postfix parameter name: the hint of many findings. */
const PARAM_RE = /^[a-z][a-z0-9_]{2,63}$/;

class PostfixChecker {
  private readonly cfg: string[];
  private readonly mapKeys = new Map<string, string[] | null>();

  constructor(
    private readonly o: CheckConfigOptions,
    private readonly missing: Missing,
  ) {
    this.cfg = o.postfixConfig ? ['-c', o.postfixConfig] : [];
  }

  private get timeout(): number {
    return this.o.timeoutMs ?? COMMAND_TIMEOUT_MS;
  }

  /** `postconf -hx param`: its value, or the problem. */
  param(name: string): { value: string } | { problem: string } {
    const r = runCommand(this.o.postconf ?? 'postconf', [...this.cfg, '-hx', '--', name], this.timeout, this.missing);
    if (/unknown parameter/.test(r.stderr)) return { problem: `${name} is not a Postfix parameter here` };
    if (!r.ok) return { problem: r.problem ?? `postconf exited with status ${r.status}` };
    return { value: r.stdout.trim() };
  }

  /** Keys of a map by `postmap -s` (null when it cannot be listed), at most NEAREST_KEYS_CAP. */
  private keys(map: string): string[] | null {
    if (this.mapKeys.has(map)) return this.mapKeys.get(map)!;
    const r = runCommand(this.o.postmap ?? 'postmap', [...this.cfg, '-s', '--', map], this.timeout, this.missing);
    let keys: string[] | null = null;
    if (r.ok) {
      keys = [];
      for (const line of r.stdout.split('\n')) {
        const k = line.split(/\s/, 1)[0]!;
        if (k !== '') keys.push(k);
        if (keys.length >= NEAREST_KEYS_CAP) break;
      }
    }
    this.mapKeys.set(map, keys);
    return keys;
  }

  /** `postmap -q key map`: the value, null when not found, or the problem. */
  private query(key: string, map: string): { found: string | null } | { problem: string } {
    const r = runCommand(this.o.postmap ?? 'postmap', [...this.cfg, '-q', key, '--', map], this.timeout, this.missing);
    if (r.ok) return { found: r.stdout.trim().split('\n')[0] ?? '' };
    if (r.status === 1 && r.problem === null) return { found: null };
    return { problem: r.problem ?? `postmap exited with status ${r.status}` };
  }

  check(f: Finding): string[] {
    const out: string[] = [];
    if (!PARAM_RE.test(f.hint)) return out;
    const params = f.cause === 'user-unknown' ? RECIPIENT_MAPS[f.hint] : undefined;
    if (params === undefined) {
      const p = this.param(f.hint);
      out.push('problem' in p ? `postconf ${f.hint}: ${p.problem}` : `postconf: ${f.hint} = ${p.value === '' ? '(empty)' : p.value}`);
      return out;
    }
    const maps: string[] = [];
    for (const name of params) {
      const p = this.param(name);
      if ('problem' in p) {
        out.push(`postconf ${name}: ${p.problem}`);
        continue;
      }
      maps.push(...mapList(p.value));
    }
    if (maps.length === 0) {
      if (out.length === 0) out.push(`postconf: ${params.join(', ')} empty: no map to look the recipients up in`);
      return out;
    }
    const local = f.hint === 'local_recipient_maps';
    for (const r of f.topRecipients.slice(0, CHECKED_RECIPIENTS)) {
      // Local recipients are looked up by their local part (unix:passwd.byname, aliases).
      const key = local ? r.address.slice(0, Math.max(0, r.address.lastIndexOf('@'))) || r.address : r.address;
      out.push(this.lookup(key, maps));
    }
    return out;
  }

  /** One recipient through every map: where it is found, or not found and the nearest key. */
  private lookup(key: string, maps: string[]): string {
    const problems: string[] = [];
    for (const map of maps) {
      const q = this.query(key, map);
      if ('problem' in q) problems.push(`${map}: ${q.problem}`);
      else if (q.found !== null) return `postmap -q ${key}: found in ${map} (→ ${q.found})`;
    }
    let near: { key: string; distance: number; map: string } | null = null;
    for (const map of maps) {
      const keys = this.keys(map);
      if (keys === null) continue;
      const n = nearestKey(key, keys);
      if (n && (near === null || n.distance < near.distance)) near = { ...n, map };
    }
    const where = maps.length === 1 ? maps[0] : `${maps.length} maps`;
    let line = `postmap -q ${key}: not found in ${where}`;
    if (near) line += `; nearest key ${near.key} in ${near.map} (${near.distance} ${near.distance === 1 ? 'edit' : 'edits'}): a likely typo or a removed alias`;
    if (problems.length > 0) line += `; ${problems.join('; ')}`;
    return line;
  }
}

/** `exim -bt`: which router accepts each recipient, or why it is undeliverable. */
function eximCheck(f: Finding, o: CheckConfigOptions, missing: Missing): string[] {
  const out: string[] = [];
  const cfg = o.eximConfig ? ['-C', o.eximConfig] : [];
  for (const r of f.topRecipients.slice(0, CHECKED_RECIPIENTS)) {
    const ran = runCommand(o.exim ?? 'exim', [...cfg, '-bt', '--', r.address], o.timeoutMs ?? COMMAND_TIMEOUT_MS, missing);
    const lines = ran.stdout.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    const router = lines.map((l) => /router = ([^,\s]+)(?:, transport = (\S+))?/.exec(l)).find((m) => m !== null);
    const undeliverable = lines.find((l) => l.includes('is undeliverable'));
    // A redirection shows as `new@address` then `<-- the@address`.
    const to = lines[1]?.startsWith('<-- ') && lines[0] !== r.address ? `redirected to ${lines[0]}, ` : '';
    if (router) out.push(`exim -bt ${r.address}: ${to}routed by ${router[1]}${router[2] ? ` to ${router[2]}` : ''}`);
    else if (undeliverable) out.push(`exim -bt ${r.address}: ${undeliverable.slice(undeliverable.indexOf('is undeliverable'))}`);
    else out.push(`exim -bt ${r.address}: ${ran.problem ?? lines[0] ?? `exit status ${ran.status}`}`);
    if (ran.problem?.includes('not found')) break;
  }
  return out;
}

/** A PowerShell single-quoted string: quotes doubled, nothing expanded. */
const ps = (s: string): string => `'${s.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;

/** The PowerShell checks for the Exchange findings (Exchange Management Shell). */
export function exchangeScript(findings: Finding[]): string {
  const out = [
    '# maillog-doctor --check-config: read-only checks for the Exchange findings.',
    '# Run in the Exchange Management Shell; nothing here changes the organisation.',
    '',
  ];
  for (const f of findings) {
    out.push(`# #${f.rank} ${f.direction} ${f.recipientDomain ?? '-'} ${f.cause} (${f.hint})`.replace(/[\r\n]/g, ' '));
    if (f.recipientDomain !== null) {
      out.push(
        `if (-not (Get-AcceptedDomain | Where-Object { $_.DomainName -eq ${ps(f.recipientDomain)} })) { Write-Output ${ps(`${f.recipientDomain}: not an accepted domain`)} }`,
      );
    }
    for (const r of f.topRecipients.slice(0, CHECKED_RECIPIENTS)) {
      out.push(
        `$r = Get-Recipient -Identity ${ps(r.address)} -ErrorAction SilentlyContinue; if ($r) { $r | Format-List Name,RecipientType,PrimarySmtpAddress } else { Write-Output ${ps(`${r.address}: no such recipient`)} }`,
        `Get-Mailbox -Identity ${ps(r.address)} -ErrorAction SilentlyContinue | Format-List Name,IsMailboxEnabled,ProhibitSendReceiveQuota,RecipientLimits`,
      );
    }
    out.push('');
  }
  return out.join('\r\n');
}

/**
 * The checks for the top findings (their ranks), one line each. Exchange findings get one line
 * naming `scriptPath`, where the caller writes exchangeScript().
 */
export function checkConfig(findings: Finding[], o: CheckConfigOptions, scriptPath: string | null): FindingCheck[] {
  const missing: Missing = new Set();
  const postfix = new PostfixChecker(o, missing);
  const out: FindingCheck[] = [];
  for (const f of findings.slice(0, CHECKED_FINDINGS)) {
    let checks: string[] = [];
    if (f.mta === 'postfix') checks = postfix.check(f);
    else if (f.mta === 'exim' && f.topRecipients.length > 0) checks = eximCheck(f, o, missing);
    else if (f.mta === 'exchange' && scriptPath !== null) checks = [`Get-Recipient, Get-AcceptedDomain, Get-Mailbox checks in ${scriptPath}: run it in the Exchange Management Shell`];
    if (checks.length > 0) out.push({ rank: f.rank, checks });
  }
  return out;
}

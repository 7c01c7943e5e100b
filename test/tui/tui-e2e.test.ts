/**
 * The real binary in a real terminal: tmux runs a shell in a 120×40 pane, the test types the
 * command and the keys (send-keys) and reads the screen (capture-pane). CI is unset in the
 * pane: with CI set, Ink draws only the last frame. Every wait is a bounded poll; the tmux
 * server (a private socket) is killed in afterAll.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from 'vitest';
import { assertFreshDist } from '../helpers/dist.js';
import { ROOT } from '../helpers/cli.js';
import { skipNote } from '../helpers/skip.js';
import { analyse } from '../../src/pipeline.js';

// dist/ older than its sources fails here instead of testing yesterday's build (see helpers/dist.ts).
beforeAll(assertFreshDist);

const SOCKET = `md-e2e-${process.pid}`;
const SESSION = 'md';
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
skipNote('TUI end-to-end test', hasTmux ? null : 'tmux is not installed (apt-get install tmux)');

/** The test's environment without CI markers (is-in-ci looks at CI, CONTINUOUS_INTEGRATION, CI_*). */
function terminalEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_') || k.startsWith('TMUX')) continue;
    env[k] = v;
  }
  return { ...env, CI: 'false', TZ: 'UTC', TERM: 'xterm-256color', PS1: '$ ' };
}

function tmux(...args: string[]): string {
  const r = spawnSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { env: terminalEnv(), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const screen = (): string => tmux('capture-pane', '-p', '-t', SESSION);
const keys = (...k: string[]): void => void tmux('send-keys', '-t', SESSION, ...k);
const type = (text: string): void => void tmux('send-keys', '-t', SESSION, '-l', text);

/** Polls the screen every 100 ms, at most `tries` times, until `cond` holds; returns that screen. */
async function waitForScreen(cond: (s: string) => boolean, what: string, tries = 100): Promise<string> {
  let s = '';
  for (let i = 0; i < tries; i++) {
    s = screen();
    if (cond(s)) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; the screen was:\n${s}`);
}

/**
 * Clears the terminal and waits for the shell's prompt alone on it. Typed before `clear` has run,
 * a command is echoed by the terminal and then cleared away, and the shell prints its prompt
 * with the cursor after it: the program's first line then starts on the prompt's line.
 */
async function clearScreen(): Promise<void> {
  keys('clear', 'Enter');
  await waitForScreen((t) => /^[$#]$/.test(t.trim()), 'the cleared screen');
}

/** Table rows: the `!`/`+` mark, the `*` of actionable findings, the rank, the messages. */
const dataRows = (s: string): string[] => s.split('\n').filter((l) => /^[!+ ][* ]?\s*\d+\s+\d[\d,]*\s/.test(l));

describe.skipIf(!hasTmux)(
  hasTmux ? 'the interactive view in a real terminal (tmux)' : 'the interactive view in a real terminal (skipped: tmux is not installed)',
  () => {
    beforeAll(() => {
      tmux('new-session', '-d', '-x', '120', '-y', '40', '-s', SESSION, '-c', ROOT, 'sh');
    });

    let dir = '';
    afterAll(() => {
      spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('ranked findings, detail with the verify command, filter, resize, and q gives the terminal back', async () => {
      await clearScreen();
      type('node bin/maillog-doctor samples/postfix/mail.log; echo "EXIT=$?"');
      keys('Enter');

      // The ranked findings: rank 1 is example.com, user-unknown, virtual_alias_maps.
      let s = await waitForScreen((t) => t.includes('read 1 file in') && dataRows(t).length > 10, 'the findings table');
      // The header on the first row: the frame fits the 40 rows and nothing scrolled away.
      expect(s.split('\n')[0]).toMatch(/^maillog-doctor {2}read 1 file in/);
      expect(dataRows(s)[0]).toMatch(/^!\s+1\s+31\s+78\s.*\bin\s+550 5\.1\.1\s+example\.com\s+user-unknown\s+virtual_alias_maps/);

      // Enter: the detail of rank 1, with the command that confirms it.
      keys('Enter');
      s = await waitForScreen((t) => t.includes('postconf -hx virtual_alias_maps'), 'the detail pane');
      expect(s).toMatch(/#1\s+postfix\s+inbound\s+example\.com\s+user-unknown/);
      expect(s).toContain('31 messages, 78 attempts');
      expect(s).toMatch(/rule\s+postfix\.inbound\.virtual-alias-unknown/);
      expect(s).toContain('top recipients');

      // Esc: back to the table.
      keys('Escape');
      await waitForScreen((t) => !t.includes('postconf -hx') && dataRows(t).length > 10, 'the table again');

      // / and gmail: only gmail rows (the sample also has the typo domain gmail.con).
      type('/');
      type('gmail');
      s = await waitForScreen((t) => t.includes('filter gmail'), 'the filtered table');
      const rows = dataRows(s);
      expect(rows.filter((r) => /\sgmail\.com\s/.test(r)).length).toBeGreaterThanOrEqual(5);
      // Besides the gmail.com/gmail.con domains, findings whose senders or recipients are at
      // gmail.com (the filter looks at them, and at clients and queue ids, too).
      expect(rows.length).toBeLessThan(dataRows(screen()).length + 1);
      keys('Enter');

      // A narrower terminal: laid out again without the trend column.
      tmux('resize-window', '-t', SESSION, '-x', '70', '-y', '40');
      s = await waitForScreen((t) => /#\s+msgs\s+count\s+dir/.test(t), 'the narrow layout');
      for (const l of s.split('\n')) expect(l.length).toBeLessThanOrEqual(70);
      tmux('resize-window', '-t', SESSION, '-x', '120', '-y', '40');

      // q: the program ends with 0 and the shell's screen is back (the command line we typed).
      keys('q');
      s = await waitForScreen((t) => t.includes('EXIT=0'), 'the shell after q');
      expect(s).toContain('node bin/maillog-doctor samples/postfix/mail.log');
      expect(s).not.toContain('maillog-doctor  read');
      expect(dataRows(s)).toEqual([]);
    });

    test('--no-color marks the selected row with >; q with --fail-on reached says why it exits 3', async () => {
      await clearScreen();
      type('node bin/maillog-doctor --no-color --fail-on 1 samples/postfix/mail.log; echo "EXIT=$?"');
      keys('Enter');
      const marked = (t: string): string[] => t.split('\n').filter((l) => /^(> | {2})[!+ ][* ]?\s*\d+\s+\d[\d,]*\s/.test(l));
      let s = await waitForScreen((t) => t.includes('read 1 file in') && marked(t).length > 10, 'the table without colour');
      expect(marked(s)[0]).toMatch(/^> !\s+1\s+31\s+78\s/);
      expect(marked(s).filter((l) => l.startsWith('>'))).toHaveLength(1);
      keys('j');
      s = await waitForScreen((t) => /^> !\s+2\s/m.test(t), 'the > on the second row');
      expect(marked(s)[0]).toMatch(/^ {2}!\s+1\s/);
      expect(s.split('\n').filter((l) => l.trim() !== '').at(-1)).toMatch(/\? help {2}q quit$/);

      keys('q');
      s = await waitForScreen((t) => t.includes('EXIT=3'), 'the shell after q');
      const why = s.split('\n').filter((l) => l.includes('exit status 3'));
      expect(why).toHaveLength(1);
      expect(why[0]).toMatch(/^maillog-doctor: exit status 3: [\d,]+ rejections, bounces and deferrals reached --fail-on 1$/);
    });

    test('e shows a finding’s lines read back from a gzip log, / finds one by queue id; the table filter finds the finding by one', async () => {
      const logs = mkdtempSync(join(tmpdir(), 'md-e2e-ev-'));
      onTestFinished(() => rmSync(logs, { recursive: true, force: true }));
      const names = ['mail.log.2.gz', 'mail.log.1', 'mail.log'];
      for (const n of names) copyFileSync(join(ROOT, 'samples/postfix', n), join(logs, n));
      const files = names.map((n) => join(logs, n));
      // A finding with lines in the gzip file whose queue ids are its own alone (so that the
      // filter by one leaves it alone in the table).
      const r = await analyse(files, { now: new Date(), threads: 1 });
      const snap = r.aggregator.snapshot(r.stats);
      const idsOf = (i: number): string[] => snap.details[i]!.evidenceIds.split('\n').filter((x) => x !== '');
      const own = (i: number, id: string): boolean => snap.details.every((d, k) => k === i || !d.search.includes(id.toLowerCase()));
      const pick = snap.details.findIndex((d, i) => d.evidence[0] === 0 && idsOf(i).length >= 2 && own(i, idsOf(i)[0]!));
      expect(pick).toBeGreaterThanOrEqual(0);
      const [first, last] = [idsOf(pick)[0]!, idsOf(pick).at(-1)!];
      const f = snap.findings[pick]!;

      await clearScreen();
      type(`node bin/maillog-doctor --no-color ${files.join(' ')}; echo "EXIT=$?"`);
      keys('Enter');
      const marked = (t: string): string[] => t.split('\n').filter((l) => /^(> | {2})[!+ ]\s*\d+\s+\d[\d,]*\s/.test(l));
      await waitForScreen((t) => t.includes('read 3 files in') && marked(t).length > 10, 'the table');

      // The table filter by a queue id: the finding alone.
      type('/');
      type(first);
      keys('Enter');
      let s = await waitForScreen((t) => t.includes(`filter ${first}`) && marked(t).length === 1, 'the finding of the queue id');
      expect(marked(s)[0]).toContain(f.cause);

      // e: its lines, from the gzip file first, each with its queue id.
      type('e');
      s = await waitForScreen((t) => /^evidence\s+#\d+/m.test(t) && t.includes(first) && !t.includes('reading the lines'), 'the evidence view');
      const lines = s.split('\n');
      const top = lines.findIndex((l) => /^evidence\s/.test(l));
      expect(lines[top]).toContain(f.cause);
      expect(lines[top + 1]).toMatch(/\d+ lines?/);
      // Each line with its queue id in a column before it (blank for NOQUEUE).
      expect(lines.filter((l) => new RegExp(`^ {2}${first}\\s+.*postfix/`).test(l)).length).toBeGreaterThan(0);

      // / and the last queue id: its line is marked.
      type('/');
      type(last);
      keys('Enter');
      s = await waitForScreen((t) => /^> /m.test(t), 'the match');
      const hit = s.split('\n').filter((l) => l.startsWith('> '));
      expect(hit).toHaveLength(1);
      expect(hit[0]).toContain(last);

      // Esc: the table again; q: exit 0.
      keys('Escape');
      await waitForScreen((t) => !/^evidence\s/m.test(t) && marked(t).length === 1, 'the table again');
      keys('q');
      await waitForScreen((t) => t.includes('EXIT=0'), 'the shell after q');
    });

    test('-f: new findings appear live and are marked, across a rotation; q ends following with 0', async () => {
      dir = mkdtempSync(join(tmpdir(), 'md-e2e-'));
      const log = join(dir, 'mail.log');
      copyFileSync(join(ROOT, 'samples/postfix/mail.log'), log);
      const reject = (n: number, domain: string) =>
        `Nov 22 23:59:${String(n % 60).padStart(2, '0')} mx1 postfix/smtpd[4242]: NOQUEUE: reject: RCPT from unknown[192.0.2.${n}]: ` +
        `550 5.1.1 <u${n}@${domain}>: Recipient address rejected: User unknown in virtual alias table; ` +
        `from=<s@remote.test> to=<u${n}@${domain}> proto=ESMTP helo=<remote.test>\n`;
      await clearScreen();
      type(`node bin/maillog-doctor -f ${log}; echo "EXIT=$?"`);
      keys('Enter');
      await waitForScreen((t) => t.includes('following ') && dataRows(t).length > 10, 'the followed log');

      // 100 events from 100 clients, 100 messages: more than rank 1 had, so the new finding comes first.
      let lines = '';
      for (let n = 1; n <= 100; n++) lines += reject(n, 'fresh-domain.test');
      appendFileSync(log, lines);
      let s = await waitForScreen((t) => /^\+\s+1\s+100\s+100\s.*fresh-domain\.test/m.test(t), 'the new finding, marked +');
      expect(s.split('\n')[0]).toContain('1 new');

      renameSync(log, log + '.1');
      writeFileSync(log, reject(101, 'fresh-domain.test') + reject(102, 'fresh-domain.test'));
      s = await waitForScreen((t) => /^\+\s+1\s+102\s+102\s.*fresh-domain\.test/m.test(t) && t.includes('1 rotation'), 'the count after the rotation');
      expect(s.split('\n')[0]).toMatch(/following .*mail\.log/);

      keys('q');
      s = await waitForScreen((t) => t.includes('EXIT=0'), 'the shell after q');
      expect(dataRows(s)).toEqual([]);
    });
  },
);

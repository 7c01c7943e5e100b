/**
 * A real ClickHouse (Debian's 18.16) on loopback: the DDL of `clickhouse-schema` runs on it;
 * the samples of several hosts go in through --clickhouse and come back through
 * --from-clickhouse equal to the CLI's report over the same files (counts exact, distinct counts
 * within uniqCombined's error); a server killed mid-stream loses nothing once it is back and the
 * spool is flushed. Skipped, with the reason, when the server is not installed.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Finding, Report } from '../../src/aggregate/types.js';
import { BIN, ROOT, run } from '../helpers/cli.js';
import { skipNote } from '../helpers/skip.js';
import { ClickHouseLab, noClickHouse, PASSWORD, USER } from '../lab/clickhouse.js';

const why = noClickHouse();
skipNote('ClickHouse round trip', why);

const HOSTS = ['mx-a', 'mx-b', 'mx-c'];
const ENV = { ...process.env, TZ: 'UTC', FORCE_COLOR: '0', CLICKHOUSE_USER: USER, CLICKHOUSE_PASSWORD: PASSWORD };

let lab: ClickHouseLab;
let dir: string;
let files: string[];

async function schema(table: string): Promise<void> {
  const r = await run(['clickhouse-schema', '--clickhouse-table', table]);
  expect(r.code).toBe(0);
  for (const stmt of r.stdout.split(/;\n/).filter((s) => s.trim() !== '')) await lab.query(stmt);
}

describe.skipIf(why !== null)('ClickHouse', () => {
  beforeAll(async () => {
    lab = new ClickHouseLab();
    await lab.start();
    dir = mkdtempSync(join(tmpdir(), 'mld-ch-'));
    const text = readFileSync(join(ROOT, 'samples/postfix/mail.log'), 'utf8');
    const central = join(dir, 'central.log');
    writeFileSync(central, HOSTS.map((h) => text.replaceAll(' mx1 postfix/', ` ${h} postfix/`)).join(''));
    files = [
      central,
      ...['samples/exim/mainlog', 'samples/exim/rejectlog', 'samples/exchange/MSGTRK20261122-1.LOG', 'samples/exchange/RECV20261122-1.LOG'].map((f) =>
        join(ROOT, f),
      ),
    ];
  }, 60_000);

  afterAll(async () => {
    await lab?.kill();
  });

  const identity = (f: Finding, byHost = false) =>
    `${f.mta} ${f.direction} ${f.recipientDomain} ${f.cause} ${f.hint}${byHost ? ` ${f.hosts[0]?.host ?? ''}` : ''}`;
  const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(Math.max(1, Math.ceil(0.02 * want)));
  const toSecond = (t: string | null) => (t === null ? null : t.slice(0, 19));

  function same(back: Report, cli: Report, byHost: boolean): void {
    expect(back.findings.map((f) => identity(f, byHost)).sort()).toEqual(cli.findings.map((f) => identity(f, byHost)).sort());
    const want = new Map(cli.findings.map((f) => [identity(f, byHost), f]));
    for (const f of back.findings) {
      const w = want.get(identity(f, byHost))!;
      expect([f.count, f.permanent, f.smtpCodes, f.enhancedStatus, f.hosts, f.rules]).toEqual([w.count, w.permanent, w.smtpCodes, w.enhancedStatus, w.hosts, w.rules]);
      expect([toSecond(f.firstSeen), toSecond(f.lastSeen)]).toEqual([toSecond(w.firstSeen), toSecond(w.lastSeen)]);
      close(f.messages, w.messages);
      close(f.distinctRecipients, w.distinctRecipients);
      close(f.distinctSenders, w.distinctSenders);
      close(f.distinctClients, w.distinctClients);
      expect(f.topRecipients.map((e) => e.count)).toEqual(w.topRecipients.map((e) => e.count));
    }
  }

  test('the schema runs on the server as printed', async () => {
    await schema('maillog_events');
    const tables = await lab.query("SELECT name FROM system.tables WHERE database = currentDatabase() AND name LIKE 'maillog_events%' ORDER BY name FORMAT TSV");
    expect(tables).toBe('maillog_events\nmaillog_events_findings\nmaillog_events_findings_mv\n');
  });

  test('several hosts in through --clickhouse, back through --from-clickhouse: the same findings', async () => {
    const spool = join(dir, 'round.spool');
    const cli = await run([...files, '--year', '2026', '--format', 'json', '--clickhouse', lab.url, '--clickhouse-spool', spool], { env: ENV });
    expect([cli.code, cli.stderr]).toEqual([0, '']);
    expect(existsSync(spool)).toBe(false);
    const report = JSON.parse(cli.stdout) as Report;
    const events = report.findings.reduce((n, f) => n + f.count, 0);
    expect(Number(await lab.query('SELECT count() FROM maillog_events'))).toBe(events);

    const back = await run(['--from-clickhouse', lab.url, '--format', 'json'], { env: ENV });
    expect([back.code, back.stderr]).toEqual([0, '']);
    same(JSON.parse(back.stdout) as Report, report, false);

    const split = await run(['--from-clickhouse', lab.url, '--format', 'json', '--by', 'host'], { env: ENV });
    const cliSplit = await run([...files, '--year', '2026', '--format', 'json', '--by', 'host'], { env: ENV });
    same(JSON.parse(split.stdout) as Report, JSON.parse(cliSplit.stdout) as Report, true);

    // The text report reads the same way.
    const text = await run(['--from-clickhouse', lab.url, '--width', '120'], { env: ENV });
    expect(text.stdout).toMatch(/hosts: +mx-a \(\d+\), mx-b \(\d+\), mx-c \(\d+\)/);

    const later = await run(['--from-clickhouse', lab.url, '--format', 'json', '--since', '2030-01-01'], { env: ENV });
    expect((JSON.parse(later.stdout) as Report).findings).toEqual([]);
  });

  test('a wrong password, a bad URL: one line each', async () => {
    const bad = await run(['--from-clickhouse', lab.url], { env: { ...ENV, CLICKHOUSE_PASSWORD: 'wrong' } });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^maillog-doctor: ClickHouse 127\.0\.0\.1:\d+: could not read the findings: ClickHouse said \d+: .*\n$/);
    const url = await run(['--from-clickhouse', 'ftp://x'], { env: ENV });
    expect([url.code, url.stderr]).toEqual([2, 'maillog-doctor: not an http(s) URL: ftp://x\n']);
  });

  test('follow mode: an event is in the table within seconds, while the run goes on', async () => {
    await schema('follow_events');
    const log = join(dir, 'live.log');
    writeFileSync(log, 'Nov 22 06:25:01 mx7 postfix/smtpd[123]: connect from client.example.net[192.0.2.10]\n');
    const child = spawn(process.execPath, [BIN, '-f', log, '--mta', 'postfix', '--year', '2026', '--format', 'json', '--clickhouse', lab.url, '--clickhouse-table', 'follow_events', '--clickhouse-spool', join(dir, 'follow.spool')], {
      cwd: ROOT,
      env: ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.resume();
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    try {
      await new Promise((r) => setTimeout(r, 500));
      appendFileSync(
        log,
        'Nov 22 06:25:02 mx7 postfix/smtpd[123]: NOQUEUE: reject: RCPT from client.example.net[192.0.2.10]: 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual alias table; from=<a@example.net> to=<nobody@example.org> proto=ESMTP helo=<client.example.net>\n',
      );
      const end = Date.now() + 15_000;
      let n = 0;
      while (n === 0 && Date.now() < end) {
        n = Number(await lab.query('SELECT count() FROM follow_events'));
        if (n === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect([n, stderr]).toEqual([1, '']);
      expect(child.exitCode).toBe(null);
    } finally {
      child.kill('SIGTERM');
    }
    await closed;
  }, 60_000);

  test('killed mid-stream: nothing lost once it is back and the spool is flushed', async () => {
    await schema('crash_events');
    // 40,000 rejections with a line each of their own: eight batches.
    const n = 40_000;
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      const s = String(i % 60).padStart(2, '0');
      lines.push(
        `Nov 22 06:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${s} mx9 postfix/smtpd[${1000 + (i % 50)}]: NOQUEUE: reject: RCPT from c${i}.example.net[192.0.2.${i % 250}]: 550 5.1.1 <u${i}@example.org>: Recipient address rejected: User unknown in virtual alias table; from=<s${i}@example.net> to=<u${i}@example.org> proto=ESMTP helo=<c${i}.example.net>`,
      );
    }
    const log = join(dir, 'many.log');
    writeFileSync(log, lines.join('\n') + '\n');
    const spool = join(dir, 'crash.spool');
    const args = ['--year', '2026', '--format', 'json', '-o', join(dir, 'r.json'), '--clickhouse', lab.url, '--clickhouse-table', 'crash_events', '--clickhouse-spool', spool];
    const running = run([log, ...args], { env: ENV });
    // Kill it once the first rows are in.
    const end = Date.now() + 20_000;
    while (Date.now() < end && Number(await lab.query('SELECT count() FROM crash_events').catch(() => '0')) === 0) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await lab.kill();
    const r = await running;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/events could not be sent .*the next --clickhouse run or --clickhouse-flush sends them/);
    expect(existsSync(spool)).toBe(true);

    await lab.start();
    const flush = await run(['--clickhouse', lab.url, '--clickhouse-table', 'crash_events', '--clickhouse-spool', spool, '--clickhouse-flush'], { env: ENV });
    expect([flush.code, flush.stderr]).toEqual([0, expect.stringMatching(/events spooled by an earlier run were sent\n$/)]);
    expect(existsSync(spool)).toBe(false);
    // Every event is there; a batch whose answer was lost in the crash may be there twice (at least once).
    const [distinct, rows] = (await lab.query('SELECT uniqExact(raw), count() FROM crash_events FORMAT TSV')).trim().split('\t').map(Number);
    expect(distinct).toBe(n);
    expect(rows! - n).toBeLessThanOrEqual(5_000);
  }, 120_000);
});

/**
 * Server health and onset against the real Exim of the Exim lab (test/lab/exim.ts): a redirect
 * router looks its local parts up in an lsearch file. The first batch of mail goes through it;
 * then the configuration is changed to name a file that does not exist and the daemon is sent
 * SIGHUP (it re-executes itself and rereads it); the second batch is refused at RCPT (verify =
 * recipient meets the deferring router) or deferred by the queue run. Exim 4.96 writes the
 * lookup failure only at the end of those refusal and deferral lines; the report must still
 * have a health finding for the file with one count per line provoked, the refusals must name
 * it as their likely cause, the start and reload must be markers in order, and the onsets must
 * say the problem began after the reload. Read with the CLI on mainlog + paniclog, --format json.
 * Skipped with the reason without root, swaks or the unpacked package.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ReportSchema, type Report } from '../../src/report/schema.js';
import { run } from '../helpers/cli.js';
import { skipNote } from '../helpers/skip.js';
import { eximMissing, runAsync, startExim, type Exim } from './exim.js';

const skipReason = eximMissing();
skipNote('Exim health lab', skipReason);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PORT = 4525 + (process.pid % 1000);
/** How many of each the second batch provokes. */
const REFUSED_AT_RCPT = 3;
const DEFERRED_IN_QUEUE = 1;

describe.skipIf(skipReason !== null)('Exim health lab: a router lookup file gone after a SIGHUP reload', () => {
  let dir = '';
  let exim: Exim | undefined;
  let report: Report | null = null;
  let missing = '';
  /** Wall-clock times around the steps, to place the markers (the lab runs on this machine, in UTC). */
  const at = { started: 0, beforeHup: 0, afterHup: 0 };

  const send = (client: '127.0.0.1' | '127.0.0.2', to: string) =>
    runAsync('swaks', ['--server', '127.0.0.1', '--port', String(PORT), '--local-interface', client, '--helo', 'client.lab.test', '--from', 'sender@lab.test', '--to', to, '--timeout', '10', '--silent', '3'], 30_000);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mld-exim-health-'));
    chmodSync(dir, 0o755);
    const routes = join(dir, 'routes');
    missing = join(dir, 'missing/routes');
    writeFileSync(routes, 'routed: alice@lab.test\n');
    at.started = Date.now();
    exim = await startExim({
      dir,
      port: PORT,
      // Nothing is routed to the sink in this lab; the port only has to be a number.
      sinkPort: PORT + 1,
      logTo: 'files',
      logSelector: '+all',
      firstRouters: `
lookup_routes:
  driver = redirect
  domains = +local_domains
  local_parts = routed
  data = \${lookup{$local_part}lsearch{${routes}}}
`,
    });
    // Batch 1: a stranger's mail (verify = recipient runs the router) and our own, delivered.
    await send('127.0.0.2', 'routed@lab.test');
    await send('127.0.0.1', 'routed@lab.test');
    await exim.runQueue();
    // A quiet spell, so that the second batch's problems have a before to be compared with.
    await sleep(12_000);
    // The configuration now names a file that does not exist; SIGHUP makes the daemon reread it.
    const conf = join(dir, 'exim.conf');
    writeFileSync(conf, readFileSync(conf, 'utf8').replace(`lsearch{${routes}}`, `lsearch{${missing}}`));
    at.beforeHup = Date.now();
    process.kill(exim.pid(), 'SIGHUP');
    await sleep(1_000);
    for (let i = 0; (await runAsync('swaks', ['--server', '127.0.0.1', '--port', String(PORT), '--quit-after', 'CONNECT', '--silent', '3', '--timeout', '3'], 10_000)).status !== 0; i++) {
      if (i === 25) throw new Error('timed out waiting for Exim to listen again after SIGHUP');
      await sleep(200);
    }
    at.afterHup = Date.now();
    // Batch 2: refused at RCPT (451, the router defers during verify = recipient) …
    for (let i = 0; i < REFUSED_AT_RCPT; i++) await send('127.0.0.2', 'routed@lab.test');
    // … and accepted from our own host, then deferred by the queue run.
    for (let i = 0; i < DEFERRED_IN_QUEUE; i++) await send('127.0.0.1', 'routed@lab.test');
    await exim.runQueue();
    const r = await run([exim.mainlog, exim.paniclog, '--format', 'json']);
    if (r.code !== 0) throw new Error(`maillog-doctor exited ${r.code}: ${r.stderr}`);
    report = ReportSchema.parse(JSON.parse(r.stdout));
  }, 90_000);

  afterAll(() => {
    exim?.stop();
    if (dir && !process.env.MLD_KEEP_LAB) rmSync(dir, { recursive: true, force: true });
  });

  const log = () => `\n${readFileSync(exim!.mainlog, 'utf8')}`;
  const health = () => report!.findings.filter((f) => f.cause === 'server-health');
  const failure = () => `failed to open ${missing} for linear search: No such file or directory`;

  test('the missing lookup file is one health finding, one count per line that hit it', () => {
    const h = health();
    expect(h.map((f) => f.hint), log()).toEqual([`table unavailable: ${missing}`]);
    const f = h[0]!;
    expect([f.mta, f.direction, f.rule, f.permanent]).toEqual(['exim', 'local', 'exim.health.table-unavailable', false]);
    expect(f.count).toBe(REFUSED_AT_RCPT + DEFERRED_IN_QUEUE);
    expect(f.advice).toContain('Exim cannot open this lookup file');
    expect(f.verify).toBe(`ls -l -- '${missing}'; grep -n -F -e '${missing}' -- "$(exim -bP -n configure_file)"`);
  });

  test('the refusals and the deferral it caused name it as their likely cause', () => {
    const rcpt = report!.findings.filter((f) => f.direction === 'inbound');
    expect(rcpt.map((f) => [f.cause, f.hint, f.count, f.after])).toEqual([['other', 'acl_smtp_rcpt: defer / router :defer:', REFUSED_AT_RCPT, failure()]]);
    const deferred = report!.findings.filter((f) => f.direction === 'local' && f.cause !== 'server-health');
    expect(deferred.map((f) => [f.hint, f.count, f.after])).toEqual([['router lookup failed', DEFERRED_IN_QUEUE, failure()]]);
  });

  test('every line of mainlog and paniclog is understood', () => {
    expect(report!.summary.linesUnrecognised).toBe(0);
  });

  test('the start and the SIGHUP re-exec are markers, in order, at the times they happened', () => {
    const m = report!.markers;
    expect(m.map((x) => [x.mta, x.marker, x.version])).toEqual([
      ['exim', 'start', '4.96'],
      ['exim', 'reload', '4.96'],
    ]);
    const [start, reload] = m.map((x) => Date.parse(x.time!));
    // Exim stamps to the millisecond (log_selector +millisec, part of +all).
    expect(start).toBeGreaterThanOrEqual(at.started - 1_000);
    expect(start).toBeLessThan(at.beforeHup);
    expect(reload).toBeGreaterThanOrEqual(at.beforeHup - 1_000);
    expect(reload).toBeLessThanOrEqual(at.afterHup + 1_000);
  });

  test('the health finding and the refusals began after the reload, none before; the one deferral came after it', () => {
    const reload = report!.markers[1]!;
    const hhmm = reload.time!.slice(11, 16);
    const after = `\\(\\d+ s after the ${hhmm} reload\\)`;
    const began = new RegExp(`^began \\d\\d:\\d\\d ${after}, none in the \\d+ s before$`);
    const linked = report!.findings.filter((f) => f.after === failure());
    const byHint = (hint: string) => linked.find((f) => f.hint === hint)!;
    expect(health()[0]!.onsetNote).toMatch(began);
    expect(byHint('acl_smtp_rcpt: defer / router :defer:').onsetNote).toMatch(began);
    // One event after a quiet spell is too few to call a change of rate: "since …, once".
    expect(byHint('router lookup failed').onsetNote).toMatch(new RegExp(`^since \\d\\d:\\d\\d ${after}, once$`));
    for (const f of [...health(), ...linked]) expect(Date.parse(f.onset!), f.hint).toBeGreaterThanOrEqual(Date.parse(reload.time!) - 1_000);
  });
});

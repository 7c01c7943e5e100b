/**
 * Command line → options → pipeline → report. The only place that prints errors and exits;
 * everything below throws InputError/UsageError or returns.
 */
import { closeSync, createWriteStream, existsSync, openSync, readFileSync, readSync, type WriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { builtinParsers, DETECT_LINES, FormatDetector } from '../parsers/index.js';
import { clientOf, enhancedStatusOf, recipientOf, senderOf, smtpCodeOf } from './aggregate/event-fields.js';
import type { FileStats, Report, Snapshot } from './aggregate/types.js';
import type { Classification } from './classify/types.js';
import { expandInputs } from './input/expand.js';
import { argsAsBytes, fsPath } from './input/paths.js';
import { describeSystemError, EXIT, InputError, UsageError } from './errors.js';
import type { MailEvent, Mta } from './event.js';
import { Follower } from './input/follow.js';
import { startJournal, type Journal } from './input/journal.js';
import { CHECKED_FINDINGS, checkConfig, exchangeScript } from './verify/check-config.js';
import { analyseOnThread } from './analysis-thread.js';
import { Analysis, analyse, capYoungGeneration, eventLoopTurns, FollowFeed } from './pipeline.js';
import { parseWindow, type TimeWindow } from './window.js';
import { cleanupPendingTempFiles, writeFileAtomic } from './report/atomic-write.js';
import { compareReports } from './report/compare.js';
import { renderCsv } from './report/csv.js';
import { renderAddressesCsv, renderSuppressionList } from './report/addresses.js';
import { renderJson } from './report/json.js';
import { LineFile } from './report/line-sink.js';
import { stdoutIsFile, stdoutWasClosed, writeAllSync, writeFailure } from './report/output.js';
import { renderText } from './report/text.js';
import { sanitize } from './text/sanitize.js';
import type { LiveStore } from './tui/live.js';
import { ProblemBytes, problemLine, PROBLEM_CSV_HEADER, type ProblemRecord } from './report/problem-line.js';
import type { TuiSession } from './tui/run.js';
import { openTaps, type Taps } from './sink/taps.js';
import type { CommandIo, ReportTargets } from './commands/types.js';

type Format = 'text' | 'json' | 'csv';

interface CliOptions {
  format: Format;
  output?: string;
  csv?: string;
  json?: string;
  mta?: Mta;
  year?: number;
  /** `--by host`: split findings by host. */
  by?: 'host';
  /** `--local-domains`: recipient domains this server hosts. */
  localDomains?: string[];
  unrecognised?: string;
  failOn?: number;
  width?: number;
  color: boolean;
  follow?: boolean;
  fromEnd?: boolean;
  tui: boolean;
  since?: string;
  until?: string;
  compare?: string;
  addresses?: string;
  suppressionList?: string;
  journal?: boolean;
  /** `--events FILE|-`: every problem event as NDJSON (src/report/events.ts). */
  events?: string;
  /** `--host NAME`: the host of events whose lines name none. */
  host?: string;
  /** `--state FILE`: the run's mergeable state (src/state/state-file.ts). */
  state?: string;
  /** ClickHouse (src/sink/clickhouse*.ts). */
  clickhouse?: string;
  clickhouseTable?: string;
  clickhouseSpool?: string;
  clickhouseFlush?: boolean;
  fromClickhouse?: string;
  checkConfig?: boolean;
  postfixConfig?: string;
  eximConfig?: string;
  exchangeScript?: string;
}

/** What every kind of run (report, view, follow) hands the analysis from the options. */
function analysisOptions(opts: CliOptions) {
  return {
    mta: opts.mta,
    year: opts.year,
    byHost: opts.by === 'host',
    localDomains: opts.localDomains,
    window: runWindow,
    addresses: opts.addresses !== undefined || opts.suppressionList !== undefined,
    host: opts.host,
  };
}

/**
 * --check-config: the verify step run for the top findings (src/verify/check-config.ts), and the
 * Exchange script written when there are Exchange findings among them.
 */
async function withChecks<R extends Report>(report: R, opts: CliOptions, say: (m: string) => void): Promise<R> {
  if (!opts.checkConfig) return report;
  const top = report.findings.slice(0, CHECKED_FINDINGS);
  const exchange = top.filter((f) => f.mta === 'exchange');
  let script: string | null = null;
  if (exchange.length > 0) {
    try {
      await writeFileAtomic(opts.exchangeScript!, exchangeScript(exchange));
      script = opts.exchangeScript!;
    } catch (err) {
      say(`${opts.exchangeScript}: could not write the Exchange checks: ${(err as Error).message}`);
    }
  }
  const configChecks = checkConfig(top, { postfixConfig: opts.postfixConfig, eximConfig: opts.eximConfig }, script);
  return { ...report, configChecks };
}

/** journalctl, with --journal. */
let journalRun: Journal | null = null;

/** With --journal: journalctl's failure (exit status and first stderr line), as an input error. */
async function journalEnded(errors: InputError[]): Promise<void> {
  const why = journalRun === null ? null : await journalRun.done;
  if (why !== null) errors.push(new InputError('journalctl', why));
}

/** Adds the --compare comparison to a report (nothing without --compare). */
let withComparison = <R extends Report>(r: R): R => r;

/** `--since`/`--until` as parsed once against the run's start (null: no window). */
let runWindow: TimeWindow | null = null;

/** `a.test, B.test` → ['a.test', 'b.test']; a usage error for anything that is not a domain name. */
function domainList(v: string): string[] {
  const list = v.split(',').map((d) => d.trim().toLowerCase()).filter((d) => d !== '');
  // Label by label (1-63 of letters, digits, `_`, `-`; a trailing dot allowed): one linear check
  // per label instead of a pattern with nested quantifiers.
  const label = /^[a-z0-9_][a-z0-9_-]{0,62}$/;
  for (const d of list) {
    const labels = (d.endsWith('.') ? d.slice(0, -1) : d).split('.');
    if (d.length > 253 || !labels.every((l) => label.test(l))) throw new InvalidArgumentError(`--local-domains: not a domain name: ${d}`);
  }
  return list;
}

/** `--host`: a host name as syslog would log it (letters, digits, `.`, `_`, `-`). */
function hostName(v: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,252}$/.test(v)) throw new InvalidArgumentError(`--host: not a host name: ${v}`);
  return v;
}

/** A whole number of at least `min` (commander turns the error into a usage error, exit 2). */
function wholeNumber(name: string, min: number) {
  return (v: string): number => {
    const n = /^[0-9]{1,15}$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be a whole number`);
    if (n < min) throw new InvalidArgumentError(`${name} must be at least ${min}`);
    return n;
  };
}

/**
 * Narrowest text report we lay out: the fixed columns (marker, rank, count) and the squeezed
 * ones (dir, codes, domain, cause, hint at their minimum) need about 40 columns; below that
 * every row would be cut to nonsense, so `--width` under 40 is a usage error.
 */
export const MIN_WIDTH = 40;

/** The version in package.json (two folders up from dist/src/cli.js, one from src/cli.ts). */
function version(): string {
  for (const rel of ['../../package.json', '../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'maillog-doctor' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not there: try the next folder up
    }
  }
  return 'unknown';
}

const HELP_AFTER = `
Files are read in the order given, so name rotated logs oldest first; gzip is
decompressed on the fly; "-" (or no file, with piped input) reads stdin.

On a terminal (stdout and stdin), without --format or -o, an interactive view
opens (? lists its keys); --no-tui prints the text report instead. With -f and no
terminal, one line per new rejection, bounce or deferral is printed (NDJSON with
--format json) until SIGINT/SIGTERM.

Examples:
  maillog-doctor /var/log/mail.log
  maillog-doctor /var/log/mail.log.2.gz /var/log/mail.log.1 /var/log/mail.log
  maillog-doctor /var/log/mail.log --format csv -o report.csv
  maillog-doctor --by host mx1/mail.log mx2/mail.log
  maillog-doctor -f /var/log/mail.log
  maillog-doctor -f --from-end --format json /var/log/mail.log | my-alerting
  journalctl -u postfix -o short-iso | maillog-doctor -
  maillog-doctor --since yesterday --until today /var/log/mail.log.1
  maillog-doctor --compare yesterday.json --json today.json /var/log/mail.log
  maillog-doctor --addresses affected.csv --suppression-list suppress.txt /var/log/mail.log
  maillog-doctor --journal --since -2h
  maillog-doctor --check-config /var/log/mail.log

Exit codes: 0 read everything; 1 an input or output failed (the rest was
processed); 2 usage error; 3 --fail-on reached; 130/143 SIGINT/SIGTERM.
`;

function program(): Command {
  return new Command('maillog-doctor')
    .description(
      'Find every SMTP rejection, bounce and deferral in mail logs, ranked by impact, with the setting behind it and the command to confirm it.',
    )
    .addHelpText('after', HELP_AFTER)
    .version(version(), '-V, --version', 'print the version and exit')
    .argument('[files...]', 'log files (.gz too), or - for stdin')
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json', 'csv']).default('text'))
    .option('-o, --output <file>', 'write the report to FILE (atomically) instead of stdout')
    .option('--csv <file>', 'also write the CSV report to FILE')
    .option('--json <file>', 'also write the JSON report to FILE')
    .addOption(new Option('--mta <mta>', 'force the log format instead of detecting it').choices(builtinParsers.map((p) => p.name)))
    .option('--local-domains <domains>', 'comma-separated recipient domains this server hosts (besides those the log shows)', domainList)
    .option('--year <year>', 'year of timestamps that carry none (default: from the file date)', wholeNumber('--year', 0))
    .addOption(
      new Option('--by <field>', 'split findings by host (default: one view of all hosts, each finding lists its hosts)').choices([
        'host',
      ]),
    )
    .option('--host <name>', "host name for events whose lines carry none (Exim's own log files, Exchange protocol logs)", hostName)
    .option('--unrecognised <file>', 'write every line that was not understood, with file and line number, to FILE')
    .option('--fail-on <n>', 'exit with 3 when rejections, bounces and deferrals reach N, at least 1 (for cron/monitoring)', wholeNumber('--fail-on', 1))
    .option('--width <columns>', `width of the text report, at least ${MIN_WIDTH} (default: terminal width or 100)`, wholeNumber('--width', MIN_WIDTH))
    .option('--no-color', 'no colours in the text report, even on a terminal (also when NO_COLOR is set)')
    .option('-f, --follow', 'keep reading the log as it grows, across rotations (like tail -F)')
    .option('--from-end', 'with -f: skip what is in the file now, read only new lines')
    .option('--no-tui', 'print the text report even on a terminal (no interactive view)')
    .option('--since <time>', 'only events at or after TIME: ISO date/time (2026-11-22, 2026-11-22T06:00), today, yesterday, -2h, -30m, -7d')
    .option('--compare <file>', 'show first what changed since an earlier JSON report of this tool: new, grown and gone findings')
    .option('--addresses <file>', 'write every recipient, sender and client of the findings to FILE (CSV, one row each)')
    .option('--suppression-list <file>', 'write the outbound hard-bounced recipients to FILE, one a line (for a mailing tool)')
    .option('--journal', 'read the mail units of the journal (journalctl -o json) instead of log files; --since/--until and -f are passed on')
    .option('--check-config', 'run the verify step of the top findings on this server (postconf, postmap, exim -bt; read-only) and show the results')
    .option('--postfix-config <dir>', 'with --check-config: the Postfix configuration directory (postconf -c)')
    .option('--exim-config <file>', 'with --check-config: the Exim configuration file (exim -C)')
    .option('--exchange-script <file>', 'with --check-config: where to write the PowerShell checks of Exchange findings', 'maillog-doctor-exchange-checks.ps1')
    .option('--until <time>', 'only events before TIME (same forms as --since)')
    .option('--state <file>', 'also write the mergeable state of the run to FILE (see: maillog-doctor merge --help)')
    .option('--clickhouse <url>', 'also send every rejection, bounce and deferral to ClickHouse at URL (user, password: CLICKHOUSE_USER, CLICKHOUSE_PASSWORD)')
    .option('--clickhouse-table <name>', 'the ClickHouse events table (default maillog_events; see: maillog-doctor clickhouse-schema)')
    .option('--clickhouse-spool <file>', 'where events that could not be sent wait for the next run (default ~/.local/state/maillog-doctor/clickhouse.spool)')
    .option('--clickhouse-flush', 'send the spooled events to --clickhouse URL, then exit')
    .option('--from-clickhouse <url>', 'report the findings stored in ClickHouse at URL instead of reading logs')
    .option('--events <file>', 'also write every rejection, bounce and deferral to FILE (- for stdout) as NDJSON with ECS field names')
    .exitOverride()
    // Commander quotes option values (chosen by whoever wrote the command line) in its errors.
    .configureOutput({ writeErr: (s) => process.stderr.write(s.split('\n').map(sanitize).join('\n')) })
    .showHelpAfterError('(run maillog-doctor --help for usage)');
}

/** The report outputs and messages, for the subcommands. */
const commandIo: CommandIo = {
  emit: async (report, t) => {
    const opts = { ...t, tui: false } as CliOptions;
    let failed = await writeReportFiles(report, opts, warn);
    if (!t.output) {
      const err = await writeStdout(renderReport(report, t.format, opts, true));
      if (err !== null && stdoutFailed(err) !== EXIT.ok) failed = true;
    }
    return failed;
  },
  print: async (text) => {
    const err = await writeStdout(text);
    return err !== null && stdoutFailed(err) !== EXIT.ok;
  },
  warn,
  version: version(),
};

/** Subcommands by their first argument (a log file of that name is read as `./merge`). */
const SUBCOMMANDS: Record<string, () => Promise<(args: string[], io: CommandIo) => Promise<number>>> = {
  merge: async () => (await import('./state/merge-command.js')).mergeCommand,
  'clickhouse-schema': async () => (await import('./sink/clickhouse-schema.js')).clickhouseSchemaCommand,
};

/** --clickhouse's target and spool from the options, or undefined; a bad value is a usage error. */
async function clickhouseOptions(url: string | undefined, opts: CliOptions) {
  if (url === undefined) return undefined;
  const { clickhouseTarget, defaultSpool } = await import('./sink/clickhouse.js');
  try {
    return { target: clickhouseTarget(url, opts.clickhouseTable), spool: opts.clickhouseSpool ?? defaultSpool() };
  } catch (err) {
    throw new UsageError(`${(err as Error).message}`);
  }
}

/** --from-clickhouse: the stored findings in the report or the view; --clickhouse-flush: the spool sent. */
async function clickhouseRun(opts: CliOptions, interactive: boolean): Promise<number> {
  if (opts.clickhouseFlush) {
    const ch = await clickhouseOptions(opts.clickhouse, opts);
    if (!ch) throw new UsageError('--clickhouse-flush needs --clickhouse URL');
    taps = openTaps({ clickhouse: ch }, writeStdoutNow);
    return (await closeTaps()) ? EXIT.inputError : EXIT.ok;
  }
  const ch = (await clickhouseOptions(opts.fromClickhouse, opts))!;
  const { readFindings } = await import('./sink/clickhouse-read.js');
  // --since/--until were parsed as the run's window (src/window.ts); the engine is asked for it.
  const since = runWindow?.since ? new Date(runWindow.since) : undefined;
  const until = runWindow?.until ? new Date(runWindow.until) : undefined;
  let report;
  try {
    report = await readFindings(ch.target, { since, until, byHost: opts.by === 'host' });
  } catch (err) {
    const { requestFailure } = await import('./sink/clickhouse.js');
    throw new InputError(`ClickHouse ${new URL(ch.target.url).host}`, `could not read the findings: ${requestFailure(err)}`);
  }
  if (interactive) {
    const live = new (await import('./tui/live.js')).LiveStore({ files: [] });
    live.setSource(() => report);
    live.done();
    const session = openSession((await loadView()).startTui(live, { color: opts.color }));
    const failed = await writeReportFiles(report, opts, (m) => live.error(m));
    await session.done;
    closeSession();
    return viewExitCode(report, opts, failed);
  }
  let failed = await writeReportFiles(report, opts, warn);
  if (!opts.output) {
    const err = await writeStdout(renderReport(report, opts.format, opts, true));
    if (err !== null) return stdoutFailed(err);
  }
  return exitCode(report, opts, failed);
}

export async function main(argv: string[]): Promise<number> {
  const sub = SUBCOMMANDS[argv[2] ?? ''];
  if (sub) return (await sub())(argv.slice(3), commandIo);
  const cmd = program();
  try {
    // Arguments that are not UTF-8 (file names are bytes) as display names of their bytes.
    cmd.parse([...argv.slice(0, 2), ...argsAsBytes(argv.slice(2))]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; usage errors were already printed by commander.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw err;
  }
  const opts = cmd.opts<CliOptions>();
  // https://no-color.org: a non-empty NO_COLOR turns colours off like --no-color.
  if (process.env.NO_COLOR) opts.color = false;
  const window = parseWindow(opts.since, opts.until, new Date());
  if (window instanceof Error) throw new UsageError(window.message);
  runWindow = window;
  if (opts.compare !== undefined) {
    const prev = (await import('./report/compare-load.js')).loadPreviousReport(fsPath(opts.compare));
    if (prev instanceof Error) throw new UsageError(`--compare ${opts.compare}: ${prev.message}`);
    const against = opts.compare;
    const byHost = opts.by === 'host';
    withComparison = (r) => ({ ...r, comparison: compareReports(prev, r, against, byHost) });
  }
  let files = expandInputs(cmd.args);
  if (opts.fromEnd && !opts.follow) throw new UsageError('--from-end goes with -f/--follow');
  if (opts.state === '-') throw new UsageError('--state needs a file name');
  if (opts.fromClickhouse || opts.clickhouseFlush) {
    if (cmd.args.length > 0) throw new UsageError(`${opts.fromClickhouse ? '--from-clickhouse' : '--clickhouse-flush'} reads no log files`);
    const tui = opts.tui && cmd.getOptionValueSource('format') !== 'cli' && opts.output === undefined && process.stdout.isTTY === true && process.stdin.isTTY === true;
    return clickhouseRun(opts, tui && !opts.clickhouseFlush);
  }
  if (opts.journal) {
    if (files.length > 0) throw new UsageError('--journal reads the journal: name no log files with it');
    let journal: Journal;
    try {
      journal = await startJournal({ since: window?.since, until: window?.until, follow: opts.follow, fromEnd: opts.fromEnd });
    } catch (err) {
      throw new InputError('journalctl', (err as Error).message);
    }
    process.on('exit', () => journal.stop());
    journalRun = journal;
    files = ['-'];
  }
  if (files.length === 0) {
    if (process.stdin.isTTY) {
      throw new UsageError('no log file given (and nothing piped on stdin); try: maillog-doctor /var/log/mail.log');
    }
    files = ['-'];
  }
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('stdin (-) can be read only once');
  if (opts.follow && files.length > 1) {
    throw new UsageError('-f follows one file; name only the live log (read rotated ones without -f)');
  }
  // The interactive view only on a real terminal, and only when no output format or file was asked for.
  const interactive =
    opts.tui &&
    !opts.journal &&
    cmd.getOptionValueSource('format') !== 'cli' &&
    opts.output === undefined &&
    process.stdout.isTTY === true &&
    process.stdin.isTTY === true &&
    !files.includes('-') &&
    opts.events !== '-';
  // The view's analysis hands back its report, not its state: a state file is for report runs.
  if (interactive && opts.state !== undefined && !opts.follow) {
    throw new UsageError('--state goes with a report run (--no-tui, --format or -o) or -f, not the interactive view');
  }

  // The report (or follow mode's lines) goes to stdout: a closed one would swallow it whole.
  if (!interactive && (opts.follow || opts.output === undefined) && stdoutWasClosed()) {
    throw new InputError('standard output', 'it is closed, so the report cannot be written (use -o FILE)');
  }

  let unrecognisedOut: LineFile | null = null;
  if (opts.unrecognised) {
    try {
      unrecognisedOut = new LineFile(fsPath(opts.unrecognised));
    } catch (err) {
      throw new InputError(opts.unrecognised, `cannot write the unrecognised lines: ${describeSystemError(err)}`);
    }
  }
  const onUnrecognised = unrecognisedOut ? (file: string, no: number, line: string) => unrecognisedOut!.line(file, no, line) : undefined;
  /** Closes the --unrecognised file; the message saying it is incomplete, or null. */
  const closeUnrecognised = async (): Promise<string | null> => {
    const why = unrecognisedOut?.close() ?? null;
    return why === null ? null : `${opts.unrecognised}: could not write the unrecognised lines: ${why}`;
  };

  taps = openTaps({ events: opts.events, clickhouse: await clickhouseOptions(opts.clickhouse, opts) }, writeStdoutNow);
  if (opts.follow) return follow(files[0]!, opts, interactive, onUnrecognised, closeUnrecognised);
  if (interactive) return interactiveReport(files, opts, onUnrecognised, closeUnrecognised);

  const { aggregator, stats, errors } = await analyse(files, {
    ...analysisOptions(opts),
    now: new Date(),
    onUnrecognised,
    onProblem: taps?.onProblem,
    stdin: journalRun?.stdout,
  });
  const unrecognisedFailed = await closeUnrecognised();
  const tapsFailed = await closeTaps();
  await journalEnded(errors);

  for (const e of errors) warn(`${e.file}: ${e.message}`);
  if (unrecognisedFailed !== null) warn(unrecognisedFailed);
  warnUnexpandedExport(stats.overflow);
  const report = await withChecks(withComparison(aggregator.snapshot(stats, true)), opts, warn);

  let failed = errors.length > 0 || unrecognisedFailed !== null || tapsFailed;
  if (await writeStateFile(aggregator, stats, opts)) failed = true;
  if (await writeReportFiles(report, opts, warn)) failed = true;
  // `--events -` has standard output: the report goes only to -o, --csv, --json.
  if (!opts.output && opts.events !== '-') {
    const err = await writeStdout(renderReport(report, opts.format, opts, true));
    if (err !== null) return stdoutFailed(err);
  }
  return exitCode(report, opts, failed);
}

/** The event outputs (--events), once opened. */
let taps: Taps | null = null;

/** Ends the event outputs, saying why one is incomplete; true when one failed. */
async function closeTaps(say: (message: string) => void = warn): Promise<boolean> {
  if (taps === null) return false;
  const { messages, failed } = await taps.close();
  taps = null;
  for (const m of messages) say(m);
  return failed;
}

/**
 * `Get-MessageTrackingLog | Export-Csv` without -join writes list properties as the type name:
 * say once how to export so that the recipients survive.
 */
function warnUnexpandedExport(overflow: Record<string, number>): void {
  const n = overflow.exchangeUnexpandedArrays ?? 0;
  if (n === 0) return;
  warn(
    `${n === 1 ? '1 Export-Csv row has' : `${n} Export-Csv rows have`} Recipients or RecipientStatus written as "System.String[]", so their recipients are unknown; ` +
      "export again with: Get-MessageTrackingLog … | Select-Object Timestamp,EventId,Source,Sender,@{n='Recipients';e={$_.Recipients -join ';'}},@{n='RecipientStatus';e={$_.RecipientStatus -join ';'}},@{n='Reference';e={$_.Reference -join ';'}},ServerHostname,ClientIp,ClientHostname,InternalMessageId,MessageId,MessageSubject | Export-Csv -NoTypeInformation -Encoding UTF8 tracking.csv",
  );
}

/** The report in `format`; the text report fits the terminal when it goes to one. */
function renderReport(report: Report, format: Format, opts: CliOptions, toStdout: boolean): string {
  return format === 'json'
    ? renderJson(report)
    : format === 'csv'
      ? renderCsv(report)
      : renderText(report, {
          width: opts.width ?? (toStdout && process.stdout.isTTY ? process.stdout.columns : undefined) ?? 100,
          color: opts.color && toStdout && process.stdout.isTTY === true,
          unrecognisedFile: opts.unrecognised,
        });
}

/** --state FILE, atomically; true when it failed (said). */
async function writeStateFile(aggregator: Analysis['aggregator'], stats: Analysis['stats'], opts: CliOptions): Promise<boolean> {
  if (opts.state === undefined) return false;
  try {
    const { writeState } = await import('./state/state-file.js');
    await writeState(opts.state, aggregator, stats, version());
    return false;
  } catch (err) {
    warn(`${opts.state}: could not write the state: ${(err as Error).message}`);
    return true;
  }
}

/** --csv FILE, --json FILE and -o FILE, atomically; true when one of them failed (said through `say`). */
async function writeReportFiles(report: Snapshot, opts: CliOptions, say: (message: string) => void): Promise<boolean> {
  const writes: Array<[string, Format | 'addresses' | 'suppression']> = [];
  if (opts.csv) writes.push([opts.csv, 'csv']);
  if (opts.json) writes.push([opts.json, 'json']);
  if (opts.output) writes.push([opts.output, opts.format]);
  if (opts.addresses) writes.push([opts.addresses, 'addresses']);
  if (opts.suppressionList) writes.push([opts.suppressionList, 'suppression']);
  let failed = false;
  for (const [target, format] of writes) {
    try {
      const text =
        format === 'addresses'
          ? renderAddressesCsv(report)
          : format === 'suppression'
            ? renderSuppressionList(report)
            : renderReport(report, format, opts, false);
      // Under the name's own bytes when it is not UTF-8 (shown escaped: src/input/paths.ts).
      await writeFileAtomic(fsPath(target), text);
    } catch (err) {
      say(`${target}: could not write the report: ${(err as Error).message}`);
      failed = true;
    }
  }
  return failed;
}

const problemCount = (report: Report): number => report.findings.reduce((n, f) => n + f.count, 0);

function exitCode(report: Report, opts: CliOptions, failed: boolean): number {
  if (opts.failOn !== undefined && problemCount(report) >= opts.failOn) return EXIT.threshold;
  return failed ? EXIT.inputError : EXIT.ok;
}

/**
 * The exit status after the interactive view, saying on stderr why it is 3: the view gave no
 * sign of it, and a user who quits with q expects 0.
 */
function viewExitCode(report: Report, opts: CliOptions, failed: boolean): number {
  const code = exitCode(report, opts, failed);
  if (code === EXIT.threshold) {
    const n = problemCount(report);
    warn(`exit status 3: ${n} ${n === 1 ? 'rejection, bounce or deferral' : 'rejections, bounces and deferrals'} reached --fail-on ${opts.failOn}`);
  }
  return code;
}

type OnUnrecognised = ((file: string, no: number, line: string) => void) | undefined;

/** The interactive view of whole files: findings fill in while reading; q quits (also mid-way). */
async function interactiveReport(
  files: string[],
  opts: CliOptions,
  onUnrecognised: OnUnrecognised,
  closeUnrecognised: () => Promise<string | null>,
): Promise<number> {
  // The analysis runs on a thread of its own (src/analysis-thread.ts), and starts before the
  // view is on screen: Ink and React take ~0.5 s to load.
  const live = new (await import('./tui/live.js')).LiveStore({ files });
  let sourced = false;
  const run = analyseOnThread(
    { files, ...analysisOptions(opts), now: new Date() },
    {
      onUnrecognised,
      onProgress: (p) => {
        if (!sourced) {
          sourced = true;
          live.setSource(() => withComparison(run.snapshot()));
        }
        live.progress(p);
        // Publishes if due: the timer cannot while the analysis runs on this thread (the fallback).
        live.tick();
      },
      onProblems: (batch) => live.problems(batch),
      onSnapshot: () => live.touch(),
      onProblem: taps?.onProblem,
    },
  );
  // Awaited below, once the view is up: until then a failure must not count as unhandled.
  run.done.catch(() => undefined);
  const session = openSession((await loadView()).startTui(live, { color: opts.color }));
  const result = await Promise.race([run.done, session.done.then(() => null)]);
  if (result === null) {
    // Quit while reading: the reading still under way is abandoned (the entry point exits).
    closeSession();
    return EXIT.ok;
  }
  const { errors } = result;
  const unrecognisedFailed = await closeUnrecognised();
  const messages = errors.map((e) => `${e.file}: ${e.message}`);
  if (unrecognisedFailed !== null) messages.push(unrecognisedFailed);
  const tapsFailed = await closeTaps((m) => messages.push(m));
  for (const m of messages) live.error(m);
  const report = await withChecks(withComparison(result.snapshot), opts, (m) => {
    messages.push(m);
    live.error(m);
  });
  live.setSource(() => report);
  const writeFailed = await writeReportFiles(report, opts, (m) => {
    messages.push(m);
    live.error(m);
  });
  live.done();
  await session.done;
  closeSession();
  for (const m of messages) warn(m);
  return viewExitCode(report, opts, errors.length > 0 || writeFailed || unrecognisedFailed !== null || tapsFailed);
}

/** A problem event, flattened for follow mode's line output. */
function problemRecord(ev: MailEvent, c: Classification): ProblemRecord {
  return {
    time: ev.time,
    mta: ev.mta,
    host: ev.host,
    direction: c.direction,
    cause: c.cause,
    hint: c.hint,
    rule: c.rule,
    recipient: recipientOf(ev),
    sender: senderOf(ev),
    client: clientOf(ev),
    smtpCode: smtpCodeOf(ev),
    enhancedStatus: enhancedStatusOf(ev),
    text: ev.kind === 'reject' ? ev.text : ev.kind === 'delivery' ? ev.reason : '',
  };
}

/**
 * Follow mode writes its held problem lines once they are this long, as well as after each
 * chunk read (see follow()): a whole batch's lines at once needed a new large allocation each
 * time, on fresh pages, which cost more than the writes saved (bench/README.md).
 */
const HELD_BYTES = 64 * 1024;

/**
 * -f: follow one log across rotations. On a terminal the interactive view stays open on it;
 * otherwise every rejection, bounce and deferral is printed as one line as it is read. Ends on
 * q, SIGINT or SIGTERM (exit 0), or with --fail-on N when N problems were printed (exit 3);
 * then --csv/--json/-o get the final report.
 */
async function follow(
  path: string,
  opts: CliOptions,
  interactive: boolean,
  onUnrecognised: OnUnrecognised,
  closeUnrecognised: () => Promise<string | null>,
): Promise<number> {
  // Following a file, the lines of one chunk read are written at once after it (one write
  // instead of one per line: most of the time of catching up with a long log went to those),
  // and sooner once HELD_BYTES are held.
  let held: ProblemBytes | null = null;
  const print = (ev: MailEvent, c: Classification): void => {
    const r = problemRecord(ev, c);
    if (held === null) return writeStdoutNow(problemLine(r, opts.format));
    if (opts.format === 'json') held.json(r);
    else held.text(problemLine(r, opts.format));
    if (held.length >= HELD_BYTES) printHeld();
  };
  const printHeld = (): void => {
    if (held === null || held.length === 0) return;
    writeStdoutNow(held.take());
  };
  if (!interactive && opts.format === 'csv' && opts.events !== '-') writeStdoutNow(PROBLEM_CSV_HEADER);
  let problems = 0;
  let thresholdReached = false;
  let requestStop: () => void = () => undefined;
  const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));
  let stopping = false;
  void stopRequested.then(() => (stopping = true));
  let live: LiveStore | null = null;
  const tui = interactive ? await loadTui() : null;
  if (tui) live = new tui.live.LiveStore({ files: [path] });
  const onProblem = (ev: MailEvent, c: Classification, finding: string): void => {
    problems++;
    taps?.onProblem(ev, c);
    if (live) {
      live.problem(ev.time, finding);
      return;
    }
    if (opts.events !== '-') print(ev, c);
    if (opts.failOn !== undefined && problems >= opts.failOn && !thresholdReached) {
      thresholdReached = true;
      requestStop();
    }
  };

  if (path === '-') {
    // A pipe (`tail -F log | maillog-doctor -f -`): read it to its end, printing as we go (a
    // signal ends it at once, as any run without a report file to finish).
    const { errors, aggregator, stats } = await analyse(['-'], {
      ...analysisOptions(opts),
      now: new Date(),
      onUnrecognised,
      onProblem,
      stdin: journalRun?.stdout,
    });
    const unrecognisedFailed = await closeUnrecognised();
    await journalEnded(errors);
    for (const e of errors) warn(`${e.file}: ${e.message}`);
    if (unrecognisedFailed !== null) warn(unrecognisedFailed);
    const tapsFailed = (await closeTaps()) || (await writeStateFile(aggregator, stats, opts));
    return thresholdReached ? EXIT.threshold : errors.length > 0 || unrecognisedFailed !== null || tapsFailed ? EXIT.inputError : EXIT.ok;
  }

  // Detection holds lines until 20 are recognised: fine for a whole file, not for a live log
  // that starts empty, after --from-end or after a rotation. Decide the format once, up front.
  let mta = opts.mta ?? (await sniffFormat(path));
  held = new ProblemBytes();
  const analysisOpts = { ...analysisOptions(opts), mta, onUnrecognised, onProblem };
  const analysis = new Analysis(analysisOpts);
  const feed = new FollowFeed(analysis, mta, { year: analysisOpts.year });
  const warnings: string[] = [];
  const say = (m: string): void => {
    warnings.push(m);
    if (live) live.error(m);
    else warn(m);
  };
  // Loss is said once as it happens, and its total at the end (it is in the report too).
  let lostSaid = 0;
  let file: FileStats | null = null;
  let caughtUp = false;
  let position = { offset: 0, size: 0 };
  const follower = new Follower(
    path,
    {
      begin: ({ reason, reference, file: from }) => {
        // A log that did not exist when we began (-f waits for it): its format, now that it does.
        if (mta === undefined && reason === 'open') {
          mta = sniffFormatNow(from);
          if (mta !== undefined) feed.useFormat(mta);
        }
        file = feed.begin(from, reference);
        if (reason !== 'open') live?.rotated();
      },
      rawLine: (no, bytes, start, end, ascii, offset) => feed.line(no, bytes, start, end, ascii, offset),
      oversized: (head, no, offset) => feed.oversized(head, no, offset),
      nulBytes: (n) => analysis.nulBytes(n),
      lost: (bytes, why) => {
        analysis.followLost(bytes);
        if (lostSaid > 0) return;
        lostSaid = bytes;
        say(`${path}: ${bytes} bytes could not be read (${why}); every such loss is counted in the report as followLostBytes`);
      },
      end: () => {
        feed.end();
        printHeld();
      },
      rotated: ({ reason, to, at }) => {
        if (reason === 'rename' || reason === 'recreate' || reason === 'truncate') analysis.followRotated({ path, to, reason, at: at.toISOString() });
      },
      progress: (p) => {
        // The chunk just read is analysed (and its problems printed) before anything else happens.
        feed.flush();
        printHeld();
        live?.touch();
        position = p;
        if (live && !caughtUp && file) live.progress({ index: 0, file, bytesRead: p.offset, size: p.size, done: false });
      },
      caughtUp: () => {
        caughtUp = true;
        if (live && file) {
          live.progress({ index: 0, file, bytesRead: position.offset, size: position.size, done: true });
          live.following(path);
        }
      },
      // A big log is first read up to its last complete line by the reader thread (run.ts
      // catchUpOnThread), its problems printed batch by batch; following reads on from there.
      // The batches come back to back: after each, stdout is let drain (a pipe read slower than
      // problems are found would otherwise buffer them all) and the event loop gets a turn
      // (signals, the view) every so often.
      catchUp: ({ fd, end }) => {
        const turn = eventLoopTurns();
        return feed.catchUp(path, fd, end, async (bytesRead) => {
          printHeld();
          live?.touch();
          if (live && file) live.progress({ index: 0, file, bytesRead, size: end, done: false });
          await drainedOrTurn(turn);
          return !thresholdReached && !stopping;
        });
      },
      warning: say,
    },
    { fromEnd: opts.fromEnd },
  );
  live?.setSource(() => withComparison(analysis.aggregator.snapshot(analysis.stats)));
  await follower.start();
  interrupt = requestStop;
  if (live && tui) {
    const session = openSession(tui.run.startTui(live, { color: opts.color }));
    void session.done.then(requestStop);
  }
  await stopRequested;
  interrupt = null;
  await follower.stop();
  if (follower.lostBytes > lostSaid) say(`${path}: ${follower.lostBytes} bytes in all could not be read while following`);
  const { aggregator, stats, errors } = analysis.finish();
  printHeld();
  if (activeSession) {
    activeSession.quit();
    await activeSession.done;
    closeSession();
    for (const m of warnings) warn(m);
  }
  const unrecognisedFailed = await closeUnrecognised();
  const report = await withChecks(withComparison(aggregator.snapshot(stats, true)), opts, warn);
  for (const e of errors) warn(`${e.file}: ${e.message}`);
  if (unrecognisedFailed !== null) warn(unrecognisedFailed);
  const tapsFailed = await closeTaps();
  const stateFailed = await writeStateFile(aggregator, stats, opts);
  const failed = (await writeReportFiles(report, opts, warn)) || errors.length > 0 || unrecognisedFailed !== null || tapsFailed || stateFailed;
  if (thresholdReached) return EXIT.threshold;
  return interactive ? viewExitCode(report, opts, failed) : failed ? EXIT.inputError : EXIT.ok;
}

/**
 * Waits for stdout to drain when its buffer is full; else `turn` lets the event loop run now
 * and then (run.ts eventLoopTurns).
 */
async function drainedOrTurn(turn: () => Promise<void> | undefined): Promise<void> {
  const out = process.stdout;
  if (stdoutIsFileCached || !out.writableNeedDrain) return turn();
  await new Promise<void>((resolve) => {
    const done = (): void => {
      out.off('drain', done);
      out.off('close', done);
      out.off('error', done);
      resolve();
    };
    out.on('drain', done);
    out.on('close', done);
    out.on('error', done);
  });
}

function warn(message: string): void {
  process.stderr.write(`maillog-doctor: ${sanitize(message)}\n`);
}

/**
 * Writes the report to stdout; resolves with the error when it could not be written whole.
 * A file or device (`>report.txt`, `>/dev/full`) is written with writeAllSync, which sees short
 * writes that Node's stream for a file descriptor ignores; a pipe or terminal through
 * process.stdout, whose callback gets the error.
 */
function writeStdout(text: string): Promise<NodeJS.ErrnoException | null> {
  if (stdoutIsFile()) {
    try {
      writeAllSync(1, text);
      return Promise.resolve(null);
    } catch (err) {
      return Promise.resolve(err as NodeJS.ErrnoException);
    }
  }
  return new Promise((resolve) => {
    process.stdout.write(text, (err) => resolve(err ?? null));
  });
}

/** Follow mode's lines, one at a time: a failed write ends the run (see onStdoutError). */
function writeStdoutNow(text: string | Uint8Array): void {
  if (!stdoutIsFileCached) {
    process.stdout.write(text);
    return;
  }
  try {
    writeAllSync(1, text);
  } catch (err) {
    onStdoutError(err as NodeJS.ErrnoException);
  }
}
const stdoutIsFileCached = stdoutIsFile();

/** The exit code for a report that could not be written to stdout; a reader that went away (`| head`) is no error. */
function stdoutFailed(err: NodeJS.ErrnoException): number {
  if (err.code === 'EPIPE') return EXIT.ok;
  if (!stdoutErrorSaid) warn(`standard output: could not write the report: ${writeFailure(err)}`);
  stdoutErrorSaid = true;
  return EXIT.inputError;
}
let stdoutErrorSaid = false;

/** A write to stdout failed outside writeStdout (follow mode): stop now, with the code stdoutFailed gives. */
function onStdoutError(err: NodeJS.ErrnoException): void {
  const code = stdoutFailed(err);
  cleanupPendingTempFiles();
  process.exit(code);
}

/** The format of a file from its first lines (as the pipeline detects it), or undefined when none fits. */
async function sniffFormat(path: string): Promise<Mta | undefined> {
  let fh;
  try {
    // Not a FIFO or device: opening one could wait forever (the follower says why it cannot be followed).
    if (!(await stat(fsPath(path))).isFile()) return undefined;
    fh = await open(fsPath(path), 'r');
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return sniffBytes(buf, bytesRead);
  } catch {
    return undefined; // the follower reports why the file cannot be read
  } finally {
    await fh?.close();
  }
}

/** sniffFormat() when the follower has just opened the file (it checked it is a regular file): no await between. */
function sniffFormatNow(path: string): Mta | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(fsPath(path), 'r');
    const buf = Buffer.alloc(SNIFF_BYTES);
    return sniffBytes(buf, readSync(fd, buf, 0, buf.length, 0));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Bytes of a followed log read to decide its format up front. */
const SNIFF_BYTES = 1024 * 1024;

function sniffBytes(buf: Buffer, bytesRead: number): Mta | undefined {
  const lines = buf.toString('utf8', 0, bytesRead).split('\n');
  if (bytesRead === buf.length) lines.pop(); // possibly cut in the middle
  const detector = new FormatDetector(builtinParsers);
  for (const line of lines.slice(0, DETECT_LINES)) {
    const picked = detector.add(line.replace(/\r$/, ''));
    if (picked) return picked.name;
  }
  return detector.best()?.name;
}

/** Loads the interactive view's modules. */
async function loadTui(): Promise<{ live: typeof import('./tui/live.js'); run: typeof import('./tui/run.js') }> {
  const [live, run] = await Promise.all([import('./tui/live.js'), loadView()]);
  return { live, run };
}

/**
 * Loads Ink, React and the view: from the one-file bundle `npm run build` makes
 * (scripts/bundle-view.mjs), ~0.8 s of CPU less than loading their modules one by one;
 * without it (the TypeScript sources under test), from the modules.
 */
function loadView(): Promise<typeof import('./tui/run.js')> {
  // React's development build is several times slower.
  process.env.NODE_ENV ??= 'production';
  const bundle = new URL('./tui/view.bundle.mjs', import.meta.url);
  if (import.meta.url.endsWith('.js') && existsSync(bundle)) return import(bundle.href) as Promise<typeof import('./tui/run.js')>;
  return import('./tui/run.js');
}

/** What SIGINT/SIGTERM do instead of exiting at once: close the view, stop following. */
let interrupt: (() => void) | null = null;
/** The exit code of the signal that interrupted the run (130 SIGINT, 143 SIGTERM), once one did. */
let interrupted: number | null = null;
/** However long a clean stop takes (a report file on a slow disk), a signal ends the run within this. */
const SIGNAL_GRACE_MS = 1000;
/** The interactive view, while it is on screen. */
let activeSession: TuiSession | null = null;
/** Work may still be running when main returns (quit while reading): exit explicitly. */
let exitWhenDone = false;

function openSession(session: TuiSession): TuiSession {
  activeSession = session;
  exitWhenDone = true;
  interrupt ??= () => session.quit();
  return session;
}

function closeSession(): void {
  activeSession = null;
  interrupt = null;
}

function onSignal(signal: NodeJS.Signals): void {
  const code = signal === 'SIGINT' ? 130 : 143;
  if (interrupt && interrupted === null) {
    // The first signal ends following (or the view) cleanly, with the reports written; a
    // second one, or the grace period running out, exits at once. The exit code is the
    // signal's either way.
    interrupted = code;
    interrupt();
    setTimeout(() => {
      cleanupPendingTempFiles();
      process.exit(code);
    }, SIGNAL_GRACE_MS).unref();
    return;
  }
  cleanupPendingTempFiles();
  process.exit(code);
}

// Entry point (bin/maillog-doctor imports this module).
// Memory: V8 lets the old generation grow to up to four times what survived the last full
// collection before it collects again, and for a run whose live data is a few tens of MB that
// slack was the biggest part of the peak (figures in bench/README.md, "Memory"). V8 reads this
// flag whenever it sets the next limit, so setting it here takes effect for both threads; a
// Node whose V8 ignored it would only use more memory.
setFlagsFromString('--heap-growing-percent=20');
// The young generation likewise (src/pipeline/young-generation.ts).
capYoungGeneration();
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// `maillog-doctor … | head`: the reader went away, stop quietly (exit 0); any other failure of
// stdout (a full disk, a closed descriptor) is said once and ends the run with exit 1.
process.stdout.on('error', onStdoutError);
main(process.argv).then(
  (code) => {
    process.exitCode = interrupted ?? code;
    if (exitWhenDone) process.exit(interrupted ?? code);
  },
  async (err: unknown) => {
    // Give the terminal back before saying anything.
    if (activeSession) {
      activeSession.quit();
      await activeSession.done;
    }
    if (err instanceof UsageError) {
      warn(err.message);
      process.exitCode = EXIT.usage;
    } else if (err instanceof InputError) {
      warn(`${err.file}: ${err.message}`);
      process.exitCode = EXIT.inputError;
    } else {
      // A bug: still one line, no stack, unless asked for.
      warn(`internal error: ${(err as Error)?.message ?? String(err)}`);
      if (process.env.MAILLOG_DOCTOR_DEBUG) console.error(err);
      process.exitCode = EXIT.inputError;
    }
    if (exitWhenDone) process.exit(process.exitCode);
  },
);

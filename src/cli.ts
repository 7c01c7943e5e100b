/**
 * Command line → options → pipeline → report. The only place that prints errors and exits;
 * everything below throws InputError/UsageError or returns.
 */
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { builtinParsers, DETECT_LINES, FormatDetector } from '../parsers/index.js';
import { clientOf, enhancedStatusOf, recipientOf, senderOf, smtpCodeOf } from './aggregate/event-fields.js';
import type { FileStats, Report } from './aggregate/types.js';
import type { Classification } from './classify/types.js';
import { expandInputs } from './input/expand.js';
import { EXIT, InputError, UsageError } from './errors.js';
import type { MailEvent, Mta } from './event.js';
import { Follower } from './input/follow.js';
import { analyseOnThread } from './analysis-thread.js';
import { Analysis, analyse } from './pipeline.js';
import { cleanupPendingTempFiles, writeFileAtomic } from './report/atomic-write.js';
import { renderCsv } from './report/csv.js';
import { renderJson } from './report/json.js';
import { renderText } from './report/text.js';
import { sanitize } from './text/sanitize.js';
import type { LiveStore } from './tui/live.js';
import { problemLine, PROBLEM_CSV_HEADER, type ProblemRecord } from './tui/problem-line.js';
import type { TuiSession } from './tui/run.js';

type Format = 'text' | 'json' | 'csv';

interface CliOptions {
  format: Format;
  output?: string;
  csv?: string;
  json?: string;
  mta?: Mta;
  year?: number;
  localDomains?: string[];
  unrecognised?: string;
  failOn?: number;
  width?: number;
  color: boolean;
  follow?: boolean;
  fromEnd?: boolean;
  tui: boolean;
}

/** `a.test, B.test` → ['a.test', 'b.test']; a usage error for anything that is not a domain name. */
function domainList(v: string): string[] {
  const list = v.split(',').map((d) => d.trim().toLowerCase()).filter((d) => d !== '');
  for (const d of list) {
    if (!/^[a-z0-9_](?:[a-z0-9_-]{0,62}\.?){1,127}$/.test(d) || d.length > 253) throw new InvalidArgumentError(`--local-domains: not a domain name: ${d}`);
  }
  return list;
}

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number`);
    return n;
  };
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
  maillog-doctor -f /var/log/mail.log
  maillog-doctor -f --from-end --format json /var/log/mail.log | my-alerting
  journalctl -u postfix -o short-iso | maillog-doctor -

Exit codes: 0 read everything; 1 an input or output failed (the rest was
processed); 2 usage error; 3 --fail-on reached.
`;

function program(): Command {
  return new Command('maillog-doctor')
    .description(
      'Find every SMTP rejection, bounce and deferral in mail logs, ranked by impact, with the setting behind it and the command to confirm it.',
    )
    .addHelpText('after', HELP_AFTER)
    .argument('[files...]', 'log files (.gz too), or - for stdin')
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json', 'csv']).default('text'))
    .option('-o, --output <file>', 'write the report to FILE (atomically) instead of stdout')
    .option('--csv <file>', 'also write the CSV report to FILE')
    .option('--json <file>', 'also write the JSON report to FILE')
    .addOption(new Option('--mta <mta>', 'force the log format instead of detecting it').choices(builtinParsers.map((p) => p.name)))
    .option('--local-domains <domains>', 'comma-separated recipient domains this server hosts (besides those the log shows)', domainList)
    .option('--year <year>', 'year of timestamps that carry none (default: from the file date)', positiveInt('--year'))
    .option('--unrecognised <file>', 'write every line that was not understood, with file and line number, to FILE')
    .option('--fail-on <n>', 'exit with 3 when rejections, bounces and deferrals reach N (for cron/monitoring)', positiveInt('--fail-on'))
    .option('--width <columns>', 'width of the text report (default: terminal width or 100)', positiveInt('--width'))
    .option('--no-color', 'no colours in the text report, even on a terminal')
    .option('-f, --follow', 'keep reading the log as it grows, across rotations (like tail -F)')
    .option('--from-end', 'with -f: skip what is in the file now, read only new lines')
    .option('--no-tui', 'print the text report even on a terminal (no interactive view)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError('(run maillog-doctor --help for usage)');
}

export async function main(argv: string[]): Promise<number> {
  const cmd = program();
  try {
    cmd.parse(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; usage errors were already printed by commander.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw err;
  }
  const opts = cmd.opts<CliOptions>();
  let files = expandInputs(cmd.args);
  if (opts.fromEnd && !opts.follow) throw new UsageError('--from-end goes with -f/--follow');
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
    cmd.getOptionValueSource('format') !== 'cli' &&
    opts.output === undefined &&
    process.stdout.isTTY === true &&
    process.stdin.isTTY === true &&
    !files.includes('-');

  let unrecognisedOut: WriteStream | null = null;
  if (opts.unrecognised) {
    unrecognisedOut = createWriteStream(opts.unrecognised);
    await new Promise<void>((resolve, reject) => {
      unrecognisedOut!.once('open', () => resolve());
      unrecognisedOut!.once('error', (e) => reject(new InputError(opts.unrecognised!, (e as Error).message)));
    });
  }
  const onUnrecognised = unrecognisedOut
    ? (file: string, no: number, line: string) => unrecognisedOut!.write(`${file}:${no}: ${line}\n`)
    : undefined;
  const closeUnrecognised = async (): Promise<void> => {
    if (unrecognisedOut) await new Promise<void>((resolve) => unrecognisedOut!.end(resolve));
  };

  if (opts.follow) return follow(files[0]!, opts, interactive, onUnrecognised, closeUnrecognised);
  if (interactive) return interactiveReport(files, opts, onUnrecognised, closeUnrecognised);

  const { aggregator, stats, errors } = await analyse(files, {
    mta: opts.mta,
    year: opts.year,
    localDomains: opts.localDomains,
    now: new Date(),
    onUnrecognised,
  });
  await closeUnrecognised();

  for (const e of errors) warn(`${e.file}: ${e.message}`);
  warnUnexpandedExport(stats.overflow);
  const report = aggregator.snapshot(stats);

  let failed = errors.length > 0;
  if (await writeReportFiles(report, opts, warn)) failed = true;
  if (!opts.output) await writeStdout(renderReport(report, opts.format, opts, true));
  return exitCode(report, opts, failed);
}

/**
 * `Get-MessageTrackingLog | Export-Csv` without -join writes list properties as the type name:
 * say once how to export so that the recipients survive.
 */
function warnUnexpandedExport(overflow: Record<string, number>): void {
  const n = overflow.exchangeUnexpandedArrays ?? 0;
  if (n === 0) return;
  warn(
    `${n} Export-Csv rows have Recipients or RecipientStatus written as "System.String[]", so their recipients are unknown; ` +
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
        });
}

/** --csv FILE, --json FILE and -o FILE, atomically; true when one of them failed (said through `say`). */
async function writeReportFiles(report: Report, opts: CliOptions, say: (message: string) => void): Promise<boolean> {
  const writes: Array<[string, Format]> = [];
  if (opts.csv) writes.push([opts.csv, 'csv']);
  if (opts.json) writes.push([opts.json, 'json']);
  if (opts.output) writes.push([opts.output, opts.format]);
  let failed = false;
  for (const [target, format] of writes) {
    try {
      await writeFileAtomic(target, renderReport(report, format, opts, false));
    } catch (err) {
      say(`${target}: could not write the report: ${(err as Error).message}`);
      failed = true;
    }
  }
  return failed;
}

function exitCode(report: Report, opts: CliOptions, failed: boolean): number {
  if (opts.failOn !== undefined) {
    const problems = report.findings.reduce((n, f) => n + f.count, 0);
    if (problems >= opts.failOn) return EXIT.threshold;
  }
  return failed ? EXIT.inputError : EXIT.ok;
}

type OnUnrecognised = ((file: string, no: number, line: string) => void) | undefined;

/** The interactive view of whole files: findings fill in while reading; q quits (also mid-way). */
async function interactiveReport(
  files: string[],
  opts: CliOptions,
  onUnrecognised: OnUnrecognised,
  closeUnrecognised: () => Promise<void>,
): Promise<number> {
  // The analysis runs on a thread of its own (src/analysis-thread.ts), and starts before the
  // view is on screen: Ink and React take ~0.5 s to load.
  const live = new (await import('./tui/live.js')).LiveStore({ files });
  let sourced = false;
  const run = analyseOnThread(
    { files, mta: opts.mta, year: opts.year, localDomains: opts.localDomains, now: new Date() },
    {
      onUnrecognised,
      onProgress: (p) => {
        if (!sourced) {
          sourced = true;
          live.setSource(() => run.snapshot());
        }
        live.progress(p);
        // Publishes if due: the timer cannot while the analysis runs on this thread (the fallback).
        live.tick();
      },
      onProblems: (batch) => live.problems(batch),
      onSnapshot: () => live.touch(),
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
  const { snapshot: report, errors } = result;
  await closeUnrecognised();
  const messages = errors.map((e) => `${e.file}: ${e.message}`);
  for (const m of messages) live.error(m);
  live.setSource(() => report);
  const writeFailed = await writeReportFiles(report, opts, (m) => {
    messages.push(m);
    live.error(m);
  });
  live.done();
  await session.done;
  closeSession();
  for (const m of messages) warn(m);
  return exitCode(report, opts, errors.length > 0 || writeFailed);
}

/** A problem event, flattened for follow mode's line output. */
function problemRecord(ev: MailEvent, c: Classification): ProblemRecord {
  return {
    time: ev.time,
    direction: c.direction,
    cause: c.cause,
    hint: c.hint,
    recipient: recipientOf(ev),
    sender: senderOf(ev),
    client: clientOf(ev),
    smtpCode: smtpCodeOf(ev),
    enhancedStatus: enhancedStatusOf(ev),
    text: ev.kind === 'reject' ? ev.text : ev.kind === 'delivery' ? ev.reason : '',
  };
}

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
  closeUnrecognised: () => Promise<void>,
): Promise<number> {
  const print = (ev: MailEvent, c: Classification): void => {
    process.stdout.write(problemLine(problemRecord(ev, c), opts.format));
  };
  if (!interactive && opts.format === 'csv') process.stdout.write(PROBLEM_CSV_HEADER);
  let problems = 0;
  let thresholdReached = false;
  let requestStop: () => void = () => undefined;
  const stopRequested = new Promise<void>((resolve) => (requestStop = resolve));
  let live: LiveStore | null = null;
  const tui = interactive ? await loadTui() : null;
  if (tui) live = new tui.live.LiveStore({ files: [path] });
  const onProblem = (ev: MailEvent, c: Classification, domain: string | null): void => {
    problems++;
    if (live) {
      live.problem(ev.time, c.direction, c.cause, c.hint, domain);
      return;
    }
    print(ev, c);
    if (opts.failOn !== undefined && problems >= opts.failOn && !thresholdReached) {
      thresholdReached = true;
      requestStop();
    }
  };

  if (path === '-') {
    // A pipe (`tail -F log | maillog-doctor -f -`): read it to its end, printing as we go.
    interrupt = () => process.exit(EXIT.ok);
    const { errors } = await analyse(['-'], { mta: opts.mta, year: opts.year, localDomains: opts.localDomains, now: new Date(), onUnrecognised, onProblem });
    await closeUnrecognised();
    for (const e of errors) warn(`${e.file}: ${e.message}`);
    return thresholdReached ? EXIT.threshold : errors.length > 0 ? EXIT.inputError : EXIT.ok;
  }

  // Detection holds lines until 20 are recognised: fine for a whole file, not for a live log
  // that starts empty, after --from-end or after a rotation. Decide the format once, up front.
  const mta = opts.mta ?? (await sniffFormat(path));
  const analysis = new Analysis({ mta, year: opts.year, localDomains: opts.localDomains, onUnrecognised, onProblem });
  const warnings: string[] = [];
  let file: FileStats | null = null;
  let caughtUp = false;
  let position = { offset: 0, size: 0 };
  const follower = new Follower(
    path,
    {
      begin: ({ reason, reference }) => {
        file = analysis.begin(path, reference);
        if (reason !== 'open') live?.rotated();
      },
      line: (text, no) => {
        analysis.line(text, no);
        live?.touch();
      },
      end: () => analysis.end(),
      progress: (p) => {
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
      warning: (m) => {
        warnings.push(m);
        if (live) live.error(m);
        else warn(m);
      },
    },
    { fromEnd: opts.fromEnd },
  );
  live?.setSource(() => analysis.aggregator.snapshot(analysis.stats));
  await follower.start();
  interrupt = requestStop;
  if (live && tui) {
    const session = openSession(tui.run.startTui(live, { color: opts.color }));
    void session.done.then(requestStop);
  }
  await stopRequested;
  interrupt = null;
  await follower.stop();
  const { aggregator, stats, errors } = analysis.finish();
  if (activeSession) {
    activeSession.quit();
    await activeSession.done;
    closeSession();
    for (const m of warnings) warn(m);
  }
  await closeUnrecognised();
  const report = aggregator.snapshot(stats);
  for (const e of errors) warn(`${e.file}: ${e.message}`);
  const failed = (await writeReportFiles(report, opts, warn)) || errors.length > 0;
  if (thresholdReached) return EXIT.threshold;
  return interactive ? exitCode(report, opts, failed) : failed ? EXIT.inputError : EXIT.ok;
}

function warn(message: string): void {
  process.stderr.write(`maillog-doctor: ${sanitize(message)}\n`);
}

/** Resolves once written; a closed pipe (`| head`) is not an error. */
function writeStdout(text: string): Promise<void> {
  return new Promise((resolve) => {
    process.stdout.write(text, () => resolve());
  });
}

/** The format of a file from its first lines (as the pipeline detects it), or undefined when none fits. */
async function sniffFormat(path: string): Promise<Mta | undefined> {
  let fh;
  try {
    fh = await open(path, 'r');
    const buf = Buffer.alloc(1024 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const lines = buf.toString('utf8', 0, bytesRead).split('\n');
    if (bytesRead === buf.length) lines.pop(); // possibly cut in the middle
    const detector = new FormatDetector(builtinParsers);
    for (const line of lines.slice(0, DETECT_LINES)) {
      const picked = detector.add(line.replace(/\r$/, ''));
      if (picked) return picked.name;
    }
    return detector.best()?.name;
  } catch {
    return undefined; // the follower reports why the file cannot be read
  } finally {
    await fh?.close();
  }
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
let interrupted = false;
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
  if (interrupt && !interrupted) {
    // The first signal ends following (or the view) cleanly; a second one exits at once.
    interrupted = true;
    interrupt();
    return;
  }
  cleanupPendingTempFiles();
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

// Entry point (bin/maillog-doctor imports this module).
// Memory: V8 lets the old generation grow to up to four times what survived the last full
// collection before it collects again, and for a run whose live data is a few tens of MB that
// slack was the biggest part of the peak (1 GB Postfix log: 230-290 MB RSS; 191-202 MB at
// 30 %, for 21 full collections instead of 5, ~0.2 s of pauses in all). V8 reads this flag
// whenever it sets the next limit, so setting it here takes effect for both threads; a Node
// whose V8 ignored it would only use more memory.
setFlagsFromString('--heap-growing-percent=30');
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  // `maillog-doctor … | head`: the reader went away; stop quietly.
  if (err.code === 'EPIPE') process.exit(EXIT.ok);
});
main(process.argv).then(
  (code) => {
    process.exitCode = code;
    if (exitWhenDone) process.exit(code);
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

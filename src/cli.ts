/**
 * Command line → options → pipeline → report. The only place that prints errors and exits;
 * everything below throws InputError/UsageError or returns.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { builtinParsers } from '../parsers/index.js';
import { EXIT, InputError, UsageError } from './errors.js';
import type { Mta } from './event.js';
import { analyse } from './pipeline.js';
import { cleanupPendingTempFiles, writeFileAtomic } from './report/atomic-write.js';
import { renderCsv } from './report/csv.js';
import { renderJson } from './report/json.js';
import { renderText } from './report/text.js';
import { sanitize } from './text/sanitize.js';

type Format = 'text' | 'json' | 'csv';

interface CliOptions {
  format: Format;
  output?: string;
  csv?: string;
  json?: string;
  mta?: Mta;
  year?: number;
  unrecognised?: string;
  failOn?: number;
  width?: number;
  color: boolean;
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

Examples:
  maillog-doctor /var/log/mail.log
  maillog-doctor /var/log/mail.log.2.gz /var/log/mail.log.1 /var/log/mail.log
  maillog-doctor /var/log/mail.log --format csv -o report.csv
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
    .option('--year <year>', 'year of timestamps that carry none (default: from the file date)', positiveInt('--year'))
    .option('--unrecognised <file>', 'write every line that was not understood, with file and line number, to FILE')
    .option('--fail-on <n>', 'exit with 3 when rejections, bounces and deferrals reach N (for cron/monitoring)', positiveInt('--fail-on'))
    .option('--width <columns>', 'width of the text report (default: terminal width or 100)', positiveInt('--width'))
    .option('--no-color', 'no colours in the text report, even on a terminal')
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
  let files = cmd.args;
  if (files.length === 0) {
    if (process.stdin.isTTY) {
      throw new UsageError('no log file given (and nothing piped on stdin); try: maillog-doctor /var/log/mail.log');
    }
    files = ['-'];
  }
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('stdin (-) can be read only once');

  let unrecognisedOut: WriteStream | null = null;
  if (opts.unrecognised) {
    unrecognisedOut = createWriteStream(opts.unrecognised);
    await new Promise<void>((resolve, reject) => {
      unrecognisedOut!.once('open', () => resolve());
      unrecognisedOut!.once('error', (e) => reject(new InputError(opts.unrecognised!, (e as Error).message)));
    });
  }

  const { aggregator, stats, errors } = await analyse(files, {
    mta: opts.mta,
    year: opts.year,
    now: new Date(),
    onUnrecognised: unrecognisedOut
      ? (file, no, line) => unrecognisedOut!.write(`${file}:${no}: ${line}\n`)
      : undefined,
  });
  if (unrecognisedOut) await new Promise<void>((resolve) => unrecognisedOut!.end(resolve));

  for (const e of errors) warn(`${e.file}: ${e.message}`);
  const report = aggregator.snapshot(stats);

  let failed = errors.length > 0;
  const toStdout = !opts.output;
  const render = (format: Format): string =>
    format === 'json'
      ? renderJson(report)
      : format === 'csv'
        ? renderCsv(report)
        : renderText(report, {
            width: opts.width ?? (toStdout && process.stdout.isTTY ? process.stdout.columns : undefined) ?? 100,
            color: opts.color && toStdout && process.stdout.isTTY === true,
          });

  const writes: Array<[string, Format]> = [];
  if (opts.csv) writes.push([opts.csv, 'csv']);
  if (opts.json) writes.push([opts.json, 'json']);
  if (opts.output) writes.push([opts.output, opts.format]);
  for (const [target, format] of writes) {
    try {
      await writeFileAtomic(target, render(format));
    } catch (err) {
      warn(`${target}: could not write the report: ${(err as Error).message}`);
      failed = true;
    }
  }
  if (toStdout) await writeStdout(render(opts.format));

  if (opts.failOn !== undefined) {
    const problems = report.findings.reduce((n, f) => n + f.count, 0);
    if (problems >= opts.failOn) return EXIT.threshold;
  }
  return failed ? EXIT.inputError : EXIT.ok;
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

function onSignal(signal: NodeJS.Signals): void {
  cleanupPendingTempFiles();
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

// Entry point (bin/maillog-doctor imports this module).
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  // `maillog-doctor … | head`: the reader went away; stop quietly.
  if (err.code === 'EPIPE') process.exit(EXIT.ok);
});
main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
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
  },
);

/**
 * `maillog-doctor merge a.state b.state … [--format text|json|csv] [-o FILE]`: the fleet's
 * report from the state files of per-host runs (`--state`), without moving their logs.
 */
import { Command, CommanderError, Option } from 'commander';
import type { CommandIo, ReportTargets } from '../commands/types.js';
import { EXIT, UsageError } from '../errors.js';
import { mergeStates, readState } from './state-file.js';

export async function mergeCommand(args: string[], io: CommandIo): Promise<number> {
  const cmd = new Command('maillog-doctor merge')
    .description('report over the state files of several runs (written with --state), as one run over all their logs')
    .argument('<states...>', 'state files')
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json', 'csv']).default('text'))
    .option('-o, --output <file>', 'write the report to FILE (atomically) instead of stdout')
    .option('--csv <file>', 'also write the CSV report to FILE')
    .option('--json <file>', 'also write the JSON report to FILE')
    .option('--width <columns>', 'width of the text report', (v) => {
      if (!/^[0-9]{1,5}$/.test(v) || Number(v) < 40) throw new UsageError('--width must be a whole number of at least 40');
      return Number(v);
    })
    .option('--no-color', 'no colours in the text report')
    .exitOverride()
    .configureOutput({ writeErr: (s) => io.warn(s.trim()) });
  try {
    cmd.parse(args, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    throw err;
  }
  const opts = cmd.opts<Omit<ReportTargets, 'color'> & { color: boolean }>();
  const states = cmd.args.map((path) => ({ path, state: readState(path) }));
  const { aggregator, stats } = mergeStates(states);
  const failed = await io.emit(aggregator.snapshot(stats), { ...opts, color: opts.color && !process.env.NO_COLOR });
  return failed ? EXIT.inputError : EXIT.ok;
}

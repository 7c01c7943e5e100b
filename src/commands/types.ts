/**
 * What cli.ts lends its subcommands (`merge`, `clickhouse-schema`): the report outputs as the
 * main run writes them (stdout or -o, --csv, --json, text fitted to the terminal) and its one
 * way of saying things on stderr. Subcommands return an exit code and throw UsageError or
 * InputError, as the rest of the program does.
 */
import type { Snapshot } from '../aggregate/types.js';

export type ReportFormat = 'text' | 'json' | 'csv';

export interface ReportTargets {
  format: ReportFormat;
  output?: string;
  csv?: string;
  json?: string;
  width?: number;
  color: boolean;
}

export interface CommandIo {
  /** Writes the report where `t` says; true when a write failed (already said). */
  emit(report: Snapshot, t: ReportTargets): Promise<boolean>;
  /** Writes text to standard output; true when it failed (already said). */
  print(text: string): Promise<boolean>;
  warn(message: string): void;
  version: string;
}

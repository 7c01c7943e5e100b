/**
 * The registry of built-in parsers, and format detection: like GoAccess's dry run, look at the
 * first lines of an input and pick the parser that claims the most of them. One syslog file
 * may hold several MTAs' lines (Postfix and Exim through one /var/log/syslog): the parser
 * picked reads the file, and a line it calls `other-program` goes to the parser that owns its
 * syslog program (syslogOwner()), so that the parsers need not know of each other.
 */
import type { Mta } from '../src/event.js';
import { EnvelopeReader } from './syslog.js';
import { exchangeParser } from './exchange/index.js';
import { eximParser } from './exim/index.js';
import { postfixParser } from './postfix/index.js';
import type { LogParser } from './types.js';

/** Register a new log format by adding its parser here. */
export const builtinParsers: readonly LogParser[] = [postfixParser, eximParser, exchangeParser];

export function parserByName(name: Mta): LogParser | undefined {
  return builtinParsers.find((p) => p.name === name);
}

/**
 * The parser, other than `except`, whose syslog program `program` is (postfix/smtpd → Postfix,
 * exim4 → Exim); null when none is.
 */
export function ownerOfProgram(program: string, except: LogParser | null, parsers: readonly LogParser[] = builtinParsers): LogParser | null {
  for (const p of parsers) if (p !== except && p.ownsProgram?.(program)) return p;
  return null;
}

/** The parser, other than `except`, whose syslog program wrote `line`; null when none (or no envelope). */
export function syslogOwner(line: string, except: LogParser | null, parsers: readonly LogParser[] = builtinParsers): LogParser | null {
  // The time is not needed: any reference will do.
  const env = new EnvelopeReader(new Date(0)).read(line);
  return env ? ownerOfProgram(env.program, except, parsers) : null;
}

/**
 * Lines after which the parser with the most claims is taken even with fewer than
 * DETECT_ENOUGH (mail logs often start with other programs' lines). With no claim at all,
 * detection goes on (see src/pipeline.ts): a mail line may come after any number of others.
 */
export const DETECT_LINES = 2000;
/** Claims needed for a confident pick; fewer are accepted at end of input. */
export const DETECT_ENOUGH = 20;

/** Counts, per parser, how many of the lines seen so far it claims. */
export class FormatDetector {
  private readonly votes = new Map<LogParser, number>();
  private seen = 0;

  constructor(private readonly parsers: readonly LogParser[] = builtinParsers) {}

  /** Feed one line; returns the parser once one has DETECT_ENOUGH claims. */
  add(line: string): LogParser | null {
    this.seen++;
    for (const p of this.parsers) {
      if (p.sniff(line)) {
        const n = (this.votes.get(p) ?? 0) + 1;
        this.votes.set(p, n);
        if (n >= DETECT_ENOUGH) return p;
      }
    }
    return null;
  }

  /** True when enough lines were seen to stop buffering. */
  get exhausted(): boolean {
    return this.seen >= DETECT_LINES;
  }

  /** The best parser so far, or null if no line was claimed. */
  best(): LogParser | null {
    let best: LogParser | null = null;
    let n = 0;
    for (const [p, v] of this.votes) {
      if (v > n) {
        best = p;
        n = v;
      }
    }
    return best;
  }
}

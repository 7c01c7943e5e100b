/**
 * Exim's complaints about the server itself, and its daemon's start and re-exec, as Exim 4.96
 * writes them to the mainlog (and paniclog): search.c `failed to open %s for %s search: %s`,
 * readconf.c `Exim configuration error in line %d of %s`, the spool and log space checks of
 * receive.c, and daemon.c `exim %s daemon started: …` / `pid %d: SIGHUP received: re-exec daemon`.
 * Lines seen in the Exim lab (test/lab/exim-health.test.ts).
 */
import type { HealthProblem, HealthSeverity } from '../../src/event.js';

export interface EximHealthFacts {
  severity: HealthSeverity;
  problem: HealthProblem;
  subject: string | null;
}

/** The space-free token of `text` from `start` on. */
function tokenAt(text: string, start: number): string | null {
  let end = start;
  while (end < text.length && end - start < 512 && text.charCodeAt(end) !== 32) end++;
  let s = text.slice(start, end);
  while (s.endsWith(':') || s.endsWith(',')) s = s.slice(0, -1);
  return s.length > 0 ? s : null;
}

/** Health facts of an Exim log text (after the stamp, pid and message id), or null. */
export function eximHealth(text: string): EximHealthFacts | null {
  let i = text.indexOf('failed to open ');
  if (i >= 0 && text.indexOf(' search: ', i) > 0) return { severity: 'error', problem: 'table-unavailable', subject: tokenAt(text, i + 15) };
  i = text.indexOf('configuration error in line ');
  if (i >= 0) {
    const of = text.indexOf(' of ', i + 28);
    return { severity: 'fatal', problem: 'config-error', subject: of > 0 ? tokenAt(text, of + 4) : null };
  }
  if (text.startsWith('spool directory space check failed') || text.startsWith('log directory space check failed')) {
    return { severity: 'warning', problem: 'queue-space', subject: null };
  }
  if (text.startsWith('lookup of ') && text.includes(' gave DEFER')) return { severity: 'error', problem: 'lookup-error', subject: null };
  return null;
}

/** `exim 4.96 daemon started: pid=…` → start; `pid 22743: SIGHUP received: re-exec daemon` → reload. */
export function eximMarker(text: string): { marker: 'start' | 'reload'; version: string | null } | null {
  if (text.startsWith('exim ')) {
    const i = text.indexOf(' daemon started');
    if (i > 5 && i < 40) return { marker: 'start', version: text.slice(5, i) };
  }
  if (text.startsWith('pid ') && text.includes(': SIGHUP received: re-exec daemon')) return { marker: 'reload', version: null };
  return null;
}

/** The process id in Exim's own prefix (`2026-… [22961] …`) or a syslog `exim4[22961]:` of the raw line. */
export function eximPid(raw: string): number | null {
  const open = raw.indexOf('[');
  if (open < 0 || open > 64) return null;
  let n = 0;
  let p = open + 1;
  for (const stop = p + 10; p < stop; p++) {
    const c = raw.charCodeAt(p);
    if (c < 48 || c > 57) break;
    n = n * 10 + c - 48;
  }
  return p > open + 1 && raw.charCodeAt(p) === 93 /* ] */ ? n : null;
}

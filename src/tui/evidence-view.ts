/**
 * The evidence view as data: a finding's raw log lines, read back from the files by
 * src/input/evidence.ts (App.tsx calls it), each with its queue id (message id), sanitised;
 * the title says how many of the finding's lines these are; search in them is a plain,
 * case-insensitive substring (linear, no pattern from the user). Standard input cannot be read
 * again: the finding's kept example lines stand in, and the view says so.
 */
import type { Finding, FindingDetails } from '../aggregate/types.js';
import type { EvidenceRead } from '../input/evidence.js';
import { sanitize } from '../text/sanitize.js';
import { displayWidth, fit } from '../text/width.js';
import { formatCount } from './format.js';
import type { StyledLine } from './lines.js';

export interface EvidenceItem {
  /** Queue id or message id, '' when the line has none. */
  id: string;
  text: string;
}

export interface EvidenceDoc {
  /** FindingDetails.key of the finding shown. */
  key: string;
  /** Null while the lines are being read. */
  items: EvidenceItem[] | null;
  /** What the view says about the lines: how many of how many, what could not be read. */
  notes: string[];
}

/** Widest queue-id column; longer ids (Exchange message ids) are cut. */
const ID_COLUMN_MAX = 24;

const plural = (n: number, one: string, many: string): string => `${formatCount(n)} ${n === 1 ? one : many}`;

/** The doc for a finding whose lines are still being read. */
export function loadingDoc(key: string): EvidenceDoc {
  return { key, items: null, notes: ['reading the lines from the log files…'] };
}

/** The doc for `finding` from what readEvidence() read of its `details.evidence`. */
export function evidenceDoc(finding: Finding, details: FindingDetails, read: EvidenceRead): EvidenceDoc {
  const ids = details.evidenceIds === '' && details.evidence.length === 0 ? [] : details.evidenceIds.split('\n');
  const items: EvidenceItem[] = read.lines.map((l) => ({ id: sanitize(ids[l.index] ?? ''), text: sanitize(l.text) }));
  const notes: string[] = [];
  const kept = details.evidence.length / 3;
  const total = details.evidenceLines;
  if (kept < total) notes.push(`first ${formatCount(kept)} of ${formatCount(total)} lines (the others were not kept: see the caps in the README)`);
  else notes.push(plural(total, 'line', 'lines'));
  for (const u of read.unreadable) {
    notes.push(`${plural(u.refs, 'line', 'lines')} of ${sanitize(u.file)} not shown: ${sanitize(u.why)}`);
  }
  if (items.length === 0 && finding.examples.length > 0) {
    // Nothing to read back (standard input, or the files are gone): the examples kept in memory.
    finding.examples.forEach((ex, i) => items.push({ id: sanitize(finding.exampleIds?.[i] ?? ''), text: sanitize(ex) }));
    notes.push(`showing the ${plural(items.length, 'example line', 'example lines')} kept instead`);
  }
  return { key: details.key, items, notes };
}

/** What search compares: the id and the text, lower case. */
const searchable = (it: EvidenceItem): string => `${it.id} ${it.text}`.toLowerCase();

/**
 * The index of the first line containing `query` (case-insensitive) from `from` in direction
 * `dir` (1 down, -1 up), wrapping around; null when no line has it.
 */
export function findMatch(items: readonly EvidenceItem[], query: string, from: number, dir: 1 | -1): number | null {
  const q = query.toLowerCase();
  const n = items.length;
  if (q === '' || n === 0) return null;
  const start = ((from % n) + n) % n;
  for (let k = 0; k < n; k++) {
    const i = (((start + dir * k) % n) + n) % n;
    if (searchable(items[i]!).includes(q)) return i;
  }
  return null;
}

/** One styled line per item: the id in a column of its own, then the text; the match highlighted. */
export function evidenceLines(items: readonly EvidenceItem[], match: number | null): StyledLine[] {
  const idWidth = Math.min(ID_COLUMN_MAX, Math.max(0, ...items.map((it) => displayWidth(it.id))));
  return items.map((it, i): StyledLine => {
    // `>` as well as the highlight: without colour, reverse video may not reach the terminal.
    const mark: StyledLine = [{ text: i === match ? '> ' : '  ', role: 'key' }];
    const id: StyledLine = idWidth > 0 ? [{ text: fit(it.id, idWidth) + '  ', role: 'label' }] : [];
    return [...mark, ...id, { text: it.text, ...(i === match ? { role: 'selected' as const } : {}) }];
  });
}

/**
 * Semantic styles: components ask for `theme.permanent`, not for red. `plainTheme` (for
 * `--no-color`) keeps only bold and inverse, which carry meaning without colour.
 */
import type { Finding } from '../aggregate/types.js';

/** The subset of Ink's <Text> props a style sets. */
export interface Style {
  color?: string;
  bold?: boolean;
  dimColor?: boolean;
  inverse?: boolean;
}

export interface Theme {
  /** The program name and section titles. */
  title: Style;
  /** Labels before values (`lines`, `verify:`). */
  label: Style;
  /** Secondary text: key hints, units. */
  muted: Style;
  /** The 550 5.1.1 family: permanent user-unknown failures, the ones this tool is about. */
  userUnknown: Style;
  /** Other permanent (5xx) failures: mail was lost. */
  permanent: Style;
  /** Temporary (4xx) failures: mail waits in a queue. */
  temporary: Style;
  /** The row under the cursor. */
  selected: Style;
  /** Findings that appeared while following. */
  fresh: Style;
  /** Commands the user can copy (verify). */
  command: Style;
  good: Style;
  error: Style;
  barDone: Style;
  barTodo: Style;
  /** Key names in hints and help. */
  key: Style;
  /** Starts and reloads of the MTA under a timeline. */
  marker: Style;
}

export const colorTheme: Theme = {
  title: { color: 'cyan', bold: true },
  label: { color: 'cyan' },
  muted: { dimColor: true },
  userUnknown: { color: 'red', bold: true },
  permanent: { color: 'red' },
  temporary: { color: 'yellow' },
  selected: { inverse: true },
  fresh: { color: 'green', bold: true },
  command: { color: 'green' },
  good: { color: 'green' },
  error: { color: 'red', bold: true },
  barDone: { color: 'cyan' },
  barTodo: { dimColor: true },
  key: { bold: true },
  marker: { color: 'magenta', bold: true },
};

export const plainTheme: Theme = {
  title: { bold: true },
  label: {},
  muted: {},
  userUnknown: { bold: true },
  permanent: {},
  temporary: {},
  selected: { inverse: true },
  fresh: { bold: true },
  command: {},
  good: {},
  error: { bold: true },
  barDone: {},
  barTodo: {},
  key: { bold: true },
  marker: { bold: true },
};

export const themeFor = (color: boolean): Theme => (color ? colorTheme : plainTheme);

export type Severity = 'userUnknown' | 'permanent' | 'temporary';

/** Permanent user-unknown (the 550 5.1.1 family), other permanent, or temporary (Finding.permanent, as the text report). */
export function severityOf(f: Pick<Finding, 'cause' | 'permanent'>): Severity {
  if (!f.permanent) return 'temporary';
  return f.cause === 'user-unknown' ? 'userUnknown' : 'permanent';
}

/**
 * Keys → ViewActions, per mode. Pure: App.tsx passes what Ink's useInput gives it.
 *
 * | mode   | keys |
 * |--------|------|
 * | table  | ↑/↓ j/k move, PgUp/PgDn, Home/End g/G, Enter detail, / filter, Tab/Shift-Tab direction, s sort, t time window, e export, ? help, Esc clear filter, q quit |
 * | detail | ↑/↓ j/k scroll, PgUp/PgDn, Home/End g/G top/bottom, x next example whole, Esc/Backspace/← back, e export, ? help, q quit |
 * | filter | type to filter, Backspace, Enter keep, Esc undo, ↑/↓ move |
 * | export | type the path, Backspace, Ctrl-U clear, Enter write, Esc cancel |
 * | overwrite | y replace the file, n or Esc back to the path |
 * | range  | type FROM..TO, Backspace, Ctrl-U clear, Enter apply, Esc cancel |
 * | help   | ↑/↓ j/k PgUp/PgDn g/G scroll, Esc, ? or Enter close, q quit |
 * Ctrl-C quits in every mode.
 */
import type { Mode, ViewAction } from './state.js';

/** The part of Ink's `Key` the keymap reads (all optional, so tests name only what they press). */
export interface KeyInfo {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  shift?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  meta?: boolean;
}

export function keyToAction(input: string, key: KeyInfo, mode: Mode): ViewAction | undefined {
  if (key.ctrl && input === 'c') return { type: 'quit' };
  // Ink reports the Backspace key of most terminals (DEL, 0x7f) as `delete`.
  const erase = key.backspace === true || key.delete === true;
  if (mode === 'filter') {
    if (key.escape) return { type: 'filterCancel' };
    if (key.return) return { type: 'filterAccept' };
    if (erase) return { type: 'filterDelete' };
    if (key.upArrow) return { type: 'move', by: -1 };
    if (key.downArrow) return { type: 'move', by: 1 };
    if (key.ctrl || key.meta || key.tab || input === '') return undefined;
    return { type: 'filterType', text: input };
  }
  if (mode === 'export') {
    if (key.escape) return { type: 'exportCancel' };
    if (key.return) return { type: 'exportSubmit' };
    if (erase) return { type: 'exportDelete' };
    if (key.ctrl && input === 'u') return { type: 'exportClear' };
    if (key.ctrl || key.meta || key.tab || input === '') return undefined;
    return { type: 'exportType', text: input };
  }
  if (mode === 'overwrite') {
    if (input === 'y' || input === 'Y') return { type: 'exportReplace' };
    if (input === 'n' || input === 'N' || key.escape) return { type: 'exportKeep' };
    return undefined;
  }
  if (mode === 'range') {
    if (key.escape) return { type: 'rangeCancel' };
    if (key.return) return { type: 'rangeSubmit' };
    if (erase) return { type: 'rangeDelete' };
    if (key.ctrl && input === 'u') return { type: 'rangeClear' };
    if (key.ctrl || key.meta || key.tab || input === '') return undefined;
    return { type: 'rangeType', text: input };
  }
  if (input === 'q' && !key.ctrl) return { type: 'quit' };
  if (input === '?') return { type: 'help' };
  if (mode === 'help' || mode === 'detail') {
    if (key.upArrow || input === 'k') return { type: 'scroll', by: -1 };
    if (key.downArrow || input === 'j') return { type: 'scroll', by: 1 };
    if (key.pageUp) return { type: 'scroll', by: -10 };
    if (key.pageDown || input === ' ') return { type: 'scroll', by: 10 };
    if (key.home || input === 'g') return { type: 'scrollTo', to: 'top' };
    if (key.end || input === 'G') return { type: 'scrollTo', to: 'bottom' };
  }
  if (mode === 'help') {
    if (key.escape || key.return) return { type: 'back' };
    return undefined;
  }
  if (mode === 'detail') {
    if (key.escape || erase || key.leftArrow) return { type: 'back' };
    // App.tsx fills in how many examples the finding has.
    if (input === 'x') return { type: 'cycleExample', examples: 0 };
    if (input === 'e') return { type: 'exportStart' };
    return undefined;
  }
  // table
  if (key.upArrow || input === 'k') return { type: 'move', by: -1 };
  if (key.downArrow || input === 'j') return { type: 'move', by: 1 };
  if (key.pageUp) return { type: 'page', by: -1 };
  if (key.pageDown || input === ' ') return { type: 'page', by: 1 };
  if (key.home || input === 'g') return { type: 'first' };
  if (key.end || input === 'G') return { type: 'last' };
  if (key.return || key.rightArrow) return { type: 'open' };
  if (key.escape) return { type: 'back' };
  if (key.tab) return { type: 'cycleTab', by: key.shift ? -1 : 1 };
  if (input === '/') return { type: 'filterStart' };
  if (input === 's') return { type: 'cycleSort' };
  if (input === 't') return { type: 'cycleWindow' };
  if (input === 'e') return { type: 'exportStart' };
  return undefined;
}

/** Control characters a terminal sends for keys, as Ink would have reported them one at a time. */
const CHAR_KEYS: Record<string, KeyInfo> = {
  '\r': { return: true },
  '\n': { return: true },
  '\t': { tab: true },
  '\u007f': { delete: true },
  '\b': { backspace: true },
  '\u001b': { escape: true, meta: true },
};

/**
 * Ink hands over a run of plain characters as one `input` (a paste, or keys that arrived
 * together: `/gmail` typed quickly, or `tmux send-keys`). Split it into single key presses so
 * that `/` switches to filter mode before `gmail` is typed and `\r` is an Enter.
 */
export function splitKeys(input: string, key: KeyInfo): Array<[string, KeyInfo]> {
  const chars = [...input];
  if (chars.length <= 1) return [[input, key]];
  return chars.map((ch): [string, KeyInfo] => {
    const special = CHAR_KEYS[ch];
    if (special) return ['', special];
    const code = ch.charCodeAt(0);
    if (code < 0x20) return [String.fromCharCode(code + 0x60), { ctrl: true }];
    return [ch, /[A-Z]/.test(ch) ? { shift: true } : {}];
  });
}

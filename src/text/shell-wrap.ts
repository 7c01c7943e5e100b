/**
 * Shell commands laid out for a reader who pastes them: a command broken where a paste would
 * change what runs (inside quotes, between an option and its value) is worse than a long line.
 * `wrapShellCommand` breaks only at a space between two words at the top level (outside quotes,
 * `$(…)` and backticks), ends every line but the last with ` \`, which bash and sh join back
 * into the same words, and never breaks after a word that starts with `-` (an option may take
 * the next word as its value) or after a comment. A word longer than the room is left whole on
 * a line of its own: the caller must not cut such lines.
 *
 * PowerShell (Exchange's commands) continues lines differently; those are never broken.
 */
import { displayWidth } from './width.js';

/** Exchange's verify commands: PowerShell cmdlets (`Get-Recipient`, `(Resolve-DnsName …`). */
const POWERSHELL_RE = /^\(?[A-Z][a-z]+-[A-Z][A-Za-z]/;

export function isPowerShell(command: string): boolean {
  return POWERSHELL_RE.test(command);
}

/**
 * The top-level words of an sh command and the spaces between them: `[word, space, word, …]`.
 * Quotes, `$(…)`, `${…}` and backticks keep their spaces inside the word.
 */
export function shellWords(command: string): string[] {
  const parts: string[] = [];
  let word = '';
  let depth = 0; // $( ( ${ nesting
  let quote: "'" | '"' | '`' | null = null;
  let i = 0;
  const n = command.length;
  while (i < n) {
    const c = command[i]!;
    if (quote === "'") {
      word += c;
      i++;
      if (c === "'") quote = null;
      continue;
    }
    if (c === '\\' && i + 1 < n && quote !== '`') {
      word += c + command[i + 1]!;
      i += 2;
      continue;
    }
    if (quote === '"') {
      word += c;
      i++;
      if (c === '"') quote = null;
      else if (c === '$' && command[i] === '(') {
        // A command substitution inside double quotes: its quotes are its own.
        const end = substitutionEnd(command, i);
        word += command.slice(i, end);
        i = end;
      }
      continue;
    }
    if (quote === '`') {
      word += c;
      i++;
      if (c === '`') quote = null;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      quote = c;
      word += c;
      i++;
      continue;
    }
    if ((c === '(' || c === '{') && (command[i - 1] === '$' || c === '(')) depth++;
    else if ((c === ')' || c === '}') && depth > 0) depth--;
    if (c === ' ' && depth === 0) {
      let j = i;
      while (j < n && command[j] === ' ') j++;
      if (word !== '') parts.push(word);
      parts.push(command.slice(i, j));
      word = '';
      i = j;
      continue;
    }
    word += c;
    i++;
  }
  if (word !== '') parts.push(word);
  return parts;
}

/** Index just past the `)` that closes a `$(` whose `(` is at `open`, quotes inside respected. */
function substitutionEnd(command: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < command.length; i++) {
    const c = command[i]!;
    if (quote !== null) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if (c === '\\') i++;
    else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return command.length;
}

const CONTINUE = ' \\';

/**
 * `command` in lines of at most `width` columns where it can be broken safely (see the header);
 * every line but the last ends with ` \`. One line when it fits, or when it is PowerShell.
 */
export function wrapShellCommand(command: string, width: number): string[] {
  if (displayWidth(command) <= width || isPowerShell(command)) return [command];
  // Units that stay on one line: a word with the words glued to it (the value after an option,
  // everything after a comment), and the spaces before each.
  const parts = shellWords(command);
  const units: Array<{ space: string; text: string }> = [];
  for (let k = 0; k < parts.length; k += 2) {
    const word = parts[k]!;
    const space = k > 0 ? parts[k - 1]! : '';
    const prev = k >= 2 ? parts[k - 2]! : '';
    const last = units[units.length - 1];
    if (last !== undefined && (prev.startsWith('-') || last.text.startsWith('#') || last.text.includes(' #'))) last.text += space + word;
    else units.push({ space, text: word });
  }
  const lines: string[] = [];
  let line = '';
  units.forEach((u, k) => {
    const joined = line === '' ? u.text : line + u.space + u.text;
    // Room for ` \` on this line unless it is the command's last unit.
    const need = displayWidth(joined) + (k + 1 < units.length ? CONTINUE.length : 0);
    if (line !== '' && need > width) {
      lines.push(line + CONTINUE);
      line = u.text;
    } else {
      line = joined;
    }
  });
  lines.push(line);
  return lines;
}

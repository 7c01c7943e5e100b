/**
 * File names as bytes. Linux file names are bytes, and one that is not UTF-8 cannot be named by
 * a JavaScript string: Node turns its bad bytes into U+FFFD, and that name does not exist. Such a
 * name is shown escaped (each bad byte as `\xHH`, the rest as text) and that display name stands
 * for the bytes wherever a file is opened (fsPath()). The table of such names holds one entry per
 * input named on the command line or found in a folder given: it grows with the inputs, never
 * with the log.
 */
import { readFileSync } from 'node:fs';

const bytesOf = new Map<string, Buffer>();

/** Does `b` decode as UTF-8 without a replacement? */
function isUtf8(b: Buffer): boolean {
  return Buffer.from(b.toString('utf8'), 'utf8').equals(b);
}

/** Bytes of a UTF-8 sequence starting with `lead`, or 0 for a byte that cannot start one. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** `b` as text: valid UTF-8 as itself, each other byte as `\xHH`. */
export function escapeName(b: Buffer): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const n = sequenceLength(b[i]!);
    if (n > 0 && i + n <= b.length) {
      const part = b.subarray(i, i + n);
      if (n === 1 || isUtf8(part)) {
        out += part.toString('utf8');
        i += n;
        continue;
      }
    }
    out += '\\x' + b[i]!.toString(16).padStart(2, '0');
    i++;
  }
  return out;
}

/** The name to show for the file name `b`; remembers its bytes when it is not UTF-8. */
export function displayName(b: Buffer): string {
  if (isUtf8(b)) return b.toString('utf8');
  const shown = escapeName(b);
  bytesOf.set(shown, Buffer.from(b));
  return shown;
}

/** What to give fs for a name: its bytes when it is a display name of one that is not UTF-8. */
export function fsPath(path: string): string | Buffer {
  return bytesOf.get(path) ?? path;
}

/** The bytes of a display name that stands for a name that is not UTF-8 (for another thread). */
export function rawName(path: string): Uint8Array | undefined {
  return bytesOf.get(path);
}

/** Remembers that display name `shown` stands for `bytes` (another thread's name). */
export function rememberName(shown: string, bytes: Uint8Array): void {
  bytesOf.set(shown, Buffer.from(bytes));
}

/**
 * The command-line arguments `args` (the end of process.argv) with those that were not UTF-8
 * replaced by their display names, from the bytes the kernel has (/proc/self/cmdline). Where
 * those cannot be read or do not line up with `args`, `args` as they are.
 */
export function argsAsBytes(args: readonly string[], cmdline = '/proc/self/cmdline'): string[] {
  if (!args.some((a) => a.includes('\uFFFD'))) return [...args];
  let raw: Buffer[];
  try {
    const all = readFileSync(cmdline);
    raw = [];
    let from = 0;
    for (let z = all.indexOf(0); z >= 0; z = all.indexOf(0, from)) {
      raw.push(all.subarray(from, z));
      from = z + 1;
    }
  } catch {
    return [...args];
  }
  const tail = raw.slice(raw.length - args.length);
  if (tail.length !== args.length || tail.some((b, i) => b.toString('utf8') !== args[i])) return [...args];
  return tail.map((b, i) => {
    const arg = args[i]!;
    if (!arg.includes('\uFFFD')) return arg;
    // `--json=NAME`: the name is the value, after the first `=` (an option's name is ASCII).
    const eq = arg.startsWith('--') ? b.indexOf(0x3d) : -1;
    return eq > 0 ? b.subarray(0, eq + 1).toString('utf8') + displayName(b.subarray(eq + 1)) : displayName(b);
  });
}

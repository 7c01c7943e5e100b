/**
 * split2 wiring: one callback per line, synchronously, with nothing dropped silently.
 * split2's default matcher takes `\n` and `\r\n`; invalid UTF-8 becomes U+FFFD (counted by the
 * caller); a line over MAX_LINE_BYTES makes split2 fail the stream, which ends this input with
 * an error naming the line number instead of exhausting memory.
 */
import type { Readable } from 'node:stream';
import split2 from 'split2';

/** Longest line read at all; Postfix and syslog lines are a few KiB at most. */
export const MAX_LINE_BYTES = 64 * 1024 * 1024;

export function forEachLine(stream: Readable, onLine: (line: string, no: number) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    let no = 0;
    const splitter = split2({ maxLength: MAX_LINE_BYTES });
    const fail = (err: Error) => {
      stream.unpipe(splitter);
      stream.destroy();
      splitter.destroy();
      (err as Error & { lineNo?: number }).lineNo = no;
      reject(err);
    };
    stream.once('error', fail);
    splitter.once('error', fail);
    splitter.on('data', (line: string) => {
      no++;
      onLine(line, no);
    });
    splitter.once('end', () => resolve(no));
    stream.pipe(splitter);
  });
}

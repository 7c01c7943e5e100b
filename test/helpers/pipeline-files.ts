/** Shared by the pipeline tests: a fixed "now", one real rejection line, and files in a temp folder. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NOW = new Date('2026-11-23T12:00:00Z');
export const REJECT =
  'Nov 22 06:25:02 mx1 postfix/smtpd[123]: NOQUEUE: reject: RCPT from c.example.net[192.0.2.10]: 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual alias table; from=<a@example.net> to=<nobody@example.org> proto=ESMTP helo=<c.example.net>';

/** A writer of files into one temp folder made on first use. */
export function tempFiles(): (name: string, content: string | Buffer) => string {
  let dir: string | null = null;
  return (name, content) => {
    dir ??= mkdtempSync(join(tmpdir(), 'mld-pipe-'));
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
}

/**
 * The ways analyse() can read a big file, for tests that must give the same results in each:
 * every line as text, through the front on this thread, or by the reader thread with either
 * thread reducing sent deliveries.
 */
export const THREAD_MODES = [
  { name: 'one thread, every line as text', threads: 1, sentOn: 'main' as const, front: false },
  { name: 'one thread through the front', threads: 1, sentOn: 'reader' as const },
  { name: 'reader thread reduces sent lines', threads: 2, sentOn: 'reader' as const },
  { name: 'reader thread, main reduces sent lines', threads: 2, sentOn: 'main' as const },
];

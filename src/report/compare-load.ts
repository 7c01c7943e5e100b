/**
 * Reads the earlier report of `--compare` (see compare.ts). A module of its own because it
 * validates with zod, which a run without --compare must not load (test/cli/startup.test.ts).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The earlier report may not be bigger than this (a JSON report of 5,000 findings is ~15 MB). */
export const COMPARE_MAX_BYTES = 256 * 1024 * 1024;

const PreviousFinding = z.object({
  mta: z.string(),
  direction: z.string(),
  recipientDomain: z.string().nullable(),
  cause: z.string(),
  hint: z.string(),
  messages: z.number().int().nonnegative(),
  distinctRecipients: z.number().int().nonnegative(),
  hosts: z.array(z.object({ host: z.string() })),
  rank: z.number().int().positive(),
});
const PreviousReport = z.object({
  summary: z.object({
    linesRead: z.number(),
    firstSeen: z.string().nullable(),
    lastSeen: z.string().nullable(),
  }),
  findings: z.array(PreviousFinding),
});
export type PreviousReport = z.infer<typeof PreviousReport>;

/** The earlier report at `path`, or an Error with a one-line reason. */
export function loadPreviousReport(path: string | Buffer): PreviousReport | Error {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return new Error(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? 'error'})`);
  }
  if (text.length > COMPARE_MAX_BYTES) return new Error('too big for a report of this tool');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return new Error('not JSON (give a report written with --format json or --json FILE)');
  }
  const r = PreviousReport.safeParse(doc);
  if (!r.success) {
    const where = r.error.issues[0]?.path.join('.') ?? '';
    return new Error(`not a JSON report of maillog-doctor (${where === '' ? 'wrong shape' : `bad or missing ${where}`})`);
  }
  return r.data;
}

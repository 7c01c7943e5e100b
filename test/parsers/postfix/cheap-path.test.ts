/**
 * The cheap paths may only decide what the full parser decides: whenever PostfixFront.triage()
 * (strings) or PostfixFront.triageAscii() (bytes) settles a line as ignored, the Postfix
 * machine's line() ignores it for the same reason. Over the samples, the corpus and generated
 * logs, fed in order (the year inference of both sees every line).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { generatePostfix } from '../../../bench/gen/postfix.js';
import { postfixParser, PostfixFront, UNDECIDED } from '../../../parsers/postfix/index.js';
import { ROOT } from '../../helpers/root.js';
import { CORPUS, haveCorpus } from '../../corpus/counts.js';

const REF = new Date('2026-11-23T12:00:00Z');
const ASCII_RE = /^[\x00-\x7f]*$/;

/** Lines the cheap paths decided, how many of them the byte path decided, and the first disagreements. */
function agree(lines: readonly string[]): { decided: number; decidedFromBytes: number } {
  const wrong: unknown[] = [];
  // Checked by hand and asserted once: an expect() per line would cost more than the parsing.
  const check = (line: string, full: { status: string; reason?: string }, reason: string, path: string) => {
    if ((full.status !== 'ignored' || full.reason !== reason) && wrong.length < 5) wrong.push({ line, path, cheap: reason, full });
  };
  const machine = postfixParser.create({ file: 'x', reference: REF });
  const strings = new PostfixFront({ reference: REF });
  const bytes = new PostfixFront({ reference: REF });
  let decided = 0;
  let decidedFromBytes = 0;
  lines.forEach((line, i) => {
    const full = machine.line(line, i + 1);
    const cheap = strings.triage(line);
    if (cheap !== null) {
      decided++;
      check(line, full, cheap, 'triage');
    }
    if (ASCII_RE.test(line)) {
      const buf = Buffer.from(line, 'latin1');
      const fromBytes = bytes.triageAscii(buf, 0, buf.length);
      if (fromBytes === UNDECIDED) bytes.triage(line);
      else if (fromBytes !== null) {
        decidedFromBytes++;
        check(line, full, fromBytes, 'triageAscii');
      }
    } else bytes.triage(line);
  });
  expect(wrong).toEqual([]);
  return { decided, decidedFromBytes };
}

const linesOf = (path: string): string[] => {
  const raw = readFileSync(path);
  const text = (path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
  return text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
};

describe('Postfix cheap paths decide as the full parser does', () => {
  test('the samples', () => {
    const dir = join(ROOT, 'samples/postfix');
    for (const name of ['mail.log.2.gz', 'mail.log.1', 'mail.log']) {
      const { decided, decidedFromBytes } = agree(linesOf(join(dir, name)));
      expect(decided, name).toBeGreaterThan(100);
      expect(decidedFromBytes, name).toBeGreaterThan(100);
    }
  });

  test.skipIf(!haveCorpus)('the corpus, file by file', () => {
    const dir = join(CORPUS, 'postfix');
    let decided = 0;
    for (const name of readdirSync(dir).filter((n) => !n.endsWith('.md'))) decided += agree(linesOf(join(dir, name))).decided;
    expect(decided).toBeGreaterThan(100);
  });

  test.for(['classic', 'rfc3339'] as const)('generated lines (%s, showcase mix)', (format) => {
    const lines = [...generatePostfix({ seed: 5, messages: 800, start: new Date('2026-11-22T00:00:00Z'), format, mix: 'showcase' })];
    const { decided, decidedFromBytes } = agree(lines);
    expect(lines.length).toBeGreaterThan(5_000);
    expect(decided).toBeGreaterThan(1000);
    expect(decidedFromBytes).toBeGreaterThan(1000);
  });
});

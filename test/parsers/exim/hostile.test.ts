/**
 * 1 MB lines built on the worst shapes for the Exim parser (long runs of the characters its
 * patterns stop at), after the prefixes that lead into each pattern. They must finish (no timing
 * asserts: a backtracking regex would not finish within the test timeout) and never throw. Not a
 * unit test: the size is the point.
 */
import { describe, expect, test } from 'vitest';
import { eximParser } from '../../../parsers/exim/index.js';
import { parseAll } from '../../helpers/parse.js';

describe('hostile lines', () => {
  const shapes = [
    '<'.repeat(1_000_000),
    '['.repeat(1_000_000),
    ' H='.repeat(333_333),
    ': '.repeat(500_000),
    ' '.repeat(1_000_000),
    ' H=['.repeat(250_000),
    ' H=('.repeat(250_000),
    ' F=<'.repeat(250_000),
    ' C="'.repeat(250_000),
    ' H=a ('.repeat(160_000),
    ' <a'.repeat(333_000),
    '\u0000\u00ff\ufffd'.repeat(333_000),
  ];
  const prefixes = [
    '2026-11-22 10:00:00 ',
    '2026-11-22 10:00:00 1rXyZa-000Abc-9Q <= a@b ',
    '2026-11-22 10:00:00 1rXyZa-000Abc-9Q => a@b ',
    '2026-11-22 10:00:00 1rXyZa-000Abc-9Q ** a@b ',
    '2026-11-22 10:00:00 1rXyZa-000Abc-9Q == a@b R=x T=y defer (-44)',
    '2026-11-22 10:00:00 1rXyZa-000Abc-9Q ** a@b R=r T=t: SMTP error from remote mail server after RCPT TO:<',
    '2026-11-22 10:00:00 H=x [192.0.2.1] F=<a> rejected RCPT ',
    '2026-11-22 10:00:00 H=',
    '2026-11-22 10:00:00 SMTP protocol synchronization error (x): rejected "',
    '2026-11-22 10:00:00 rejected MAIL FROM:<a> ',
    'Nov 22 10:00:00 mx exim[1]: [1\\2] ',
    'P ',
    '',
  ];
  test.for(shapes.map((s, i) => ({ i, s })))('1 MB crafted line #$i finishes and never throws', ({ s }) => {
    for (const p of prefixes) {
      const { results } = parseAll([p + s], eximParser);
      expect(['recognised', 'ignored', 'unrecognised']).toContain(results[0]!.status);
      expect(typeof eximParser.sniff(p + s)).toBe('boolean');
    }
  });
});

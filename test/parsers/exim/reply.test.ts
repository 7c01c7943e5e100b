/**
 * leadingReply() reads a reply's codes through src/text/smtp-reply.ts, as Postfix's parseReply()
 * does; before, it had a reader of its own. That reader is kept here as the reference.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leadingReply } from '../../../parsers/exim/fields.js';
import { replyShaped } from '../../helpers/reply-texts.js';
import { runs } from '../../helpers/runs.js';

const isDigit = (c: number) => c >= 48 && c <= 57;

/** leadingReply() as it was written before the shared reader (session 14). */
function leadingReplyBefore(text: string, at = 0): { code: number | null; enhanced: string | null } {
  const c0 = text.charCodeAt(at);
  if (c0 < 50 || c0 > 53 || c0 === 51 || !isDigit(text.charCodeAt(at + 1)) || !isDigit(text.charCodeAt(at + 2))) {
    return { code: null, enhanced: null };
  }
  const sep = text.charCodeAt(at + 3);
  if (!(sep === 32 || sep === 45 || Number.isNaN(sep))) return { code: null, enhanced: null };
  const code = Number(text.slice(at, at + 3));
  return { code, enhanced: Number.isNaN(sep) ? null : enhancedAt(text, at + 4, c0) };
}

function enhancedAt(text: string, at: number, classDigit: number): string | null {
  if (text.charCodeAt(at) !== classDigit || text.charCodeAt(at + 1) !== 46) return null;
  let i = at + 2;
  let dots = 0;
  let digits = 0;
  for (; i < text.length && i - at < 12; i++) {
    const c = text.charCodeAt(i);
    if (isDigit(c)) {
      digits++;
      if (digits > 3) return null;
    } else if (c === 46 && digits > 0 && dots === 0) {
      dots++;
      digits = 0;
    } else {
      break;
    }
  }
  if (dots !== 1 || digits === 0) return null;
  if (i < text.length && text.charCodeAt(i) !== 32) return null;
  return text.slice(at, i);
}

describe('leadingReply', () => {
  it.each([
    ['550 5.1.1 Unrouteable address', 550, '5.1.1'],
    ['550-5.1.1 first line', 550, '5.1.1'],
    ['550 4.1.1 class differs', 550, null],
    ['452 4.5.3 Too many recipients', 452, '4.5.3'],
    ['599 Main code', 599, null],
    ['550', 550, null],
    ['350 5.1.1 x', null, null],
  ])('%s', (text, code, enhanced) => {
    expect(leadingReply(text)).toEqual({ code, enhanced });
  });

  it('reads what its own reader read, on random replies and at an offset', () => {
    fc.assert(
      fc.property(replyShaped, fc.constantFrom('', 'x: ', 'said: '), (text, lead) => {
        expect(leadingReply(lead + text, lead.length)).toEqual(leadingReplyBefore(lead + text, lead.length));
      }),
      { numRuns: runs(5000) },
    );
  });
});

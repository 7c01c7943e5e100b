/**
 * Texts shaped like the start of an SMTP reply, with the near misses likely: wrong class digits,
 * too many or no digits, a missing separator. For the property tests of the hand-written reply
 * readers (src/text/smtp-reply.ts and the parsers that use it).
 */
import fc from 'fast-check';

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`));
const code = fc.tuple(fc.constantFrom('2', '3', '4', '5', '6'), digits(1, 3), fc.constantFrom(' ', '-', '', 'x', '.'));
const enhanced = fc.tuple(fc.constantFrom('2', '3', '4', '5', 'x'), fc.constantFrom('.', '', ','), digits(0, 4), fc.constantFrom('.', ''), digits(0, 4), fc.constantFrom(' ', '', '.', '-'));

export const replyShaped: fc.Arbitrary<string> = fc
  .tuple(fc.option(code), fc.option(enhanced), fc.string({ maxLength: 8 }))
  .map(([c, e, tail]) => (c ? c.join('') : '') + (e ? e.join('') : '') + tail);

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { escapeControls, sanitize } from '../../src/text/sanitize.js';
import { runs } from '../helpers/runs.js';

const ESC = '\u001b';
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

describe('sanitize', () => {
  test('returns the very same string when there is nothing to strip', () => {
    const s = 'May  1 10:00:00 mx1 postfix/smtpd[1]: NOQUEUE: reject: RCPT from x[192.0.2.1]';
    expect(sanitize(s)).toBe(s);
  });

  test('keeps ordinary Unicode: accents, CJK, emoji, Arabic', () => {
    expect(sanitize('Grüße 日本語 📧 مرحبا')).toBe('Grüße 日本語 📧 مرحبا');
  });

  test('strips a CSI erase-screen sequence as a whole unit', () => {
    expect(sanitize(`a${ESC}[2Jb`)).toBe('ab');
  });

  test('strips SGR colour sequences with parameters', () => {
    expect(sanitize(`${ESC}[1;31mred${ESC}[0m`)).toBe('red');
  });

  test('strips CSI with private parameters and intermediates', () => {
    expect(sanitize(`a${ESC}[?25lb${ESC}[1 qc`)).toBe('abc');
  });

  test('strips an OSC 8 hyperlink terminated by BEL, keeping the link text', () => {
    expect(sanitize(`${ESC}]8;;http://evil.test/${'\u0007'}click${ESC}]8;;${'\u0007'}`)).toBe('click');
  });

  test('strips an OSC title sequence terminated by ESC backslash', () => {
    expect(sanitize(`a${ESC}]0;pwned${ESC}\\b`)).toBe('ab');
  });

  test('strips DCS, SOS, PM and APC strings whole', () => {
    expect(sanitize(`1${ESC}Pq#0;2${ESC}\\2${ESC}Xsos${ESC}\\3${ESC}^pm${ESC}\\4${ESC}_apc${ESC}\\5`)).toBe('12345');
  });

  test('strips an unterminated OSC to the end of the text', () => {
    expect(sanitize(`keep${ESC}]0;hidden title`)).toBe('keep');
  });

  test('ends a string sequence at the next ESC and strips that sequence too', () => {
    expect(sanitize(`${ESC}]0;title${ESC}[2Jvisible`)).toBe('visible');
  });

  test('strips two-character ESC sequences and charset designations', () => {
    expect(sanitize(`a${ESC}cb${ESC}7c${ESC}(Bd`)).toBe('abcd');
  });

  test('strips a lone ESC at the end', () => {
    expect(sanitize(`end${ESC}`)).toBe('end');
  });

  test('strips the 8-bit CSI U+009B with its parameters', () => {
    expect(sanitize('a\u009b2;3Hb')).toBe('ab');
  });

  test('strips an 8-bit OSC string up to the 8-bit ST', () => {
    expect(sanitize('a\u009d0;title\u009cb')).toBe('ab');
  });

  test('strips other C1 controls such as NEL', () => {
    expect(sanitize('a\u0085b\u008fc')).toBe('abc');
  });

  test('strips NUL, BEL, backspace and DEL', () => {
    expect(sanitize('a\u0000b\u0007c\bd\u007fe')).toBe('abcde');
  });

  test('replaces TAB, CR and LF with one space each', () => {
    expect(sanitize('a\tb\r\nc')).toBe('a b  c');
  });

  test('strips bidi embeddings, overrides and isolates', () => {
    expect(sanitize('user\u202egnp.exe\u202c \u2066x\u2069 \u202ay\u202b')).toBe('usergnp.exe x y');
  });

  test('a malformed CSI ends at the first byte that cannot belong to it', () => {
    expect(sanitize(`${ESC}[12\u00e9x`)).toBe('\u00e9x');
  });

  test('never leaves a control character in its output', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => !CONTROL_RE.test(sanitize(s))),
      { numRuns: runs(2000) },
    );
  });

  test('is idempotent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => sanitize(sanitize(s)) === sanitize(s)),
      { numRuns: runs(2000) },
    );
  });

  test('leaves any text without controls unchanged', () => {
    const plain = fc.string({ unit: 'binary', maxLength: 200 }).map((s) => s.replace(new RegExp(CONTROL_RE, 'g'), ''));
    fc.assert(fc.property(plain, (s) => sanitize(s) === s), { numRuns: runs(2000) });
  });

  test('handles 1 MB of unterminated CSI introducers in one pass', () => {
    expect(sanitize(`${ESC}[`.repeat(500_000))).toBe('');
  });

  test('handles 1 MB of 8-bit CSI introducers between letters that cannot end them', () => {
    expect(sanitize('\u00e9\u009b'.repeat(500_000))).toBe('\u00e9'.repeat(500_000));
  });

  test('treats a letter after an 8-bit CSI as its final byte', () => {
    expect(sanitize('a\u009bxb')).toBe('ab');
  });

  test('handles 1 MB of nested-looking OSC openers', () => {
    expect(sanitize(`a${ESC}]`.repeat(333_333))).toBe('a');
  });

  test('removes zero-width characters, so a look-alike domain shows what it contains', () => {
    for (const cp of [0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]) {
      expect(sanitize(`exa${String.fromCodePoint(cp)}mple.com`)).toBe('example.com');
    }
  });

  test('removes bidi marks, embeddings, overrides and isolates', () => {
    const marks = [0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
    for (const cp of marks) expect(sanitize(`moc.${String.fromCodePoint(cp)}elpmaxe`)).toBe('moc.elpmaxe');
  });

  test('turns the Unicode line and paragraph separators into spaces, like LF', () => {
    expect(sanitize('a\u2028b\u2029c')).toBe('a b c');
  });
});

describe('escapeControls', () => {
  test('returns the very same string when there is nothing to escape', () => {
    const s = 'Nov 22 06:25:01 mx1 postfix/smtpd[1]: Grüße 日本語 C:\\path';
    expect(escapeControls(s)).toBe(s);
  });

  test('writes C0, DEL and C1 controls as \\xNN and invisible characters as \\uNNNN', () => {
    expect(escapeControls(`a${ESC}[2Jb\tc\u007f\u009bd\u202ee\u200bf\ufeffg\u2028`)).toBe(
      'a\\x1b[2Jb\\x09c\\x7f\\x9bd\\u202ee\\u200bf\\ufeffg\\u2028',
    );
  });

  test('leaves nothing a terminal acts on, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => !CONTROL_RE.test(escapeControls(s))),
      { numRuns: runs(2000) },
    );
  });
});

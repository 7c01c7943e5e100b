/**
 * StampReader reads the common stamp by hand and converts times through a per-minute clock: the
 * same stamps, ends, pids and times as the code it replaced (STAMP_RE and one Date per stamp,
 * kept below as the reference), in several zones with DST changes, on stamps that are mutated,
 * cut, or followed by milliseconds, zones and pids. The envelope readers after a stamp settle
 * most lines before their regex: the same answers as the regex alone.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { otherProgramAfterStamp, StampReader, syslogAfterStamp, type EximStamp } from '../../../parsers/exim/envelope.js';
import { runs } from '../../helpers/runs.js';

const STAMP_RE =
  /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{3}))?(?: ([+-])(\d\d)(\d\d)(?= |$))?(?: \[(\d{1,10})\](?= |$))?(?: |$)/;

function referenceIso(m: RegExpExecArray): string | null {
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as number[];
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || s! > 60) return null;
  const ms = m[7] ? Number(m[7]) : 0;
  let t: number;
  if (m[8]) {
    const off = (m[8] === '-' ? -1 : 1) * (Number(m[9]) * 60 + Number(m[10]));
    t = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms) - off * 60_000;
  } else {
    t = new Date(y!, mo! - 1, d!, h!, mi!, s!, ms).getTime();
  }
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

function reference(line: string): EximStamp | null {
  const c = line.charCodeAt(0);
  if (c < 48 || c > 57 || line.charCodeAt(10) !== 32) return null;
  const m = STAMP_RE.exec(line);
  return m ? { time: referenceIso(m), pid: m[11] ? Number(m[11]) : null, end: m[0].length } : null;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');
/** Days around DST changes in the zones below, New Year, a leap day, and any day at all. */
const day = fc.oneof(
  fc.constantFrom('2026-03-29', '2026-10-25', '2026-03-08', '2026-11-01', '2026-04-05', '2026-10-04', '2024-02-29', '2026-12-31', '2027-01-01'),
  fc
    .tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 39 }))
    .map(([y, m, d]) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`),
);
const clock = fc
  .tuple(fc.integer({ min: 0, max: 29 }), fc.integer({ min: 0, max: 69 }), fc.integer({ min: 0, max: 69 }))
  .map(([h, m, s]) => `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}`);
const optional = (a: fc.Arbitrary<string>) => fc.oneof(fc.constant(''), a);
/** What may follow the seconds: milliseconds, a zone, a pid, then text (or junk). */
const after = fc
  .tuple(
    optional(fc.integer({ min: 0, max: 9999 }).map((n) => `.${pad(n, 3).slice(0, 3)}`)),
    optional(fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 9999 })).map(([sg, n]) => ` ${sg}${pad(n, 4)}`)),
    optional(fc.integer({ min: 0, max: 99_999 }).map((n) => ` [${n}]`)),
    fc.constantFrom('', ' ', ' 1rXyZa-000Abc-9Q <= a@b.example', ' H=x [192.0.2.1] rejected', 'x', ' [', ' +', ' -', '  text'),
  )
  .map((parts) => parts.join(''));
const stamp = fc.tuple(day, clock, after).map(([d, c, a]) => `${d} ${c}${a}`);
/** A stamp with one character replaced or the line cut short. */
const line = fc.oneof(
  stamp,
  fc
    .tuple(stamp, fc.nat(), fc.constantFrom('0', '9', ' ', '-', ':', '.', '+', '[', ']', 'T', 'x'))
    .map(([s, i, c]) => s.slice(0, i % (s.length + 1)) + c + s.slice((i % (s.length + 1)) + 1)),
  fc.tuple(stamp, fc.nat()).map(([s, i]) => s.slice(0, i % (s.length + 1))),
);

/** Lines of one second that differ after it (the reader's cache must tell them apart). */
const sameSecond = fc
  .tuple(day, clock, fc.array(after, { minLength: 1, maxLength: 12 }))
  .map(([d, c, tails]) => tails.map((a) => `${d} ${c}${a}`));

describe('StampReader', () => {
  const zone = process.env.TZ;
  afterAll(() => {
    process.env.TZ = zone;
  });

  for (const tz of ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe']) {
    test(`reads what STAMP_RE and a Date per stamp read (${tz})`, () => {
      process.env.TZ = tz;
      fc.assert(
        fc.property(fc.oneof(fc.array(line, { minLength: 1, maxLength: 40 }), sameSecond), (lines) => {
          // One reader for the whole sequence: its caches carry over from line to line.
          const reader = new StampReader();
          for (const l of lines) expect(reader.read(l)).toEqual(reference(l));
        }),
        { seed: 20261123, numRuns: runs(1500) },
      );
    });
  }

  test('the zones above are in force (the property runs in each)', () => {
    process.env.TZ = 'Europe/Berlin';
    expect(new Date(2026, 6, 1).getTimezoneOffset()).toBe(-120);
  });
});

const SYSLOG_AFTER_STAMP_RE = /^([^\s[\]]{1,255}) (exim4?)(?:\[(\d{1,10})\])?: ?/;
const OTHER_AFTER_STAMP_RE = /^[A-Za-z0-9][^\s[\]=]{0,254} [A-Za-z][\w./-]{0,63}\[\d{1,10}\]: /;

describe('envelope after a stamp', () => {
  /** Exim texts, syslog envelopes of Exim and of other programs, pieces of them, and noise. */
  const piece = fc.constantFrom(
    'mx1', 'mail.example.org', 'exim', 'exim4', 'exim[123]:', 'exim4[9]: ', 'exim:', 'dovecot[77]:', 'postfix/smtpd[5]:', ':', ']', '[', ']:',
    '1rXyZa-000Abc-9Q', '<=', 'H=(x)', '[192.0.2.1]:25', 'rejected', '=', '\t', 'e', 'x'.repeat(300),
  );
  const text = fc.array(fc.tuple(piece, fc.constantFrom(' ', '', '  ')), { maxLength: 8 }).map((ps) => ps.flat().join(''));
  const line = fc.tuple(fc.constantFrom('2026-11-22 10:00:00 ', '2026-11-22 10:00:00'), text).map(([st, t]) => st + t);

  test('syslogAfterStamp and otherProgramAfterStamp answer as their regexes do', () => {
    fc.assert(
      fc.property(line, (l) => {
        const from = Math.min(20, l.length);
        const m = SYSLOG_AFTER_STAMP_RE.exec(l.slice(from, from + 300));
        expect(syslogAfterStamp(l, from)).toEqual(m ? { host: m[1], program: m[2], pid: m[3] ? Number(m[3]) : null, end: from + m[0].length } : null);
        expect(otherProgramAfterStamp(l, from)).toBe(OTHER_AFTER_STAMP_RE.test(l.slice(from, from + 340)));
      }),
      { seed: 20261123, numRuns: runs(20_000) },
    );
  });
});

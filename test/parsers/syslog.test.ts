import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { EnvelopeReader, YearResolver } from '../../parsers/syslog.js';
import { runs } from '../helpers/runs.js';

// vitest.config.ts pins TZ=UTC, so local-time prefixes come out as the same wall clock in UTC.
const REF = new Date('2026-11-23T12:00:00Z');

const cases = [
  {
    name: 'classic, space-padded day',
    line: 'Nov  2 06:25:01 mx1 postfix/smtpd[123]: connect from x[192.0.2.1]',
    want: { time: '2026-11-02T06:25:01.000Z', host: 'mx1', program: 'postfix/smtpd', pid: 123, body: 'connect from x[192.0.2.1]' },
  },
  {
    name: 'classic, unpadded day (fail2ban corpus)',
    line: 'Mar 7 02:09:33 server postfix/smtpd[27246]: NOQUEUE: x',
    want: { time: '2026-03-07T02:09:33.000Z', host: 'server', program: 'postfix/smtpd', pid: 27246, body: 'NOQUEUE: x' },
  },
  {
    name: 'classic, zero-padded day',
    line: 'Jan 01 00:00:01 h postfix/qmgr[1]: ABCDEF: removed',
    want: { time: '2026-01-01T00:00:01.000Z', host: 'h', program: 'postfix/qmgr', pid: 1, body: 'ABCDEF: removed' },
  },
  {
    name: 'journalctl short-precise / maillog_file microseconds',
    line: 'Nov 22 10:00:00.123456 mx postfix/smtp[9]: x',
    want: { time: '2026-11-22T10:00:00.123Z', host: 'mx', program: 'postfix/smtp', pid: 9, body: 'x' },
  },
  {
    name: 'RFC 3339 with microseconds and offset (Debian 12 rsyslog, crowdsec corpus)',
    line: '2024-08-26T01:33:38.572449+00:00 machine postfix/smtpd[60203]: NOQUEUE: reject: x',
    want: { time: '2024-08-26T01:33:38.572Z', host: 'machine', program: 'postfix/smtpd', pid: 60203, body: 'NOQUEUE: reject: x' },
  },
  {
    name: 'RFC 3339 with +01:00 is converted to UTC (okfde 007 corpus)',
    line: '2025-01-01T00:01:02.456789+01:00 mail postfix/smtpd[1234567]: 163CB3EE5E7F: client=x[127.0.0.1]',
    want: { time: '2024-12-31T23:01:02.456Z', host: 'mail', program: 'postfix/smtpd', pid: 1234567, body: '163CB3EE5E7F: client=x[127.0.0.1]' },
  },
  {
    name: 'journalctl short-iso offset without colon',
    line: '2026-11-22T10:00:00+0100 mx postfix/postscreen[77]: PASS NEW [192.0.2.1]:1234',
    want: { time: '2026-11-22T09:00:00.000Z', host: 'mx', program: 'postfix/postscreen', pid: 77, body: 'PASS NEW [192.0.2.1]:1234' },
  },
  {
    name: 'RFC 5424 with nil structured data',
    line: '<22>1 2026-11-22T10:00:00.123Z mx postfix/smtpd 123 - - NOQUEUE: reject: x',
    want: { time: '2026-11-22T10:00:00.123Z', host: 'mx', program: 'postfix/smtpd', pid: 123, body: 'NOQUEUE: reject: x' },
  },
  {
    name: 'RFC 5424 with structured data and nil pid',
    line: '<22>1 2026-11-22T10:00:00+01:00 mx postfix/qmgr - - [meta sequenceId="1"] ABCDEF: removed',
    want: { time: '2026-11-22T09:00:00.000Z', host: 'mx', program: 'postfix/qmgr', pid: null, body: 'ABCDEF: removed' },
  },
  {
    name: 'PRI before a classic line (raw network syslog)',
    line: '<22>Nov 22 10:00:00 mx postfix/smtpd[1]: x',
    want: { time: '2026-11-22T10:00:00.000Z', host: 'mx', program: 'postfix/smtpd', pid: 1, body: 'x' },
  },
  {
    name: 'bare program without pid (shlomif corpus)',
    line: 'Jun 14 10:00:00 host postfix: warning: x',
    want: { time: '2026-06-14T10:00:00.000Z', host: 'host', program: 'postfix', pid: null, body: 'warning: x' },
  },
  {
    name: 'multi-instance and service names',
    line: 'Sep 25 18:26:34 smtpnode16 postfix-239.58.50.50/smtpd[4546]: x',
    want: { time: '2026-09-25T18:26:34.000Z', host: 'smtpnode16', program: 'postfix-239.58.50.50/smtpd', pid: 4546, body: 'x' },
  },
  {
    name: 'empty host field (NoLE corpus)',
    line: 'Aug 31 00:21:33  dovecot: last message repeated 2 times',
    want: { time: '2026-08-31T00:21:33.000Z', host: null, program: 'dovecot', pid: null, body: 'last message repeated 2 times' },
  },
  {
    name: 'Postfix test driver on stderr',
    line: './smtpd_check: <queue id>: reject: x',
    want: { time: null, host: null, program: 'smtpd_check', pid: null, body: '<queue id>: reject: x' },
  },
];

describe('EnvelopeReader', () => {
  test.for(cases)('$name', ({ line, want }) => {
    expect(new EnvelopeReader(REF).read(line)).toEqual(want);
  });

  test.for([
    'ir/)',
    'est SHA256',
    '',
    'Nov 22 10:00:00 no-program-colon here',
    'Foo 22 10:00:00 h postfix/smtpd[1]: month name that does not exist',
    '2026-13-45T10:00:00Z h postfix/smtpd[1]: x',
  ])('no envelope: %j', (line) => {
    const env = new EnvelopeReader(REF).read(line);
    if (env) expect(env.time).toBeNull();
    else expect(env).toBeNull();
  });

  test('a crafted 1 MB line is rejected without stalling', () => {
    const line = 'Nov 22 10:00:00 ' + 'a'.repeat(1_000_000);
    expect(new EnvelopeReader(REF).read(line)).toBeNull();
    const line2 = '2026-11-22T10:00:00Z ' + ' x'.repeat(500_000);
    expect(new EnvelopeReader(REF).read(line2)).toBeNull();
  });
});

describe('YearResolver', () => {
  test('uses the reference year when the first month is not after the reference month', () => {
    expect(new YearResolver(new Date('2026-11-23T00:00:00Z')).resolve(10)).toBe(2026);
  });
  test('a file read in January that starts in December began the year before', () => {
    const y = new YearResolver(new Date('2027-01-05T00:00:00Z'));
    expect(y.resolve(11)).toBe(2026);
    expect(y.resolve(11)).toBe(2026);
    expect(y.resolve(0)).toBe(2027); // Dec → Jan roll-over inside the file
    expect(y.resolve(0)).toBe(2027);
  });
  test('a backward jump that is not New Year keeps the year', () => {
    const y = new YearResolver(new Date('2026-11-23T00:00:00Z'));
    expect(y.resolve(7)).toBe(2026);
    expect(y.resolve(2)).toBe(2026);
  });
  test('a forced year wins', () => {
    expect(new YearResolver(new Date('2026-11-23T00:00:00Z'), 2015).resolve(10)).toBe(2015);
  });
  test('EnvelopeReader rolls the year over inside one file', () => {
    const r = new EnvelopeReader(new Date('2027-01-02T00:00:00Z'));
    expect(r.read('Dec 31 23:59:59 h postfix/smtpd[1]: x')?.time).toBe('2026-12-31T23:59:59.000Z');
    expect(r.read('Jan  1 00:00:01 h postfix/smtpd[1]: x')?.time).toBe('2027-01-01T00:00:01.000Z');
  });
});

/**
 * The hand-written fast paths (classic and RFC 3339, and the classic path's reuse of the last
 * line's stamp and host) must give what the regexes give, line after line: the time cache and
 * the year inference carry state from one line to the next, so whole sequences are compared.
 */
describe('EnvelopeReader fast paths agree with the regexes', () => {
  /** The same reader with the fast paths switched off: every line through the regexes. */
  const regexOnly = (ref: Date) => {
    const r = new EnvelopeReader(ref) as unknown as Record<string, unknown>;
    r.classicFast = () => false;
    r.isoFast = () => false;
    return r as unknown as EnvelopeReader;
  };
  const asEnvelope = (line: string, got: ReturnType<EnvelopeReader['scan']>) => {
    if (got === null || !('hostAt' in got)) return got;
    return {
      time: got.time,
      host: got.hostEnd > got.hostAt ? line.slice(got.hostAt, got.hostEnd) : null,
      program: line.slice(got.programAt, got.programEnd),
      pid: got.pid,
      body: line.slice(got.bodyAt),
    };
  };
  const stamps = ['Nov 22 10:00:00', 'Nov 22 10:00:00', 'Nov  2 10:00:01', 'Nov 02 10:00:01', 'Dec 31 23:59:59', 'Jan  1 00:00:00', 'Jan 1 00:00:00.250', 'Feb 29 12:00:00', 'Nov 22 10:00:00.123456', '2026-11-22T10:00:00.5+01:00', '2026-11-22T10:00:00Z', '2026-12-31T23:59:59', '<22>Nov 22 10:00:00'];
  const hosts = ['mx1', 'mx1', 'mail.example.org', '', 'h\u00e9st'];
  const programs = ['postfix/smtpd[123]: ', 'postfix/qmgr[9]: ', 'postfix/smtp: ', 'dovecot: ', 'postfix/smtpd[x]: ', 'opendkim[12345678901]: ', 'postfix/cleanup[1]:'];
  const bodies = ['connect from x[192.0.2.1]', '3F2A1B4C5D: removed', '', ' leading space'];
  const line = fc
    .tuple(fc.constantFrom(...stamps), fc.constantFrom(...hosts), fc.constantFrom(...programs), fc.constantFrom(...bodies), fc.nat(), fc.string({ maxLength: 3 }), fc.boolean())
    .map(([stamp, host, program, body, at, junk, mutate]) => {
      const l = `${stamp} ${host} ${program}${body}`;
      if (!mutate) return l;
      const i = at % (l.length + 1);
      return l.slice(0, i) + junk + l.slice(i + (at % 3));
    });

  test('on sequences of lines that share stamps, hosts and programs, mutated', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 40 }), (lines) => {
        const fast = new EnvelopeReader(REF);
        const slow = regexOnly(REF);
        for (const l of lines) expect(asEnvelope(l, fast.scan(l))).toEqual(slow.read(l));
      }),
      { numRuns: runs(2000), seed: 20261123 },
    );
  });
});

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { installedMailUnits, journalArgs, journalEntryLine } from '../../src/input/journal.js';
import { analyse } from '../../src/pipeline.js';
import { journalOfSample } from './journal-sample.js';

const NOW = new Date('2026-12-01T00:00:00Z');
// 2026-11-22T06:25:01.123456Z in microseconds.
const US = String(Date.UTC(2026, 10, 22, 6, 25, 1) * 1000 + 123456);
const entry = (f: Record<string, unknown>): string =>
  JSON.stringify({ __CURSOR: 's=1;i=2', __REALTIME_TIMESTAMP: US, __MONOTONIC_TIMESTAMP: '1', _HOSTNAME: 'mx1', SYSLOG_IDENTIFIER: 'postfix/smtpd', _PID: '123', ...f });

describe('journalEntryLine', () => {
  test.for([
    { name: 'a string MESSAGE', f: { MESSAGE: 'NOQUEUE: reject: x' }, want: '2026-11-22T06:25:01.123456+00:00 mx1 postfix/smtpd[123]: NOQUEUE: reject: x' },
    { name: 'MESSAGE as bytes', f: { MESSAGE: [...Buffer.from('caf\u00e9 ok')] }, want: '2026-11-22T06:25:01.123456+00:00 mx1 postfix/smtpd[123]: caf\u00e9 ok' },
    { name: 'bytes that are not UTF-8', f: { MESSAGE: [0x61, 0xff, 0x62] }, want: '2026-11-22T06:25:01.123456+00:00 mx1 postfix/smtpd[123]: a\ufffdb' },
    { name: 'a multi-line MESSAGE', f: { MESSAGE: 'one\ntwo' }, want: '2026-11-22T06:25:01.123456+00:00 mx1 postfix/smtpd[123]: one two' },
    { name: 'SYSLOG_PID before _PID', f: { MESSAGE: 'm', SYSLOG_PID: '77' }, want: '2026-11-22T06:25:01.123456+00:00 mx1 postfix/smtpd[77]: m' },
    { name: 'no pid', f: { MESSAGE: 'm', _PID: undefined }, want: '2026-11-22T06:25:01.123456+00:00 mx1 postfix/smtpd: m' },
    { name: 'a host with a space is not trusted', f: { MESSAGE: 'm', _HOSTNAME: 'a b' }, want: '2026-11-22T06:25:01.123456+00:00 localhost postfix/smtpd[123]: m' },
    { name: 'no identifier: the command', f: { MESSAGE: 'm', SYSLOG_IDENTIFIER: undefined, _COMM: 'smtpd' }, want: '2026-11-22T06:25:01.123456+00:00 mx1 smtpd[123]: m' },
  ])('$name', ({ f, want }) => {
    expect(journalEntryLine(entry(f))).toBe(want);
  });

  test.for([
    { name: 'a syslog line', line: 'Nov 22 06:25:01 mx1 postfix/smtpd[1]: x' },
    { name: 'JSON that is not an entry', line: '{"MESSAGE": "x"}' },
    { name: 'a null MESSAGE (too big for journalctl)', line: entry({ MESSAGE: null }) },
    { name: 'broken JSON', line: '{"MESSAGE": "x' },
    { name: 'a bad timestamp', line: entry({ MESSAGE: 'x', __REALTIME_TIMESTAMP: 'soon' }) },
  ])('not an entry: $name', ({ line }) => {
    expect(journalEntryLine(line)).toBeNull();
  });
});

describe('journal args and units', () => {
  test('units of what is installed, else all', () => {
    expect(installedMailUnits((p) => p === '/usr/sbin/exim4')).toEqual(['exim4.service', 'exim.service']);
    expect(installedMailUnits((p) => p === '/usr/sbin/postfix')).toEqual(['postfix.service', 'postfix@-.service']);
    expect(installedMailUnits(() => false)).toEqual(['postfix.service', 'postfix@-.service', 'exim4.service', 'exim.service']);
  });
  test('--since, --until as epoch seconds; -f with all lines or none', () => {
    expect(journalArgs({ units: ['u'], since: '2026-11-22T06:00:00.000Z', until: '2026-11-22T07:00:00.000Z' })).toEqual([
      '-o', 'json', '--no-pager', '--all', '--unit=u', '--since=@1795327200', '--until=@1795330800',
    ]);
    expect(journalArgs({ units: ['u'], follow: true })).toEqual(['-o', 'json', '--no-pager', '--all', '--unit=u', '--follow', '--lines=all']);
    expect(journalArgs({ units: ['u'], follow: true, fromEnd: true }).slice(-2)).toEqual(['--follow', '--lines=0']);
  });
});

const dir = mkdtempSync(join(tmpdir(), 'mld-journal-'));
const sample = journalOfSample();
const syslogFile = join(dir, 'mail.log');
const jsonFile = join(dir, 'journal.json');
const isoFile = join(dir, 'journal.txt');
writeFileSync(jsonFile, sample.json);
writeFileSync(isoFile, sample.shortIso);
// The same lines in classic syslog form: what the journal files must read like.
writeFileSync(
  syslogFile,
  readFileSync('samples/postfix/mail.log', 'utf8')
    .split('\n')
    .filter((l) => /^Nov ([ 0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) (\S+) ([^[:\s]+)\[([0-9]+)\]: /.test(l))
    .join('\n') + '\n',
);

const shape = (r: Awaited<ReturnType<typeof analyse>>) =>
  r.aggregator.snapshot(r.stats).findings.map((f) => [f.rank, f.mta, f.direction, f.recipientDomain, f.cause, f.hint, f.messages, f.count, f.firstSeen]);

describe('journal input from a file', () => {
  test('-o json and -o short-iso read like the syslog file', async () => {
    const base = await analyse([syslogFile], { now: NOW, year: 2026, threads: 1 });
    const fromJson = await analyse([jsonFile], { now: NOW, threads: 1 });
    const fromIso = await analyse([isoFile], { now: NOW, threads: 1 });
    expect(base.stats.files[0]!.format).toBe('postfix');
    expect(fromJson.stats.files[0]).toMatchObject({ format: 'postfix', unrecognised: 0, lines: sample.lines });
    expect(fromIso.stats.files[0]).toMatchObject({ format: 'postfix', unrecognised: 0 });
    expect(shape(fromJson)).toEqual(shape(base));
    expect(shape(fromIso)).toEqual(shape(base));
    expect(shape(base).length).toBeGreaterThan(10);
  });
});

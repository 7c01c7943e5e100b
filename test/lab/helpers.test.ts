/**
 * The lab helpers themselves: the sink answers as scripted (single- and multi-line, at RCPT and
 * after DATA) and records what it got; the private syslog takes syslog(3) calls made inside its
 * namespace, writes them with each template, and leaves the machine's /dev/log alone.
 */
import { connect } from 'node:net';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { atData, atRcpt, formatReply, reply, startSink } from './sink.js';
import { noiseLines, startSyslog, syslogMissing } from './syslog.js';

/** Sends each command after the previous reply is complete; returns every reply. Bounded by 10 s. */
async function converse(port: number, commands: string[]): Promise<string[]> {
  const sock = connect(port, '127.0.0.1');
  sock.setEncoding('latin1');
  const replies: string[] = [];
  let buf = '';
  let pending = [...commands];
  return await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => (sock.destroy(), reject(new Error('sink conversation timed out'))), 10_000);
    sock.on('data', (d: string) => {
      buf += d;
      // A reply is complete at a line whose fourth character is a space.
      for (let m = /(?:^|\n)\d{3} [^\n]*\n/.exec(buf); m; m = /(?:^|\n)\d{3} [^\n]*\n/.exec(buf)) {
        const end = m.index + m[0].length;
        replies.push(buf.slice(0, end).replace(/^\n/, ''));
        buf = buf.slice(end);
        const next = pending.shift();
        if (next === undefined) {
          clearTimeout(timer);
          sock.end();
          resolve(replies);
          return;
        }
        sock.write(next + '\r\n');
      }
    });
    sock.on('error', (e) => (clearTimeout(timer), reject(e)));
  });
}

describe('sink', () => {
  test('answers per recipient at RCPT and after DATA, multi-line, and records the transaction', async () => {
    const gmail = reply(550, '5.1.1 The email account that you tried to reach does not exist. Please try', '5.1.1 double-checking the recipient\'s email address.');
    const sink = await startSink({
      answers: { 'Nobody@Gmail.test': atRcpt(gmail), 'full@lab.test': atData(reply(452, '4.2.2 Mailbox full')) },
    });
    try {
      const r = await converse(sink.port, ['EHLO me', 'MAIL FROM:<a@b.test>', 'RCPT TO:<nobody@gmail.test>', 'RCPT TO:<full@lab.test>', 'DATA', 'Subject: x\r\n\r\n..dot\r\n.', 'QUIT']);
      expect(r[0]).toMatch(/^220 /);
      expect(r[1]).toContain('250-PIPELINING');
      expect(r[3]).toBe(formatReply(gmail));
      expect(r[3]).toBe("550-5.1.1 The email account that you tried to reach does not exist. Please try\r\n550 5.1.1 double-checking the recipient's email address.\r\n");
      expect(r[4]).toMatch(/^250 /);
      expect(r[5]).toMatch(/^354 /);
      expect(r[6]).toBe('452 4.2.2 Mailbox full\r\n');
      expect(r[7]).toMatch(/^221 /);
      await new Promise((res) => setTimeout(res, 50));
      expect(sink.transactions).toEqual([
        { from: 'a@b.test', recipients: ['nobody@gmail.test', 'full@lab.test'], accepted: ['full@lab.test'], dataReply: reply(452, '4.2.2 Mailbox full'), size: 20 },
      ]);
    } finally {
      await sink.close();
    }
  });

  test('a refusing greeting ends the session; the fallback answers unlisted recipients', async () => {
    const closed = await startSink({ greeting: reply(554, '5.7.1 go away') });
    expect(await converse(closed.port, [])).toEqual(['554 5.7.1 go away\r\n']);
    await closed.close();
    const open = await startSink({ fallback: (a) => (a.startsWith('x') ? atRcpt(reply(450, '4.7.1 later')) : undefined) });
    const r = await converse(open.port, ['HELO me', 'MAIL FROM:<>', 'RCPT TO:<xy@z.test>', 'RCPT TO:<ok@z.test>', 'QUIT']);
    expect(r.slice(3, 5)).toEqual(['450 4.7.1 later\r\n', '250 2.0.0 Ok\r\n']);
    await open.close();
  });
});

const missing = syslogMissing();
if (missing) console.warn(`private syslog test skipped: ${missing}`);

describe.skipIf(missing !== null)('private syslog', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mld-syslog-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('syslog(3) inside the namespace reaches the files in each format; /dev/log outside is untouched', async () => {
    const before = existsSync('/dev/log') ? lstatSync('/dev/log') : null;
    const sys = await startSyslog(dir);
    try {
      // logger(1) without --socket writes to /dev/log, as Postfix's syslog(3) calls do.
      const r = sys.run('logger', ['-p', 'mail.info', '-t', 'postfix-lab/smtpd', 'lab hello']);
      expect(r.status).toBe(0);
      sys.noise(500);
      await sys.sync();
      const rfc = readFileSync(sys.files.rfc3339, 'utf8');
      const classic = readFileSync(sys.files.classic, 'utf8');
      const shared = readFileSync(sys.files.shared, 'utf8');
      expect(rfc).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d \S+ postfix-lab\/smtpd(?:\[\d+\])?: lab hello$/m);
      expect(classic).toMatch(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ postfix-lab\/smtpd(?:\[\d+\])?: lab hello$/m);
      expect(shared).toMatch(/postfix-lab\/smtpd(?:\[\d+\])?: lab hello$/m);
      // The noise goes to the shared file only (none of it is mail).
      expect(shared.split('\n').length).toBeGreaterThan(500);
      expect(rfc).not.toContain('CRON[');
      expect(shared).toContain('CRON[');
      // The machine's /dev/log is what it was, or the empty bind target (never rsyslogd's socket).
      const after = lstatSync('/dev/log');
      if (before) expect([after.ino, after.isSocket()]).toEqual([before.ino, before.isSocket()]);
      else expect([after.isFile(), after.size]).toEqual([true, 0]);
    } finally {
      await sys.stop();
    }
  });

  test('noise is deterministic per seed and never a mail program', () => {
    expect(noiseLines(50, 7)).toEqual(noiseLines(50, 7));
    expect(noiseLines(2000, 3).every((l) => l.facility !== 'mail' && !/postfix|exim|dovecot/.test(l.tag))).toBe(true);
  });
});

describe('scenarios', () => {
  test('expected groups come from the declared recipients; findings compare as a set with counts', async () => {
    const { Scenarios, groupsOf, agreement } = await import('./scenario.js');
    const lab = new Scenarios();
    const uu = { direction: 'outbound' as const, cause: 'user-unknown', hint: 'remove the address from lists' };
    lab.expect('a@gmail.test', uu);
    lab.expect('b@Gmail.test', uu, 2);
    lab.expect('x@local.test', { direction: 'inbound', cause: 'access-policy', hint: 'postscreen_access_list', recipientDomain: null });
    lab.accept('ok@gmail.test');
    expect(lab.groups()).toEqual([
      { direction: 'inbound', recipientDomain: null, cause: 'access-policy', hint: 'postscreen_access_list', count: 1 },
      { direction: 'outbound', recipientDomain: 'gmail.test', ...uu, count: 3 },
    ]);
    expect(lab.events).toBe(4);
    // Order and extra fields of findings do not matter; a finding split in two is summed by key.
    const findings = [
      { rank: 1, direction: 'outbound', recipientDomain: 'gmail.test', cause: 'user-unknown', hint: 'remove the address from lists', count: 2, mta: 'postfix' },
      { rank: 2, direction: 'inbound', recipientDomain: null, cause: 'access-policy', hint: 'postscreen_access_list', count: 1 },
      { rank: 3, direction: 'outbound', recipientDomain: 'gmail.test', cause: 'user-unknown', hint: 'remove the address from lists', count: 1 },
    ];
    expect(groupsOf(findings)).toEqual(lab.groups());
    const off = agreement(groupsOf(findings.slice(0, 2)), lab.groups());
    expect([off.exact, off.total, off.missing.length, off.unexpected.length]).toEqual([1, 2, 1, 1]);
  });
});

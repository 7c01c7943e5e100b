/**
 * `--events`: every rejection, bounce and deferral as one NDJSON line named after ECS, valid
 * against the schema that ships in schema/events.schema.json, as many as the report counts,
 * control sequences stripped, written as they come in follow mode, and a failed write is an error.
 */
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Report } from '../../src/aggregate/types.js';
import { validate, type JsonSchema } from '../helpers/json-schema.js';
import { BIN, ROOT, run } from '../helpers/cli.js';

const SCHEMA = JSON.parse(readFileSync(join(ROOT, 'schema/events.schema.json'), 'utf8')) as JsonSchema;
const SAMPLES = [
  ['postfix', ['samples/postfix/mail.log.2.gz', 'samples/postfix/mail.log.1', 'samples/postfix/mail.log']],
  ['exim', ['samples/exim/mainlog', 'samples/exim/rejectlog']],
  ['exchange', ['samples/exchange/MSGTRK20261122-1.LOG', 'samples/exchange/RECV20261122-1.LOG']],
] as const;

const HOSTILE = [
  'Nov 22 06:25:02 mx1 postfix/smtpd[123]: NOQUEUE: reject: RCPT from client.example.net[192.0.2.10]: 550 5.1.1 <nobody@example.org>: Recipient address rejected: User unknown in virtual alias table \u001b[31mX\u001b]8;;http://evil\u0007\u202e; from=<a@example.net> to=<nobody@example.org> proto=ESMTP helo=<client.example.net>',
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mld-events-'));
});

const lines = (text: string): Array<Record<string, any>> =>
  text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, any>);

describe.each(SAMPLES)('--events over the %s samples', (_mta, files) => {
  test('one valid line per rejection, bounce and deferral the report counts', async () => {
    const out = join(dir, `${_mta}.ndjson`);
    const r = await run([...files, '--year', '2026', '--format', 'json', '--events', out]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    const docs = lines(readFileSync(out, 'utf8'));
    expect(docs.length).toBe(report.findings.reduce((n, f) => n + f.count, 0));
    for (const d of docs) expect(validate(SCHEMA, d)).toEqual([]);
    // Per finding identity, the events add up to its count.
    const byFinding = new Map<string, number>();
    for (const d of docs) {
      const k = `${d.maillog.mta} ${d.maillog.direction} ${d.destination?.domain ?? null} ${d.maillog.cause} ${d.maillog.hint}`;
      byFinding.set(k, (byFinding.get(k) ?? 0) + 1);
    }
    for (const f of report.findings) expect(byFinding.get(`${f.mta} ${f.direction} ${f.recipientDomain} ${f.cause} ${f.hint}`)).toBe(f.count);
    expect(docs.every((d) => d.event.category[0] === 'email' && d.event.outcome === 'failure')).toBe(true);
  });
});

describe('--events output', () => {
  test('a rejection in full, control sequences stripped', async () => {
    const log = join(dir, 'hostile.log');
    writeFileSync(log, HOSTILE.join('\n') + '\n');
    const r = await run([log, '--year', '2026', '--events', '-']);
    expect(r.code).toBe(0);
    // `--events -` has standard output: the report is not printed there.
    const docs = lines(r.stdout);
    expect(docs).toEqual([
      {
        '@timestamp': '2026-11-22T06:25:02.000Z',
        host: { name: 'mx1' },
        event: { kind: 'event', category: ['email'], type: ['info'], action: 'rejected', outcome: 'failure', code: '5.1.1' },
        email: { direction: 'inbound', from: { address: ['a@example.net'] }, to: { address: ['nobody@example.org'] } },
        source: { ip: '192.0.2.10', domain: 'client.example.net' },
        destination: { domain: 'example.org' },
        maillog: {
          mta: 'postfix',
          direction: 'inbound',
          permanent: true,
          cause: 'user-unknown',
          hint: docs[0]!.maillog.hint,
          rule: docs[0]!.maillog.rule,
          smtp_code: 550,
          enhanced_status: '5.1.1',
          reply_text: expect.stringContaining('User unknown in virtual alias table'),
        },
      },
    ]);
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(validate(SCHEMA, docs[0])).toEqual([]);
  });

  test('a write that fails: one line naming the target, exit 1', async () => {
    const r = await run([join(ROOT, 'samples/postfix/mail.log'), '--year', '2026', '--events', '/dev/full', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^maillog-doctor: \/dev\/full: could not write the events: no space left on the device/m);
  });

  test('a target that cannot be opened is a one-line error', async () => {
    const r = await run([join(ROOT, 'samples/postfix/mail.log'), '--events', join(dir, 'no/such/dir/x.ndjson')]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/cannot write the events/);
  });

  test('follow mode writes each event as it is read', async () => {
    const log = join(dir, 'live.log');
    const out = join(dir, 'live.ndjson');
    writeFileSync(log, 'Nov 22 06:25:01 mx1 postfix/smtpd[123]: connect from client.example.net[192.0.2.10]\n');
    const child = spawn(process.execPath, [BIN, '-f', log, '--mta', 'postfix', '--year', '2026', '--events', out, '--format', 'json'], {
      cwd: ROOT,
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const until = async (what: () => boolean, ms: number) => {
      const end = Date.now() + ms;
      while (!what() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      return what();
    };
    try {
      for (let i = 1; i <= 2; i++) {
        appendFileSync(log, HOSTILE[0]!.replace('06:25:02', `06:26:0${i}`) + '\n');
        const seen = await until(() => existsSync(out) && lines(readFileSync(out, 'utf8')).length === i, 10_000);
        expect(seen).toBe(true);
      }
    } finally {
      child.kill('SIGTERM');
    }
    await closed;
    const docs = lines(readFileSync(out, 'utf8'));
    expect(docs.map((d) => d['@timestamp'])).toEqual(['2026-11-22T06:26:01.000Z', '2026-11-22T06:26:02.000Z']);
    // The follow lines still go to standard output.
    expect(lines(stdout)).toHaveLength(2);
  });
});

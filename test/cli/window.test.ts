/** --since / --until through the built executable (the window itself: test/window/window.test.ts). */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { run } from '../helpers/cli.js';

describe('the window in a run', () => {
  test('CLI: bad values are usage errors (exit 2), the text report names the window', async () => {
    const bad = await run(['--since', 'lastweek', 'samples/postfix/mail.log']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^maillog-doctor: --since: not a time: lastweek/);
    const order = await run(['--since', 'today', '--until', 'yesterday', 'samples/postfix/mail.log']);
    expect(order.code).toBe(2);
    const ok = await run(['--since', '2026-11-22 06:30', '--until', '2026-11-22T07:00Z', '--year', '2026', 'samples/postfix/mail.log']);
    expect(ok.code).toBe(0);
    expect(ok.stdout.split('\n')[0]).toMatch(/^Window 2026-11-22T06:30:00\.000Z \.\. 2026-11-22T07:00:00\.000Z \([0-9]+ events outside it left out\)\.$/);
  }, 30_000);

  test('the fronts on one and two threads window every kind as lines read as text do', async () => {
    const args = ['samples/postfix/mail.log', '--year', '2026', '--since', '2026-11-22T12:00Z', '--format', 'json'];
    const ways = [
      { MAILLOG_DOCTOR_THREADS: '1', MAILLOG_DOCTOR_FRONT: '0' },
      { MAILLOG_DOCTOR_THREADS: '1' },
      { MAILLOG_DOCTOR_THREADS: '2' },
    ];
    const [one, ...others] = await Promise.all(ways.map(async (env) => JSON.parse((await run(args, { env: { ...process.env, ...env } })).stdout)));
    for (const other of others) {
      expect(other.traffic).toEqual(one.traffic);
      expect(other.summary.window).toEqual(one.summary.window);
    }
    expect(one.traffic.received).toBeGreaterThan(0);
  }, 30_000);

  test('CLI follow mode prints only the problems inside the window', async () => {
    const all = await run(['-f', '-', '--year', '2026'], { input: readFileSync('samples/postfix/mail.log') });
    const part = await run(['-f', '-', '--year', '2026', '--since', '2026-11-22T06:30Z', '--until', '2026-11-22T07:00Z'], {
      input: readFileSync('samples/postfix/mail.log'),
    });
    const times = part.stdout.trim().split('\n').map((l) => l.slice(0, 24));
    expect(times.length).toBeGreaterThan(0);
    expect(times.length).toBeLessThan(all.stdout.trim().split('\n').length);
    for (const t of times) expect(t >= '2026-11-22T06:30:00.000Z' && t < '2026-11-22T07:00:00.000Z').toBe(true);
  }, 30_000);
});

/**
 * Exim's plain arrivals reach the main thread as state updates (parsers/exim/front.ts): no
 * event is built, yet later lines of the message read their sender and client, a repeated
 * arrival counts once, and a bounce's arrival (`<= <> R=<parent>`) still gives its notification,
 * whatever the number of threads.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import type { MailEvent } from '../src/event.js';
import { NOW, tempFiles, THREAD_MODES } from './helpers/pipeline-files.js';

// The reader thread starts from the compiled module only (as in bench-equivalence.test.ts).
type Pipeline = typeof import('../src/pipeline.js');
let analyse: Pipeline['analyse'];

const ID = '1xVDrw-000000004ov-00Cf';
const LINES = [
  `2026-11-22 10:00:00 ${ID} <= alice@sender.test H=mail.sender.test (helo.sender.test) [192.0.2.44] P=esmtp S=1234 for bob@remote.test`,
  `2026-11-22 10:00:05 ${ID} ** bob@remote.test R=dnslookup T=remote_smtp H=mx.remote.test [198.51.100.5]: SMTP error from remote mail server after RCPT TO:<bob@remote.test>: 550 5.1.1 User unknown`,
  `2026-11-22 10:00:06 1xVDs1-000000004ov-00Cf <= <> R=${ID} U=Debian-exim P=local S=2345`,
  `2026-11-22 10:00:07 ${ID} Completed`,
];

let path = '';
let copy = '';
beforeAll(async () => {
  analyse = ((await import('../dist/src/pipeline.js' as string)) as Pipeline).analyse;
  const file = tempFiles();
  path = file('mainlog', LINES.join('\n') + '\n');
  // The same log again (a copy, or a rotation read twice), without its Completed: the message
  // is still known when its arrival is read again.
  copy = file('mainlog.copy', LINES.slice(0, 3).join('\n') + '\n');
});

describe.for(THREAD_MODES)('$name', ({ threads, sentOn, front }) => {
  test('a failure of the message reads the arrival’s sender and client', async () => {
    const problems: MailEvent[] = [];
    const r = await analyse([path], { now: NOW, threads, sentOn, front, onProblem: (ev) => problems.push(ev) });
    if (threads === 2) expect(r.readByThread).toEqual([path]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ kind: 'delivery', status: 'bounced', from: 'alice@sender.test', client: { name: 'mail.sender.test', ip: '192.0.2.44' } });
    const report = r.aggregator.snapshot(r.stats);
    expect([report.traffic.received, report.summary.eventsByKind.notification]).toEqual([2, 1]);
    expect(report.summary.linesRecognised).toBe(4);
  });

  test('an arrival read twice counts once', async () => {
    const r = await analyse([copy, path], { now: NOW, threads, sentOn, front });
    const report = r.aggregator.snapshot(r.stats);
    expect([report.traffic.received, report.summary.eventsByKind.notification, report.summary.linesRecognised]).toEqual([2, 1, 7]);
  });
});

/**
 * Exim's successful local deliveries take the sent shortcut (counted, not turned into events),
 * on this thread or on the reader thread; they must still teach which domains the server hosts
 * (src/classify/local-domains.ts), the original recipient's included, so that a later failed
 * delivery to such a domain is `local`, whatever the number of threads.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { NOW, tempFiles, THREAD_MODES } from './helpers/pipeline-files.js';

// The reader thread starts from the compiled module only (as in bench-equivalence.test.ts).
type Pipeline = typeof import('../src/pipeline.js');
let analyse: Pipeline['analyse'];

const failed = (id: string, to: string, at: string) =>
  `2026-11-22 ${at} ${id} ** ${to} R=dnslookup T=remote_smtp H=store.example [10.0.0.5]: SMTP error from remote mail server after RCPT TO:<${to}>: 550 5.1.1 User unknown`;
const LINES = [
  // Before anything is learnt: outbound.
  failed('1xVDrv-000000004ov-00Cf', 'early@hosted.test', '09:59:00'),
  '2026-11-22 10:00:00 1xVDrw-000000004ov-00Cf => alice@hosted.test <alias@aliased.test> R=localuser T=local_delivery',
  // An SMTP delivery teaches nothing.
  '2026-11-22 10:00:01 1xVDrx-000000004ov-00Cf => bob@remote.test R=dnslookup T=remote_smtp H=mx.remote.test [192.0.2.7] C="250 OK"',
  failed('1xVDry-000000004ov-00Cf', 'ghost@hosted.test', '10:01:00'),
  failed('1xVDrz-000000004ov-00Cf', 'ghost@aliased.test', '10:02:00'),
  failed('1xVDs0-000000004ov-00Cf', 'ghost@remote.test', '10:03:00'),
];

let path = '';
beforeAll(async () => {
  analyse = ((await import('../dist/src/pipeline.js' as string)) as Pipeline).analyse;
  path = tempFiles()('mainlog', LINES.join('\n') + '\n');
});

describe.for(THREAD_MODES)('$name', ({ threads, sentOn, front }) => {
  test('a local delivery makes later failures to its domains local', async () => {
    const r = await analyse([path], { now: NOW, threads, sentOn, front });
    if (threads === 2) expect(r.readByThread).toEqual([path]);
    const report = r.aggregator.snapshot(r.stats);
    const direction = (domain: string) =>
      report.findings
        .filter((f) => f.recipientDomain === domain)
        .map((f) => [f.direction, f.count])
        .sort();
    expect(direction('hosted.test')).toEqual([
      ['local', 1],
      ['outbound', 1],
    ]);
    expect(direction('aliased.test')).toEqual([['local', 1]]);
    expect(direction('remote.test')).toEqual([['outbound', 1]]);
    expect(report.summary.eventsByStatus.sent).toBe(2);
  });
});

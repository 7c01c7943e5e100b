/**
 * The traffic overview against pflogsumm (Debian package `pflogsumm`, which .ci/run installs) on
 * the shipped Postfix samples: the totals an admin replacing it compares first. Skipped, with the
 * reason in the run's summary line, when pflogsumm is not installed.
 *
 * Where the two count differently (README, "Traffic overview"):
 * - received: pflogsumm counts smtpd `client=` and pickup lines; we count messages that entered
 *   the queue (qmgr's first `from=<…>, size=…` of a queue id). So we add the bounce notices this
 *   server generated and messages queued before the log began, and leave out the messages smtpd
 *   opened a queue file for but that never reached the queue (refused at RCPT after a queue id
 *   was assigned, or at end of data by a milter or cleanup). The constants below were counted
 *   from the files: received = pflogsumm + notices + older − never queued.
 * - bounced: pflogsumm counts `status=bounced` lines; ours adds the recipients that expired
 *   (qmgr `status=expired, returned to sender`), reported apart as `expired` too.
 * - delivered, deferred (messages and attempts), rejected (refusals): equal.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ReportSchema } from '../../src/report/schema.js';
import { ROOT, run } from '../helpers/cli.js';
import { noPflogsumm, pflogsummTotals } from '../helpers/pflogsumm.js';
import { skipNote } from '../helpers/skip.js';

const why = noPflogsumm;
skipNote('pflogsumm comparison', why);

async function ours(path: string) {
  const r = await run([path, '--format', 'json'], { env: { ...process.env, TZ: 'UTC' } });
  expect(r.code).toBe(0);
  return ReportSchema.parse(JSON.parse(r.stdout)).traffic;
}

describe.skipIf(why !== null)('traffic totals against pflogsumm', () => {
  test.for([
    // notices: bounce notices this server generated; older: queued before the log began;
    // neverQueued: client= lines whose message never reached qmgr.
    { file: 'samples/postfix/mail.log', notices: 46, older: 2, neverQueued: 16 },
    { file: 'samples/postfix/mail.log.1', notices: 39, older: 4, neverQueued: 11 },
  ])('$file', async ({ file, notices, older, neverQueued }) => {
    const path = join(ROOT, file);
    const [p, t] = await Promise.all([pflogsummTotals(path), ours(path)]);
    expect(t.delivered).toBe(p.delivered);
    expect(t.deferred).toEqual({ messages: p.deferred, attempts: p.deferrals });
    expect(t.rejected.attempts).toBe(p.rejected);
    expect(t.bounced - t.expired).toBe(p.bounced);
    expect(t.received).toBe(p.received + notices + older - neverQueued);
  }, 60_000);
});

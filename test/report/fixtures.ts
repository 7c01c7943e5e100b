/** Reports for renderer tests, built through the real aggregator. */
import { Aggregator, emptyRunStats } from '../../src/aggregate/aggregator.js';
import type { RunStats, Snapshot } from '../../src/aggregate/types.js';
import type { Classification } from '../../src/classify/types.js';
import type { MailEvent } from '../../src/event.js';
import { cls, delivery, reject, temp } from '../aggregate/fixtures.js';

export const ESC = '\u001b';

export function reportOf(items: Array<[MailEvent, Classification | null]>, run: Partial<RunStats> = {}): Snapshot {
  const a = new Aggregator();
  for (const [ev, c] of items) a.add(ev, c);
  return a.snapshot({ ...emptyRunStats(), ...run });
}

/** A small realistic report: a 550 5.1.1 finding, a 450 greylisting one, an outbound bounce. */
export function sampleReport(run: Partial<RunStats> = {}): Snapshot {
  return reportOf(
    [
      [reject({ to: 'bob@example.com', time: '2024-05-01T08:00:00Z' }), cls()],
      [reject({ to: 'eve@example.com', time: '2024-05-01T09:00:00Z' }), cls()],
      [reject({ to: 'bob@example.com', time: '2024-05-01T10:00:00Z' }), cls()],
      [
        reject({ to: 'ann@example.org', smtpCode: 450, enhancedStatus: '4.2.0', time: '2024-05-01T11:00:00Z' }),
        temp({ verify: 'postgrey --dump' }),
      ],
      [
        delivery({ to: 'carol@remote.test', time: '2024-05-01T12:00:00Z' }),
        cls({ direction: 'outbound', hint: 'remote says user unknown', verify: 'postqueue -p' }),
      ],
      [delivery({ status: 'sent', to: 'ok@remote.test' }), null],
    ],
    {
      linesRead: 120,
      linesRecognised: 100,
      linesIgnored: 15,
      ignoredByReason: { session: 10, tls: 5 },
      linesUnrecognised: 5,
      files: [
        { path: '/var/log/mail.log', format: 'postfix', lines: 100, unrecognised: 5 },
        { path: '/var/log/mail.log.1.gz', format: 'unknown (gzip)', lines: 20, unrecognised: 0, error: 'unexpected end of file' },
      ],
      ...run,
    },
  );
}

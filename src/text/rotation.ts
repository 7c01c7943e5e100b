/**
 * One sentence for a rotation of a followed log, the same in the text report and the view:
 * `/var/log/mail.log → mail.log.1 at 09:02:13 UTC`. The target is shown by its name alone when
 * it sits beside the log (as logrotate puts it). Not sanitised: callers sanitise what they show.
 */
import { basename, dirname } from 'node:path';

const REASON_TEXT = { rename: 'renamed', recreate: 'deleted', truncate: 'copied and truncated' } as const;

export function describeRotation(r: { path: string; to: string | null; reason: 'rename' | 'recreate' | 'truncate'; at: string }): string {
  const to = r.to === null ? (r.reason === 'truncate' ? 'truncated, no copy found' : REASON_TEXT[r.reason]) : dirname(r.to) === dirname(r.path) ? basename(r.to) : r.to;
  // `at` is ISO 8601 in UTC: its clock time, to the second.
  const clock = r.at.length >= 19 ? `${r.at.slice(11, 19)} UTC` : r.at;
  return `${r.path} → ${to} at ${clock}${r.to !== null && r.reason === 'truncate' ? ' (copytruncate)' : ''}`;
}

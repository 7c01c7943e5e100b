/** pflogsumm (Debian package `pflogsumm`) as a reference for the traffic overview's totals. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

export const PFLOGSUMM = '/usr/sbin/pflogsumm';
export const noPflogsumm: string | null = existsSync(PFLOGSUMM) ? null : 'pflogsumm is not installed (apt-get install pflogsumm)';

/**
 * pflogsumm's "Grand Totals": received, delivered, deferred (deferrals), bounced, rejected.
 * `syslogName`: Postfix's syslog_name when it is not `postfix` (pflogsumm reads only that one).
 */
export async function pflogsummTotals(path: string, syslogName?: string): Promise<Record<string, number>> {
  const args = ['--detail', '0', ...(syslogName ? [`--syslog-name=${syslogName}`] : []), path];
  const { stdout } = await promisify(execFile)(PFLOGSUMM, args, { env: { ...process.env, TZ: 'UTC' }, timeout: 60_000 });
  const num = (re: RegExp): number => {
    const m = re.exec(stdout);
    if (!m) throw new Error(`pflogsumm output lacks ${re}`);
    return Number(m[1]);
  };
  const deferrals = /deferred\s+\((\d+)\s+deferrals\)/.exec(stdout);
  return {
    received: num(/^\s*(\d+)\s+received$/m),
    delivered: num(/^\s*(\d+)\s+delivered$/m),
    deferred: num(/^\s*(\d+)\s+deferred/m),
    deferrals: deferrals ? Number(deferrals[1]) : 0,
    bounced: num(/^\s*(\d+)\s+bounced$/m),
    rejected: num(/^\s*(\d+)\s+rejected/m),
  };
}

/**
 * The syslog envelope in front of each line, the way rsyslog writes it: classic RFC 3164
 * (`Nov  2 06:25:01 mx1 postfix/smtpd[123]: `) or, since Debian 12, RFC 3339 with microseconds.
 * Times are the host's local wall clock at a fixed UTC offset, independent of the machine's TZ.
 */
import type { LogFormat, LogRecord } from './postfix.js';

const S = 1_000_000; // microseconds per second
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');

/** `Nov  2 06:25:01` (syslog pads the day with a space), as anvil also writes it. */
export function classicStamp(local: Date): string {
  const day = String(local.getUTCDate()).padStart(2, ' ');
  return `${MONTHS[local.getUTCMonth()]} ${day} ${pad2(local.getUTCHours())}:${pad2(local.getUTCMinutes())}:${pad2(local.getUTCSeconds())}`;
}

/** Writes the syslog envelope the way rsyslog does: classic RFC 3164 or Debian 12's RFC 3339. */
export class LineFormatter {
  private lastSecond = -1;
  private lastStamp = '';
  private readonly zone: string;

  constructor(
    private readonly style: LogFormat,
    private readonly host: string,
    private readonly tzOffsetMinutes: number,
  ) {
    const a = Math.abs(tzOffsetMinutes);
    this.zone = `${tzOffsetMinutes < 0 ? '-' : '+'}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`;
  }

  /** Local wall-clock time of a record, as a Date whose UTC fields hold the local values. */
  local(us: number): Date {
    return new Date(Math.floor(us / 1000) + this.tzOffsetMinutes * 60_000);
  }

  format(rec: LogRecord): string {
    const second = Math.floor(rec.us / S);
    if (second !== this.lastSecond) {
      const d = this.local(rec.us);
      this.lastStamp =
        this.style === 'classic'
          ? classicStamp(d)
          : `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
      this.lastSecond = second;
    }
    const stamp = this.style === 'classic' ? this.lastStamp : `${this.lastStamp}.${String(rec.us % S).padStart(6, '0')}${this.zone}`;
    const prog = rec.pid === null ? rec.program : `${rec.program}[${rec.pid}]`;
    return `${stamp} ${this.host} ${prog}: ${rec.text}`;
  }
}


/**
 * The server-health lines seen last on each host, so that a refusal or deferral that follows
 * one in the same process (an smtpd session: same pid) or the same minute can name it as its
 * likely cause ("451 4.3.0 after: hash:/etc/postfix/transport is unavailable").
 *
 * Caps: RECENT_PER_HOST notes per host (the newest win), RECENT_HOSTS hosts (past it, the host
 * seen longest ago is forgotten; counted in `evicted`).
 */
import type { HealthEvent, MailEvent } from '../event.js';

export const RECENT_PER_HOST = 8;
export const RECENT_HOSTS = 256;
/** A note still explains a refusal of the same process this long after it. */
const SAME_PID_MS = 10 * 60_000;
/** …and one of any process of the host this long after it. */
const SAME_MINUTE_MS = 60_000;
/** Longest cause text kept. */
const CAUSE_MAX = 160;

interface Note {
  ms: number;
  pid: number | null;
  cause: string;
}

/** `hash:/etc/postfix/transport is unavailable. open database …` → its first sentence. */
export function causeText(ev: Pick<HealthEvent, 'text'>): string {
  const dot = ev.text.indexOf('. ');
  const s = dot > 0 ? ev.text.slice(0, dot) : ev.text;
  return s.length > CAUSE_MAX ? s.slice(0, CAUSE_MAX - 1) + '…' : s;
}

/** The syslog pid in a raw line (`program[pid]:`, or Exim's own `[pid]` prefix), or null. */
export function pidOfLine(raw: string, program: string | null): number | null {
  let open = program !== null ? raw.indexOf(program + '[') : -1;
  if (open >= 0) open += program!.length;
  else {
    open = raw.indexOf(' [');
    if (open < 0 || open > 48) return null;
    open += 1;
  }
  let n = 0;
  let p = open + 1;
  for (const stop = p + 10; p < stop; p++) {
    const c = raw.charCodeAt(p);
    if (c < 48 || c > 57) break;
    n = n * 10 + c - 48;
  }
  return p > open + 1 && raw.charCodeAt(p) === 93 /* ] */ ? n : null;
}

export class RecentHealth {
  private readonly hosts = new Map<string, Note[]>();
  evicted = 0;

  note(ev: HealthEvent): void {
    if (ev.time === null) return;
    const ms = Date.parse(ev.time);
    const key = ev.host ?? '';
    let notes = this.hosts.get(key);
    if (notes === undefined) {
      if (this.hosts.size >= RECENT_HOSTS) {
        const oldest = this.hosts.keys().next().value as string;
        this.hosts.delete(oldest);
        this.evicted++;
      }
      notes = [];
    } else this.hosts.delete(key); // re-inserted below: the map's order is the hosts' recency
    this.hosts.set(key, notes);
    notes.push({ ms, pid: ev.pid, cause: causeText(ev) });
    if (notes.length > RECENT_PER_HOST) notes.shift();
  }

  /** The likely cause of a problem event: the newest note of its host it follows closely enough, or null. */
  causeOf(ev: MailEvent): string | null {
    if (ev.time === null || this.hosts.size === 0) return null;
    const notes = this.hosts.get(ev.host ?? '');
    if (notes === undefined) return null;
    const ms = Date.parse(ev.time);
    let pid: number | null | undefined;
    for (let i = notes.length - 1; i >= 0; i--) {
      const n = notes[i]!;
      const gap = ms - n.ms;
      // Logged in the same second, the refusal may be written before the warning that caused it.
      if (gap < -1000) continue;
      if (gap <= SAME_MINUTE_MS || Math.floor(ms / 60_000) === Math.floor(n.ms / 60_000)) return n.cause;
      if (gap <= SAME_PID_MS && n.pid !== null) {
        if (pid === undefined) pid = pidOfLine(ev.raw, ev.program);
        if (pid === n.pid) return n.cause;
      }
    }
    return null;
  }
}

/** Numbers, sizes, durations and times as the TUI shows them. Pure, no locale: the same everywhere. */

/** `12,345`. */
export function formatCount(n: number): string {
  const s = String(Math.round(n));
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `1.5k`, `2.3M`: for rates. */
export function formatShort(n: number): string {
  if (n < 1_000) return String(Math.round(n));
  if (n < 1_000_000) return `${(n / 1_000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0)}M`;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** `512 B`, `1.5 MiB`. */
export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${UNITS[u]}`;
}

/** `0.4s`, `12s`, `3m05s`, `2h07m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 60) return `${Math.round(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s - m * 60)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h${String(m - h * 60).padStart(2, '0')}m`;
}

/** `2026-11-22 06:25` from an ISO 8601 UTC time (the reports' times are UTC). */
export function formatTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}

/** `2026-11-22 00:00 → 23:59 UTC`, or with both dates when they differ; `no times` when unknown. */
export function formatSpan(first: string | null, last: string | null): string {
  if (first === null || last === null) return 'no times';
  const a = formatTime(first);
  const b = formatTime(last);
  if (a.slice(0, 10) === b.slice(0, 10)) return `${a} → ${b.slice(11)} UTC`;
  return `${a} → ${b} UTC`;
}

/** `HH:MM` UTC of a time in milliseconds. */
export function clockOf(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

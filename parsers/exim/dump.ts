/**
 * Rejectlog header dumps. For a rejection after DATA (and for local_scan / non-SMTP ACL
 * rejections) Exim's log_write() appends to the rejectlog entry (log_selector rejected_header,
 * on by default), one per physical line:
 *
 *   Envelope-from: <sender>          Envelope-to: <first recipient>
 *       <further recipient>          (up to 5, then `    ...`)
 *   P Received: from …               `%c %s`: the header type letter (P Received, F From, T To,
 *   \tby host with smtp …            I Message-Id, R Reply-to, S Sender, C Cc, B Bcc, * deleted,
 *     Subject: …                     space for other headers) and the header as received, folded
 *   *** truncated ***                continuation lines included.
 *
 * These lines belong to the entry above them: ignored with reason `header`, never events.
 * Exim ≤ 4.x also wrote `Recipients: …` (spec, "Logging to syslog" example).
 */

/** Lines that can only start a dump (the first line after the entry). */
export function isDumpStart(line: string): boolean {
  return line.startsWith('Envelope-from: ') || line.startsWith('Envelope-to: ') || line.startsWith('Recipients: ');
}

/** Any line of a dump, once one is open. */
export function isDumpLine(line: string): boolean {
  const c0 = line.charCodeAt(0);
  // Folded continuation (tab or spaces), untyped header (`  Date: …`), extra recipients (`    <x>`).
  if (c0 === 9 || c0 === 32) return true;
  if (isDumpStart(line)) return true;
  if (line === '*** truncated ***') return true;
  // Typed header: `X Name: value` with X an upper-case letter or `*`.
  if (((c0 >= 65 && c0 <= 90) || c0 === 42) && line.charCodeAt(1) === 32) return isHeaderName(line, 2);
  return false;
}

/** An RFC 5322 field name (printable ASCII except `:`) at `at`, followed by `:`. */
function isHeaderName(line: string, at: number): boolean {
  let i = at;
  for (; i < line.length && i - at < 80; i++) {
    const c = line.charCodeAt(i);
    if (c === 58 /* : */) return i > at;
    if (c < 33 || c > 126) return false;
  }
  return false;
}

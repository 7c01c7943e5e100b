import { readFileSync } from 'node:fs';

/** The Postfix sample as `journalctl -o json` and `-o short-iso` would write it (UTC). */
export function journalOfSample(): { json: string; shortIso: string; lines: number } {
  const lines = readFileSync('samples/postfix/mail.log', 'utf8').split('\n').filter((l) => l !== '');
  const json: string[] = [];
  const iso: string[] = [];
  const re = /^Nov ([ 0-9]{2}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) (\S+) ([^[:\s]+)\[([0-9]+)\]: (.*)$/;
  for (const l of lines) {
    const m = re.exec(l);
    if (!m) continue;
    const t = Date.UTC(2026, 10, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]));
    // Every fifth MESSAGE as bytes, as journalctl writes a field it does not take for text.
    const message = json.length % 5 === 0 ? [...Buffer.from(m[8]!)] : m[8];
    json.push(JSON.stringify({ __REALTIME_TIMESTAMP: String(t * 1000), _HOSTNAME: m[5], SYSLOG_IDENTIFIER: m[6], _PID: m[7], _SYSTEMD_UNIT: 'postfix@-.service', MESSAGE: message }));
    iso.push(`${new Date(t).toISOString().slice(0, 19)}+0000 ${m[5]} ${m[6]}[${m[7]}]: ${m[8]}`);
  }
  return { json: json.join('\n') + '\n', shortIso: iso.join('\n') + '\n', lines: json.length };
}

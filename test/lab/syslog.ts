/**
 * A private syslog for a lab MTA: rsyslogd and the MTA run in a mount namespace of their own in
 * which /dev/log is a bind mount of rsyslogd's socket, so several labs can run at once and the
 * machine's /dev/log is never taken. rsyslogd writes the same stream with several templates:
 *
 *   rfc3339  mail.* with RSYSLOG_FileFormat             (`2026-12-04T17:30:00.123456+00:00 host postfix/smtpd[1]: …`)
 *   classic  mail.* with RSYSLOG_TraditionalFileFormat  (`Dec  4 17:30:00 host postfix/smtpd[1]: …`)
 *   shared   *.*    with RSYSLOG_TraditionalFileFormat, as /var/log/syslog: with noise() it also
 *            holds thousands of other programs' lines (systemd, cron, kernel, sshd, …)
 *
 *   const sys = await startSyslog(dir);          // after syslogMissing() === null
 *   sys.run('/usr/sbin/postfix', ['-c', conf, 'start']);   // runs inside the namespace
 *   sys.noise(2000);                              // other programs' lines, straight to the socket
 *   await sys.sync();                             // everything sent so far is in every file
 *   await sys.stop();
 *
 * A bind mount needs an existing target: when the machine has no /dev/log at all, an empty file
 * is created there (nothing listens on it, so nothing changes for anyone; it is the target the
 * private namespaces bind over). Needs root, unshare(1), nsenter(1), rsyslogd and python3 (which
 * writes datagrams to the socket: logger(1) would start one process per line).
 * Shared by the Postfix and the Exim labs: keep the API small.
 */
import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SyslogFiles {
  rfc3339: string;
  classic: string;
  shared: string;
}

export interface PrivateSyslog {
  /** rsyslogd's socket (the one /dev/log is inside the namespace). */
  socket: string;
  files: SyslogFiles;
  /** Runs a command inside the namespace (so its syslog(3) calls reach this rsyslogd); bounded by `timeoutMs`. */
  run(cmd: string, args: string[], timeoutMs?: number): SpawnSyncReturns<string>;
  /** Sends `lines` to the socket as programs do: `{ facility: 'cron', severity: 'info', tag: 'CRON[123]', message }`. */
  send(lines: readonly SyslogLine[]): void;
  /** Sends `n` lines of other programs (systemd, cron, kernel, sshd, dbus, …; none of them mail) in one go. */
  noise(n: number, seed?: number): void;
  /** Resolves once everything sent before it is written to every file (bounded: throws after ~10 s). */
  sync(): Promise<void>;
  /** Stops rsyslogd and leaves the namespace (processes started in it with run() must be stopped first). */
  stop(): Promise<void>;
}

export interface SyslogLine {
  facility: keyof typeof FACILITY;
  severity: keyof typeof SEVERITY;
  /** `program[pid]` or `program`. */
  tag: string;
  message: string;
}

export const FACILITY = { kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, cron: 9, authpriv: 10, local0: 16 } as const;
export const SEVERITY = { err: 3, warning: 4, notice: 5, info: 6, debug: 7 } as const;

/** Why the private syslog cannot run here, or null when it can. */
export function syslogMissing(): string | null {
  if (process.getuid?.() !== 0) return 'a mount namespace needs root';
  for (const tool of ['unshare', 'nsenter', 'rsyslogd', 'python3']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  return null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes `<PRI>TAG: message` datagrams, one per input line `PRI\tTAG\tMESSAGE`, to the socket in argv[1]. */
const SENDER = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.connect(sys.argv[1])
for line in sys.stdin.buffer:
    pri, tag, msg = line.rstrip(b"\\n").split(b"\\t", 2)
    s.send(b"<" + pri + b">" + tag + b": " + msg)
`;

/** Starts rsyslogd in a new mount namespace, with its files and socket in `dir` (created if need be). */
export async function startSyslog(dir: string): Promise<PrivateSyslog> {
  mkdirSync(dir, { recursive: true });
  const socket = join(dir, 'log.sock');
  const files: SyslogFiles = { rfc3339: join(dir, 'mail-rfc3339.log'), classic: join(dir, 'mail-classic.log'), shared: join(dir, 'syslog') };
  const conf = join(dir, 'rsyslog.conf');
  const work = join(dir, 'rsyslog-work');
  mkdirSync(work, { recursive: true });
  // No system socket (SysSock.Use off): only ours. No rate limit: a lab sends bursts on purpose.
  writeFileSync(
    conf,
    `global(workDirectory="${work}" maxMessageSize="64k")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="${socket}" RateLimit.Interval="0" UseSysTimeStamp="on")
mail.* action(type="omfile" file="${files.rfc3339}" template="RSYSLOG_FileFormat")
mail.* action(type="omfile" file="${files.classic}" template="RSYSLOG_TraditionalFileFormat")
*.* action(type="omfile" file="${files.shared}" template="RSYSLOG_TraditionalFileFormat")
`,
  );
  if (!existsSync('/dev/log')) {
    try {
      closeSync(openSync('/dev/log', 'wx'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const pidFile = join(dir, 'rsyslogd.pid');
  // The holder: a shell in the new namespace that starts rsyslogd, binds its socket over /dev/log
  // once it exists (at most 5 s), then waits on rsyslogd. nsenter joins its namespace.
  const script = `rsyslogd -n -f "$1" -i "$2" & i=0
while [ ! -S "$3" ]; do i=$((i+1)); if [ $i -gt 100 ]; then kill $!; exit 3; fi; sleep 0.05; done
mount --bind "$3" /dev/log || { kill $!; exit 4; }
echo bound
wait`;
  const holder: ChildProcess = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'holder', conf, pidFile, socket], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  let err = '';
  holder.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  holder.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  let exited = false;
  const gone = new Promise<void>((r) => holder.on('exit', () => ((exited = true), r())));
  for (let i = 0; i < 100 && !out.includes('bound'); i++) {
    if (exited) throw new Error(`private rsyslogd did not start: ${err.trim()}`);
    await sleep(100);
  }
  if (!out.includes('bound')) {
    process.kill(-holder.pid!, 'SIGKILL');
    throw new Error(`private rsyslogd did not start in 10 s: ${err.trim()}`);
  }
  const ns = String(holder.pid);

  const send = (lines: readonly SyslogLine[]) => {
    const input = lines
      .map((l) => `${FACILITY[l.facility] * 8 + SEVERITY[l.severity]}\t${l.tag}\t${l.message.replace(/[\r\n]/g, ' ')}\n`)
      .join('');
    const r = spawnSync('python3', ['-c', SENDER, socket], { input, timeout: 30_000 });
    if (r.status !== 0) throw new Error(`sending to the private syslog failed: ${r.stderr}`);
  };

  let syncs = 0;
  return {
    socket,
    files,
    run(cmd, args, timeoutMs = 60_000) {
      return spawnSync('nsenter', ['-t', ns, '-m', '--', cmd, ...args], { encoding: 'utf8', timeout: timeoutMs });
    },
    send,
    noise(n, seed = 1) {
      send(noiseLines(n, seed));
    },
    async sync() {
      // A mail-facility marker reaches all three files; other programs' lines in the mail files are
      // what real mail logs hold too (dovecot, opendkim, …).
      const marker = `lab sync ${++syncs} ${process.pid}`;
      send([{ facility: 'mail', severity: 'notice', tag: 'lab-sync', message: marker }]);
      const has = (f: string) => existsSync(f) && readFileSync(f, 'latin1').includes(marker);
      for (let i = 0; i < 100; i++) {
        if (has(files.rfc3339) && has(files.classic) && has(files.shared)) return;
        await sleep(100);
      }
      throw new Error('the private syslog did not write within 10 s');
    },
    async stop() {
      if (exited) return;
      try {
        process.kill(-holder.pid!, 'SIGTERM');
      } catch {
        return;
      }
      await Promise.race([gone, sleep(5000)]);
      if (!exited) process.kill(-holder.pid!, 'SIGKILL');
    },
  };
}

/**
 * `n` lines of what else a system log holds, deterministic for a seed: service starts and stops,
 * cron jobs, kernel messages, sshd logins and probes, dbus, a DHCP client. None is a mail program.
 */
export function noiseLines(n: number, seed = 1): SyslogLine[] {
  let s = seed >>> 0 || 1;
  const rnd = (k: number) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return (s >>> 8) % k;
  };
  const ip = () => `198.51.100.${1 + rnd(254)}`;
  const kinds: Array<() => SyslogLine> = [
    () => ({ facility: 'daemon', severity: 'info', tag: 'systemd[1]', message: `Started session-${rnd(9000)}.scope - Session ${rnd(9000)} of User root.` }),
    () => ({ facility: 'daemon', severity: 'info', tag: 'systemd[1]', message: 'Starting apt-daily.service - Daily apt download activities...' }),
    () => ({ facility: 'daemon', severity: 'info', tag: 'systemd[1]', message: 'logrotate.service: Deactivated successfully.' }),
    () => ({ facility: 'cron', severity: 'info', tag: `CRON[${1000 + rnd(60000)}]`, message: '(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)' }),
    () => ({ facility: 'cron', severity: 'info', tag: `CRON[${1000 + rnd(60000)}]`, message: 'pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)' }),
    () => ({ facility: 'kern', severity: 'warning', tag: 'kernel', message: `[${rnd(99999)}.${rnd(999999)}] [UFW BLOCK] IN=eth0 OUT= SRC=${ip()} DST=192.0.2.10 LEN=40 PROTO=TCP SPT=${rnd(65535)} DPT=23` }),
    () => ({ facility: 'kern', severity: 'info', tag: 'kernel', message: `[${rnd(99999)}.${rnd(999999)}] EXT4-fs (sda1): re-mounted. Opts: errors=remount-ro` }),
    () => ({ facility: 'authpriv', severity: 'info', tag: `sshd[${1000 + rnd(60000)}]`, message: `Invalid user admin from ${ip()} port ${1024 + rnd(60000)}` }),
    () => ({ facility: 'authpriv', severity: 'info', tag: `sshd[${1000 + rnd(60000)}]`, message: `Accepted publickey for deploy from ${ip()} port ${1024 + rnd(60000)} ssh2: ED25519 SHA256:x` }),
    () => ({ facility: 'authpriv', severity: 'notice', tag: `sshd[${1000 + rnd(60000)}]`, message: `Connection closed by authenticating user root ${ip()} port ${1024 + rnd(60000)} [preauth]` }),
    () => ({ facility: 'daemon', severity: 'notice', tag: `dbus-daemon[${300 + rnd(100)}]`, message: "[system] Successfully activated service 'org.freedesktop.hostname1'" }),
    () => ({ facility: 'daemon', severity: 'info', tag: `dhclient[${400 + rnd(100)}]`, message: `DHCPACK of 192.0.2.10 from 192.0.2.1 (xid=0x${rnd(0xffffff).toString(16)})` }),
    () => ({ facility: 'user', severity: 'notice', tag: 'root', message: `backup finished: ${rnd(900)} files` }),
  ];
  return Array.from({ length: n }, () => kinds[rnd(kinds.length)]!());
}

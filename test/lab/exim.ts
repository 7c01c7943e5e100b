/**
 * A throw-away Exim 4.96 for the Exim lab, run from Debian's unpacked package: `exim4-daemon-heavy`
 * and `postfix` conflict as packages, so the .debs are fetched with `apt-get download` and
 * unpacked with `dpkg -x` into a cache directory (never installed with dpkg -i, which would
 * remove Postfix). The binary looks up its compiled-in user `Debian-exim` at start, so that
 * system user must exist (.ci/run creates it; the lab skips with the reason when it is missing).
 *
 * The instance runs as root with `-C <private config>` (the spec, "Alternate configuration
 * files": root may name any file; processes Exim re-executes run with the Exim user's
 * privilege). It listens on 127.0.0.1 only, queues what it receives (`queue_only`) and is
 * delivered by explicit `-qff` runs, so that each step of a lab waits for exactly what it sent.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the .debs are unpacked (kept between runs; .ci/run fills it the same way). */
export const EXIM_CACHE = process.env.MLD_EXIM_CACHE ?? '/var/cache/maillog-doctor-exim';
export const EXIM_BIN = join(EXIM_CACHE, 'root/usr/sbin/exim4');
const PACKAGES = ['exim4-daemon-heavy', 'exim4-base'];

/** Unpacks the packages into EXIM_CACHE if need be; null when the binary runs, else why not. */
export function eximMissing(): string | null {
  if (process.getuid?.() !== 0) return 'running Exim with a private configuration needs root';
  for (const tool of ['swaks', 'python3']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  if (!existsSync(EXIM_BIN)) {
    mkdirSync(EXIM_CACHE, { recursive: true });
    const dl = spawnSync('apt-get', ['download', ...PACKAGES], { cwd: EXIM_CACHE, encoding: 'utf8', timeout: 120_000 });
    if (dl.status !== 0) return `apt-get download ${PACKAGES.join(' ')} failed: ${(dl.stderr ?? '').trim().slice(0, 200)}`;
    for (const deb of readdirSync(EXIM_CACHE).filter((f) => f.endsWith('.deb'))) {
      const x = spawnSync('dpkg', ['-x', join(EXIM_CACHE, deb), join(EXIM_CACHE, 'root')], { encoding: 'utf8', timeout: 60_000 });
      if (x.status !== 0) return `dpkg -x ${deb} failed: ${x.stderr}`;
    }
    if (!existsSync(EXIM_BIN)) return `the unpacked packages hold no ${EXIM_BIN}`;
  }
  if (spawnSync('id', ['Debian-exim']).status !== 0) return 'the Debian-exim user (compiled into the binary) does not exist';
  const v = spawnSync(EXIM_BIN, ['-bV', '-C', '/dev/null'], { encoding: 'utf8', timeout: 10_000 });
  if (!/Exim version 4\./.test(v.stdout ?? '')) return `exim4 -bV fails (shared libraries missing?): ${(v.stderr ?? v.stdout ?? '').trim().slice(0, 200)}`;
  return null;
}

export interface EximOptions {
  dir: string;
  port: number;
  sinkPort: number;
  /** `log_file_path`: files in `dir/log`, or `syslog`. */
  logTo: 'files' | 'syslog';
  logSelector: string;
  /** Commands to run before Exim's own (`nsenter -t <pid> -m --` for the private syslog's namespace). */
  prefix?: string[];
  /** Routers put before the lab's own (the first router that accepts wins; see exim-health.test.ts). */
  firstRouters?: string;
}

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs a command without blocking the event loop (the sink that Exim delivers to lives in this
 * process and must keep answering); killed after `timeoutMs`.
 */
export function runAsync(cmd: string, args: string[], timeoutMs = 60_000): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => (clearTimeout(timer), resolve({ status: null, stdout, stderr: stderr + String(e) })));
    child.on('close', (status) => (clearTimeout(timer), resolve({ status, stdout, stderr })));
  });
}

export interface Exim {
  mainlog: string;
  rejectlog: string;
  paniclog: string;
  /** `-qff`: every queued message delivered (or deferred/failed) once, then resolves. */
  runQueue(): Promise<void>;
  /** Messages still on the queue. */
  queued(): Promise<number>;
  /** The daemon's pid (from its pid file). */
  pid(): number;
  stop(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The lab's Exim configuration: every behaviour the scenarios provoke is set by a real Exim option. */
function config(o: EximOptions): string {
  const D = o.dir;
  return `# maillog-doctor Exim lab (generated)
exim_path = ${EXIM_BIN}
exim_user = Debian-exim
exim_group = Debian-exim
never_users = root
keep_environment =
primary_hostname = mx.lab.test
qualify_domain = lab.test
spool_directory = ${D}/spool
log_file_path = ${o.logTo === 'syslog' ? 'syslog' : `${D}/log/%slog`}
syslog_processname = exim4
log_selector = ${o.logSelector}
daemon_smtp_ports = ${o.port}
local_interfaces = 127.0.0.1
queue_only = true
host_lookup =
rfc1413_hosts =
tls_advertise_hosts =
message_size_limit = 20K
received_headers_max = 12
domainlist local_domains = lab.test
domainlist relay_to_domains = relay.test
domainlist sink_domains = relay.test : gmail.test : outlook.test : yahoo.test
hostlist relay_from_hosts = 127.0.0.1
acl_smtp_rcpt = acl_check_rcpt
acl_smtp_data = acl_check_data

begin acl

acl_check_rcpt:
  accept hosts = :
  deny    message = Restricted characters in address
          domains = +local_domains
          local_parts = ^[.] : ^.*[@%!/|]
  deny    local_parts = spamtrap
          message = 550 5.7.1 Spam trap hit: go away
  # A message longer than syslog's 870-character pieces; its last words decide its cause.
  deny    local_parts = longtext
          message = 550 5.7.1 ${'Mail from your network is not accepted here under our published policy. '.repeat(12)}Your host is listed on a DNS blocklist
  deny    senders = bulk@lab.test
          ratelimit = 2 / 1h / per_rcpt / strict / $sender_address
          message = Sender rate overlimit - $sender_rate / $sender_rate_period
  accept  hosts = +relay_from_hosts
  require verify = sender
  require message = relay not permitted
          domains = +local_domains : +relay_to_domains
  require verify = recipient
  accept

acl_check_data:
  deny    condition = \${if match{$h_subject:}{FORBIDDEN}}
          message = Content rejected: forbidden subject
  accept

begin routers
${o.firstRouters ?? ''}
sink:
  driver = manualroute
  domains = +sink_domains
  route_list = * 127.0.0.1
  transport = remote_smtp
  self = send

aliases:
  driver = redirect
  domains = +local_domains
  data = \${lookup{$local_part}lsearch{${D}/aliases}}
  allow_fail
  allow_defer
  pipe_transport = address_pipe

pipes:
  driver = accept
  domains = +local_domains
  local_parts = pipe67 : pipe75 : pipequota
  transport = pipe_t

localuser:
  driver = accept
  domains = +local_domains
  local_parts = lsearch;${D}/users
  transport = local_delivery

begin transports

remote_smtp:
  driver = smtp
  port = ${o.sinkPort}

local_delivery:
  driver = appendfile
  file = ${D}/mail/$local_part_data
  user = Debian-exim
  quota = \${if eq{$local_part}{full}{1K}{0}}

pipe_t:
  driver = pipe
  user = Debian-exim
  command = ${D}/pipe.sh $local_part_data
  log_fail_output
  log_defer_output

address_pipe:
  driver = pipe
  user = Debian-exim

begin retry

*  *  F,6s,1s
`;
}

export async function startExim(o: EximOptions): Promise<Exim> {
  const D = o.dir;
  for (const d of ['spool', 'log', 'mail']) {
    mkdirSync(join(D, d), { recursive: true });
    const uid = Number(spawnSync('id', ['-u', 'Debian-exim'], { encoding: 'utf8' }).stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'Debian-exim'], { encoding: 'utf8' }).stdout.trim());
    chownSync(join(D, d), uid, gid);
  }
  writeFileSync(
    join(D, 'aliases'),
    `postmaster: sender@lab.test
gone: :fail: This mailbox was closed on 2026-01-01, write to sales@example.org
retired: :fail: 550 5.1.1 retired user unknown here
devnull: :blackhole:
tempalias: :defer: alias backend being migrated
`,
  );
  // The pipe transport's command: exit 67 (EX_NOUSER), 75 (EX_TEMPFAIL), or print a quota text and exit 1.
  writeFileSync(
    join(D, 'pipe.sh'),
    '#!/bin/sh\ncat >/dev/null\ncase "$1" in\n  pipe67) exit 67;;\n  pipe75) exit 75;;\n  *) echo "mailbox quota exceeded for $1"; exit 1;;\nesac\n',
    { mode: 0o755 },
  );
  // `name: name`, so that $local_part_data (the lookup's value) is an untainted file name.
  writeFileSync(join(D, 'users'), ['sender', 'alice', 'bob', 'full', 'bulk'].map((u) => `${u}: ${u}`).join('\n') + '\n');
  const conf = join(D, 'exim.conf');
  writeFileSync(conf, config(o));
  const prefix = o.prefix ?? [];
  const exim = (...args: string[]) => runAsync(prefix[0] ?? EXIM_BIN, [...prefix.slice(1), ...(prefix.length > 0 ? [EXIM_BIN] : []), '-C', conf, ...args]);
  const pidFile = join(D, 'exim.pid');
  const start = await exim('-bd', '-oP', pidFile);
  if (start.status !== 0) throw new Error(`exim -bd failed: ${start.stderr}`);
  // The daemon is listening once it wrote its pid file (bounded wait).
  for (let i = 0; i < 50 && !existsSync(pidFile); i++) await sleep(100);
  if (!existsSync(pidFile)) throw new Error('exim daemon did not start in 5 s');
  return {
    mainlog: join(D, 'log/mainlog'),
    rejectlog: join(D, 'log/rejectlog'),
    paniclog: join(D, 'log/paniclog'),
    async runQueue() {
      // Exits non-zero when a delivery process complains on stderr (`exim user lost privilege
      // for using -C option`, expected here); only a run that did not end is an error.
      const r = await exim('-qff');
      if (r.status === null) throw new Error(`exim -qff did not end: ${r.stderr}`);
    },
    async queued() {
      return Number((await exim('-bpc')).stdout.trim());
    },
    pid() {
      return Number(readFileSync(pidFile, 'utf8').trim());
    },
    stop() {
      const pid = this.pid();
      if (pid > 1) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    },
  };
}

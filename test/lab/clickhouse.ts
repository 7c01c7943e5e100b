/**
 * A throw-away ClickHouse server for the tests: Debian's clickhouse-server (18.16) with a
 * private config in a temporary folder (data there too), on 127.0.0.1 at free ports, one user
 * with a password. start() waits for /ping at most START_WAIT_MS; kill() and start() again
 * keep the data (the kill-mid-stream test).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLICKHOUSE_BIN = '/usr/sbin/clickhouse-server';
const START_WAIT_MS = 30_000;
export const USER = 'mld';
export const PASSWORD = 'mld-test-secret';

/** Why the server cannot be run here, or null. */
export function noClickHouse(): string | null {
  return existsSync(CLICKHOUSE_BIN) ? null : `no ${CLICKHOUSE_BIN} (apt-get install clickhouse-server; .ci/run does)`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export class ClickHouseLab {
  readonly dir = mkdtempSync(join(tmpdir(), 'mld-clickhouse-'));
  httpPort = 0;
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  get url(): string {
    return `http://127.0.0.1:${this.httpPort}/`;
  }

  async start(): Promise<void> {
    if (this.httpPort === 0) {
      this.httpPort = await freePort();
      const tcpPort = await freePort();
      for (const d of ['data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(this.dir, d), { recursive: true });
      writeFileSync(
        join(this.dir, 'config.xml'),
        `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${this.dir}/server.log</log><errorlog>${this.dir}/server.err.log</errorlog><size>10M</size><count>1</count></logger>
  <http_port>${this.httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${this.dir}/data/</path>
  <tmp_path>${this.dir}/tmp/</tmp_path>
  <user_files_path>${this.dir}/user_files/</user_files_path>
  <format_schema_path>${this.dir}/format_schemas/</format_schema_path>
  <users_config>${this.dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
</yandex>
`,
      );
      writeFileSync(
        join(this.dir, 'users.xml'),
        `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
  <users>
    <${USER}><password>${PASSWORD}</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></${USER}>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`,
      );
    }
    const child = spawn(CLICKHOUSE_BIN, [`--config-file=${join(this.dir, 'config.xml')}`], { stdio: 'ignore' });
    this.child = child;
    this.exited = new Promise((resolve) => child.on('exit', () => resolve()));
    const end = Date.now() + START_WAIT_MS;
    while (Date.now() < end) {
      if (child.exitCode !== null) throw new Error(`clickhouse-server exited (${child.exitCode}); see ${this.dir}/server.err.log`);
      try {
        const r = await fetch(`${this.url}ping`, { signal: AbortSignal.timeout(1000) });
        if (r.ok) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    this.kill();
    throw new Error(`clickhouse-server did not answer /ping within ${START_WAIT_MS} ms`);
  }

  /** Stops it at once (SIGKILL), as a crash would; waits for the process to be gone. */
  async kill(): Promise<void> {
    if (this.child && this.child.exitCode === null) this.child.kill('SIGKILL');
    this.child = null;
    await this.exited;
  }

  /** Runs one statement as the test user; the body of the answer. */
  async query(sql: string): Promise<string> {
    const r = await fetch(this.url, {
      method: 'POST',
      body: sql,
      headers: { Authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` },
      signal: AbortSignal.timeout(15_000),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`ClickHouse ${r.status}: ${text}`);
    return text;
  }
}

/** Runs the built executable (the global setup builds first; a stale dist/ fails), as a user would. */
import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { assertFreshDist } from './dist.js';
import { ROOT } from './root.js';

export const BIN = fileURLToPath(new URL('../../bin/maillog-doctor', import.meta.url));
export { ROOT };

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function run(args: string[], opts: SpawnOptions & { input?: string | Buffer } = {}): Promise<RunResult> {
  assertFreshDist();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, TZ: 'UTC', FORCE_COLOR: '0' },
      ...opts,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr!.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    else child.stdin!.end();
  });
}

/**
 * Runs a script of the build other than the binary (dist/src/cli.js, a bundle) with `args`, as
 * run() runs the binary but synchronously; `nodeArgs` go to node before it, `env` over run()'s.
 */
export function runScript(script: string, args: string[], opts: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): RunResult {
  assertFreshDist();
  const r = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), script, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', FORCE_COLOR: '0', ...opts.env },
    timeout: 60_000,
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

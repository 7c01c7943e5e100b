/**
 * Stub programs for running verify commands for real without running anything: a folder of
 * one-line shell scripts named like the programs the commands call, each recording its name
 * and arguments, then passing its standard input through (so pipelines and `for m in $(…)`
 * loops go on) and failing (so the `|| …` fallbacks run too). `postconf` prints a map name, so
 * the loops over maps have something to loop over.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Every program a verify command may call, and the ones an injection would call (traps). */
export const STUBBED = [
  'postmap', 'postconf', 'postqueue', 'postcat', 'posttls-finger', 'postsuper', 'getent',
  'swaks', 'dig', 'host', 'nslookup', 'openssl', 'curl',
  'exim', 'exim_checkaccess', 'exim_dumpdb', 'exigrep', 'exiqgrep', 'exinext',
  'doveadm', 'grep', 'zgrep', 'awk', 'tail', 'head', 'tr', 'cut', 'sed', 'sort', 'df', 'ss', 'ls',
];
/** Programs that sit in the middle of pipelines: they pass their input on. */
const FILTERS = ['grep', 'zgrep', 'awk', 'tail', 'head', 'tr', 'cut', 'sed', 'sort'];
/** Programs only an injected command would run. */
export const TRAPS = ['touch', 'pwn', 'rm', 'id', 'sh', 'bash', 'nc', 'wget', 'python3', 'perl'];

export interface Call {
  program: string;
  args: string[];
}

export interface StubBin {
  dir: string;
  /**
   * Runs `script` in bash with only the stubs on PATH (bash's own printf is turned off, so the
   * stub records it too; `mark N` records a separator); the calls made, and bash's stderr.
   */
  run(script: string): { calls: Call[]; stderr: string; status: number | null };
}

const UNIT = '\u001f';
const RECORD = '\u001e';

export function makeStubBin(): StubBin {
  const dir = mkdtempSync(join(tmpdir(), 'mld-stubs-'));
  const log = join(dir, 'calls.log');
  for (const name of [...STUBBED, ...TRAPS, 'printf', 'mark']) {
    const out =
      name === 'postconf'
        ? "printf 'hash:/etc/postfix/stub\\n'"
        : name === 'exim'
          ? "[ \"$1\" = -bP ] && printf '/var/spool/exim4\\n'"
          : FILTERS.includes(name)
            ? '/bin/cat'
            : '';
    writeFileSync(
      join(dir, name),
      // The record is written with one printf: the programs of a pipeline run at once, and
      // several writes each would interleave in the log.
      `#!/bin/sh\nr="\${0##*/}"\nfor a in "$@"; do r="$r${UNIT}$a"; done\nprintf '%s${RECORD}' "$r" >> "$STUB_LOG"\n${out}\nexit 1\n`,
    );
    chmodSync(join(dir, name), 0o755);
  }
  return {
    dir,
    run(script: string) {
      writeFileSync(log, '');
      const r = spawnSync('/bin/bash', ['--norc', '--noprofile', '-c', `enable -n printf\n${script}`], {
        cwd: dir,
        env: { PATH: dir, STUB_LOG: log, HOME: dir, LC_ALL: 'C' },
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
        timeout: 120_000,
      });
      const calls = readFileSync(log, 'utf8')
        .split(RECORD)
        .filter((r) => r !== '')
        .map((r) => {
          const [program, ...args] = r.split(UNIT);
          return { program: program!, args };
        });
      return { calls, stderr: r.stderr, status: r.status };
    },
  };
}

import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { logFilesIn, rotationNumber } from '../../src/input/expand.js';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

function folder(names: string[], mtime: (name: string) => Date): string {
  dir = mkdtempSync(join(tmpdir(), 'md-expand-'));
  for (const n of names) {
    writeFileSync(join(dir, n), 'x\n');
    utimesSync(join(dir, n), mtime(n), mtime(n));
  }
  return dir;
}

describe('logFilesIn', () => {
  test('rotated files with equal mtimes are read oldest first, by rotation number (10 after 9, not before 2)', () => {
    const same = new Date('2026-11-22T06:00:00Z');
    const d = folder(['mail.log', 'mail.log.1', 'mail.log.2.gz', 'mail.log.10.gz', 'mail.log.9.gz', 'notes.txt'], () => same);
    expect(logFilesIn(d)!.map((p) => basename(p))).toEqual(['mail.log.10.gz', 'mail.log.9.gz', 'mail.log.2.gz', 'mail.log.1', 'mail.log']);
  });

  test('different mtimes still decide first', () => {
    const d = folder(['mail.log', 'mail.log.1', 'mail.log.2.gz'], (n) => new Date(n === 'mail.log.1' ? '2026-11-20T00:00:00Z' : '2026-11-22T00:00:00Z'));
    expect(logFilesIn(d)!.map((p) => basename(p))).toEqual(['mail.log.1', 'mail.log.2.gz', 'mail.log']);
  });

  test('dated names with equal mtimes go by name (oldest date first), before the live file', () => {
    const same = new Date('2026-11-22T06:00:00Z');
    const d = folder(['maillog', 'maillog-20261122.gz', 'maillog-20261115.gz'], () => same);
    expect(logFilesIn(d)!.map((p) => basename(p))).toEqual(['maillog-20261115.gz', 'maillog-20261122.gz', 'maillog']);
  });

  test('rotationNumber', () => {
    expect([rotationNumber('mail.log'), rotationNumber('mail.log.1'), rotationNumber('mainlog.12.gz'), rotationNumber('maillog-20261122.gz')]).toEqual([0, 1, 12, 0]);
  });
});

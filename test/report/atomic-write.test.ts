import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { lstat, mkdir, readFile, readdir, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  AtomicWriteError,
  cleanupPendingTempFiles,
  pendingTempFiles,
  writeFileAtomic,
} from '../../src/report/atomic-write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'maillog-doctor-aw-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  test('writes the data and leaves no temp file', async () => {
    const target = join(dir, 'report.csv');
    await writeFileAtomic(target, 'a,b\r\n');
    expect([await readFile(target, 'utf8'), await readdir(dir)]).toEqual(['a,b\r\n', ['report.csv']]);
  });

  test('replaces an existing file', async () => {
    const target = join(dir, 'report.json');
    await writeFile(target, 'old contents that are longer');
    await writeFileAtomic(target, '{}\n');
    expect(await readFile(target, 'utf8')).toBe('{}\n');
  });

  test('writes bytes as given', async () => {
    const target = join(dir, 'bin');
    await writeFileAtomic(target, new Uint8Array([0, 255, 10]));
    expect([...(await readFile(target))]).toEqual([0, 255, 10]);
  });

  test('creates the file with mode 0644 less the umask', async () => {
    const target = join(dir, 'mode');
    await writeFileAtomic(target, 'x');
    expect((await stat(target)).mode & 0o777).toBe(0o644 & ~process.umask());
  });

  test('replaces a symlink itself and leaves its old destination untouched', async () => {
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(elsewhere);
    const destination = join(elsewhere, 'important.txt');
    await writeFile(destination, 'keep me');
    const link = join(dir, 'report.csv');
    await symlink(destination, link);
    await writeFileAtomic(link, 'new report');
    expect([
      await readFile(destination, 'utf8'),
      (await lstat(link)).isSymbolicLink(),
      await readFile(link, 'utf8'),
    ]).toEqual(['keep me', false, 'new report']);
  });

  test('fails with a clear error when the target is a folder, leaving no temp file', async () => {
    const target = join(dir, 'taken');
    await mkdir(target);
    const err = await writeFileAtomic(target, 'x').catch((e: unknown) => e);
    expect([err instanceof AtomicWriteError, (err as AtomicWriteError).message, readdirSync(dir)]).toEqual([
      true,
      'the target is a folder (rename into place, EISDIR)',
      ['taken'],
    ]);
  });

  test('fails with ENOENT when the folder does not exist', async () => {
    const err = await writeFileAtomic(join(dir, 'missing', 'out.csv'), 'x').catch((e: unknown) => e);
    expect([(err as AtomicWriteError).code, (err as AtomicWriteError).target]).toEqual(['ENOENT', join(dir, 'missing', 'out.csv')]);
  });

  test('writes a device in place and reports a full one, leaving the device node as it was', async () => {
    await writeFileAtomic('/dev/null', 'report\n');
    const err = await writeFileAtomic('/dev/full', 'report\n').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AtomicWriteError);
    expect((err as AtomicWriteError).code).toBe('ENOSPC');
    expect((await stat('/dev/full')).isCharacterDevice()).toBe(true);
    expect(readdirSync('/dev').filter((n) => n.startsWith('.full.'))).toEqual([]);
  });

  test('removes the temp file when writing fails half-way', async () => {
    const bad = { length: 3 } as unknown as string; // not writable data: fails after the temp file exists
    const err = await writeFileAtomic(join(dir, 'out.csv'), bad).catch((e: unknown) => e);
    expect([(err as Error).message.endsWith('(write, ERR_INVALID_ARG_TYPE)'), readdirSync(dir)]).toEqual([true, []]);
  });

  test('nothing stays registered as pending after success or failure', async () => {
    await writeFileAtomic(join(dir, 'ok'), 'x');
    await writeFileAtomic(join(dir, 'no', 'such'), 'x').catch(() => undefined);
    expect(pendingTempFiles.size).toBe(0);
  });
});

describe('cleanupPendingTempFiles', () => {
  test('removes every registered temp file and forgets it', async () => {
    const tmp = join(dir, '.out.csv.1.abc.tmp');
    await writeFile(tmp, 'partial');
    pendingTempFiles.add(tmp);
    pendingTempFiles.add(join(dir, 'already-gone.tmp'));
    cleanupPendingTempFiles();
    expect([readdirSync(dir), pendingTempFiles.size]).toEqual([[], 0]);
  });
});

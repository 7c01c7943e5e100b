import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, test } from 'vitest';
import { defaultExportPath, exportRows, planExport, resolveExportPath } from '../../src/tui/export.js';
import { visibleRows } from '../../src/tui/state.js';
import { finding, snapshotOf } from './fixtures.js';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

describe('export', () => {
  test('the default name carries the local date and time', () => {
    expect(defaultExportPath(new Date(2026, 10, 22, 6, 5))).toBe('./maillog-doctor-20261122-0605.csv');
  });

  test('paths: relative to the working folder, ~ to the home folder', () => {
    expect(resolveExportPath('x.csv', '/tmp/w')).toBe('/tmp/w/x.csv');
    expect(resolveExportPath(' ./x.csv ', '/tmp/w')).toBe('/tmp/w/x.csv');
    expect(resolveExportPath('~/r.csv', '/tmp/w')).toBe(join(homedir(), 'r.csv'));
  });

  test('writes the rows of the view, in view order, as the CSV report', async () => {
    dir = mkdtempSync(join(tmpdir(), 'md-export-'));
    const snap = snapshotOf([
      finding({ recipientDomain: 'example.com' }),
      finding({ direction: 'outbound', recipientDomain: 'gmail.com', hint: '=cmd' }),
      finding({ direction: 'outbound', recipientDomain: 'aol.com' }),
    ]);
    const rows = visibleRows(snap, { filter: '', tab: 'outbound', sort: 'domain', window: 'all' }, { reference: null });
    const written = await exportRows(join(dir, 'view.csv'), snap, rows);
    expect(written).toBe(join(dir, 'view.csv'));
    const csv = parse(readFileSync(written, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    expect(csv.map((r) => r.recipient_domain)).toEqual(['aol.com', 'gmail.com']);
    expect(csv[1]!.hint).toBe("'=cmd");
    expect(readdirSync(dir)).toEqual(['view.csv']);
  });

  test('planned before writing: a folder gets the default name, an existing file is asked about', async () => {
    dir = mkdtempSync(join(tmpdir(), 'md-export-'));
    const now = new Date(2026, 10, 22, 6, 5);
    const name = 'maillog-doctor-20261122-0605.csv';
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'old.csv'), 'x');
    expect(await planExport('new.csv', now, dir)).toEqual({ kind: 'write', target: join(dir, 'new.csv') });
    expect(await planExport('', now, dir)).toEqual({ kind: 'write', target: join(dir, name) });
    expect(await planExport('out', now, dir)).toEqual({ kind: 'write', target: join(dir, 'out', name) });
    expect(await planExport('out/', now, dir)).toEqual({ kind: 'write', target: join(dir, 'out', name) });
    expect(await planExport('old.csv', now, dir)).toEqual({ kind: 'exists', target: join(dir, 'old.csv') });
    writeFileSync(join(dir, 'out', name), 'x');
    expect(await planExport(' out ', now, dir)).toEqual({ kind: 'exists', target: join(dir, 'out', name) });
    mkdirSync(join(dir, 'nested', name), { recursive: true });
    expect(await planExport('nested', now, dir)).toEqual({ kind: 'error', error: `${join(dir, 'nested', name)} is a folder` });
    // A path under a missing folder is still a plan to write: the write then says the folder is missing.
    expect(await planExport('missing/x.csv', now, dir)).toEqual({ kind: 'write', target: join(dir, 'missing', 'x.csv') });
  });

  test('a folder that does not exist is an error naming the reason', async () => {
    await expect(exportRows('/nonexistent-md/x.csv', snapshotOf([]), [])).rejects.toThrow(/folder does not exist/);
  });
});

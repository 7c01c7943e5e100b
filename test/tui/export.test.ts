import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, describe, expect, test } from 'vitest';
import { defaultExportPath, exportRows, resolveExportPath } from '../../src/tui/export.js';
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

  test('a folder that does not exist is an error naming the reason', async () => {
    await expect(exportRows('/nonexistent-md/x.csv', snapshotOf([]), [])).rejects.toThrow(/folder does not exist/);
  });
});

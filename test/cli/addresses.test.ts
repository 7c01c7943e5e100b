/**
 * --addresses and --suppression-list through the built executable (the files' rows and caps are
 * tested without it in test/report/addresses.test.ts).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { run } from '../helpers/cli.js';

describe('--addresses and --suppression-list on the command line', () => {
  test('write the files; their rows cover more than the top five', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mld-addr-'));
    const addr = join(dir, 'a.csv');
    const supp = join(dir, 's.txt');
    const json = join(dir, 'r.json');
    const r = await run(['--year', '2026', '--addresses', addr, '--suppression-list', supp, '--json', json, 'samples/postfix/mail.log']);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    const rows = parse(readFileSync(addr, 'utf8'), { columns: true }) as Array<Record<string, string>>;
    const top = report.findings[0];
    const firstRows = rows.filter((x) => x.rank === '1' && x.role === 'recipient');
    expect(firstRows.length).toBe(top.distinctRecipients);
    expect(firstRows.length).toBeGreaterThan(5);
    const list = readFileSync(supp, 'utf8').trimEnd().split('\n');
    expect(list.length).toBeGreaterThan(0);
    const hard = new Set(rows.filter((x) => x.direction === 'outbound' && x.hard_bounce === 'true').map((x) => x.address.toLowerCase()));
    for (const a of list) expect(hard.has(a.toLowerCase())).toBe(true);
  }, 60_000);
});

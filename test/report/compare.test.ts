import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, test } from 'vitest';
import { compareReports } from '../../src/report/compare.js';
import { loadPreviousReport, type PreviousReport } from '../../src/report/compare-load.js';
import { renderCsv } from '../../src/report/csv.js';
import { renderJson } from '../../src/report/json.js';
import { ReportSchema } from '../../src/report/schema.js';
import { renderText } from '../../src/report/text.js';
import { LiveStore } from '../../src/tui/live.js';
import { cls, delivery, reject } from '../aggregate/fixtures.js';
import { reportOf, sampleReport } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'mld-compare-'));

/** The earlier report as --json would have written it. */
const previousOf = (r: ReturnType<typeof reportOf>): PreviousReport => {
  const p = join(dir, `prev-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, renderJson(r));
  const loaded = loadPreviousReport(p);
  if (loaded instanceof Error) throw loaded;
  return loaded;
};

// Before: example.com user-unknown (1 recipient), an outbound bounce that will be gone.
const before = reportOf([
  [reject({ to: 'bob@example.com' }), cls()],
  [delivery({ to: 'carol@gone.test' }), cls({ direction: 'outbound', hint: 'remote says user unknown' })],
  [reject({ to: 'x@same.test' }), cls()],
]);
// After: example.com grew to 3 recipients, a new greylisting finding, same.test unchanged.
const after = reportOf([
  [reject({ to: 'bob@example.com' }), cls()],
  [reject({ to: 'eve@example.com' }), cls()],
  [reject({ to: 'ann@example.com' }), cls()],
  [reject({ to: 'x@same.test' }), cls()],
  [reject({ to: 'z@new.test', smtpCode: 450 }), cls({ cause: 'greylisted', hint: 'check_policy_service' })],
]);

describe('compareReports', () => {
  const c = compareReports(previousOf(before), after, 'before.json', false);
  test('new, grew (with before and after) and gone, by identity', () => {
    expect(c.new.map((e) => [e.recipientDomain, e.cause, e.lostAtLeastBefore, e.lostAtLeastAfter])).toEqual([['new.test', 'greylisted', null, 1]]);
    expect(c.grew.map((e) => [e.rank, e.recipientDomain, e.lostAtLeastBefore, e.lostAtLeastAfter])).toEqual([[1, 'example.com', 1, 3]]);
    expect(c.gone.map((e) => [e.rank, e.recipientDomain, e.direction, e.lostAtLeastBefore, e.lostAtLeastAfter])).toEqual([
      [null, 'gone.test', 'outbound', 1, null],
    ]);
  });

  test('with --by host the host is part of the identity', () => {
    const one = reportOf([[reject({ to: 'bob@example.com', host: 'mx1' }), cls()]]);
    const two = reportOf([[reject({ to: 'bob@example.com', host: 'mx2' }), cls()]]);
    expect(compareReports(previousOf(one), two, 'p', false)).toMatchObject({ new: [], gone: [], grew: [] });
    const byHost = compareReports(previousOf(one), two, 'p', true);
    expect(byHost.new.map((e) => e.host)).toEqual(['mx2']);
    expect(byHost.gone.map((e) => e.host)).toEqual(['mx1']);
  });

  test('JSON: comparison first, valid against the schema', () => {
    const json = JSON.parse(renderJson({ ...after, comparison: c }));
    expect(Object.keys(json)).toEqual(['comparison', 'summary', 'findings', 'harvest', 'backscatter', 'traffic', 'markers']);
    expect(ReportSchema.safeParse(json).success).toBe(true);
    expect(json.comparison.grew[0]).toMatchObject({ lostAtLeastBefore: 1, lostAtLeastAfter: 3 });
  });

  test('CSV: a change column, changed rows first, gone rows with their identity', () => {
    const rows = parse(renderCsv({ ...after, comparison: c }), { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => [r.change, r.recipient_domain])).toEqual([
      ['new', 'new.test'],
      ['grew (1 -> 3)', 'example.com'],
      ['gone (was 1)', 'gone.test'],
      ['', 'same.test'],
    ]);
    expect(renderCsv(after).startsWith('rank,')).toBe(true);
  });

  test('text: the section comes first', () => {
    const lines = renderText({ ...after, comparison: c }, { width: 100 }).split('\n');
    expect(lines[0]).toBe('Since before.json (2024-05-01T10:00:00Z to 2024-05-01T11:00:00Z): 1 new, 1 grew, 1 gone.');
    expect(lines[1]).toMatch(/^ {2}new {3}#\d+ +postfix inbound new\.test greylisted check_policy_service: lost at least 1$/);
    expect(lines[2]).toMatch(/^ {2}grew {2}#1 +postfix inbound example\.com user-unknown .*: lost at least 1 → 3$/);
    expect(lines[3]).toMatch(/^ {2}gone {8}postfix outbound gone\.test user-unknown remote says user unknown: was 1$/);
  });

  test('hostile strings of the earlier report are sanitised', () => {
    const evil = reportOf([[reject({ to: 'bob@ev\u001b[31mil.test' }), cls()]]);
    const raw = JSON.parse(renderJson(evil));
    raw.findings[0].recipientDomain = 'ev\u001b]0;owned\u0007il.test';
    const p = join(dir, 'evil.json');
    writeFileSync(p, JSON.stringify(raw));
    const prev = loadPreviousReport(p) as PreviousReport;
    const cc = compareReports(prev, after, 'e\u001b[2Jvil.json', false);
    const text = renderText({ ...after, comparison: cc });
    expect(text).not.toMatch(/\u001b/);
    expect(renderJson({ ...after, comparison: cc })).not.toMatch(/\u001b/);
  });

  test('the view marks the new findings with +', () => {
    const live = new LiveStore({ clock: () => 0 });
    const snap = { ...after, comparison: c };
    live.setSource(() => snap);
    live.publish();
    const state = live.state;
    const newRank = c.new[0]!.rank!;
    expect([...state.newKeys]).toEqual([after.details[newRank - 1]!.key]);
  });
});

describe('loadPreviousReport', () => {
  test.for([
    { name: 'a missing file', content: null, want: /no such file/ },
    { name: 'not JSON', content: 'hello', want: /not JSON/ },
    { name: 'another tool’s JSON', content: '{"name":"x","version":"1"}', want: /not a JSON report of maillog-doctor \(bad or missing summary\)/ },
    { name: 'findings of the wrong shape', content: '{"summary":{"linesRead":1,"firstSeen":null,"lastSeen":null},"findings":[{"mta":1}]}', want: /findings\.0/ },
  ])('$name is one error line', ({ content, want }) => {
    const p = join(dir, `bad-${Math.random().toString(36).slice(2)}.json`);
    if (content !== null) writeFileSync(p, content);
    const r = loadPreviousReport(p);
    expect(r).toBeInstanceOf(Error);
    expect((r as Error).message).toMatch(want);
    expect((r as Error).message).not.toMatch(/\n/);
  });
});

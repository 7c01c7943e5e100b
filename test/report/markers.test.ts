/** The text report's `Starts and reloads` block: the newest markers, the rest counted, nothing hostile shown. */
import { describe, expect, test } from 'vitest';
import type { Marker } from '../../src/aggregate/types.js';
import { markersText, renderText } from '../../src/report/text.js';
import { ESC, sampleReport } from './fixtures.js';

const at = (i: number): string => new Date(Date.parse('2024-05-01T00:00:00Z') + i * 3_600_000).toISOString();
const marker = (m: Partial<Marker>): Marker => ({ time: at(0), host: 'mx1', mta: 'postfix', marker: 'reload', version: '3.7.11', ...m });

describe('markersText', () => {
  test('a start and a reload, oldest first, with host and version', () => {
    expect(markersText([marker({ marker: 'start' }), marker({ time: at(1) })])).toBe(
      'Starts and reloads: 2024-05-01 00:00 start (mx1, postfix 3.7.11), 2024-05-01 01:00 reload (mx1, postfix 3.7.11).',
    );
  });

  test('past 12, the newest 12 and how many earlier', () => {
    const text = markersText(Array.from({ length: 15 }, (_, i) => marker({ time: at(i), host: null, version: null })));
    expect(text.match(/reload \(postfix\)/g)).toHaveLength(12);
    expect(text).toMatch(/^Starts and reloads: 2024-05-01 03:00 reload/);
    expect(text).toMatch(/2024-05-01 14:00 reload \(postfix\), and 3 earlier\.$/);
  });

  test('control sequences in host, version and time are stripped', () => {
    const text = markersText([marker({ host: 'mx\u001b[2J1', version: '4.96\u009b31m', time: `2024-05-01T0\u001b]0;x\u00070:00:00Z` })]);
    expect(text).toBe('Starts and reloads: 2024-05-01 00:00 reload (mx1, postfix 4.96).');
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});

describe('renderText', () => {
  test('the markers block comes before the totals, wrapped to the width', () => {
    const report = sampleReport();
    report.markers = [marker({ marker: 'start' }), marker({ time: at(9), host: `mx${ESC}[31m2` })];
    const lines = renderText(report, { width: 60 }).split('\n');
    const i = lines.findIndex((l) => l.startsWith('Starts and reloads:'));
    expect(i).toBeGreaterThan(0);
    expect(lines.findIndex((l) => l === 'Totals')).toBeGreaterThan(i);
    const block = lines.slice(i, lines.indexOf('', i)).join(' ');
    expect(block).toBe('Starts and reloads: 2024-05-01 00:00 start (mx1, postfix 3.7.11), 2024-05-01 09:00 reload (mx2, postfix 3.7.11).');
    for (const l of lines.slice(i, lines.indexOf('', i))) expect(l.length).toBeLessThanOrEqual(60);
    expect(lines.join('\n')).not.toContain(ESC);
  });

  test('no markers, no block', () => {
    const report = sampleReport();
    report.markers = [];
    expect(renderText(report)).not.toContain('Starts and reloads');
  });
});

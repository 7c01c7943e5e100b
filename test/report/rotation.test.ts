import { describe, expect, test } from 'vitest';
import { renderJson } from '../../src/report/json.js';
import { ReportSchema } from '../../src/report/schema.js';
import { renderText } from '../../src/report/text.js';
import { describeRotation } from '../../src/text/rotation.js';
import { ESC, sampleReport } from './fixtures.js';

const rotations = [
  { path: '/var/log/mail.log', to: '/var/log/mail.log.1', reason: 'rename' as const, at: '2026-11-22T09:02:13.120Z' },
  { path: '/var/log/mail.log', to: `/var/log/mail.log.${ESC}[31m2`, reason: 'truncate' as const, at: '2026-11-22T10:00:00.000Z' },
];

describe('the rotations of a followed log in the summary', () => {
  test('described by the name the rotated file got, beside the log', () => {
    expect(describeRotation(rotations[0]!)).toBe('/var/log/mail.log → mail.log.1 at 09:02:13 UTC');
    expect(describeRotation({ ...rotations[0]!, to: null, reason: 'recreate' })).toBe('/var/log/mail.log → deleted at 09:02:13 UTC');
    expect(describeRotation({ ...rotations[0]!, to: '/archive/mail.log.1' })).toBe('/var/log/mail.log → /archive/mail.log.1 at 09:02:13 UTC');
  });

  test('the text report says the last one, sanitised', () => {
    const text = renderText(sampleReport({ followRotations: rotations }), { width: 120 });
    expect(text).toMatch(/rotated: +\/var\/log\/mail\.log → mail\.log\.2 at 10:00:00 UTC \(copytruncate\) \(the last of 2 kept\)/);
    expect(text).not.toContain(ESC);
    expect(renderText(sampleReport(), { width: 120 })).not.toContain('rotated:');
  });

  test('the JSON summary lists them (schema-valid, sanitised), and only when there were some', () => {
    const json = JSON.parse(renderJson(sampleReport({ followRotations: rotations })));
    expect(ReportSchema.safeParse(json).success).toBe(true);
    expect(json.summary.followRotations).toEqual([rotations[0], { ...rotations[1], to: '/var/log/mail.log.2' }]);
    expect(JSON.parse(renderJson(sampleReport())).summary).not.toHaveProperty('followRotations');
  });
});

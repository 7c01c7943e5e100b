/**
 * Timestamps: native UTC stamps, and Get-MessageTrackingLog's local-time Timestamp in the forms
 * the corpus shows (`4/6/2021 2:46:03 PM`, `28/10/2023 20:18:34`) and other common cultures.
 * TZ is UTC in tests (vitest.config.ts), so local time equals UTC here.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { anyTime, utcTime } from '../../../parsers/exchange/time.js';
import { runs } from '../../helpers/runs.js';

describe('timestamps', () => {
  test.for([
    ['2016-04-05T00:00:02.052Z', '2016-04-05T00:00:02.052Z'],
    ['2016-04-05T00:00:02Z', '2016-04-05T00:00:02.000Z'],
    ['2016-04-05T00:00:02.0520000Z', '2016-04-05T00:00:02.052Z'],
    ['4/6/2021 2:46:03 PM', '2021-04-06T14:46:03.000Z'],
    ['11/22/2026 12:05:00 AM', '2026-11-22T00:05:00.000Z'],
    ['11/22/2026 12:05:00 PM', '2026-11-22T12:05:00.000Z'],
    ['28/10/2023 20:18:34', '2023-10-28T20:18:34.000Z'],
    ['06/04/2021 14:46:03', '2021-04-06T14:46:03.000Z'],
    ['10/28/2023 20:18:34', '2023-10-28T20:18:34.000Z'],
    ['22.11.2026 10:00:00', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22 10:00:00', '2026-11-22T10:00:00.000Z'],
    ['2026-11-22T10:00:00+01:00', '2026-11-22T09:00:00.000Z'],
  ])('%s → %s', ([text, want]) => {
    expect(anyTime(text!)).toBe(want);
  });

  test.for(['', 'yesterday', '2026-13-01T00:00:00.000Z', '2026-02-30T00:00:00.000Z', '31/31/2026 10:00:00', '13/22/2026 10:00:00 PM', '1/2/26 10:00'])(
    'not a time: %s',
    (text) => {
      expect(anyTime(text)).toBeNull();
    },
  );

  test('native stamps only for utcTime', () => {
    expect(utcTime('4/6/2021 2:46:03 PM')).toBeNull();
    expect(utcTime('2026-11-22T10:00:00.000Z')).toBe('2026-11-22T10:00:00.000Z');
  });

  test('the per-second cache of native stamps gives what a full check gives, whatever came before', () => {
    // A stamp of the common form is valid exactly when the calendar round trip gives it back.
    const reference = (text: string): string | null => {
      if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(text)) return null;
      const t = Date.parse(text);
      return !Number.isNaN(t) && new Date(t).toISOString() === text ? text : null;
    };
    const second = fc.constantFrom('2026-11-22T10:00:00.', '2026-11-22T10:00:01.', '2026-02-29T10:00:00.', '2024-02-29T23:59:59.', '2026-11-22T24:00:00.', '2026-1x-22T10:00:00.');
    const millis = fc.string({ unit: fc.constantFrom('0', '5', '9', 'a', '/', ':', ' '), minLength: 3, maxLength: 3 });
    const stamp = fc.tuple(second, millis).map(([s, ms]) => `${s}${ms}Z`);
    fc.assert(
      fc.property(fc.array(stamp, { maxLength: 20 }), (stamps) => {
        for (const text of stamps) expect(utcTime(text), text).toBe(reference(text));
      }),
      { seed: 20261123, numRuns: runs(2_000) },
    );
  });
});

/**
 * Timestamps: native UTC stamps, and Get-MessageTrackingLog's local-time Timestamp in the forms
 * the corpus shows (`4/6/2021 2:46:03 PM`, `28/10/2023 20:18:34`) and other common cultures.
 * TZ is UTC in tests (vitest.config.ts), so local time equals UTC here.
 */
import { describe, expect, test } from 'vitest';
import { anyTime, utcTime } from '../../../parsers/exchange/time.js';

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
});

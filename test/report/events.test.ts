/**
 * The schema of `--events` that ships in schema/events.schema.json names what the code has, and
 * the validator the tests use refuses what it forbids. The output itself, through the built
 * executable: test/cli/events.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CAUSES, DIRECTIONS } from '../../src/classify/names.js';
import { Mta } from '../../src/event.js';
import { validate, type JsonSchema } from '../helpers/json-schema.js';

const SCHEMA = JSON.parse(readFileSync(new URL('../../schema/events.schema.json', import.meta.url), 'utf8')) as JsonSchema;

describe('the schema', () => {
  test('names the causes, directions and MTAs the code has', () => {
    const m = (SCHEMA.properties as any).maillog.properties;
    expect(m.cause.enum).toEqual([...CAUSES]);
    expect(m.direction.enum).toEqual([...DIRECTIONS]);
    expect(m.mta.enum).toEqual(Mta.options);
  });

  test('the validator rejects what the schema forbids', () => {
    expect(validate(SCHEMA, { event: {}, email: {}, maillog: {} }).length).toBeGreaterThan(0);
    expect(validate(SCHEMA, { '@timestamp': 'yesterday' }).join()).toMatch(/not a date-time/);
  });
});

/**
 * The Postfix dispatch table (parsers/postfix/dispatch.ts) and its samples, with lnav's rules
 * for a table of patterns: every entry has samples, every sample is taken by exactly one entry
 * (its own; no ignore rule names it either), and the parser recognises every sample, with
 * schema-valid events. The string triage and the byte triage, which the same table drives,
 * pass every sample on to the parser.
 */
import { describe, expect, test } from 'vitest';
import { MailEvent } from '../../../src/event.js';
import { AFTER_QUEUE_ID_EVENTS } from '../../../parsers/postfix/dispatch.js';
import { triage } from '../../../parsers/postfix/body.js';
import { AFTER_QUEUE_ID, matchPrefix } from '../../../parsers/postfix/ignore.js';
import { ascii, triageAscii } from '../../../parsers/postfix/triage-ascii.js';
import { parseAll } from '../../helpers/parse.js';

const QUEUE_ID = '3F2A1B4C5D';
const cases = AFTER_QUEUE_ID_EVENTS.flatMap((e) => e.samples.map((sample) => ({ name: `${e.id}: ${sample.slice(0, 60)}`, entry: e, sample })));

describe('the Postfix dispatch table', () => {
  test('every entry has an id of its own, a prefix of its own and samples', () => {
    const ids = AFTER_QUEUE_ID_EVENTS.map((e) => e.id);
    const prefixes = AFTER_QUEUE_ID_EVENTS.map((e) => e.prefix);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const e of AFTER_QUEUE_ID_EVENTS) {
      expect(e.id).toMatch(/^postfix\.[a-z]+\.[a-z-]+$/);
      expect(e.samples.length, e.id).toBeGreaterThan(0);
      expect(e.handler === 'notice', e.id).toBe(e.notice !== undefined);
    }
  });

  test.for(cases)('$name', ({ entry, sample }) => {
    // Taken by its own entry alone, and by no ignore rule.
    expect(AFTER_QUEUE_ID_EVENTS.filter((e) => sample.startsWith(e.prefix)).map((e) => e.id)).toEqual([entry.id]);
    expect(matchPrefix(AFTER_QUEUE_ID, sample)).toBeNull();
    // Both triages, which the table drives too, pass it on.
    const message = `${QUEUE_ID}: ${sample}`;
    expect(triage(message)).toBeNull();
    const bytes = ascii(message);
    expect(triageAscii(bytes, 0, bytes.length)).toBeNull();
    // The parser recognises it, with schema-valid events (and a notice says which).
    const line = `Nov 22 06:25:03 mx1 postfix/daemon[1]: ${message}`;
    const { results, events } = parseAll([line]);
    expect(results[0]!.status, line).toBe('recognised');
    for (const ev of events) expect(() => MailEvent.parse(ev)).not.toThrow();
    if (entry.notice) expect(events).toMatchObject([{ kind: 'notification', notice: entry.notice[0], recipient: entry.notice[1], queueId: QUEUE_ID }]);
  });
});

/**
 * The classifier's answer cache (src/classify/engine.ts): answers are remembered per facts, and
 * the last facts with their answer. Events that differ in one fact only must still get their own
 * rule, in any order. A copy of a rule table has an empty cache of its own, so classifyWith() on
 * a fresh copy is the answer worked out from scratch.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { classify, classifyWith } from '../../src/classify/classify.js';
import { POSTFIX_RULES } from '../../src/classify/rules-postfix.js';
import { deliveryEvent, type DeliveryEvent } from '../../src/event.js';
import { runs } from '../helpers/runs.js';

/** A bounce whose reason is `text`, from a remote MX unless `agent` says otherwise. */
function bounce(code: number, agent = 'smtp', dsn: string | null = null, text = 'host mx.example.net[192.0.2.25] said: sorry (in reply to RCPT TO command)'): DeliveryEvent {
  return deliveryEvent({
    mta: 'postfix',
    time: null,
    host: null,
    program: `postfix/${agent}`,
    queueId: '3F2A1B4C5D',
    raw: '',
    origin: { file: 'test.log', line: 1 },
    status: 'bounced',
    agent,
    to: 'alice@example.net',
    origTo: null,
    relay: { name: 'mx.example.net', ip: '192.0.2.25', port: 25 },
    dsn,
    reason: text,
    smtpCode: code,
    remoteHost: null,
    inReplyTo: null,
    from: null,
    client: null,
    router: null,
  });
}

// Same text, one fact different: the code, the enhanced status, the delivery agent.
const UNKNOWN = 'unknown user: "alice"';
const LOOK_ALIKES = [
  bounce(551),
  bounce(530),
  bounce(501),
  bounce(550),
  bounce(550, 'smtp', '5.1.1'),
  bounce(550, 'smtp', '5.7.1'),
  bounce(550, 'local', '5.1.1', UNKNOWN),
  bounce(550, 'virtual', '5.1.1', UNKNOWN),
  bounce(550, 'pipe', '5.1.1', UNKNOWN),
];

describe('the answer cache', () => {
  test('the look-alikes have different rules (else this test proves nothing)', () => {
    const rules = LOOK_ALIKES.map((ev) => classifyWith([...POSTFIX_RULES], ev)!.rule);
    expect(new Set(rules).size).toBe(LOOK_ALIKES.length);
  });

  test('in any order, with repeats, each gets what an empty cache gives', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: LOOK_ALIKES.length - 1 }), { minLength: 1, maxLength: 40 }), (picks) =>
        picks.every((i) => classify(LOOK_ALIKES[i]!)!.rule === classifyWith([...POSTFIX_RULES], LOOK_ALIKES[i]!)!.rule),
      ),
      { numRuns: runs(300), seed: 3 },
    );
  });
});

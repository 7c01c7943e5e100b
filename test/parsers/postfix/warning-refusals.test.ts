/**
 * Refusals that Postfix records only in a `warning:` line: lines as Postfix 3.7.11 wrote them in
 * the lab (test/e2e/lab-postfix.test.ts), texts from smtpd.c, cleanup_out.c and
 * cleanup_message.c; the replies are those smtpd gives the client there.
 */
import { describe, expect, test } from 'vitest';
import { triage } from '../../../parsers/postfix/body.js';
import type { RejectEvent } from '../../../src/event.js';
import { parseAll, parseLines } from '../../helpers/parse.js';

const P = 'Dec  4 17:40:21 vm postfix-mx/';

describe('warning-only refusals', () => {
  test('size limit without SIZE: one reject per message, even when smtpd and cleanup both warn', () => {
    const lines = [
      `${P}smtpd[3140]: 4jgzKd2NdgzJHlN: client=localhost[127.0.0.1]`,
      `${P}smtpd[3140]: warning: 4jgzKd2NdgzJHlN: queue file size limit exceeded`,
      `${P}cleanup[3764]: warning: 4jgzKd2NdgzJHlN: queue file size limit exceeded`,
      `${P}cleanup[3764]: warning: mail_stream_cleanup: close error`,
      `${P}smtpd[3140]: warning: 4jgzKg14KXzJHlx: queue file size limit exceeded`,
    ];
    const { results, events } = parseAll(lines);
    expect(results.map((r) => r.status)).toEqual(['recognised', 'recognised', 'recognised', 'ignored', 'recognised']);
    const rejects = events as RejectEvent[];
    expect(rejects.map((e) => [e.queueId, e.via, e.stage, e.smtpCode, e.enhancedStatus, e.text, e.client?.ip ?? null])).toEqual([
      ['4jgzKd2NdgzJHlN', 'smtpd', 'END-OF-MESSAGE', 552, '5.3.4', 'queue file size limit exceeded', '127.0.0.1'],
      ['4jgzKg14KXzJHlx', 'smtpd', 'END-OF-MESSAGE', 552, '5.3.4', 'queue file size limit exceeded', null],
    ]);
  });

  test('hop count: cleanup’s warning is the refusal (554 5.4.0)', () => {
    const [ev] = parseLines([`${P}cleanup[3764]: warning: 4jgzKg2zpJzJHm2: message rejected: hopcount exceeded`]) as RejectEvent[];
    expect([ev!.via, ev!.smtpCode, ev!.enhancedStatus, ev!.text]).toEqual(['cleanup', 554, '5.4.0', 'message rejected: hopcount exceeded']);
  });

  test('anvil limits: smtpd’s reply rebuilt, with the client, at the stage it refused', () => {
    const events = parseLines([
      `${P}smtpd[3184]: warning: Recipient address rate limit exceeded: 3 from unknown[127.0.0.5] for service 127.0.0.1:34431`,
      `${P}smtpd[3184]: warning: Message delivery request rate limit exceeded: 2 from unknown[127.0.0.5] for service 127.0.0.1:34431`,
      'Sep 19 12:10:57 hostname postfix/smtpd[23244]: warning: Connection rate limit exceeded: 31 from spamhost.domain.org[192.0.2.123] for service smtpd',
    ]) as RejectEvent[];
    expect(events.map((e) => [e.stage, e.smtpCode, e.enhancedStatus, e.text, e.client?.name, e.to])).toEqual([
      // `unknown` is Postfix's word for no reverse name.
      ['RCPT', 450, '4.7.1', 'Error: too many recipients from 127.0.0.5', null, null],
      ['MAIL', 450, '4.7.1', 'Error: too much mail from 127.0.0.5', null, null],
      ['CONNECT', 421, '4.7.0', 'Error: too many connections from 192.0.2.123', 'spamhost.domain.org', null],
    ]);
  });

  test('other warnings stay ignored, and triage() passes on exactly the refusals', () => {
    const { results } = parseAll([`${P}smtpd[1]: warning: hostname x does not resolve to address 192.0.2.1`, `${P}local[6228]: warning: alias database loop for loop2`]);
    expect(results.map((r) => r.status)).toEqual(['ignored', 'ignored']);
    expect(triage('warning: 4jgzKd2NdgzJHlN: queue file size limit exceeded')).toBeNull();
    expect(triage('warning: Recipient address rate limit exceeded: 3 from x[192.0.2.1] for service smtp')).toBeNull();
    expect(triage('warning: hostname x does not resolve to address 192.0.2.1')).toBe('warning');
  });
});

/**
 * Which domains are ours decides local vs outbound for failed deliveries (local-domains.ts,
 * classify.ts directionOf), for every MTA; never the next hop's address.
 */
import { describe, expect, test } from 'vitest';
import { classify, directionOf } from '../../src/classify/classify.js';
import { LocalDomains, MAX_LEARNT_DOMAINS } from '../../src/classify/local-domains.js';
import type { DeliveryEvent, MailEvent } from '../../src/event.js';
import { parseLines } from '../helpers/parse.js';
import { eximParser } from '../../parsers/exim/index.js';

const P = 'Dec  4 17:40:48 vm postfix-mx/';
const relayed = (to: string, dsn: string, reply: string): DeliveryEvent =>
  parseLines([
    `${P}smtp[5582]: 4jgzL85qXjzJHnw: to=<${to}>, relay=127.0.0.1[127.0.0.1]:41197, delay=0.07, delays=0.01/0/0/0.05, dsn=${dsn}, status=bounced (host 127.0.0.1[127.0.0.1] said: ${reply} (in reply to RCPT TO command))`,
  ])[0] as DeliveryEvent;

describe('direction of failed deliveries', () => {
  test('a reply relayed back through a loopback next hop is outbound, and keeps its cause', () => {
    const ev = relayed('nobody@gmail.test', '5.1.1', '550 5.1.1 The email account that you tried to reach does not exist.');
    expect(directionOf(ev)).toBe('outbound');
    expect(classify(ev)?.cause).toBe('user-unknown');
  });

  test('the same reply for a domain we host is local (our stale recipient list)', () => {
    const ev = relayed('carol@relay.test', '5.1.1', '550 5.1.1 <carol@relay.test>: Recipient address rejected: User unknown in virtual mailbox table');
    const c = classify(ev, new LocalDomains(['Relay.Test']));
    expect([c?.direction, c?.cause, c?.hint]).toEqual(['local', 'user-unknown', 'relay_recipient_maps']);
  });

  test('learnt from a local agent’s delivery and from a recipient-table refusal, not from anything else', () => {
    const d = new LocalDomains();
    const learn = (lines: string[]) => {
      for (const ev of parseLines(lines) as MailEvent[]) d.learn(ev, classify(ev));
    };
    learn([`${P}virtual[1]: 4jgzL85qXjzJHnx: to=<big@vmbox.test>, relay=virtual, delay=0.1, delays=0/0/0/0, dsn=5.2.2, status=bounced (delivery failed to mailbox /var/mail/vhosts/vmbox.test/big: error writing message: File too large)`]);
    // A successful local delivery teaches nothing: the reader thread never builds its event.
    learn([`${P}virtual[1]: 4jgzL85qXjzJHnz: to=<alice@sent-only.test>, relay=virtual, delay=0.1, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to maildir)`]);
    learn([`${P}smtpd[2]: NOQUEUE: reject: RCPT from localhost[127.0.0.1]: 550 5.1.1 <dave1@relay.test>: Recipient address rejected: User unknown in relay recipient table; from=<c@sender.test> to=<dave1@relay.test> proto=ESMTP helo=<x>`]);
    learn([`${P}smtpd[2]: NOQUEUE: reject: RCPT from unknown[127.0.0.9]: 554 5.7.1 <someone1@elsewhere.test>: Relay access denied; from=<d@sender.test> to=<someone1@elsewhere.test> proto=ESMTP helo=<x>`]);
    learn([`${P}smtp[3]: 4jgzL85qXjzJHny: to=<friend@gmail.test>, relay=127.0.0.1[127.0.0.1]:41197, delay=0.1, delays=0/0/0/0, dsn=2.0.0, status=sent (250 2.0.0 Ok)`]);
    expect(['vmbox.test', 'relay.test', 'elsewhere.test', 'gmail.test', 'sent-only.test'].map((x) => d.has(x))).toEqual([true, true, false, false, false]);
    const ev = relayed('carol@relay.test', '5.1.1', '550 5.1.1 User unknown');
    expect(directionOf(ev, d)).toBe('local');
  });

  test('MTA-agnostic: an Exim remote_smtp failure for a domain we host is local', () => {
    const [ev] = parseLines(
      ['2026-11-22 10:00:00 1xVDrw-000000004ov-00Cf ** bob@hosted.test R=dnslookup T=remote_smtp H=store.hosted.test [10.0.0.5]: SMTP error from remote mail server after RCPT TO:<bob@hosted.test>: 550 5.1.1 User unknown'],
      eximParser,
    ) as DeliveryEvent[];
    expect(directionOf(ev!)).toBe('outbound');
    expect(directionOf(ev!, new LocalDomains(['hosted.test']))).toBe('local');
    // Learnt from a Postfix log, a domain is that server's: an Exim log in the same run is another server.
    const d = new LocalDomains();
    const [pf] = parseLines([`${P}virtual[1]: 4jgzL85qXjzJHnx: to=<alice@hosted.test>, relay=virtual, delay=0.1, delays=0/0/0/0, dsn=4.2.0, status=deferred (maildir delivery failed: error writing message: Disk quota exceeded)`]);
    d.learn(pf!, null);
    expect([d.has('hosted.test', 'postfix'), directionOf(ev!, d)]).toEqual([true, 'outbound']);
  });

  test('Exim: an unrouteable address is a remote domain not found once the hosted domains are known', () => {
    const [ok, bad, mine] = parseLines(
      [
        '2026-11-22 10:00:00 1xVDrw-000000004ov-00Cf => alice@hosted.test R=localuser T=local_delivery',
        '2026-11-22 10:00:01 1xVDrx-000000004ov-00Cf ** x@nowhere.test: Unrouteable address',
        '2026-11-22 10:00:02 1xVDry-000000004ov-00Cf ** ghost@hosted.test: Unrouteable address',
      ],
      eximParser,
    ) as DeliveryEvent[];
    const d = new LocalDomains();
    // Before anything is known, as Exim says: no router accepted it, a local matter.
    expect(directionOf(bad!, d)).toBe('local');
    d.learn(ok!, null);
    expect([directionOf(bad!, d), directionOf(mine!, d)]).toEqual(['outbound', 'local']);
    expect(classify(bad!, d)).toMatchObject({ direction: 'outbound', cause: 'domain-not-found', hint: 'fix the domain (typo?)', rule: 'exim.outbound.unrouteable-address' });
    expect(classify(mine!, d)).toMatchObject({ direction: 'local', cause: 'user-unknown' });
    // --local-domains alone is enough.
    expect(directionOf(bad!, new LocalDomains(['hosted.test']))).toBe('outbound');
  });

  test('learning is capped; past the cap new domains are counted, given ones still count', () => {
    const d = new LocalDomains(['given.test']);
    const ev = (i: number) => parseLines([`${P}virtual[1]: 4jgzL85qXjzJHnx: to=<a@d${i}.test>, relay=virtual, delay=0.1, delays=0/0/0/0, dsn=4.2.0, status=deferred (maildir delivery failed: error writing message: Disk quota exceeded)`])[0]!;
    for (let i = 0; i < MAX_LEARNT_DOMAINS + 5; i++) d.learn(ev(i), null);
    expect(d.dropped).toBe(5);
    expect([d.has('d0.test'), d.has(`d${MAX_LEARNT_DOMAINS + 1}.test`), d.has('given.test')]).toEqual([true, false, true]);
  });
});

/**
 * The Postfix messages after `QUEUEID: ` that are events or correlation state, by prefix: one
 * table that drives PostfixBody.parse() (each entry names its handler), triage() and
 * triageAscii() (a message that starts with a prefix here needs parse()). What no entry here
 * takes goes to the ignore rules (ignore.ts AFTER_QUEUE_ID), else it is unrecognised.
 * Samples sit beside each entry, as lnav keeps them beside its patterns: real messages (the
 * corpus or sample file is named), or, where none was found, the phrasing of the Postfix source
 * named. test/parsers/postfix/dispatch.test.ts checks them against the table and the parser.
 */
import type { NotificationEvent } from '../../src/event.js';

/** What PostfixBody does with a message that starts with an entry's prefix. */
export type Handler = 'delivery' | 'qmgr-from' | 'client' | 'removed' | 'reject' | 'pickup' | 'notice';

export interface DispatchEntry {
  /** `postfix.<daemon>.<kind>`. */
  id: string;
  prefix: string;
  handler: Handler;
  /** For `notice`: what the notification is and to whom. */
  notice?: readonly [NotificationEvent['notice'], NotificationEvent['recipient']];
  /** Whole messages after the queue id that this entry takes. */
  samples: readonly string[];
}

/**
 * In the order the parser tries them among entries of one first character; a handler may
 * decline (the `client=` of a NOQUEUE line), and the next entry, then the ignore rules, get the
 * message.
 */
export const AFTER_QUEUE_ID_EVENTS: readonly DispatchEntry[] = [
  {
    id: 'postfix.delivery.status',
    prefix: 'to=',
    handler: 'delivery',
    samples: [
      // corpus NoLE_MailLog_mail.log
      'to=<root@activeweb.cl>, orig_to=<root>, relay=local, delay=0.09, delays=0.05/0/0/0.03, dsn=2.0.0, status=sent (delivered to command: /usr/bin/procmail-wrapper)',
      // corpus whyscream_postfix-grok-patterns_test.log
      'to=<postmaster@example.com>, relay=virtual, delay=0.52, delays=0.51/0.01/0/0, dsn=2.0.0, status=sent (delivered to maildir)',
    ],
  },
  {
    id: 'postfix.qmgr.from',
    prefix: 'from=<',
    handler: 'qmgr-from',
    // corpus NoLE_MailLog_mail.log
    samples: ['from=<root@activeweb.cl>, size=936, nrcpt=1 (queue active)'],
  },
  {
    id: 'postfix.smtpd.client',
    prefix: 'client=',
    handler: 'client',
    // corpus dmlinarr_SecurePostfix_mail.log
    samples: ['client=srvMSG01.cyberlab.fhnw.ch[192.168.64.33]'],
  },
  {
    id: 'postfix.qmgr.removed',
    prefix: 'removed',
    handler: 'removed',
    // corpus NoLE_MailLog_mail.log
    samples: ['removed'],
  },
  {
    id: 'postfix.smtpd.reject',
    prefix: 'reject: ',
    handler: 'reject',
    samples: [
      // corpus fonylew_config-mailgateway_maillog.log
      'reject: RCPT from localhost[127.0.0.1]: 550 5.1.1 <ee@host>: Recipient address rejected: User unknown in local recipient table; from=<root@host> to=<ee@host> proto=ESMTP helo=<host>',
    ],
  },
  {
    id: 'postfix.cleanup.milter-reject',
    prefix: 'milter-reject: ',
    handler: 'reject',
    // corpus fail2ban_fail2ban_postfix.log
    samples: ['milter-reject: DATA from 66-220-155-151.mail-mail.facebook.com[192.0.2.151]: 550 5.7.1 Command rejected; from=<security@mail.example.com> to=<hostmaster@example.com> proto=ESMTP helo=<192-0-2-151.mail-mail.example.com>'],
  },
  {
    id: 'postfix.smtpd.proxy-reject',
    prefix: 'proxy-reject: ',
    handler: 'reject',
    // corpus whyscream_postfix-grok-patterns_test.log
    samples: ['proxy-reject: END-OF-MESSAGE: 554 5.7.0 Reject, contact postmaster@example.com, id=31619-02 - spam; from=<> to=<user2@example2.com> proto=SMTP helo=<17.33.12.53>'],
  },
  {
    id: 'postfix.pickup.uid',
    prefix: 'uid=',
    handler: 'pickup',
    // corpus NoLE_MailLog_mail.log
    samples: ['uid=0 from=<root>'],
  },
  // bounce(8): `%s: sender non-delivery notification: %s` and its siblings (bounce_notify_service.c,
  // bounce_warn_service.c, bounce_trace_service.c); the second id is the notification's own.
  {
    id: 'postfix.bounce.sender-non-delivery',
    prefix: 'sender non-delivery notification: ',
    handler: 'notice',
    notice: ['non-delivery', 'sender'],
    // corpus dmlinarr_SecurePostfix_mail.log
    samples: ['sender non-delivery notification: 0781D60674'],
  },
  {
    id: 'postfix.bounce.postmaster-non-delivery',
    prefix: 'postmaster non-delivery notification: ',
    handler: 'notice',
    notice: ['non-delivery', 'postmaster'],
    // corpus louisitvn_pflgviewer_mail.log
    samples: ['postmaster non-delivery notification: 837471100954'],
  },
  {
    id: 'postfix.bounce.sender-delivery-status',
    prefix: 'sender delivery status notification: ',
    handler: 'notice',
    notice: ['delivery-status', 'sender'],
    // corpus whyscream_postfix-grok-patterns_test.log
    samples: ['sender delivery status notification: 1DF35917'],
  },
  {
    id: 'postfix.bounce.postmaster-delivery-status',
    prefix: 'postmaster delivery status notification: ',
    handler: 'notice',
    notice: ['delivery-status', 'postmaster'],
    // the phrasing of bounce(8) above (no real line found)
    samples: ['postmaster delivery status notification: 3B1D8F2A7C'],
  },
  {
    id: 'postfix.bounce.sender-delay',
    prefix: 'sender delay notification: ',
    handler: 'notice',
    notice: ['delay', 'sender'],
    // corpus whyscream_postfix-grok-patterns_test.log
    samples: ['sender delay notification: 0A87A1A08'],
  },
  {
    id: 'postfix.bounce.postmaster-delay',
    prefix: 'postmaster delay notification: ',
    handler: 'notice',
    notice: ['delay', 'postmaster'],
    // the phrasing of bounce(8) above (no real line found)
    samples: ['postmaster delay notification: 5C2E9A1B3D'],
  },
];

/**
 * The entries by the character code of their prefix's first character (all ASCII), in table
 * order: a message is compared with the few entries of its first character only.
 */
export function byFirstChar<T>(entries: readonly DispatchEntry[], of: (e: DispatchEntry) => T): ReadonlyArray<readonly T[] | undefined> {
  const index: T[][] = [];
  for (const e of entries) (index[e.prefix.charCodeAt(0)] ??= []).push(of(e));
  return index;
}

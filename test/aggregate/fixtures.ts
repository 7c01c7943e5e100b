/** Event and classification builders for aggregate and report tests. */
import type { Classification } from '../../src/classify/types.js';
import {
  authFailureEvent,
  deliveryEvent,
  receivedEvent,
  notificationEvent,
  rejectEvent,
  type AuthFailureEvent,
  type DeliveryEvent,
  type ReceivedEvent,
  type NotificationEvent,
  type RejectEvent,
} from '../../src/event.js';

let line = 0;

export function reject(f: Partial<Parameters<typeof rejectEvent>[0]> = {}): RejectEvent {
  line++;
  return rejectEvent({
    mta: 'postfix',
    time: '2024-05-01T10:00:00Z',
    host: 'mx1',
    program: 'postfix/smtpd',
    queueId: null,
    raw: `May  1 10:00:00 mx1 postfix/smtpd[1]: NOQUEUE: reject: RCPT line ${line}`,
    origin: { file: 'mail.log', line },
    via: 'smtpd',
    stage: 'RCPT',
    smtpCode: 550,
    enhancedStatus: '5.1.1',
    text: 'Recipient address rejected: User unknown in virtual alias table',
    client: { name: 'mail.sender.test', ip: '192.0.2.10', port: null },
    from: 'alice@sender.test',
    to: 'bob@example.com',
    helo: 'mail.sender.test',
    proto: 'ESMTP',
    ...f,
  });
}

export function delivery(f: Partial<Parameters<typeof deliveryEvent>[0]> = {}): DeliveryEvent {
  line++;
  return deliveryEvent({
    mta: 'postfix',
    time: '2024-05-01T11:00:00Z',
    host: 'mx1',
    program: 'postfix/smtp',
    queueId: 'ABC123',
    raw: `May  1 11:00:00 mx1 postfix/smtp[2]: ABC123: to=<x>, status=bounced line ${line}`,
    origin: { file: 'mail.log', line },
    status: 'bounced',
    agent: 'smtp',
    router: null,
    to: 'carol@remote.test',
    origTo: null,
    relay: { name: 'mx.remote.test', ip: '198.51.100.7', port: 25 },
    dsn: '5.1.1',
    reason: 'host mx.remote.test said: 550 5.1.1 user unknown',
    smtpCode: 550,
    remoteHost: 'mx.remote.test',
    inReplyTo: 'RCPT TO',
    from: 'dave@example.com',
    client: { name: 'localhost', ip: '127.0.0.1', port: null },
    delay: null,
    ...f,
  });
}

export function notification(f: Partial<Parameters<typeof notificationEvent>[0]> = {}): NotificationEvent {
  line++;
  return notificationEvent({
    mta: 'postfix',
    time: '2024-05-01T12:00:00Z',
    host: 'mx1',
    program: 'postfix/bounce',
    queueId: 'ABC123',
    raw: `May  1 12:00:00 mx1 postfix/bounce[3]: ABC123: sender non-delivery notification: DEF456 line ${line}`,
    origin: { file: 'mail.log', line },
    notice: 'non-delivery',
    recipient: 'sender',
    notificationQueueId: 'DEF456',
    ...f,
  });
}

export function cls(f: Partial<Classification> = {}): Classification {
  return {
    direction: 'inbound',
    cause: 'user-unknown',
    hint: 'virtual_alias_maps',
    advice: 'Add the address to virtual_alias_maps or fix the sender.',
    verify: 'postmap -q bob@example.com hash:/etc/postfix/virtual',
    rule: 'test.rule',
    permanent: true,
    ...f,
  };
}

/** A temporary (4xx) classification. */
export const temp = (f: Partial<Classification> = {}): Classification =>
  cls({ cause: 'greylisted', hint: 'postgrey', permanent: false, ...f });

export function received(f: Partial<Parameters<typeof receivedEvent>[0]> = {}): ReceivedEvent {
  line++;
  return receivedEvent({
    mta: 'postfix',
    time: '2024-05-01T09:00:00Z',
    host: 'mx1',
    program: 'postfix/qmgr',
    queueId: 'ABC123',
    raw: `May  1 09:00:00 mx1 postfix/qmgr[3]: ABC123: from=<dave@example.com>, size=1, nrcpt=1 line ${line}`,
    origin: { file: 'mail.log', line },
    from: 'dave@example.com',
    size: 1,
    nrcpt: 1,
    client: null,
    ...f,
  });
}

export function authFailure(f: Partial<Parameters<typeof authFailureEvent>[0]> = {}): AuthFailureEvent {
  line++;
  return authFailureEvent({
    mta: 'postfix',
    time: '2024-05-01T09:30:00Z',
    host: 'mx1',
    program: 'postfix/smtpd',
    queueId: null,
    raw: `May  1 09:30:00 mx1 postfix/smtpd[4]: warning: unknown[203.0.113.5]: SASL LOGIN authentication failed: x line ${line}`,
    origin: { file: 'mail.log', line },
    client: { name: null, ip: '203.0.113.5', port: null },
    mechanism: 'LOGIN',
    username: null,
    text: 'authentication failure',
    ...f,
  });
}

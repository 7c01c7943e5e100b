/**
 * Exchange message tracking records and the whole events they must yield, minus provenance
 * (origin, raw). Real lines come from ../shared/corpus/exchange/ (real-lines.ts names file and
 * line). The corpus has no FAIL, DEFER, DELIVER or DSN row in the native format (SOURCES.md
 * "Gaps"); those cases are built in the Exchange 2016/2019 layout of Microsoft Learn "Message
 * tracking" (formats.ts), with status strings from FORMAT-NOTES.md §4, documentation IPs and
 * example domains. Time zone is pinned to UTC (vitest.config.ts), which local Timestamps use.
 */
import { csvRow, FIELDS_2019, TRACKING_HEADER_2019 } from './formats.js';
import {
  BOM8_FIELDS_2010,
  BOM8_NOTIFYMAPI,
  BOM8_SOFTWARE,
  ELASTIC_HAREDIRECTFAIL,
  ELASTIC_NOTIFYMAPI,
  ELASTIC_RECEIVE,
  ELASTIC_SEND,
  ELASTIC_SENDEXTERNAL,
  NAUPLIUS_FL,
  QAZEER_NOTIFYMAPI,
  QAZEER_RECEIVE,
  SENDER_ID_FL,
  TRANSPORT_RULE_FL,
  WALLIX_SUBMIT_2007,
} from './real-lines.js';

const peer = (name: string | null, ip: string | null, port: number | null = null) => ({ name, ip, port });

/** One 2016/2019 message tracking row from the fields it sets. */
export const row = (values: Record<string, string>): string => csvRow(FIELDS_2019, values);

export interface RowCase {
  name: string;
  /** Earlier lines of the same input (header, the message's RECEIVE row). */
  before?: string[];
  line: string;
  want: Record<string, unknown>[];
}

/** A whole input whose events are all compared, those handed out by end() included. */
export interface InputCase {
  name: string;
  lines: string[];
  want: Record<string, unknown>[];
}

export interface NonEventCase {
  name: string;
  before?: string[];
  line: string;
  status: 'recognised' | 'ignored' | 'unrecognised';
  reason?: string;
}

const delivery = {
  kind: 'delivery',
  mta: 'exchange',
  router: null,
  origTo: null,
  inReplyTo: null,
  delay: null,
};

// ---------------------------------------------------------------- built rows (documented format)

/** SMTP RECEIVE from the Internet: who handed message 73014444033 in. */
const RECEIVE_73014444033 = row({
  'date-time': '2026-11-22T10:15:00.021Z',
  'client-ip': '198.51.100.7',
  'client-hostname': 'mail.example.net',
  'server-ip': '192.0.2.10',
  'server-hostname': 'EX01',
  'source-context': '08DD0A1B2C3D4E5F;2026-11-22T10:14:59.870Z;0',
  'connector-id': 'EX01\\Default EX01',
  source: 'SMTP',
  'event-id': 'RECEIVE',
  'internal-message-id': '73014444033',
  'message-id': '<a1b2c3@mail.example.net>',
  'network-message-id': '4c7c9d51-1f5e-4a61-8d20-08dd0a1b2c3d',
  'recipient-address': 'nobody@example.com;ghost@example.com',
  'total-bytes': '5120',
  'recipient-count': '2',
  'message-subject': 'Quarterly report, draft',
  'sender-address': 'alice@example.net',
  'return-path': 'alice@example.net',
  'message-info': '0cA: ',
  directionality: 'Incoming',
  'custom-data': 'S:DeliveryPriority=Normal;S:AccountForest=example.com',
  'transport-traffic-type': 'Email',
  'log-id': '7b1e2f30-5a6b-4c7d-8e9f-08dd0a1b2c40',
  'schema-version': '15.02.1544.004',
});

/** ROUTING FAIL of both recipients of 73014444033; the row has no client. */
export const FAIL_RECIP_NOT_FOUND = row({
  'date-time': '2026-11-22T10:15:00.312Z',
  'server-hostname': 'EX01',
  source: 'ROUTING',
  'event-id': 'FAIL',
  'internal-message-id': '73014444033',
  'message-id': '<a1b2c3@mail.example.net>',
  'network-message-id': '4c7c9d51-1f5e-4a61-8d20-08dd0a1b2c3d',
  'recipient-address': 'nobody@example.com;ghost@example.com',
  'recipient-status': '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found;550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
  'total-bytes': '5120',
  'recipient-count': '2',
  reference: '<2f1d3c4b5a6978@EX01.example.com>',
  'message-subject': 'Quarterly report, draft',
  'sender-address': 'alice@example.net',
  'return-path': 'alice@example.net',
  directionality: 'Incoming',
  'transport-traffic-type': 'Email',
  'schema-version': '15.02.1544.004',
});

/** The NDR for it: the DSN message's own row; reference is the original's message-id. */
const DSN_73014444040 = row({
  'date-time': '2026-11-22T10:15:00.401Z',
  'server-hostname': 'EX01',
  source: 'DSN',
  'event-id': 'DSN',
  'internal-message-id': '73014444040',
  'message-id': '<2f1d3c4b5a6978@EX01.example.com>',
  'recipient-address': 'alice@example.net',
  'recipient-count': '1',
  reference: '<a1b2c3@mail.example.net>',
  'message-subject': 'Undeliverable: Quarterly report, draft',
  'sender-address': 'MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com',
  'return-path': '<>',
  directionality: 'Originating',
  'schema-version': '15.02.1544.004',
});

export const rowCases: RowCase[] = [
  // ---- real lines
  {
    name: 'SMTP SEND over the intra-organization connector is sent (elastic_integrations line 4)',
    line: ELASTIC_SEND,
    want: [
      {
        ...delivery,
        time: '2024-01-07T00:00:07.463Z',
        host: 'exchange.example.com',
        program: 'SMTP/SEND',
        queueId: '29519319995411',
        status: 'sent',
        agent: 'smtp',
        to: 'uwe.musterman@example.com',
        relay: peer('exchange.example.com', '192.168.0.2'),
        dsn: '2.1.5',
        reason: '250 2.1.5Recipient OK',
        smtpCode: 250,
        remoteHost: null,
        from: 'support@example.com',
        client: peer('exchange', '192.168.0.1'),
      },
    ],
  },
  {
    name: 'SMTP SENDEXTERNAL: host from message-info SRV=, null sender from return-path <> (elastic_integrations line 5)',
    line: ELASTIC_SENDEXTERNAL,
    want: [
      {
        ...delivery,
        time: '2025-01-14T09:29:05.327Z',
        host: 'HELLOWORLD.foo.example.com',
        program: 'SMTP/SENDEXTERNAL',
        queueId: '8774618205228',
        status: 'sent',
        agent: 'smtp',
        to: 'email@email.com',
        relay: peer('global-mail-onmicrosoft-com.mail.protection.outlook.com', '175.16.199.1'),
        dsn: '2.1.5',
        reason: '250 2.1.5 Recipient OK',
        smtpCode: 250,
        remoteHost: null,
        from: '',
        client: peer('HELLOWORLD', '216.160.83.56'),
      },
    ],
  },

  // ---- built in the documented 2016/2019 layout
  {
    name: 'ROUTING FAIL, two recipients, statuses containing "; " split by position; client from the RECEIVE row (documented layout)',
    before: [...TRACKING_HEADER_2019, RECEIVE_73014444033],
    line: FAIL_RECIP_NOT_FOUND,
    want: ['nobody@example.com', 'ghost@example.com'].map((to) => ({
      ...delivery,
      time: '2026-11-22T10:15:00.312Z',
      host: 'EX01',
      program: 'ROUTING/FAIL',
      queueId: '73014444033',
      status: 'bounced',
      agent: 'routing',
      to,
      relay: null,
      dsn: '5.1.1',
      reason: '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
      smtpCode: 550,
      remoteHost: null,
      from: 'alice@example.net',
      client: peer('mail.example.net', '198.51.100.7'),
    })),
  },
  {
    name: 'ROUTING FAIL without sender or client: both from the RECEIVE row (documented layout)',
    before: [...TRACKING_HEADER_2019, RECEIVE_73014444033],
    line: row({
      'date-time': '2026-11-22T10:15:00.312Z',
      'server-hostname': 'EX01',
      source: 'ROUTING',
      'event-id': 'FAIL',
      'internal-message-id': '73014444033',
      'recipient-address': 'nobody@example.com',
      'recipient-status': '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
      'schema-version': '15.02.1544.004',
    }),
    want: [
      {
        ...delivery,
        time: '2026-11-22T10:15:00.312Z',
        host: 'EX01',
        program: 'ROUTING/FAIL',
        queueId: '73014444033',
        status: 'bounced',
        agent: 'routing',
        to: 'nobody@example.com',
        relay: null,
        dsn: '5.1.1',
        reason: '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found',
        smtpCode: 550,
        remoteHost: null,
        from: 'alice@example.net',
        client: peer('mail.example.net', '198.51.100.7'),
      },
    ],
  },
  {
    name: 'DSN row: the NDR names the message it reports on through reference → message-id → internal id (documented layout)',
    before: [...TRACKING_HEADER_2019, RECEIVE_73014444033, FAIL_RECIP_NOT_FOUND],
    line: DSN_73014444040,
    want: [
      {
        kind: 'notification',
        mta: 'exchange',
        time: '2026-11-22T10:15:00.401Z',
        host: 'EX01',
        program: 'DSN/DSN',
        queueId: '73014444033',
        notice: 'non-delivery',
        recipient: 'sender',
        notificationQueueId: '73014444040',
      },
    ],
  },
  {
    name: 'ROUTING FAIL with the 2013 status wrapper [{LRT=};{LED=…};{FQDN=};{IP=}] (status as in the nauplius post)',
    before: TRACKING_HEADER_2019,
    line: row({
      'date-time': '2026-11-22T11:02:45.730Z',
      'client-ip': '192.0.2.44',
      'client-hostname': 'sharepoint01.example.com',
      'server-hostname': 'EX01',
      source: 'ROUTING',
      'event-id': 'FAIL',
      'internal-message-id': '73014444102',
      'message-id': '<eb7d49a841df41e3@sharepoint01.example.com>',
      'recipient-address': 'allstaff@example.com',
      'recipient-status': '[{LRT=};{LED=550 5.7.1 RESOLVER.RST.AuthRequired; authentication required};{FQDN=};{IP=}]',
      'message-subject': "cuser79 wants to access 'Team'",
      'sender-address': 'cuser79@example.com',
      'return-path': 'cuser79@example.com',
      'schema-version': '15.02.1544.004',
    }),
    want: [
      {
        ...delivery,
        time: '2026-11-22T11:02:45.730Z',
        host: 'EX01',
        program: 'ROUTING/FAIL',
        queueId: '73014444102',
        status: 'bounced',
        agent: 'routing',
        to: 'allstaff@example.com',
        relay: null,
        dsn: '5.7.1',
        reason: '550 5.7.1 RESOLVER.RST.AuthRequired; authentication required',
        smtpCode: 550,
        remoteHost: null,
        from: 'cuser79@example.com',
        client: peer('sharepoint01.example.com', '192.0.2.44'),
      },
    ],
  },
  {
    name: 'SMTP FAIL towards Exchange Online, 2016 wrapper with FQDN and IP; host from LSRV= (documented layout)',
    before: TRACKING_HEADER_2019,
    line: row({
      'date-time': '2026-11-22T10:20:01.044Z',
      'client-ip': '192.0.2.10',
      'client-hostname': 'EX01.example.com',
      'server-ip': '203.0.113.25',
      'server-hostname': 'example-org.mail.protection.outlook.com',
      'connector-id': 'Internet Send Connector',
      source: 'SMTP',
      'event-id': 'FAIL',
      'internal-message-id': '73014444051',
      'message-id': '<5c6d7e8f@EX01.example.com>',
      'recipient-address': 'bob@example.org',
      'recipient-status':
        '[{LED=550 5.4.1 Recipient address rejected: Access denied. AS(201806281)};{MSG=};{FQDN=example-org.mail.protection.outlook.com};{IP=203.0.113.25};{LRT=11/22/2026 10:20:01 AM}]',
      'message-subject': 'Invoice 4711',
      'sender-address': 'carol@example.com',
      'return-path': 'carol@example.com',
      'message-info': '2026-11-22T10:19:58.114Z;LSRV=EX01.example.com:TOTAL-HUB=2.891|SMR=0.120|CAT=0.051|QDE=2.603|SMS=0.117',
      directionality: 'Originating',
      'schema-version': '15.02.1544.004',
    }),
    want: [
      {
        ...delivery,
        time: '2026-11-22T10:20:01.044Z',
        host: 'EX01.example.com',
        program: 'SMTP/FAIL',
        queueId: '73014444051',
        status: 'bounced',
        agent: 'smtp',
        to: 'bob@example.org',
        relay: peer('example-org.mail.protection.outlook.com', '203.0.113.25'),
        dsn: '5.4.1',
        reason: '550 5.4.1 Recipient address rejected: Access denied. AS(201806281)',
        smtpCode: 550,
        remoteHost: 'example-org.mail.protection.outlook.com',
        from: 'carol@example.com',
        client: peer('EX01.example.com', '192.0.2.10'),
      },
    ],
  },
  {
    name: 'QUEUE FAIL on expiry: 550 with a 4.4.7 enhanced code (docs example status)',
    before: TRACKING_HEADER_2019,
    line: row({
      'date-time': '2026-11-22T23:40:12.901Z',
      'server-hostname': 'EX01',
      source: 'QUEUE',
      'event-id': 'FAIL',
      'internal-message-id': '73014440210',
      'recipient-address': 'dave@unreachable.example',
      'recipient-status': '550 4.4.7 QUEUE.Expired; message expired',
      'sender-address': 'erin@example.com',
      'return-path': 'erin@example.com',
      'schema-version': '15.02.1544.004',
    }),
    want: [
      {
        ...delivery,
        time: '2026-11-22T23:40:12.901Z',
        host: 'EX01',
        program: 'QUEUE/FAIL',
        queueId: '73014440210',
        status: 'bounced',
        agent: 'queue',
        to: 'dave@unreachable.example',
        relay: null,
        dsn: '4.4.7',
        reason: '550 4.4.7 QUEUE.Expired; message expired',
        smtpCode: 550,
        remoteHost: null,
        from: 'erin@example.com',
        client: null,
      },
    ],
  },
  {
    name: 'SMTP DEFER: the next hop from the wrapper when the row names no server; quoted status cell (documented layout)',
    before: TRACKING_HEADER_2019,
    line: row({
      'date-time': '2026-11-22T10:30:00.250Z',
      'connector-id': 'Internet Send Connector',
      source: 'SMTP',
      'event-id': 'DEFER',
      'internal-message-id': '73014444077',
      'recipient-address': 'frank@example.net',
      'recipient-status': '[{LRT=11/22/2026 10:30:00 AM};{LED=451 4.7.1 Greylisted, please try again later};{FQDN=mx.example.net};{IP=198.51.100.25}]',
      'sender-address': 'grace@example.com',
      'return-path': 'grace@example.com',
      'schema-version': '15.02.1544.004',
    }),
    want: [
      {
        ...delivery,
        time: '2026-11-22T10:30:00.250Z',
        host: null,
        program: 'SMTP/DEFER',
        queueId: '73014444077',
        status: 'deferred',
        agent: 'smtp',
        to: 'frank@example.net',
        relay: peer('mx.example.net', '198.51.100.25'),
        dsn: '4.7.1',
        reason: '451 4.7.1 Greylisted, please try again later',
        smtpCode: 451,
        remoteHost: 'mx.example.net',
        from: 'grace@example.com',
        client: null,
      },
    ],
  },
  {
    name: 'STOREDRIVER DELIVER to a mailbox is sent, with an empty status (documented layout)',
    before: TRACKING_HEADER_2019,
    line: row({
      'date-time': '2026-11-22T09:05:10.518Z',
      'client-ip': '192.0.2.10',
      'client-hostname': 'EX01.example.com',
      'server-ip': '192.0.2.11',
      'server-hostname': 'EX02',
      'source-context':
        'MDB:0b5f1c1e-8d1c-4a55-9d0b-0c8b3a9e1f21, Mailbox:5d2e9a3c-6a41-4f2b-b7a8-2c1f0e9d8b77, Event:1048576, MessageClass:IPM.Note, CreationTime:2026-11-22T09:05:09.904Z, ClientType:StoreDriver',
      'connector-id': 'EX02\\Default EX02',
      source: 'STOREDRIVER',
      'event-id': 'DELIVER',
      'internal-message-id': '21474836511',
      'message-id': '<9f8e7d6c@mail.example.net>',
      'recipient-address': 'erin@example.com',
      'total-bytes': '20480',
      'recipient-count': '1',
      'message-subject': 'Lunch?',
      'sender-address': 'heidi@example.net',
      'return-path': 'heidi@example.net',
      'message-info': '2026-11-22T09:05:09.100Z;SRV=EX02.example.com:TOTAL-SUB=0.021|SA=0.011',
      directionality: 'Incoming',
      'schema-version': '15.02.1544.004',
    }),
    want: [
      {
        ...delivery,
        time: '2026-11-22T09:05:10.518Z',
        host: 'EX02',
        program: 'STOREDRIVER/DELIVER',
        queueId: '21474836511',
        status: 'sent',
        agent: 'storedriver',
        to: 'erin@example.com',
        relay: null,
        dsn: null,
        reason: '',
        smtpCode: null,
        remoteHost: null,
        from: 'heidi@example.net',
        client: peer('EX01.example.com', '192.0.2.10'),
      },
    ],
  },
];

// ---------------------------------------------------------------- Format-List (real console output)

export const inputCases: InputCase[] = [
  {
    name: 'Format-List: ROUTING FAIL AuthRequired, partial property list, no Timestamp (nauplius blog)',
    lines: NAUPLIUS_FL,
    want: [
      {
        ...delivery,
        time: null,
        host: null,
        program: 'ROUTING/FAIL',
        queueId: null,
        status: 'bounced',
        agent: 'routing',
        to: 'TestingGroup@nauplius.local',
        relay: null,
        dsn: '5.7.1',
        reason: '550 5.7.1 RESOLVER.RST.AuthRequired; authentication required',
        smtpCode: 550,
        remoteHost: null,
        from: 'cuser79@nauplius.local',
        client: null,
      },
    ],
  },
  {
    name: 'Format-List: AGENT FAIL by a transport rule, US local Timestamp, masked values (Q&A 347573)',
    lines: TRANSPORT_RULE_FL,
    want: [
      {
        ...delivery,
        time: '2021-04-06T14:46:03.000Z',
        host: null,
        program: 'AGENT/FAIL',
        queueId: '80762565034851',
        status: 'bounced',
        agent: 'agent',
        to: '***',
        relay: null,
        dsn: '5.7.1',
        reason: '550 5.7.1 TRANSPORT.RULES.RejectMessage; the message was rejected by organization policy',
        smtpCode: 550,
        remoteHost: null,
        from: '***',
        client: peer('***', null),
      },
    ],
  },
  {
    name: 'Format-List: SMTP FAIL by the Sender Id Agent on a Receive connector, day-first Timestamp (Q&A 1407358)',
    lines: SENDER_ID_FL,
    want: [
      {
        ...delivery,
        time: '2023-10-28T20:18:34.000Z',
        host: null,
        program: 'SMTP/FAIL',
        queueId: '190838281863168',
        status: 'bounced',
        agent: 'smtp',
        to: '******@xxx.com',
        // Refused while receiving: no next hop, and the wrapper's IP is not a remote server's.
        relay: null,
        dsn: '5.7.1',
        reason: '550 5.7.1 Sender ID (PRA) Not Permitted',
        smtpCode: 550,
        remoteHost: null,
        from: 'email@microsoft.com',
        client: peer('xxx', '199.15.214.202'),
      },
    ],
  },
];

// ---------------------------------------------------------------- known lines that are not events

export const nonEventCases: NonEventCase[] = [
  { name: 'header line with the UTF-8 BOM (bom8 line 1)', line: BOM8_SOFTWARE, status: 'ignored', reason: 'header' },
  { name: '#Fields: of Exchange 2010 (bom8 line 5)', line: BOM8_FIELDS_2010, status: 'ignored', reason: 'header' },
  { name: 'NOTIFYMAPI under the 2010 header (bom8 line 6)', before: [BOM8_FIELDS_2010], line: BOM8_NOTIFYMAPI, status: 'ignored', reason: 'bookkeeping' },
  { name: 'NOTIFYMAPI, headerless 30 columns (elastic_integrations line 6)', line: ELASTIC_NOTIFYMAPI, status: 'ignored', reason: 'bookkeeping' },
  { name: 'NOTIFYMAPI in an MSGTRKMS file (Qazeer line 6)', before: TRACKING_HEADER_2019, line: QAZEER_NOTIFYMAPI, status: 'ignored', reason: 'bookkeeping' },
  { name: 'HAREDIRECTFAIL: shadow redundancy, not a recipient outcome (elastic_integrations line 1)', line: ELASTIC_HAREDIRECTFAIL, status: 'ignored', reason: 'warning' },
  { name: 'SUBMIT, Exchange 2007 headerless 21 columns (wallix)', line: WALLIX_SUBMIT_2007, status: 'ignored', reason: 'bookkeeping' },
  { name: 'SMTP RECEIVE feeds correlation (elastic_integrations line 2)', line: ELASTIC_RECEIVE, status: 'recognised' },
  { name: 'STOREDRIVER RECEIVE feeds correlation (Qazeer line 7)', line: QAZEER_RECEIVE, status: 'recognised' },
  { name: 'DROP: deleted without an NDR (documented event id)', before: TRACKING_HEADER_2019, line: row({ 'date-time': '2026-11-22T10:00:00.000Z', source: 'AGENT', 'event-id': 'DROP', 'internal-message-id': '1' }), status: 'ignored', reason: 'content-action' },
  { name: 'an event id Exchange has not documented is counted, not guessed at', before: TRACKING_HEADER_2019, line: row({ 'date-time': '2026-11-22T10:00:00.000Z', source: 'SMTP', 'event-id': 'FROBNICATE', 'internal-message-id': '1' }), status: 'unrecognised' },
  { name: 'a row of a column count no version has', line: '2026-11-22T10:00:00.000Z,a,b,c', status: 'unrecognised' },
  { name: 'a row with a quote never closed', line: '2026-11-22T10:00:00.000Z,,,,"EX01,' + ','.repeat(25), status: 'unrecognised' },
  { name: 'a headerless row whose first cell is not a date-time', line: 'yesterday' + ','.repeat(29), status: 'unrecognised' },
  { name: 'an empty line', line: '', status: 'ignored', reason: 'blank' },
  { name: 'an unknown # line', line: '#Comment: hello', status: 'unrecognised' },
];

/**
 * The Exchange rule table, one row per rule at least, each a log record run through the real
 * parser (parsers/exchange) and then classify(). Real records come verbatim from
 * ../shared/corpus/exchange (Format-List files, named "corpus:"). The corpus has no native FAIL
 * row and no protocol log, so the other records are built in the documented formats (Microsoft
 * Learn "Message tracking" 2016/2019 layout; "Protocol logging" for SMTP Receive logs) around
 * the exact status text: Exchange's own (FORMAT-NOTES.md §4, named "exchange:"), Exchange
 * Online's or another provider's reply (named "provider:").
 */
import { describe, expect, test } from 'vitest';
import { exchangeParser } from '../../parsers/exchange/index.js';
import { classify, PLACEHOLDERS } from '../../src/classify/classify.js';
import { EXCHANGE_RULES } from '../../src/classify/rules-exchange.js';
import { Cause, Direction, type Classification } from '../../src/classify/types.js';
import { MailEvent } from '../../src/event.js';
import { lastEventOf, summary, wantFor, type Want } from '../helpers/rule-cases.js';
import { ruleTableInvariants } from '../helpers/rule-table.js';
import { parseLines } from '../helpers/parse.js';
import { row } from '../parsers/exchange/events.cases.js';
import { RECEIVE_HEADER, TRACKING_HEADER_2019 } from '../parsers/exchange/formats.js';
import { NAUPLIUS_FL, SENDER_ID_FL, TRANSPORT_RULE_FL } from '../parsers/exchange/real-lines.js';

interface Case {
  name: string;
  /** Log lines; the last event they yield is the one classified. */
  lines: string[];
  want: Want;
  /** Must appear in the verify command, with this event's values filled in and quoted. */
  verify: string;
}

const want = wantFor('exchange');

// ---------------------------------------------------------------- record builders

/** An SMTP Receive session on the Internet-facing connector: MAIL, RCPT, then our reply to `stage`. */
function session(stage: 'MAIL' | 'RCPT' | 'END-OF-MESSAGE', reply: string, rcpt = 'alice@example.com'): string[] {
  const rows: [string, string][] = [
    ['+', ''],
    ['>', '220 EX01.example.com Microsoft ESMTP MAIL Service ready'],
    ['<', 'EHLO mail.example.net'],
    ['>', '250  EX01.example.com Hello [198.51.100.7] SIZE 37748736 PIPELINING DSN ENHANCEDSTATUSCODES STARTTLS'],
    ['<', 'MAIL FROM:<bob@example.net> SIZE=2048'],
  ];
  if (stage === 'MAIL') rows.push(['>', reply]);
  else {
    rows.push(['>', '250 2.1.0 Sender OK'], ['<', `RCPT TO:<${rcpt}>`]);
    if (stage === 'RCPT') rows.push(['>', reply]);
    else rows.push(['>', '250 2.1.5 Recipient OK'], ['<', 'DATA'], ['>', '354 Start mail input; end with <CRLF>.<CRLF>'], ['>', reply]);
  }
  const cell = (v: string) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [
    ...RECEIVE_HEADER,
    ...rows.map(([ev, data], i) =>
      [`2026-11-22T08:00:00.${String(i).padStart(3, '0')}Z`, 'EX01\\Default Frontend EX01', '08DD0A2B3C4D5E01', String(i), '192.0.2.10:25', '198.51.100.7:50123', ev, cell(data), ''].join(','),
    ),
  ];
}

/** A FAIL (or DEFER) row by a source inside the organization: ROUTING, STOREDRIVER, AGENT. */
function localFail(source: string, status: string, rcpt = 'nobody@example.com', eventId = 'FAIL'): string[] {
  return [
    ...TRACKING_HEADER_2019,
    row({
      'date-time': '2026-11-22T10:15:00.312Z',
      'server-hostname': 'EX01',
      source,
      'event-id': eventId,
      'internal-message-id': '73014444033',
      'recipient-address': rcpt,
      'recipient-status': status,
      'sender-address': 'bob@example.net',
      'return-path': 'bob@example.net',
    }),
  ];
}

/** An SMTP FAIL (or DEFER) towards a remote MX over the Internet Send connector. */
function remoteFail(status: string, eventId = 'FAIL', source = 'SMTP'): string[] {
  return [
    ...TRACKING_HEADER_2019,
    row({
      'date-time': '2026-11-22T10:20:01.044Z',
      'server-ip': '203.0.113.25',
      'server-hostname': 'mx.example.org',
      'connector-id': 'Internet Send Connector',
      source,
      'event-id': eventId,
      'internal-message-id': '73014444051',
      'recipient-address': 'carol@example.org',
      'recipient-status': status,
      'sender-address': 'dave@example.com',
      'return-path': 'dave@example.com',
      'message-info': '2026-11-22T10:19:58.114Z;LSRV=EX01.example.com:TOTAL-HUB=2.891',
    }),
  ];
}

// ---------------------------------------------------------------- inbound

const INBOUND: Case[] = [
  {
    name: 'recipient filtering at RCPT (exchange: Recipient Filter agent reply)',
    lines: session('RCPT', '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup', 'former@example.com'),
    want: want('inbound', 'user-unknown', 'Recipient filtering (RecipientValidationEnabled)', 'recipient-filtering', true),
    verify: "Get-Recipient -Identity 'former@example.com'",
  },
  {
    name: 'unknown recipient at RCPT (exchange: RESOLVER.ADR.RecipNotFound)',
    lines: session('RCPT', '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found', 'nobody@example.com'),
    want: want('inbound', 'user-unknown', 'proxyAddresses / directory sync', 'recipient-not-found', true),
    verify: "Get-Recipient -Identity 'nobody@example.com'",
  },
  {
    name: 'relay to a non-accepted domain (exchange: 5.7.54, 2013+)',
    lines: session('RCPT', '550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain', 'victim@example.org'),
    want: want('inbound', 'relay-denied', 'Receive connector permissions (Ms-Exch-SMTP-Accept-Any-Recipient)', 'relay-denied', true),
    verify: 'Get-AcceptedDomain; Get-ReceiveConnector',
  },
  {
    name: 'relay, Exchange 2010 wording (exchange: "550 5.7.1 Unable to relay", Q&A protocol log excerpt)',
    lines: session('RCPT', '550 5.7.1 Unable to relay', 'victim@example.org'),
    want: want('inbound', 'relay-denied', 'Receive connector permissions (Ms-Exch-SMTP-Accept-Any-Recipient)', 'relay-denied', true),
    verify: 'PermissionGroups',
  },
  {
    name: 'TLS required before MAIL (exchange: 530 5.7.0)',
    lines: session('MAIL', '530 5.7.0 Must issue a STARTTLS command first'),
    want: want('inbound', 'auth-required', 'Receive connector RequireTLS', 'tls-required', true),
    verify: 'RequireTLS',
  },
  {
    name: 'anonymous client on an authenticated-only connector (exchange: 530 5.7.1)',
    lines: session('MAIL', '530 5.7.1 Client was not authenticated'),
    want: want('inbound', 'auth-required', 'Receive connector PermissionGroups (AnonymousUsers)', 'auth-required', true),
    verify: 'Get-ReceiveConnector | Format-List Name,Bindings,PermissionGroups',
  },
  {
    name: 'Sender ID agent, SMTP FAIL on a Receive connector (corpus: Q&A 1407358 Format-List)',
    lines: SENDER_ID_FL,
    want: want('inbound', 'sender-auth-failed', 'Sender ID agent (SpoofedDomainAction)', 'sender-id', true),
    verify: "Resolve-DnsName -Type TXT 'microsoft.com'",
  },
  {
    name: 'content filter after the body (exchange: Content Filter agent default rejection response)',
    lines: session('END-OF-MESSAGE', '550 5.7.1 Message rejected as spam by Content Filtering.'),
    want: want('inbound', 'spam-content', 'Content Filter agent (SCLRejectThreshold)', 'content-filter', true),
    verify: 'SCLRejectThreshold',
  },
  {
    name: 'sender filter (exchange: Sender Filter agent reply)',
    lines: session('MAIL', '554 5.1.0 Sender denied'),
    want: want('inbound', 'access-policy', 'Sender Filter agent (BlockedSenders)', 'sender-filter', true),
    verify: 'Get-SenderFilterConfig',
  },
  {
    name: 'connection filtering, IP Block List (exchange: Connection Filtering agent reply)',
    lines: session('RCPT', '550 5.7.1 External client with IP address 198.51.100.7 does not have permissions to submit to this server.'),
    want: want('inbound', 'blocklisted', 'Connection Filtering (IP Block List / providers)', 'connection-filter', true),
    verify: 'Get-IPBlockListEntry',
  },
  {
    name: 'back pressure (exchange: 452 4.3.1)',
    lines: session('MAIL', '452 4.3.1 Insufficient system resources'),
    want: want('inbound', 'other', 'back pressure (transport server resources)', 'back-pressure', false),
    verify: 'ResourceThrottling',
  },
  {
    name: 'message too large (exchange: 552 5.3.4)',
    lines: session('MAIL', '552 5.3.4 Message size exceeds fixed maximum message size'),
    want: want('inbound', 'message-too-large', 'MaxMessageSize (Receive connector, organization)', 'message-too-large', true),
    verify: 'MaxMessageSize',
  },
  {
    name: 'too many recipients (exchange: 452 4.5.3)',
    lines: session('RCPT', '452 4.5.3 Too many recipients'),
    want: want('inbound', 'rate-limited', 'MaxRecipientsPerMessage (Receive connector)', 'too-many-recipients', false),
    verify: 'MaxRecipientsPerMessage',
  },
  {
    name: 'commands out of order (exchange: 503 5.5.2 Send hello first)',
    lines: session('MAIL', '503 5.5.2 Send hello first'),
    want: want('inbound', 'protocol-error', 'the client (SMTP command order)', 'protocol-error', true),
    verify: 'Get-ReceiveConnector',
  },
  {
    name: 'another policy refusal (exchange: 550 5.7.1 Delivery not authorized)',
    lines: session('RCPT', '550 5.7.1 Delivery not authorized, message refused'),
    want: want('inbound', 'access-policy', 'Receive connector / transport agents', 'policy-fallback', true),
    verify: 'Get-TransportAgent',
  },
  {
    name: 'a refusal no rule knows (exchange: 554 5.6.0)',
    lines: session('END-OF-MESSAGE', '554 5.6.0 Invalid message content'),
    want: want('inbound', 'other', 'Receive connector', 'other', true),
    verify: 'Get-ReceiveConnector',
  },
];

// ---------------------------------------------------------------- local

const LOCAL: Case[] = [
  {
    name: 'routing loop (Microsoft Learn: "554 5.4.6 Hop count exceeded - possible mail loop", on-premises)',
    lines: localFail('ROUTING', '554 5.4.6 Hop count exceeded - possible mail loop'),
    want: want('local', 'mail-loop', 'connectors / routing loop', 'mail-loop', true),
    verify: 'Get-SendConnector',
  },
  {
    name: 'unknown recipient after acceptance, ROUTING FAIL (exchange: RESOLVER.ADR.RecipNotFound)',
    lines: localFail('ROUTING', '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'),
    want: want('local', 'user-unknown', 'proxyAddresses / directory sync', 'recipient-not-found', true),
    verify: "Get-Recipient -Identity 'nobody@example.com'; Get-AcceptedDomain",
  },
  {
    name: 'ambiguous address (exchange: RESOLVER.ADR.Ambiguous)',
    lines: localFail('ROUTING', '550 5.1.4 RESOLVER.ADR.Ambiguous; ambiguous address', 'sales@example.com'),
    want: want('local', 'other', 'duplicate proxyAddresses', 'ambiguous-recipient', true),
    verify: "[regex]::Escape('sales@example.com')",
  },
  {
    name: 'distribution group requires authenticated senders (corpus: nauplius Format-List)',
    lines: NAUPLIUS_FL,
    want: want('local', 'auth-required', 'RequireSenderAuthenticationEnabled', 'auth-required', true),
    verify: "Get-DistributionGroup 'TestingGroup@nauplius.local'",
  },
  {
    name: 'delivery restrictions of a group (exchange: RESOLVER.RST.NotAuthorizedToGroup)',
    lines: localFail('ROUTING', '[{LRT=};{LED=550 5.7.1 RESOLVER.RST.NotAuthorizedToGroup; not authorized to send to the distribution list};{FQDN=};{IP=}]', 'board@example.com'),
    want: want('local', 'access-policy', 'delivery restrictions (AcceptMessagesOnlyFrom)', 'not-authorized', true),
    verify: "Get-Mailbox 'board@example.com' -ErrorAction SilentlyContinue | Format-List RequireSenderAuthenticationEnabled,AcceptMessagesOnlyFrom*",
  },
  {
    name: 'message too large for the recipient (exchange: RESOLVER.RST.RecipSizeLimit)',
    lines: localFail('ROUTING', '550 5.2.3 RESOLVER.RST.RecipSizeLimit; message too large for this recipient', 'erin@example.com'),
    want: want('local', 'message-too-large', 'MaxReceiveSize / MaxSendSize', 'size-limit', true),
    verify: "Get-Mailbox 'erin@example.com' | Format-List MaxReceiveSize",
  },
  {
    name: 'too many recipients for the sender (exchange: RESOLVER.ADR.RecipLimit)',
    lines: localFail('ROUTING', '550 5.5.3 RESOLVER.ADR.RecipLimit; too many recipients'),
    want: want('local', 'rate-limited', 'RecipientLimits', 'recipient-limit', true),
    verify: "Get-Mailbox 'bob@example.net' | Format-List RecipientLimits",
  },
  {
    name: 'forwarding loop (exchange: RESOLVER.FWD.Loop; text after ";" abridged)',
    lines: localFail('ROUTING', '550 5.4.6 RESOLVER.FWD.Loop; forwarding loop', 'frank@example.com'),
    want: want('local', 'mail-loop', 'forwarding loop (ForwardingSmtpAddress, Inbox rules)', 'forwarding-loop', true),
    verify: "Get-InboxRule -Mailbox 'frank@example.com'",
  },
  {
    name: 'no route to the domain (exchange: ROUTING.NoNextHop)',
    lines: localFail('ROUTING', '550 5.4.4 ROUTING.NoNextHop; unable to route', 'grace@partner.example'),
    want: want('local', 'domain-not-found', 'Send connector AddressSpaces', 'no-route', true),
    verify: "Resolve-DnsName -Type MX 'partner.example'",
  },
  {
    name: 'transport rule rejects the message (corpus: Q&A 347573 Format-List)',
    lines: TRANSPORT_RULE_FL,
    want: want('local', 'access-policy', 'transport rule', 'transport-rule', true),
    verify: 'Get-TransportRule',
  },
  {
    name: 'mailbox full at store delivery (exchange: 550 5.2.2 STOREDRV.Deliver)',
    lines: localFail('STOREDRIVER', '550 5.2.2 STOREDRV.Deliver: mailbox full', 'heidi@example.com'),
    want: want('local', 'mailbox-full', 'mailbox quota (ProhibitSendReceiveQuota)', 'mailbox-full', true),
    verify: "Get-MailboxStatistics 'heidi@example.com' | Format-List TotalItemSize",
  },
  {
    name: 'quota exception without 5.2.2 (exchange: STOREDRV.Deliver.Exception:QuotaExceededException)',
    lines: localFail('STOREDRIVER', '554 5.2.0 STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionQuotaExceeded; Failed to process message due to a permanent exception', 'heidi@example.com'),
    want: want('local', 'mailbox-full', 'mailbox quota (ProhibitSendReceiveQuota)', 'quota', true),
    verify: 'ProhibitSendReceiveQuota',
  },
  {
    name: 'store delivery deferred (exchange: STOREDRV.Deliver, DEFER)',
    lines: localFail('STOREDRIVER', '432 4.2.0 STOREDRV.Deliver; mailbox database thread limit exceeded', 'ivan@example.com', 'DEFER'),
    want: want('local', 'other', 'mailbox database (Mailbox Transport Delivery)', 'store-delivery', false),
    verify: 'Get-MailboxDatabaseCopyStatus',
  },
  {
    name: 'an agent failure no rule knows',
    lines: localFail('AGENT', '554 5.6.0 Invalid message content'),
    want: want('local', 'other', 'Exchange transport', 'other', true),
    verify: "Get-MessageTrackingLog -Recipients 'nobody@example.com' -EventId FAIL",
  },
];

// ---------------------------------------------------------------- outbound

const OUTBOUND: Case[] = [
  // Exchange's own texts
  {
    name: 'message expired in the queue (exchange: docs example, QUEUE FAIL)',
    lines: remoteFail('550 4.4.7 QUEUE.Expired; message expired', 'FAIL', 'QUEUE'),
    want: want('outbound', 'connection-failed', 'next hop unreachable (Send connector, DNS, firewall)', 'expired', true),
    verify: 'MessageExpirationTimeout',
  },
  {
    name: 'message expired, connection refused (provider: Exchange Online 5.4.316)',
    lines: remoteFail('550 5.4.316 Message expired, connection refused(Socket error code 10061)'),
    want: want('outbound', 'connection-failed', 'next hop unreachable (Send connector, DNS, firewall)', 'expired', true),
    verify: 'Get-Queue',
  },
  {
    name: 'nonexistent domain (exchange: SMTPSEND.DNS.NonExistentDomain)',
    lines: remoteFail('554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain', 'FAIL', 'DNS'),
    want: want('outbound', 'domain-not-found', 'fix the domain (typo?)', 'nonexistent-domain', true),
    verify: "Resolve-DnsName -Type MX 'example.org'",
  },
  {
    name: 'DNS lookup failed, deferred (exchange: DNS query failed)',
    lines: remoteFail('451 4.4.0 DNS query failed. The error was: DNS query failed with error ErrorRetry', 'DEFER'),
    want: want('outbound', 'domain-not-found', 'DNS lookups (ours or theirs)', 'dns-failure', false),
    verify: 'ExternalDNS',
  },
  {
    name: 'their MX does not answer (exchange: 451 4.4.0 Primary target IP address responded with)',
    lines: remoteFail('451 4.4.0 Primary target IP address responded with: "421 4.2.1 Unable to connect." Attempted failover to alternate host, but that did not succeed.', 'DEFER'),
    want: want('outbound', 'connection-failed', 'their server (or our port 25)', 'connection-failed', false),
    verify: "Test-NetConnection -ComputerName (Resolve-DnsName -Type MX 'example.org'",
  },
  {
    name: 'remote Exchange refuses to relay (provider: Exchange 5.7.54)',
    lines: remoteFail('550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain'),
    want: want('outbound', 'relay-denied', 'Send connector (smart host login) or their accepted domains', 'relay-not-accepted', true),
    verify: 'SmartHostAuthMechanism',
  },
  {
    name: 'relay access denied with 5.4.1 is relaying, not Edge Blocking (provider: Exchange Online)',
    lines: remoteFail('550 5.4.1 Relay Access Denied'),
    want: want('outbound', 'relay-denied', 'Send connector (smart host login) or their accepted domains', 'relay-not-accepted', true),
    verify: 'Get-SendConnector',
  },
  // remote replies (shared phrases)
  {
    name: 'IPv6 not accepted (provider: Microsoft 365, as in the Postfix table)',
    lines: remoteFail('550 5.2.1 Service unavailable, [example.org] does not accept email over IPv6.'),
    want: want('outbound', 'access-policy', 'send over IPv4 (Send connector)', 'ipv6-not-accepted', true),
    verify: 'SourceIPAddress',
  },
  {
    name: 'Directory-Based Edge Blocking (provider: Exchange Online)',
    lines: remoteFail('[{LED=550 5.4.1 Recipient address rejected: Access denied. AS(201806281)};{MSG=};{FQDN=example-org.mail.protection.outlook.com};{IP=203.0.113.25};{LRT=}]'),
    want: want('outbound', 'user-unknown', 'Directory-Based Edge Blocking (Exchange Online)', 'eop-recipient-not-found', true),
    verify: "Get-Recipient -Identity 'carol@example.org'",
  },
  {
    name: 'too many invalid recipients (provider: louisitvn corpus text)',
    lines: remoteFail('550 Too many invalid recipients'),
    want: want('outbound', 'rate-limited', 'remove invalid addresses from lists', 'too-many-invalid-recipients', true),
    verify: 'Get-MessageTrackingLog',
  },
  {
    name: 'their mailbox is full (provider: Gmail)',
    lines: remoteFail('452 4.2.2 The email account that you tried to reach is over quota.', 'DEFER'),
    want: want('outbound', 'mailbox-full', 'their mailbox is full', 'mailbox-full', false),
    verify: "-Recipients 'carol@example.org'",
  },
  {
    name: 'mailbox disabled (provider: Gmail 5.2.1)',
    lines: remoteFail('550 5.2.1 The email account that you tried to reach is disabled.'),
    want: want('outbound', 'mailbox-disabled', 'remove the address from lists', 'mailbox-disabled', true),
    verify: "-Recipients 'carol@example.org'",
  },
  {
    name: 'user has moved (provider: louisitvn corpus text)',
    lines: remoteFail('550 5.1.6 Recipient address rejected: User has moved to carol@example.net'),
    want: want('outbound', 'user-unknown', 'update the address (user moved)', 'user-moved', true),
    verify: 'Get-MessageTrackingLog',
  },
  {
    name: 'Yahoo [TSS04] deferral (provider: Yahoo error-codes page)',
    lines: remoteFail('421 4.7.0 [TSS04] Messages from 192.0.2.10 temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes', 'DEFER'),
    want: want('outbound', 'blocklisted', 'our IP reputation', 'provider-ip-block', false),
    verify: "Write-Output ('IP ' + '192.0.2.10' + ': look it up or ask for delisting at ' + 'https://senders.yahooinc.com/'); Get-SendConnector | Format-List Name,SmartHosts,SourceTransportServers",
  },
  {
    name: 'rate limited, deferred (provider: generic 421)',
    lines: remoteFail('421 4.7.0 Too many connections from your IP', 'DEFER'),
    want: want('outbound', 'rate-limited', 'our sending rate', 'rate-limited', false),
    verify: 'MaxPerDomainOutboundConnections',
  },
  {
    name: 'no PTR record (provider: Gmail 5.7.25)',
    lines: remoteFail('550 5.7.25 The IP address sending this message does not have a PTR record setup.'),
    want: want('outbound', 'sender-auth-failed', 'our PTR record (reverse DNS)', 'ptr-missing', true),
    verify: 'Format-List Name,Fqdn',
  },
  {
    name: 'SPF/DKIM required (provider: Gmail 5.7.26)',
    lines: remoteFail('550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.'),
    want: want('outbound', 'sender-auth-failed', 'our SPF/DKIM/DMARC', 'sender-auth', true),
    verify: "Resolve-DnsName -Type TXT 'example.com'; Resolve-DnsName -Type TXT '_dmarc.example.com'",
  },
  {
    name: 'likely unsolicited mail (provider: Gmail)',
    lines: remoteFail('550 5.7.1 Our system has detected that this message is likely unsolicited mail.'),
    want: want('outbound', 'spam-content', 'our message content and reputation', 'likely-spam-message', true),
    verify: 'MessageSubject',
  },
  {
    name: 'our IP on a blocklist (provider: Postfix default_rbl_reply)',
    lines: remoteFail('554 5.7.1 Service unavailable; Client host [192.0.2.10] blocked using zen.spamhaus.org'),
    want: want('outbound', 'blocklisted', 'our IP reputation', 'blocklisted', true),
    verify: "('IP ' + '192.0.2.10' + ': look it up or ask for delisting at ' + 'https://check.spamhaus.org/')",
  },
  {
    name: 'no such user (provider: Gmail 5.1.1)',
    lines: remoteFail('550 5.1.1 The email account that you tried to reach does not exist.'),
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'user-unknown', true),
    verify: "-Recipients 'carol@example.org' -EventId FAIL",
  },
  {
    name: 'greylisted, deferred (provider: postgrey)',
    lines: remoteFail('[{LRT=11/22/2026 10:30:00 AM};{LED=451 4.7.1 Greylisted, please try again later};{FQDN=mx.example.org};{IP=203.0.113.25}]', 'DEFER'),
    want: want('outbound', 'greylisted', 'nothing (retries succeed)', 'greylisted', false),
    verify: 'NextRetryTime',
  },
  {
    name: 'message too large for them (provider: Exchange 552 5.3.4)',
    lines: remoteFail('552 5.3.4 Message size exceeds fixed maximum message size'),
    want: want('outbound', 'message-too-large', 'message size (attachments)', 'message-too-large', true),
    verify: 'MaxMessageSize',
  },
  {
    name: 'relaying denied (provider: generic)',
    lines: remoteFail('550 5.7.1 Relaying denied'),
    want: want('outbound', 'relay-denied', 'Send connector (smart host login) or their accepted domains', 'relay-denied', true),
    verify: 'SmartHostAuthMechanism',
  },
  {
    name: 'smart host wants a login (provider: generic "Authentication required")',
    lines: remoteFail('530 5.7.0 Authentication required'),
    want: want('outbound', 'auth-required', 'Send connector SmartHostAuthMechanism', 'auth-required', true),
    verify: 'RequireTLS',
  },
  {
    name: 'our sender refused (provider: Postfix smtpd wording)',
    lines: remoteFail('553 5.7.1 <dave@example.com>: Sender address rejected: not owned by user'),
    want: want('outbound', 'access-policy', 'our sender address', 'sender-rejected', true),
    verify: "Resolve-DnsName -Type MX 'example.com'",
  },
  {
    name: 'content judged spam (provider: generic)',
    lines: remoteFail('550 5.7.1 Message rejected due to spam content'),
    want: want('outbound', 'spam-content', 'our message content', 'spam-content', true),
    verify: 'MessageSubject',
  },
  {
    name: 'administrative prohibition (provider: kdent corpus text)',
    lines: remoteFail('550 Administrative prohibition'),
    want: want('outbound', 'access-policy', 'contact the remote admin', 'administrative-prohibition', true),
    verify: 'Get-MessageTrackingLog',
  },
  // status and code fallbacks (shared)
  {
    name: 'unknown user by status code only (provider: RFC 3463 wording)',
    lines: remoteFail('550 5.1.1 Bad destination mailbox address'),
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'status-user-unknown', true),
    verify: 'Get-MessageTrackingLog',
  },
  {
    name: 'bad domain by status code only (provider: RFC 3463 wording)',
    lines: remoteFail('550 5.1.2 Bad destination system address'),
    want: want('outbound', 'domain-not-found', 'fix the domain (typo?)', 'status-domain', true),
    verify: "Resolve-DnsName -Type MX 'example.org'",
  },
  {
    name: 'disabled by status code only (provider: "550 5.2.1 Mailbox unavailable.")',
    lines: remoteFail('550 5.2.1 Mailbox unavailable.'),
    want: want('outbound', 'mailbox-disabled', 'remove the address from lists', 'status-disabled', true),
    verify: 'Get-MessageTrackingLog',
  },
  {
    name: 'full by status code only (provider: RFC 3463 wording)',
    lines: remoteFail('552 5.2.2 Mailbox exceeded'),
    want: want('outbound', 'mailbox-full', 'their mailbox is full', 'status-full', true),
    verify: 'Get-MessageTrackingLog',
  },
  {
    name: 'too big by status code only (provider: RFC 3463 "Message too big for system")',
    lines: remoteFail('552 5.3.4 Message too big for system'),
    want: want('outbound', 'message-too-large', 'message size (attachments)', 'status-too-large', true),
    verify: 'MaxMessageSize',
  },
  {
    name: 'SPF by status code only (provider: Exchange Online "Sender Policy Framework violation")',
    lines: remoteFail('550 5.7.23 The message was rejected because of Sender Policy Framework violation'),
    want: want('outbound', 'sender-auth-failed', 'our SPF/DKIM/DMARC', 'status-sender-auth', true),
    verify: "Resolve-DnsName -Type TXT 'example.com'",
  },
  {
    name: 'mailbox unavailable with 5.5.0 (provider: Outlook.com unknown user)',
    lines: remoteFail('550 5.5.0 Requested action not taken: mailbox unavailable'),
    want: want('outbound', 'user-unknown', 'remove the address from lists', 'mailbox-unavailable', true),
    verify: 'Get-MessageTrackingLog',
  },
  {
    name: 'smart host answers 530 (provider: Microsoft 365 5.7.57)',
    lines: remoteFail('530 5.7.57 Client not authenticated to send mail.'),
    want: want('outbound', 'auth-required', 'Send connector SmartHostAuthMechanism', 'code-auth-required', true),
    verify: 'TlsCertificateName',
  },
  {
    name: 'policy refusal by status code only (provider: generic)',
    lines: remoteFail('550 5.7.1 Delivery not authorized'),
    want: want('outbound', 'access-policy', 'contact the remote admin', 'status-policy', true),
    verify: 'Get-MessageTrackingLog',
  },
  {
    name: 'network by status code only (provider: RFC 3463 "No answer from host")',
    lines: remoteFail('451 4.4.1 No answer from host', 'DEFER'),
    want: want('outbound', 'connection-failed', 'their server (or our port 25)', 'status-network', false),
    verify: 'Test-NetConnection',
  },
  {
    name: 'protocol error by status code only (provider: Gmail "Syntax error")',
    lines: remoteFail('555 5.5.2 Syntax error.'),
    want: want('outbound', 'protocol-error', 'contact the remote admin', 'status-protocol', true),
    verify: 'Get-MessageTrackingLog',
  },
  {
    name: 'a failure no rule knows (provider: generic)',
    lines: remoteFail('554 5.0.0 Transaction failed'),
    want: want('outbound', 'other', 'contact the remote admin', 'other', true),
    verify: 'Get-MessageTrackingLog',
  },
];

const CASES: Case[] = [...INBOUND, ...LOCAL, ...OUTBOUND];

const eventOf = (c: Case): MailEvent => lastEventOf(c.lines, exchangeParser);


describe('Exchange rules, one record per rule', () => {
  test.for(CASES)('$name', (c) => {
    const ev = eventOf(c);
    MailEvent.parse(ev);
    const got = classify(ev);
    expect(summary(got)).toEqual(c.want);
    expect(got!.verify).toContain(c.verify);
  });
});

describe('the rule table', () => {
  ruleTableInvariants('exchange', EXCHANGE_RULES, () => CASES.map((c) => c.want.rule));
});

describe('directions of Exchange events', () => {
  test('sent deliveries and DSN notifications are not classified', () => {
    const events = parseLines(
      [
        ...TRACKING_HEADER_2019,
        row({ 'date-time': '2026-11-22T10:00:00.000Z', 'connector-id': 'Internet Send Connector', source: 'SMTP', 'event-id': 'SENDEXTERNAL', 'internal-message-id': '1', 'recipient-address': 'a@example.org', 'recipient-status': '250 2.1.5 Recipient OK' }),
        row({ 'date-time': '2026-11-22T10:00:01.000Z', source: 'DSN', 'event-id': 'DSN', 'internal-message-id': '2', 'recipient-address': 'b@example.com' }),
      ],
      exchangeParser,
    );
    expect(events.map((e) => e.kind)).toEqual(['delivery', 'notification']);
    for (const ev of events) expect(classify(ev)).toBeNull();
  });

  test('an SMTP FAIL is outbound on a Send connector and inbound on a Receive connector', () => {
    const onSend = parseLines(remoteFail('550 5.7.1 Sender ID (PRA) Not Permitted'), exchangeParser).at(-1)!;
    expect(classify(onSend)?.direction).toBe('outbound');
    const onReceive = parseLines(SENDER_ID_FL, exchangeParser).at(-1)!;
    expect(classify(onReceive)?.direction).toBe('inbound');
  });

  test('Postfix directions are untouched by the Exchange branch', () => {
    const [ev] = parseLines([
      'Nov  3 10:00:00 mx postfix/smtp[4243]: 3F2A1B4C5D: to=<alice@example.net>, relay=mx.example.net[192.0.2.25]:25, delay=1.2, delays=0.1/0/0.6/0.5, dsn=5.1.1, status=bounced (host mx.example.net[192.0.2.25] said: 550 5.1.1 No such user (in reply to RCPT TO command))',
    ]);
    expect(classify(ev!)?.rule).toBe('postfix.outbound.user-unknown');
  });
});

describe('verify commands for Exchange are quoted for PowerShell', () => {
  test('a quote in an address is doubled, not escaped the sh way', async () => {
    const { powerShellQuote, shellQuote } = await import('../../src/classify/classify.js');
    expect(powerShellQuote("o'hara@example.com")).toBe("'o''hara@example.com'");
    expect(powerShellQuote('a\u2019b')).toBe("'a\u2019\u2019b'");
    expect(powerShellQuote('x\u001b[2Jy')).toBe("'x?[2Jy'");
    expect(shellQuote("o'hara@example.com")).toBe("'o'\\''hara@example.com'");
  });
});

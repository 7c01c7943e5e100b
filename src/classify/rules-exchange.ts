/**
 * Microsoft Exchange Server classification rules, as data (same engine and order as
 * rules-postfix.ts: first match within the event's direction wins; Exchange's own status texts
 * first, then remote phrasings, then RFC 3463 fallbacks, then one `other` per direction).
 *
 * Directions (classify.ts directionOf): refusals by a Receive connector or a receive agent
 * (protocol log rejects, SMTP FAILs on a Receive connector) are inbound; FAILs by ROUTING,
 * STOREDRIVER and AGENT are local (Exchange accepted the message, then its own recipient
 * resolution, store delivery or a transport rule failed: the NDR goes to a sender who may be
 * forged); SMTP, DNS and QUEUE failures towards a next hop are outbound.
 *
 * Texts are Exchange's own status strings (FORMAT-NOTES.md §4: `RESOLVER.ADR.RecipNotFound`,
 * `RESOLVER.RST.AuthRequired`, `STOREDRV.Deliver`, `QUEUE.Expired`, `TRANSPORT.RULES.RejectMessage`,
 * `SMTPSEND.DNS.NonExistentDomain`), the Receive connector's SMTP replies, and for outbound the
 * remote server's reply, whose phrases are shared with Postfix and Exim (rules-remote.ts): the
 * same reply means the same cause whichever MTA sent to it. Verify commands run in the Exchange
 * Management Shell.
 */
import type { Rule } from './rule.js';
import { remoteReply, type RemoteName } from './rules-remote.js';

/** The FAIL rows of this recipient, with the status Exchange recorded. */
const TRACK = 'Get-MessageTrackingLog -Recipients {rcpt} -EventId FAIL | Format-List Timestamp,Source,Sender,RecipientStatus';
const CONNECTORS = 'Get-ReceiveConnector | Format-List Name,Bindings,PermissionGroups,AuthMechanism,RemoteIPRanges';
/** Delivery restrictions live on mailboxes and on groups; one of the two finds the recipient. */
const RESTRICTIONS =
  'Get-DistributionGroup {rcpt} -ErrorAction SilentlyContinue | Format-List RequireSenderAuthenticationEnabled,AcceptMessagesOnlyFrom*; ' +
  'Get-Mailbox {rcpt} -ErrorAction SilentlyContinue | Format-List RequireSenderAuthenticationEnabled,AcceptMessagesOnlyFrom*';
const FIRST_MX = '(Resolve-DnsName -Type MX {domain} | Sort-Object Preference | Select-Object -First 1).NameExchange';

const INBOUND: Rule[] = [
  // ---- Unknown recipients refused at RCPT time.
  {
    id: 'exchange.inbound.recipient-filtering',
    direction: 'inbound',
    match: { any: ['resolver.adr.recipientnotfound', 'recipient not found by smtp address lookup'] },
    cause: 'user-unknown',
    hint: 'Recipient filtering (RecipientValidationEnabled)',
    advice:
      'The Recipient Filter agent looked the address up in the directory (Active Directory, or the EdgeSync copy on an Edge server) and found nobody. Normal for mistyped and harvested addresses; if the user exists, check the address is in its proxyAddresses and that EdgeSync has run.',
    verify: 'Get-Recipient -Identity {rcpt}; Get-RecipientFilterConfig | Format-List Enabled,RecipientValidationEnabled',
  },
  {
    id: 'exchange.inbound.recipient-not-found',
    direction: 'inbound',
    match: { any: ['resolver.adr.recipnotfound', 'resolver.adr.exrecipnotfound', 'resolver.adr.x400recipnotfound'] },
    cause: 'user-unknown',
    hint: 'proxyAddresses / directory sync',
    advice:
      'No recipient in the directory has this address. Check the address is in some object\'s proxyAddresses (an email address policy may not have stamped it, or AD / Entra Connect sync has not carried it over) and that the domain is an Accepted Domain of the right type.',
    verify: 'Get-Recipient -Identity {rcpt}; Get-AcceptedDomain | Format-List DomainName,DomainType',
  },

  // ---- Relaying and authentication on the Receive connector.
  {
    id: 'exchange.inbound.relay-denied',
    direction: 'inbound',
    // `550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain` (2013+), `550 5.7.1 Unable to relay` (2010).
    match: { any: ['unable to relay', 'relay access denied'] },
    cause: 'relay-denied',
    hint: 'Receive connector permissions (Ms-Exch-SMTP-Accept-Any-Recipient)',
    advice:
      'A client the Receive connector does not trust sent to a domain that is not one of our Accepted Domains. An open-relay probe, or an application server that needs a relay connector (its IP in RemoteIPRanges, with Ms-Exch-SMTP-Accept-Any-Recipient for anonymous logon) or to authenticate.',
    verify: `Get-AcceptedDomain; ${CONNECTORS}`,
  },
  {
    id: 'exchange.inbound.tls-required',
    direction: 'inbound',
    match: { any: ['must issue a starttls command first'] },
    cause: 'auth-required',
    hint: 'Receive connector RequireTLS',
    advice: 'The Receive connector requires TLS and the client sent mail without STARTTLS. Fine for client submission; on a connector facing other servers it refuses those without TLS.',
    verify: 'Get-ReceiveConnector | Format-List Name,RequireTLS,AuthMechanism,RemoteIPRanges',
  },
  {
    id: 'exchange.inbound.auth-required',
    direction: 'inbound',
    // `530 5.7.1 Client was not authenticated`, `530 5.7.57 … Client was not authenticated to send anonymous mail …`.
    match: { any: ['not authenticated'] },
    cause: 'auth-required',
    hint: 'Receive connector PermissionGroups (AnonymousUsers)',
    advice:
      'The Receive connector takes no mail from anonymous clients (AnonymousUsers is not in its PermissionGroups) and this client did not log in. The connector that faces the Internet needs AnonymousUsers; applications should authenticate or use a dedicated relay connector.',
    verify: CONNECTORS,
  },

  // ---- Anti-spam agents.
  {
    id: 'exchange.inbound.sender-id',
    direction: 'inbound',
    // `550 5.7.1 Sender ID (PRA) Not Permitted`, `… Domain Does Not Exist`.
    match: { any: ['sender id (pra)'] },
    cause: 'sender-auth-failed',
    hint: 'Sender ID agent (SpoofedDomainAction)',
    advice:
      "The Sender ID agent checked the sender's SPF record against the client IP and rejected the message. Mostly forged mail; when a wanted sender (a mailing service sending for its customer) is hit, their SPF record must include that service, or add the domain to the agent's bypass list.",
    verify: 'Get-SenderIdConfig | Format-List Enabled,SpoofedDomainAction,TempErrorAction,BypassedSenderDomains; Resolve-DnsName -Type TXT {sender_domain}',
  },
  {
    id: 'exchange.inbound.content-filter',
    direction: 'inbound',
    match: { any: ['rejected as spam', 'content filtering'] },
    cause: 'spam-content',
    hint: 'Content Filter agent (SCLRejectThreshold)',
    advice: 'The Content Filter agent gave the message a spam confidence level at or above the reject threshold. Check the threshold, and allow wanted senders in the content filter configuration.',
    verify: 'Get-ContentFilterConfig | Format-List Enabled,SCLRejectEnabled,SCLRejectThreshold,BypassedSenderDomains',
  },
  {
    id: 'exchange.inbound.sender-filter',
    direction: 'inbound',
    match: { any: ['sender denied'] },
    cause: 'access-policy',
    hint: 'Sender Filter agent (BlockedSenders)',
    advice: 'The Sender Filter agent refused the envelope sender: it is on the blocked senders or domains list, or it is blank and blank senders are blocked.',
    verify: 'Get-SenderFilterConfig | Format-List Enabled,BlockedSenders,BlockedDomains,BlockedDomainsAndSubdomains,BlankSenderBlockingEnabled',
  },
  {
    id: 'exchange.inbound.connection-filter',
    direction: 'inbound',
    match: { any: ['found on a block list', 'does not have permissions to submit to this server'] },
    cause: 'blocklisted',
    hint: 'Connection Filtering (IP Block List / providers)',
    advice: "The Connection Filtering agent refused the client's IP: it is on the IP Block List or listed by a block list provider. If a wanted sender is hit, add its IP to the IP Allow List.",
    verify: 'Get-IPBlockListEntry; Get-IPBlockListProvider | Format-List Name,LookupDomain,Enabled; Get-IPAllowListEntry',
  },

  // ---- Limits and resources.
  {
    id: 'exchange.inbound.back-pressure',
    direction: 'inbound',
    match: { any: ['insufficient system resources'] },
    cause: 'other',
    hint: 'back pressure (transport server resources)',
    advice:
      'The Transport service is short of disk space, memory or queue database resources and refuses new mail with 452 4.3.1 (back pressure). Free disk space on the queue database volume, or find which resource is over its threshold.',
    verify: "Get-ExchangeDiagnosticInfo -Server $env:COMPUTERNAME -Process EdgeTransport -Component ResourceThrottling; Get-PSDrive -PSProvider FileSystem",
  },
  {
    id: 'exchange.inbound.message-too-large',
    direction: 'inbound',
    match: { any: ['message size exceeds', 'exceeds fixed maximum message size'] },
    cause: 'message-too-large',
    hint: 'MaxMessageSize (Receive connector, organization)',
    advice: 'The message (or the SIZE the client announced) is larger than the Receive connector or the organization accepts. Raise MaxMessageSize on the connector and MaxReceiveSize in the transport configuration if such mail is wanted.',
    verify: 'Get-ReceiveConnector | Format-List Name,MaxMessageSize; Get-TransportConfig | Format-List MaxReceiveSize,MaxSendSize',
  },
  {
    id: 'exchange.inbound.too-many-recipients',
    direction: 'inbound',
    match: { any: ['too many recipients'] },
    cause: 'rate-limited',
    hint: 'MaxRecipientsPerMessage (Receive connector)',
    advice: 'The client gave more recipients than the Receive connector takes in one message; it should send the rest in another transaction, which most servers do.',
    verify: 'Get-ReceiveConnector | Format-List Name,MaxRecipientsPerMessage; Get-TransportConfig | Format-List MaxRecipientEnvelopeLimit',
  },

  {
    id: 'exchange.inbound.protocol-error',
    direction: 'inbound',
    // `503 5.5.2 Send hello first`, `500 5.3.3 Unrecognized command`, a RCPT without MAIL.
    match: { any: ['send hello first', 'unrecognized command', 'need mail command', 'need rcpt command'] },
    cause: 'protocol-error',
    hint: 'the client (SMTP command order)',
    advice: 'The client broke the SMTP dialogue (commands out of order or unknown). Spam tools and broken scripts do this; a wanted application needs fixing on its side.',
    verify: CONNECTORS,
  },

  // ---- Fallbacks.
  {
    id: 'exchange.inbound.policy-fallback',
    direction: 'inbound',
    match: { enhanced: ['x.7'] },
    cause: 'access-policy',
    hint: 'Receive connector / transport agents',
    advice: 'The Receive connector or a receive agent refused the client with a policy code; the reply text is its own. The enabled transport agents and the connector settings say which.',
    verify: `Get-TransportAgent; ${CONNECTORS}`,
  },
  {
    id: 'exchange.inbound.other',
    direction: 'inbound',
    match: {},
    cause: 'other',
    hint: 'Receive connector',
    advice: 'A refusal no rule knows. The reply text and the SMTP stage say which connector setting or agent produced it.',
    verify: CONNECTORS,
  },
];

const LOCAL: Rule[] = [
  {
    // Microsoft Learn, "Fix NDR error 5.4.6 / 5.4.14 in Exchange": `554 5.4.6 Hop count exceeded -
    // possible mail loop` (on-premises), `5.4.14 … ATTR34` (Exchange Online).
    id: 'exchange.local.mail-loop',
    direction: 'local',
    match: { any: ['hop count exceeded'] },
    cause: 'mail-loop',
    hint: 'connectors / routing loop',
    advice:
      'The message passed through more transport servers than allowed: it is routed in a circle, typically between on-premises and Exchange Online (a connector or a domain set up on both sides, a hybrid with DNS routing). Follow the Received: headers of the NDR to the two servers that hand it back and forth.',
    verify: 'Get-SendConnector | Format-List Name,AddressSpaces,SmartHosts; Get-AcceptedDomain',
  },
  // ---- Recipient resolution (categorizer, source ROUTING).
  {
    id: 'exchange.local.recipient-not-found',
    direction: 'local',
    match: { any: ['resolver.adr.recipnotfound', 'resolver.adr.exrecipnotfound', 'resolver.adr.x400recipnotfound'] },
    cause: 'user-unknown',
    hint: 'proxyAddresses / directory sync',
    advice:
      "Exchange accepted the message for one of its Accepted Domains, then found no recipient with this address in the directory. Check the address is in some object's proxyAddresses (an email address policy may not have stamped it, or AD / Entra Connect sync has not carried it over), and that the domain is Authoritative only if every address lives here (else Internal Relay). Accepting first and bouncing later sends NDRs to forged senders: turn on recipient filtering.",
    verify: 'Get-Recipient -Identity {rcpt}; Get-AcceptedDomain | Format-List DomainName,DomainType',
  },
  {
    id: 'exchange.local.ambiguous-recipient',
    direction: 'local',
    match: { any: ['resolver.adr.ambiguous'] },
    cause: 'other',
    hint: 'duplicate proxyAddresses',
    advice: 'More than one directory object has this address, so Exchange cannot tell which one gets the mail. Remove the address from all but one.',
    verify: 'Get-Recipient -ResultSize Unlimited | Where-Object { $_.EmailAddresses -match [regex]::Escape({rcpt}) } | Format-List Name,RecipientTypeDetails,EmailAddresses',
  },
  {
    id: 'exchange.local.auth-required',
    direction: 'local',
    match: { any: ['resolver.rst.authrequired'] },
    cause: 'auth-required',
    hint: 'RequireSenderAuthenticationEnabled',
    advice:
      'The recipient (often a distribution group) has "Require that all senders are authenticated" set, and this message came in anonymously: from the Internet, or from an application relaying without logging in. Turn the setting off for recipients that must receive outside mail, or have the application authenticate.',
    verify: RESTRICTIONS,
  },
  {
    id: 'exchange.local.not-authorized',
    direction: 'local',
    // `RESOLVER.RST.NotAuthorized; not authorized`, `RESOLVER.RST.NotAuthorizedToGroup; …`.
    match: { any: ['resolver.rst.notauthorized'] },
    cause: 'access-policy',
    hint: 'delivery restrictions (AcceptMessagesOnlyFrom)',
    advice: 'The recipient accepts messages only from listed senders or groups, and this sender is not one of them. Add the sender, or lift the restriction.',
    verify: RESTRICTIONS,
  },
  {
    id: 'exchange.local.size-limit',
    direction: 'local',
    match: { any: ['resolver.rst.recipsizelimit', 'resolver.rst.sendsizelimit'] },
    cause: 'message-too-large',
    hint: 'MaxReceiveSize / MaxSendSize',
    advice: "The message is larger than the recipient's MaxReceiveSize or the sender's MaxSendSize (or the organization's limits). Raise the limit for this mailbox, or send large files as links.",
    verify: 'Get-Mailbox {rcpt} | Format-List MaxReceiveSize,MaxSendSize; Get-TransportConfig | Format-List MaxReceiveSize,MaxSendSize',
  },
  {
    id: 'exchange.local.recipient-limit',
    direction: 'local',
    match: { any: ['resolver.adr.reciplimit'] },
    cause: 'rate-limited',
    hint: 'RecipientLimits',
    advice: "The sender addressed more recipients than its RecipientLimits (or the organization's MaxRecipientEnvelopeLimit) allows. Use a distribution group, or raise the limit for this sender.",
    verify: 'Get-Mailbox {sender} | Format-List RecipientLimits; Get-TransportConfig | Format-List MaxRecipientEnvelopeLimit',
  },
  {
    id: 'exchange.local.forwarding-loop',
    direction: 'local',
    match: { any: ['resolver.fwd.loop'] },
    cause: 'mail-loop',
    hint: 'forwarding loop (ForwardingSmtpAddress, Inbox rules)',
    advice: 'Forwarding settings or Inbox rules send the message around in a circle. Break the loop.',
    verify: 'Get-Mailbox {rcpt} | Format-List ForwardingAddress,ForwardingSmtpAddress,DeliverToMailboxAndForward; Get-InboxRule -Mailbox {rcpt}',
  },
  {
    id: 'exchange.local.no-route',
    direction: 'local',
    // `550 5.4.4 ROUTING.NoNextHop; unable to route`, `550 5.1.2 ROUTING.InvalidAddress; invalid address domain`.
    match: { any: ['routing.nonexthop', 'routing.invalidaddress', 'unable to route'] },
    cause: 'domain-not-found',
    hint: 'Send connector AddressSpaces',
    advice:
      "Routing found no way to the recipient's domain: no enabled Send connector covers it, or the domain does not exist. Check the Send connectors' address spaces, and that the domain has an MX record.",
    verify: 'Get-SendConnector | Format-List Name,AddressSpaces,Enabled,SmartHosts; Resolve-DnsName -Type MX {domain}',
  },

  // ---- Transport rules (source AGENT, Transport Rule Agent).
  {
    id: 'exchange.local.transport-rule',
    direction: 'local',
    match: { any: ['transport.rules.rejectmessage'] },
    cause: 'access-policy',
    hint: 'transport rule',
    advice:
      'A transport (mail flow) rule with the action "reject the message" matched. The rule\'s id is in the FAIL row\'s custom-data (EventData); check its conditions do not hit wanted mail.',
    verify: 'Get-TransportRule | Format-List Name,State,Priority,Mode,RejectMessageReasonText,RejectMessageEnhancedStatusCode',
  },

  // ---- Mailbox delivery (source STOREDRIVER).
  {
    id: 'exchange.local.mailbox-full',
    direction: 'local',
    // `550 5.2.2 STOREDRV.Deliver: mailbox full`.
    match: { enhanced: ['x.2.2'] },
    cause: 'mailbox-full',
    hint: 'mailbox quota (ProhibitSendReceiveQuota)',
    advice: 'The mailbox is over its ProhibitSendReceiveQuota (the database default or its own), so the store refused the delivery. Free space (archive, retention policy) or raise the quota.',
    verify: 'Get-MailboxStatistics {rcpt} | Format-List TotalItemSize,StorageLimitStatus; Get-Mailbox {rcpt} | Format-List UseDatabaseQuotaDefaults,ProhibitSendReceiveQuota',
  },
  {
    id: 'exchange.local.quota',
    direction: 'local',
    match: { any: ['quotaexceeded', 'quota exceeded', 'mailbox full', 'mailbox is full'] },
    cause: 'mailbox-full',
    hint: 'mailbox quota (ProhibitSendReceiveQuota)',
    advice: 'The store reports the mailbox over quota. Free space (archive, retention policy) or raise the quota.',
    verify: 'Get-MailboxStatistics {rcpt} | Format-List TotalItemSize,StorageLimitStatus; Get-Mailbox {rcpt} | Format-List UseDatabaseQuotaDefaults,ProhibitSendReceiveQuota',
  },
  {
    id: 'exchange.local.store-delivery',
    direction: 'local',
    match: { any: ['storedrv.deliver'] },
    cause: 'other',
    hint: 'mailbox database (Mailbox Transport Delivery)',
    advice:
      'The Mailbox Transport Delivery service could not put the message into the mailbox: the database is dismounted or overloaded, or the mailbox is being moved. The text after STOREDRV.Deliver names the store error.',
    verify: 'Get-Mailbox {rcpt} | Format-List Database; Get-MailboxDatabaseCopyStatus * | Format-Table Name,Status,CopyQueueLength',
  },

  // ---- Fallback.
  {
    id: 'exchange.local.other',
    direction: 'local',
    match: {},
    cause: 'other',
    hint: 'Exchange transport',
    advice: 'Exchange failed to deliver after accepting the message, for a reason no rule knows. The status text and the Source of the FAIL row say which component gave up.',
    verify: TRACK,
  },
];

/** What to check when a remote server blocks our IP (blocklists, provider reputation). */
const OUR_REPUTATION = {
  hint: 'our IP reputation',
  advice:
    'The remote server refuses mail from our sending IP because of a blocklist or poor reputation. Find the IP the Send connector uses, check the listing named in the reply, stop whatever sent spam (a compromised mailbox), then request delisting.',
  verify: "Write-Output ('IP ' + {reply_ip} + ': look it up or ask for delisting at ' + {lookup_page}); Get-SendConnector | Format-List Name,SmartHosts,SourceTransportServers",
};

/** Exchange's side of an outbound rule whose match and cause are shared (rules-remote.ts). */
const remote = (name: RemoteName, side: Pick<Rule, 'hint' | 'advice' | 'verify'>): Rule => ({
  ...remoteReply('exchange', name),
  ...side,
});

const OUTBOUND: Rule[] = [
  // ---- Exchange's own texts about the next hop.
  {
    id: 'exchange.outbound.expired',
    direction: 'outbound',
    // `550 4.4.7 QUEUE.Expired; message expired`, `550 5.4.316 Message expired, connection refused(…)`.
    match: { any: ['queue.expired', 'message expired'] },
    cause: 'connection-failed',
    hint: 'next hop unreachable (Send connector, DNS, firewall)',
    advice:
      "Exchange kept retrying and gave up when the message outlived MessageExpirationTimeout (2 days by default). The DEFER rows before it and the queue's LastError say why the next hop never took it: DNS, a firewall, a smart host that is down.",
    verify: 'Get-Queue | Format-List Identity,NextHopDomain,Status,LastError; Get-TransportService | Format-List MessageExpirationTimeout',
  },
  {
    id: 'exchange.outbound.nonexistent-domain',
    direction: 'outbound',
    // `554 5.4.4 SMTPSEND.DNS.NonExistentDomain; nonexistent domain`.
    match: { any: ['nonexistentdomain', 'nonexistent domain'] },
    cause: 'domain-not-found',
    hint: 'fix the domain (typo?)',
    advice: 'The recipient domain does not exist in DNS. Usually a typo in the address; fix or remove it.',
    verify: 'Resolve-DnsName -Type MX {domain}',
  },
  {
    id: 'exchange.outbound.dns-failure',
    direction: 'outbound',
    match: { any: ['smtpsend.dns', 'dns query failed'] },
    cause: 'domain-not-found',
    hint: 'DNS lookups (ours or theirs)',
    advice: "The MX lookup failed. Either the domain's name servers are broken or the ones Exchange uses are; if many domains show this, it is ours (Get-TransportService ExternalDNS settings).",
    verify: 'Resolve-DnsName -Type MX {domain}; Get-TransportService | Format-List ExternalDNS*',
  },
  {
    id: 'exchange.outbound.connection-failed',
    direction: 'outbound',
    // `451 4.4.0 Primary target IP address responded with: "421 4.2.1 Unable to connect." …`, socket errors.
    match: { any: ['unable to connect', 'connection refused', 'failed to connect', 'socket error', 'timed out', 'suspiciousremoteservererror'] },
    cause: 'connection-failed',
    hint: 'their server (or our port 25)',
    advice: 'No MX host of the domain took the connection, or it broke. If it happens for many domains, outbound port 25 is blocked (firewall, provider); otherwise their server is down and Exchange retries.',
    verify: `Test-NetConnection -ComputerName ${FIRST_MX} -Port 25`,
  },
  {
    // Before the shared DBEB rule: Exchange Online's `550 5.4.1 Relay Access Denied` also has
    // 5.4.1 and "access denied", and an Exchange server's `550 5.7.54 … Unable to relay …`.
    id: 'exchange.outbound.relay-not-accepted',
    direction: 'outbound',
    match: { any: ['relay access denied', 'unable to relay'] },
    cause: 'relay-denied',
    hint: 'Send connector (smart host login) or their accepted domains',
    advice:
      "The server we handed the message to does not take it for this domain from us (5.7.54 from an Exchange server that does not have the domain as an Accepted Domain, 5.4.1 from Exchange Online). Through a smart host: authenticate on the Send connector. Direct: the domain's MX points at a server not set up for it.",
    verify: 'Get-SendConnector | Format-List Name,AddressSpaces,SmartHosts,SmartHostAuthMechanism; Resolve-DnsName -Type MX {domain}',
  },

  // ---- Remote replies (the phrases are shared with Postfix and Exim, rules-remote.ts).
  remote('ipv6-not-accepted', {
    hint: 'send over IPv4 (Send connector)',
    advice: 'The remote domain does not take mail over IPv6 from us. Make IPv6 sending pass SPF and DKIM, or have the Send connector use IPv4 (a smart host, or no IPv6 on the sending server).',
    verify: 'Get-SendConnector | Format-List Name,SmartHosts,SourceIPAddress; Resolve-DnsName -Type TXT {sender_domain}',
  }),
  remote('eop-recipient-not-found', {
    hint: 'Directory-Based Edge Blocking (Exchange Online)',
    advice:
      "The recipient's domain is hosted in Exchange Online, whose Directory-Based Edge Blocking refused the address (`Access denied. AS(201806281)`): no such recipient in that tenant. If the domain is your own (hybrid), the recipient was not synchronised to Entra ID or the domain should be Internal Relay there; otherwise the address is wrong.",
    verify: 'Get-Recipient -Identity {rcpt}; Resolve-DnsName -Type MX {domain}',
  }),
  remote('too-many-invalid-recipients', {
    hint: 'remove invalid addresses from lists',
    advice: 'The remote server throttles us because we sent to too many addresses that do not exist there. Clean the list of bounced addresses.',
    verify: TRACK,
  }),
  remote('mailbox-full', {
    hint: 'their mailbox is full',
    advice: "The recipient's mailbox is over quota. Nothing to fix here; the user has to make room.",
    verify: TRACK,
  }),
  remote('mailbox-disabled', {
    hint: 'remove the address from lists',
    advice: 'The mailbox exists but is disabled or inactive. Treat as gone: remove the address from lists.',
    verify: TRACK,
  }),
  remote('user-moved', {
    hint: 'update the address (user moved)',
    advice: 'The recipient has moved; the reply usually names the new address. Update the address book or list entry.',
    verify: TRACK,
  }),
  remote('provider-ip-block', OUR_REPUTATION),
  remote('rate-limited', {
    hint: 'our sending rate',
    advice: 'The remote server limits how fast we may send. Lower MaxPerDomainOutboundConnections, or spread bulk mail over time.',
    verify: 'Get-TransportService | Format-List MaxPerDomainOutboundConnections,MaxOutboundConnections',
  }),
  remote('ptr-missing', {
    hint: 'our PTR record (reverse DNS)',
    advice: 'The remote server wants our sending IP to have a PTR record that resolves back to it, matching the Send connector\'s FQDN. Ask the owner of the IP to set it.',
    verify: 'Get-SendConnector | Format-List Name,Fqdn; Resolve-DnsName myip.opendns.com -Server resolver1.opendns.com',
  }),
  remote('sender-auth', {
    hint: 'our SPF/DKIM/DMARC',
    advice: 'The remote server rejected the message because our sender domain failed SPF, DKIM or DMARC. Publish an SPF record that includes our sending IPs, sign with DKIM, and align the From domain.',
    verify: 'Resolve-DnsName -Type TXT {sender_domain}; Resolve-DnsName -Type TXT {dmarc_name}',
  }),
  remote('likely-spam-message', {
    hint: 'our message content and reputation',
    advice: 'The remote server judged this message unsolicited, from its content and our reputation together. Check what was sent and to whom (bulk mail without consent, a compromised mailbox).',
    verify: 'Get-MessageTrackingLog -Recipients {rcpt} -EventId FAIL | Format-List MessageSubject,Sender,RecipientStatus',
  }),
  remote('blocklisted', OUR_REPUTATION),
  remote('user-unknown', {
    hint: 'remove the address from lists',
    advice: 'The remote server says the mailbox does not exist. Check for a typo; otherwise remove the address.',
    verify: TRACK,
  }),
  remote('greylisted', {
    hint: 'nothing (retries succeed)',
    advice: 'The remote server greylists first-time senders; Exchange retries and delivers. Only a concern if the message expires.',
    verify: 'Get-Queue | Format-List Identity,NextHopDomain,Status,LastError,NextRetryTime',
  }),
  remote('message-too-large', {
    hint: 'message size (attachments)',
    advice: 'The message is larger than the remote server accepts. Send big files as links; our own limits do not help here.',
    verify: 'Get-SendConnector | Format-List Name,MaxMessageSize',
  }),
  remote('relay-denied', {
    hint: 'Send connector (smart host login) or their accepted domains',
    advice: 'The next hop does not relay for us. Through a smart host: authenticate on the Send connector. Direct: the domain\'s MX points at a server not set up for it.',
    verify: 'Get-SendConnector | Format-List Name,AddressSpaces,SmartHosts,SmartHostAuthMechanism; Resolve-DnsName -Type MX {domain}',
  }),
  remote('auth-required', {
    hint: 'Send connector SmartHostAuthMechanism',
    advice: "The next hop (usually a smart host or Microsoft 365) wants us to log in or use TLS first. Set the Send connector's smart host authentication and credentials, or RequireTLS.",
    verify: 'Get-SendConnector | Format-List Name,SmartHosts,SmartHostAuthMechanism,RequireTLS,TlsAuthLevel',
  }),
  remote('sender-rejected', {
    hint: 'our sender address',
    advice: 'The remote server refuses our envelope sender (an unknown domain from their view, or a local rule). Check the sender domain resolves publicly.',
    verify: 'Resolve-DnsName -Type MX {sender_domain}',
  }),
  remote('spam-content', {
    hint: 'our message content',
    advice: 'The remote filter judged the message content as spam or dangerous. Check what was sent (links, attachments, forwarded spam).',
    verify: 'Get-MessageTrackingLog -Recipients {rcpt} -EventId FAIL | Format-List MessageSubject,Sender,RecipientStatus',
  }),
  remote('administrative-prohibition', {
    hint: 'contact the remote admin',
    advice: 'The remote server refuses us by local policy without saying why. Ask their postmaster, quoting the time and our IP.',
    verify: TRACK,
  }),

  // ---- Fallbacks by RFC 3463 enhanced status and reply code (shared), then the catch-all.
  remote('status-user-unknown', {
    hint: 'remove the address from lists',
    advice: 'The remote status code says the mailbox does not exist. Check for a typo; otherwise remove the address.',
    verify: TRACK,
  }),
  remote('status-domain', {
    hint: 'fix the domain (typo?)',
    advice: 'The status code says the destination domain is bad or has no route. Check the spelling of the domain.',
    verify: 'Resolve-DnsName -Type MX {domain}',
  }),
  remote('status-disabled', {
    hint: 'remove the address from lists',
    advice: 'The remote status code says the mailbox is disabled. Treat as gone.',
    verify: TRACK,
  }),
  remote('status-full', {
    hint: 'their mailbox is full',
    advice: 'The remote status code says the mailbox is full. The user has to make room.',
    verify: TRACK,
  }),
  remote('status-too-large', {
    hint: 'message size (attachments)',
    advice: 'The remote status code says the message is too large for the mailbox or the server.',
    verify: 'Get-SendConnector | Format-List Name,MaxMessageSize',
  }),
  remote('status-sender-auth', {
    hint: 'our SPF/DKIM/DMARC',
    advice: 'The remote status code (RFC 7372) says SPF, DKIM or DMARC failed for our sender domain.',
    verify: 'Resolve-DnsName -Type TXT {sender_domain}; Resolve-DnsName -Type TXT {dmarc_name}',
  }),
  remote('mailbox-unavailable', {
    hint: 'remove the address from lists',
    advice: 'The remote server says the mailbox is unavailable, which in practice means it does not exist. Check for a typo; otherwise remove the address.',
    verify: TRACK,
  }),
  remote('code-auth-required', {
    hint: 'Send connector SmartHostAuthMechanism',
    advice: 'The next hop answered 530: it requires authentication (or TLS) before accepting mail from us. Microsoft 365 answers so to a connector that is not set up for our IP or certificate.',
    verify: 'Get-SendConnector | Format-List Name,SmartHosts,SmartHostAuthMechanism,RequireTLS,TlsCertificateName',
  }),
  remote('status-policy', {
    hint: 'contact the remote admin',
    advice: 'The remote server refused us for a policy reason it does not name. Ask their postmaster, quoting the time and our IP.',
    verify: TRACK,
  }),
  remote('status-network', {
    hint: 'their server (or our port 25)',
    advice: 'The status code says the remote host did not answer, the connection broke, or delivery took too long.',
    verify: `Test-NetConnection -ComputerName ${FIRST_MX} -Port 25`,
  }),
  remote('status-protocol', {
    hint: 'contact the remote admin',
    advice: 'The remote server reports an SMTP protocol error in our session. Rare with Exchange as the client; a middlebox (an SMTP-inspecting firewall) may be rewriting the session.',
    verify: TRACK,
  }),
  {
    id: 'exchange.outbound.other',
    direction: 'outbound',
    match: {},
    cause: 'other',
    hint: 'contact the remote admin',
    advice: 'A failure no rule knows. The remote reply text is the best lead; if it persists, ask their postmaster.',
    verify: TRACK,
  },
];

export const EXCHANGE_RULES: readonly Rule[] = [...INBOUND, ...OUTBOUND, ...LOCAL];

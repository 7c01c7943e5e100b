/**
 * What remote servers answer, as match conditions shared by the outbound tables of the MTAs that
 * quote the remote reply (Postfix: `host x said: 550 …`, Exim: `SMTP error from remote mail server
 * after RCPT TO:<…>: 550 …`). A remote server words a refusal the same whichever MTA sent to it,
 * so the phrases and the cause they mean are one piece of logic; each table adds its own id,
 * hint, advice and verify command, because what to check on our side differs per MTA.
 *
 * Two groups, each used as a block in this order: REMOTE_TEXT (phrases of the reply, most
 * specific first) and REMOTE_STATUS (fallbacks by RFC 3463 enhanced status and reply code, for
 * replies whose wording no phrase knows). Texts are matched lower-cased, with the MTA's lead-in
 * and echoed addresses removed (classify.ts normalise).
 */
import type { Mta } from '../event.js';
import type { Rule, RuleMatch } from './rule.js';
import type { Cause } from './types.js';

export interface RemoteReply {
  cause: Cause;
  match: RuleMatch;
}

/** Phrases of remote replies. */
export const REMOTE_TEXT = {
  // Microsoft 365 refuses IPv6 senders without SPF/DKIM, with a misleading 5.2.1.
  'ipv6-not-accepted': {
    cause: 'access-policy',
    match: { any: ['over ipv6'] },
  },
  // Exchange Online Directory-Based Edge Blocking: the address is not in the tenant directory.
  'eop-recipient-not-found': {
    cause: 'user-unknown',
    match: { enhanced: ['x.4.1'], any: ['access denied'] },
  },
  // A loop refused by hop count: Postfix `554 5.4.0 Error: too many hops`, Exim `550 Too many
  // "Received" headers - suspected mail loop`, RFC 3463's 5.4.6 routing loop. Before the
  // rate-limit phrases ("too many").
  'mail-loop': {
    cause: 'mail-loop',
    match: { any: ['too many hops', 'hop count exceeded', 'hopcount exceeded', 'too many "received" headers', 'mail loop', 'routing loop', 'loop detected'] },
  },
  'too-many-invalid-recipients': {
    cause: 'rate-limited',
    match: { any: ['too many invalid recipients', 'too many bad recipients', 'too many unknown recipients'] },
  },
  // The big providers' own IP blocks, before `rate limit`/`too many`/`temporarily deferred`
  // below, which some of them word into the block: Microsoft 5.7.606–5.7.608 "Access denied,
  // banned sending IP", 4.7.650 "temporarily rate limited due to IP reputation", SC-004 "too
  // many unwanted messages have been sent from the following IP address"; Yahoo TSS04
  // "temporarily deferred due to unexpected volume or user complaints" (Yahoo: a reputation
  // deferral, not a volume cap) and TSS09 "all messages from [ip] will be permanently
  // deferred"; Gmail 421-4.7.0 / 550-5.7.1 "… due to the very low reputation of the sending IP
  // address", which it words as "temporarily rate limited".
  'provider-ip-block': {
    cause: 'blocklisted',
    match: {
      any: [
        'banned sending ip',
        'due to ip reputation',
        'unwanted messages',
        'user complaints',
        'will be permanently deferred',
        'low reputation',
        // Yahoo's code in brackets, Microsoft's S3140/S3150 ("… part of their network is on our block list"),
        // Google's "unsolicited mail originating from your IP address".
        '[tss0',
        '(s3140)',
        '(s3150)',
        'unsolicited mail originating from your ip',
      ],
    },
  },
  // Text wins over the code: Google answers `452 4.1.1 … user is over quota`.
  'mailbox-full': {
    cause: 'mailbox-full',
    match: {
      any: ['over quota', 'overquota', 'quota exceeded', 'exceeded storage allocation', 'mailbox full', 'mailbox is full', 'mailbox size limit', 'out of storage', 'insufficient storage for'],
    },
  },
  // Yandex words a blocked account as `Policy rejection on the target address`.
  'mailbox-disabled': {
    cause: 'mailbox-disabled',
    match: {
      any: [
        'disabled',
        'inactive',
        'deactivated',
        'account has been suspended',
        'account is suspended',
        'no longer active',
        'policy rejection on the target address',
        // Orange "The recipient account is blocked"; i.ua "Mailbox is frozen"; "temporary locked".
        'account is blocked',
        'mailbox is frozen',
        'temporary locked',
        'temporarily locked',
      ],
    },
  },
  // 5.1.6 "destination mailbox has moved, no forwarding address": as final as an unknown user
  // (the old address will never work again), but the fix is to use the new address.
  'user-moved': {
    cause: 'user-unknown',
    match: { any: ['user has moved', 'has moved to', 'mailbox has moved'] },
  },  'rate-limited': {
    cause: 'rate-limited',
    match: {
      any: [
        'too many',
        'rate limit',
        'rate-limit',
        'ratelimit',
        'unusual rate',
        'receiving mail at a rate',
        'throttl',
        'server busy',
        'unexpected volume',
        'try again in ',
        'too quickly',
        'temporarily deferred',
        // Tencent QQ: "Ip frequency limited", "Connection frequency limited".
        'frequency limited',
      ],
    },
  },
  'ptr-missing': {
    cause: 'sender-auth-failed',
    // Postfix smtpd's reject_unknown_client_hostname / reject_unknown_reverse_client_hostname
    // say "cannot find your (reverse) hostname"; "IP name lookup failed" is the same check.
    match: { any: ['ptr record', 'reverse dns', 'rdns', 'cannot find your hostname', 'cannot find your reverse hostname', 'ip name lookup failed'] },
  },
  'sender-auth': {
    cause: 'sender-auth-failed',
    // Gmail 5.7.26: "does not have authentication information or fails to pass authentication
    // checks"; "domain [d] mismatches client ip": the sender's domain does not list our IP.
    match: {
      re: /(?:^|[^a-z0-9])(?:spf|dkim|dmarc)(?:[^a-z0-9]|$)|openspf|open-spf|unauthenticated|not authenticated with|authentication checks|authentication information|mismatches client ip/,
    },
  },
  // Gmail's UnsolicitedMessageError judges this message (content and sender reputation
  // together), unlike its 421 "unsolicited mail originating from your IP address".
  'likely-spam-message': {
    cause: 'spam-content',
    match: { any: ['message is likely unsolicited', 'unsolicitedmessageerror'] },
  },
  // URI block lists (URIBL, SURBL) list links found in the message: the content is refused, not
  // our IP, so before the block-list words.
  'listed-url': {
    cause: 'spam-content',
    match: { any: ['uribl', 'surbl', 'blacklisted url', 'blocklisted url', 'blacklisted link'] },
  },
  // Gmail 5.7.1 "This message is not RFC 5322 compliant", "Messages with multiple addresses in
  // From: header are not accepted": refused for the form of what we sent.
  'malformed-message': {
    cause: 'spam-content',
    match: { any: ['rfc 5322 compliant', 'multiple addresses in from'] },
  },
  'blocklisted': {
    cause: 'blocklisted',
    match: {
      any: [
        'block list',
        'blocklist',
        'blacklist',
        'blocked using',
        'spamhaus',
        'spamcop',
        'barracuda',
        'dnsbl',
        's3140',
        's3150',
        'unsolicited mail',
        'reputation',
        // Postfix check_client_access / reject_rbl_client answers; Orange "Client host blocked".
        'client host rejected',
        'client host blocked',
        'blocked for abuse',
        // Our IP is listed as an open relay, or as a dial-up/residential address told to "use
        // the SMTP server of your ISP" (a policy block list such as Spamhaus PBL).
        'open relay',
        'of your isp',
      ],
    },
  },
  // Sendmail's "550 Host unknown" for a recipient domain without DNS; Outlook.com's "the domain
  // is not reachable".
  'domain-not-found': {
    cause: 'domain-not-found',
    match: { any: ['host unknown', 'domain is not reachable'] },
  },
  'user-unknown': {
    cause: 'user-unknown',
    match: {
      any: [
        'does not exist',
        "doesn't exist",
        'user unknown',
        'unknown user',
        'unknown recipient',
        'recipient unknown',
        'no such user',
        'no such recipient',
        'no such mailbox',
        'no mailbox',
        'recipient not found',
        'user not found',
        'address not found',
        'mailbox not found',
        'recipnotfound',
        'invalid recipient',
        'not a valid recipient',
        'unrouteable address',
        'callout verification failed',
        // Yahoo: "554 delivery error: dd This user doesn't have a yahoo.com account"; others word
        // a missing mailbox as "invalid mailbox".
        "user doesn't have a",
        'user does not have a',
        'invalid mailbox',
      ],
    },
  },
  'greylisted': {
    cause: 'greylisted',
    match: { permanent: false, any: ['greylist', 'graylist', 'try again later', 'try later', 'come back later', 'please retry'] },
  },
  'message-too-large': {
    cause: 'message-too-large',
    match: { any: ['message size', 'too large', 'size limit', 'message length exceeds'] },
  },
  'relay-denied': {
    cause: 'relay-denied',
    match: { any: ['relay access denied', 'relaying denied', 'unable to relay', 'relay not permitted', 'relaying not allowed', 'not permitted to relay', 'we do not relay', 'rcpthosts', 'no relaying', 'not configured to relay'] },
  },
  'auth-required': {
    cause: 'auth-required',
    match: { any: ['authentication required', 'must issue a starttls', 'sasl authentication failed', 'authentication failed'] },
  },
  'sender-rejected': {
    cause: 'access-policy',
    match: { any: ['sender address rejected', 'sender rejected', 'sender domain'] },
  },
  'spam-content': {
    cause: 'spam-content',
    match: { any: ['spam', 'content rejected', 'message content', 'virus', 'malware', 'phish', 'security issue', 'content presents', 'message filtered'] },
  },
  'administrative-prohibition': {
    cause: 'access-policy',
    match: { any: ['administrative prohibition', 'access denied', 'not allowed', 'prohibited', 'policy reasons', 'denied by policy'] },
  },
} as const satisfies Record<string, RemoteReply>;

/** Fallbacks by enhanced status and reply code; after the phrases and the MTA's own texts. */
export const REMOTE_STATUS = {
  'status-user-unknown': {
    cause: 'user-unknown',
    // RFC 3463 X.1.3 "bad destination mailbox address syntax": no such address can exist.
    match: { enhanced: ['x.1.1', 'x.1.3', 'x.1.6'] },
  },
  'status-domain': {
    cause: 'domain-not-found',
    match: { enhanced: ['x.1.2', 'x.4.4', 'x.1.10'] },
  },
  'status-disabled': {
    cause: 'mailbox-disabled',
    match: { enhanced: ['x.2.1'] },
  },
  'status-full': {
    cause: 'mailbox-full',
    match: { enhanced: ['x.2.2'] },
  },
  'status-too-large': {
    cause: 'message-too-large',
    match: { enhanced: ['x.2.3', 'x.3.4'] },
  },
  'status-sender-auth': {
    cause: 'sender-auth-failed',
    // RFC 7372 X.7.20–X.7.27 (X.7.25: reverse DNS validation failed).
    match: { enhanced: ['x.7.20', 'x.7.21', 'x.7.22', 'x.7.23', 'x.7.24', 'x.7.25', 'x.7.26', 'x.7.27'] },
  },
  // RFC 5321's generic 550 text; the status code, when there is one, is more precise (above).
  // Outlook.com sends it with 5.5.0 for unknown users.
  'mailbox-unavailable': {
    cause: 'user-unknown',
    match: { any: ['mailbox unavailable'] },
  },
  // RFC 5321 551 "User not local; please try <forward-path>": the mailbox is not (or no longer)
  // here, like 5.1.6; for replies without a status.
  'code-user-not-local': {
    cause: 'user-unknown',
    match: { codes: [551] },
  },
  // Microsoft 365: `530 5.7.57 Client not authenticated to send mail`; before the 5.7 catch-all.
  'code-auth-required': {
    cause: 'auth-required',
    match: { codes: [530] },
  },
  // RFC 3463 X.6.x "message content or media status": refused for the form of what was sent.
  'status-content': {
    cause: 'spam-content',
    match: { enhanced: ['x.6'] },
  },
  'status-policy': {
    cause: 'access-policy',
    match: { enhanced: ['x.7'] },
  },
  'status-network': {
    cause: 'connection-failed',
    match: { enhanced: ['x.4.1', 'x.4.2', 'x.4.7'] },
  },
  'status-protocol': {
    cause: 'protocol-error',
    match: { enhanced: ['x.5'] },
  },
  // RFC 5321 500–504: syntax error, not implemented, bad sequence; for replies without status.
  'code-protocol': {
    cause: 'protocol-error',
    match: { codes: [500, 501, 502, 503, 504] },
  },
} as const satisfies Record<string, RemoteReply>;

export type RemoteName = keyof typeof REMOTE_TEXT | keyof typeof REMOTE_STATUS;

/** The shared part of an outbound rule: `<mta>.outbound.<name>`, its cause and match. */
export function remoteReply(mta: Mta, name: RemoteName): Pick<Rule, 'id' | 'direction' | 'cause' | 'match'> {
  const r: RemoteReply = name in REMOTE_TEXT ? REMOTE_TEXT[name as keyof typeof REMOTE_TEXT] : REMOTE_STATUS[name as keyof typeof REMOTE_STATUS];
  return { id: `${mta}.outbound.${name}`, direction: 'outbound', cause: r.cause, match: r.match };
}

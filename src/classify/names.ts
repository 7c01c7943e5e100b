/**
 * The directions and causes a classification can give, as plain lists: the zod enums of
 * types.ts are built from them for the report schema, and code that only needs the names (the
 * aggregator's dense indexes) takes them from here without loading the schema library.
 */
export const DIRECTIONS = ['inbound', 'outbound', 'local'] as const;

export const CAUSES = [
  'user-unknown',
  'mailbox-disabled',
  'mailbox-full',
  'relay-denied',
  'auth-required',
  'sender-auth-failed',
  'blocklisted',
  'access-policy',
  'spam-content',
  'greylisted',
  'rate-limited',
  'message-too-large',
  'domain-not-found',
  'connection-failed',
  'protocol-error',
  'mail-loop',
  // The server itself is broken (a table, milter, policy service, certificate, the queue): classify/health.ts.
  'server-health',
  'other',
] as const;

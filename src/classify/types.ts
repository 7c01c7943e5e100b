/**
 * What classification adds to a rejection, bounce or deferral. Kept apart from the event
 * schema: parsers never see it.
 */
import { z } from 'zod';

export const Direction = z.enum(['inbound', 'outbound', 'local']);
export type Direction = z.infer<typeof Direction>;

export const Cause = z.enum([
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
  'other',
]);
export type Cause = z.infer<typeof Cause>;

export interface Classification {
  direction: Direction;
  cause: Cause;
  /** Short and stable: the server-side setting behind it (part of the finding key). */
  hint: string;
  /** One or two plain sentences: what to check or change. */
  advice: string;
  /** A command that confirms it on the server, filled in for this event's addresses. */
  verify: string;
  /** Id of the rule that matched, e.g. `postfix.virtual-alias-unknown`; for tests and debugging. */
  rule: string;
  /** true for 5xx / status=bounced|expired, false for 4xx / deferred. */
  permanent: boolean;
}

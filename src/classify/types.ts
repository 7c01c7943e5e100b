/**
 * What classification adds to a rejection, bounce or deferral. Kept apart from the event
 * schema: parsers never see it.
 */
import { z } from 'zod';
import { CAUSES, DIRECTIONS } from './names.js';

export const Direction = z.enum(DIRECTIONS);
export type Direction = z.infer<typeof Direction>;

export const Cause = z.enum(CAUSES);
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

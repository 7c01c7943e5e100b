/**
 * Typed construction of events, for the parsers (and tests). Only the types of the zod contract
 * in event.ts are imported here, so a run does not load the schema library: it cost each thread
 * ~15 MB of memory and its start-up time, for schemas that only tests and debug boundaries use.
 */
import type {
  AuthFailureEvent,
  DeliveryEvent,
  EventKind,
  HealthEvent,
  MailEvent,
  MarkerEvent,
  NotificationEvent,
  ReceivedEvent,
  RejectEvent,
} from './event.js';

type Fields<K extends EventKind> = Omit<Extract<MailEvent, { kind: K }>, 'kind'>;

/** Trusted construction from parsers: typed, not parsed. */
export const rejectEvent = (f: Fields<'reject'>): RejectEvent => ({ kind: 'reject', ...f });
export const deliveryEvent = (f: Fields<'delivery'>): DeliveryEvent => ({ kind: 'delivery', ...f });
export const notificationEvent = (f: Fields<'notification'>): NotificationEvent => ({
  kind: 'notification',
  ...f,
});
export const receivedEvent = (f: Fields<'received'>): ReceivedEvent => ({ kind: 'received', ...f });
export const authFailureEvent = (f: Fields<'auth-failure'>): AuthFailureEvent => ({ kind: 'auth-failure', ...f });
export const healthEvent = (f: Fields<'health'>): HealthEvent => ({ kind: 'health', ...f });
export const markerEvent = (f: Fields<'marker'>): MarkerEvent => ({ kind: 'marker', ...f });

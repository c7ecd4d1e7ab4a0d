/**
 * How committed events reach sockets: which room a socket that wants everything sits in, what a
 * role may see of an event, and how a list of events becomes messages.
 */
import type { Role } from '../contract/auth.ts';
import type { LogEvent } from '../contract/events.ts';
import { assignmentForRole } from '../domain/dispatch/masking.ts';
import { incidentForRole, PERSONAL_DATA_ROLES } from '../domain/incidents/masking.ts';
import type { LiveSocket } from './live-socket.ts';
import { carrying } from './send-buffer.ts';

/**
 * Sockets that want everything sit in one of four rooms (personal data or masked × batch or one
 * message per event), so each event is encoded once per room, not once per socket. Sockets with
 * a narrower subscription are served one by one.
 */
export const roomOf = (role: Role, batch: boolean): string =>
  `${PERSONAL_DATA_ROLES.has(role) ? 'personal' : 'masked'}:${batch ? 'batch' : 'single'}`;

/** The event as this role may see it (personal data masked for roles without the right). */
export function forRole(event: LogEvent, role: Role): LogEvent {
  if (event.type === 'assignment:created' || event.type === 'assignment:updated') return { ...event, payload: assignmentForRole(event.payload, role) };
  if (event.type !== 'incident:created' && event.type !== 'incident:updated') return event;
  return { ...event, payload: incidentForRole(event.payload, role) } as LogEvent;
}

type Emitter = { emit: LiveSocket['emit'] };
/** Sends events; each message is marked with the last seq it carries, for a slow consumer's resume point. */
export function send(target: Emitter, events: readonly LogEvent[], batch: boolean): void {
  if (events.length === 0) return;
  if (batch) {
    carrying(events.at(-1)!.seq, () => target.emit('events:batch', [...events]));
    return;
  }
  // The union is correlated (type ↔ payload) but TypeScript cannot follow it through `emit`.
  for (const e of events) carrying(e.seq, () => (target.emit as (name: string, payload: unknown) => boolean)(e.type, e.payload));
}

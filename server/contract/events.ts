/**
 * The live stream (DOMAIN §7): typed socket.io event maps shared by server and client. Every
 * logged event carries the `seq` it got in the durable event log.
 */
import type { Incident } from './incidents.ts';
import type { Role } from './auth.ts';

export interface RegionsReplacedEvent {
  seq: number;
  count: number;
}

/** Events that are stored in the event log and replayed on resume. */
export interface LogEventMap {
  'incident:created': Incident;
  'regions:replaced': RegionsReplacedEvent;
}
export type LogEventName = keyof LogEventMap;

/** A logged event as replay delivers it. */
export type LogEvent = { [K in LogEventName]: { type: K; seq: number; payload: LogEventMap[K] } }[LogEventName];

export interface HelloEvent {
  protocolVersion: number;
  serverVersion: string;
  role: Role;
  /** Head of the event log when the connection was accepted. */
  seq: number;
}

export interface SnapshotRequiredEvent {
  /** The `since` the client asked for. */
  since: number;
  /** Oldest `seq` the log still holds. */
  oldest: number;
  head: number;
}

export type ServerToClientEvents = { [K in LogEventName]: (payload: LogEventMap[K]) => void } & {
  hello: (e: HelloEvent) => void;
  /** `since` is older than the log keeps: reload a snapshot over HTTP, then resume from its seq. */
  'snapshot:required': (e: SnapshotRequiredEvent) => void;
  /** Every missed event up to `seq` has been sent; what follows is live. */
  'replay:done': (e: { seq: number; replayed: number }) => void;
};

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ClientToServerEvents {}

/** Socket handshake `auth`. */
export interface HandshakeAuth {
  token?: string;
  /** Last `seq` the client saw: the server replays every later event before live ones. */
  since?: number;
}

/**
 * The live stream: typed socket.io event maps shared by server and client. Every
 * logged event carries the `seq` it got in the durable event log.
 */
import type { Bbox } from './common.ts';
import type { AssignmentEvent } from './dispatch.ts';
import type { EquityUpdatedEvent } from './equity.ts';
import type { Incident, IncidentChange } from './incidents.ts';
import type { MeasuresConfiguredEvent } from './measures.ts';
import type { Role } from './auth.ts';
import type { ParcelCreatedEvent, ParcelsImportedEvent, ParcelSteppedEvent } from './parcels.ts';
import type { RiskChangedEvent, RiskConfiguredEvent } from './risk.ts';
import type { IncidentOverdueEvent, SlaConfiguredEvent } from './sla.ts';
import type { UnitPositionsEvent, UnitUpdatedEvent } from './units.ts';

export interface RegionsReplacedEvent {
  seq: number;
  count: number;
}

/** `incident:updated`: the incident as it is now (its `seq` is the change's) and what changed. */
export interface IncidentUpdatedEvent extends Incident {
  change: IncidentChange;
}

/** Events that are stored in the event log and replayed on resume. */
export interface LogEventMap {
  'incident:created': Incident;
  'incident:updated': IncidentUpdatedEvent;
  'regions:replaced': RegionsReplacedEvent;
  'risk:changed': RiskChangedEvent;
  'risk:configured': RiskConfiguredEvent;
  'parcel:created': ParcelCreatedEvent;
  'parcel:stepped': ParcelSteppedEvent;
  'parcels:imported': ParcelsImportedEvent;
  'equity:updated': EquityUpdatedEvent;
  'measures:configured': MeasuresConfiguredEvent;
  'unit:updated': UnitUpdatedEvent;
  'assignment:created': AssignmentEvent;
  'assignment:updated': AssignmentEvent;
  'sla:configured': SlaConfiguredEvent;
  'incident:overdue': IncidentOverdueEvent;
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
  /**
   * The centre's IANA time zone (`TIME_ZONE`), as in health: said again on every (re)connection so
   * a screen left running follows a server restarted with another zone, without a reload.
   */
  timeZone: string;
}

export interface SnapshotRequiredEvent {
  /** The `since` the client asked for. */
  since: number;
  /** Oldest `seq` the log still holds. */
  oldest: number;
  head: number;
}

/**
 * The server stopped streaming to this client because it did not read fast enough: what was
 * queued for it passed the send-buffer ceiling and was dropped (the durable log still has it).
 * The server closes the connection; reconnect with `since` = the last seq applied to resume with
 * no gap.
 */
export interface StreamDroppedEvent {
  reason: 'slow_consumer';
  message: string;
  /** The per-socket send-buffer ceiling that was passed (`LIVE_SEND_BUFFER_MB`), in bytes. */
  limitBytes: number;
  /** The last seq handed to the network before the dropped backlog; a client that read all of it holds this seq. */
  seq: number;
  /** How soon to reconnect. */
  retryAfterMs: number;
}

export type ServerToClientEvents = { [K in LogEventName]: (payload: LogEventMap[K]) => void } & {
  hello: (e: HelloEvent) => void;
  /** `since` is older than the log keeps: reload a snapshot over HTTP, then resume from its seq. */
  'snapshot:required': (e: SnapshotRequiredEvent) => void;
  /** Every missed event up to `seq` has been sent; what follows is live. */
  'replay:done': (e: { seq: number; replayed: number }) => void;
  /**
   * Batch mode (`auth.batch: true`): the logged events published in one tick, in seq order, as one
   * message instead of one message each. Replay is batched too.
   */
  'events:batch': (events: LogEvent[]) => void;
  /**
   * Every few seconds to every socket, logged or not: the connection is alive and the log's head is
   * `seq` at `at` (ISO). Not logged and never replayed.
   */
  /** `store: 'unavailable'`: the server is up but cannot reach its database (data is not moving). */
  heartbeat: (e: { seq: number; at: string; store?: 'unavailable' }) => void;
  /** The token was revoked or expired: the server ends the connection; do not retry with it. */
  'session:ended': (e: { reason: 'revoked' | 'expired'; message: string }) => void;
  /** The server is stopping (deploy, restart): reconnect after `retryAfterMs`, resuming from the last seq. */
  'server:closing': (e: { reason: 'shutdown'; message: string; retryAfterMs: number }) => void;
  /** This client fell too far behind and was cut off; it resumes from the last seq it applied. */
  'stream:dropped': (e: StreamDroppedEvent) => void;
  /** A message from this client was dropped (too large, or an event the server does not know); the connection stays. */
  'message:rejected': (e: { event: string; code: 'too_large' | 'unknown_event'; limitBytes: number; message: string }) => void;
  /**
   * Layer `units`, not logged and never replayed: units' newest positions, gathered per tick, at
   * most one per unit per second per socket. Sent alone in batch mode too (it carries no seq).
   */
  'units:positions': (e: UnitPositionsEvent) => void;
};

/** Client messages larger than this are dropped with `message:rejected`. */
export const SOCKET_MESSAGE_LIMIT_BYTES = 64 * 1024;

/** Layers a client can subscribe to; events of other layers are not sent to it. */
export type Layer = 'incidents' | 'regions' | 'risk' | 'parcels' | 'equity' | 'units';

/**
 * What a client wants to receive: a phone looking at one district needs not the whole city.
 * Omitted fields mean "everything". Region and viewport filters apply to incident events; the
 * region filter also to `risk:changed`.
 */
export interface Subscription {
  layers?: Layer[];
  /** Only incidents inside this box (`[minLon, minLat, maxLon, maxLat]`). */
  bbox?: Bbox;
  /** Only incidents in these regions (codes). */
  regions?: string[];
}

export interface ClientToServerEvents {
  /** Replaces the socket's subscription; the ack says what the server applied, or why not. */
  subscribe: (subscription: Subscription, ack: (answer: { ok: true; subscription: Subscription } | { ok: false; message: string }) => void) => void;
}

/** Socket handshake `auth`. */
export interface HandshakeAuth {
  token?: string;
  /** Last `seq` the client saw: the server replays every later event before live ones. */
  since?: number;
  /** Receive `events:batch` messages instead of one message per event. */
  batch?: boolean;
  /** Initial subscription (applies to the replay too). */
  subscribe?: Subscription;
}

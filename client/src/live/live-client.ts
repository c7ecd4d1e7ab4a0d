/**
 * The live stream: one socket.io connection in batch mode that resumes from the last `seq` the store
 * holds, so a reconnect replays exactly the missed events, and a connection state the UI can show
 * (with how old the data is while offline).
 */
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { PROTOCOL_VERSION } from '#contract/index.ts';
import type {
  ClientToServerEvents,
  HandshakeAuth,
  Incident,
  LogEvent,
  ServerToClientEvents,
  StreamDroppedEvent,
  Subscription,
  UnitPosition,
} from '#contract/index.ts';
import type { IncidentStore } from '../session/incident-store.ts';
import { setServerTimeZone } from '../time/time-zone.ts';

export type ConnectionStatus = 'connecting' | 'live' | 'offline';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Last moment (ms since epoch) the data was known to be current; `null` before the first load. */
  freshAt: number | null;
  /** The server refused the handshake (expired or missing sign-in). */
  unauthorized: boolean;
  /** The server speaks another protocol version: the page must be reloaded. */
  protocolMismatch: boolean;
  /**
   * Why the server last cut this screen off (`stream:dropped`: it fell behind), until it is live
   * again; the connection badge says so while it resumes.
   */
  droppedReason: StreamDroppedEvent['reason'] | null;
}

/** The wall shows the whole city: every incident, every region change and every risk level change. */
export const WALL_SUBSCRIPTION: Subscription = { layers: ['incidents', 'regions', 'risk', 'parcels'] };

/** A logged risk event as the live client hands it on (a new measures config changes what the map's districts require). */
export type RiskLogEvent = Extract<LogEvent, { type: 'risk:changed' | 'risk:configured' | 'measures:configured' }>;
/** A logged parcel event as the live client hands it on. */
export type ParcelLogEvent = Extract<LogEvent, { type: 'parcel:created' | 'parcel:stepped' | 'parcels:imported' }>;
/** An overdue clock as the live client hands it on. */
export type OverdueLogEvent = Extract<LogEvent, { type: 'incident:overdue' }>;
/** A unit's register change as the live client hands it on. */
export type UnitLogEvent = Extract<LogEvent, { type: 'unit:updated' }>;
/** An assignment's step as the live client hands it on. */
export type AssignmentLogEvent = Extract<LogEvent, { type: 'assignment:created' | 'assignment:updated' }>;
/** A logged equity event as the live client hands it on. */
export type EquityLogEvent = Extract<LogEvent, { type: 'equity:updated' }>;

/** What the live client needs of an incident store: somewhere to put batches, and the resume point. */
export type IncidentSink = Pick<IncidentStore, 'applyBatch' | 'lastSeq'>;

export interface LiveClientOptions {
  /**
   * Usually an `IncidentStore`; the wall display keeps a bounded one of its own. It receives every
   * incident, drills included (the log is one stream), and must keep drills out of what it counts.
   */
  store: IncidentSink;
  /**
   * Called with every incident of a batch after the store had it (the console's drill list takes
   * the drills from it).
   */
  onIncidents?: (incidents: readonly Incident[]) => void;
  /** What to receive; sent with every handshake, so it also shapes the replay. @default WALL_SUBSCRIPTION */
  subscription?: Subscription;
  /** Reloads incidents over HTTP (on `snapshot:required`) and puts them into the store. */
  reloadIncidents: () => Promise<void>;
  /** Called on `regions:replaced`. */
  onRegionsReplaced: () => void;
  /** Called with the risk events of a batch (`risk:changed`, `risk:configured`, `measures:configured`), in seq order. */
  onRiskEvents?: (events: readonly RiskLogEvent[]) => void;
  /** Called with the parcel events of a batch (`parcel:created`, `parcel:stepped`, `parcels:imported`). */
  onParcelEvents?: (events: readonly ParcelLogEvent[]) => void;
  /** Called with the `equity:updated` events of a batch. */
  onEquityEvents?: (events: readonly EquityLogEvent[]) => void;
  /** Called with the `unit:updated` events of a batch (layer `units`). */
  onUnitEvents?: (events: readonly UnitLogEvent[]) => void;
  /** Called with each `units:positions` message (not logged: the newest position of units that moved). */
  onUnitPositions?: (positions: readonly UnitPosition[]) => void;
  /** Called with the `assignment:created` and `assignment:updated` events of a batch (layer `incidents`). */
  onAssignmentEvents?: (events: readonly AssignmentLogEvent[]) => void;
  /** Called with the `incident:overdue` events of a batch (an incident's clock passed its due time). */
  onOverdueEvents?: (events: readonly OverdueLogEvent[]) => void;
  /**
   * Called on every server `heartbeat`: the connection is alive though nothing happened, or (with
   * `store: 'unavailable'`) the server is up but its database is not.
   */
  onHeartbeat?: (beat: { seq: number; at: string; store?: 'unavailable' }) => void;
  /** Retry delay after the server refused a handshake or closed the connection. @default 5000 */
  refusedRetryMs?: number;
  now?: () => number;
  /** Server address. @default the page's own origin */
  url?: string;
  /** Passed to socket.io (tests shorten the reconnection delay). */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
}

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class LiveClient {
  private socket: LiveSocket | null = null;
  private state: ConnectionState = { status: 'connecting', freshAt: null, unauthorized: false, protocolMismatch: false, droppedReason: null };
  private readonly listeners = new Set<() => void>();
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** Set by `session:ended`: this token will not be accepted again, so stop retrying. */
  private sessionEnded = false;
  /** Set by `server:closing`: how soon the server expects to be back. */
  private retryAfterMs: number | undefined;
  private readonly now: () => number;
  private subscription: Subscription;
  /**
   * Started before the first HTTP snapshot: events that arrive meanwhile, held until
   * `snapshotLoaded` says which of them the snapshot already holds. `null` once it has.
   */
  private early: LogEvent[] | null = null;
  /** The seq of the first snapshot, once loaded. */
  private snapshotSeq: number | null = null;
  /** This connection's handshake asked for no replay (no snapshot yet): it goes live at the head. */
  private askedFromHead = false;
  /** The head such a connection went live at (its `hello`), until compared with the snapshot. */
  private liveFromHead: number | null = null;
  /** A one-off `since` for the next handshake: resuming from the snapshot after a gap. */
  private resumeFrom: number | null = null;

  constructor(private readonly options: LiveClientOptions) {
    this.now = options.now ?? Date.now;
    this.subscription = options.subscription ?? WALL_SUBSCRIPTION;
  }

  /**
   * Connects. Call after the first HTTP snapshot is in the store, so `since` is meaningful; or,
   * with `beforeSnapshot`, at the same time as asking for it (the page is live one round trip
   * sooner, not after the snapshot and whatever drawing it sets off) and then `snapshotLoaded`.
   */
  start(options: { beforeSnapshot?: boolean } = {}): void {
    if (this.socket) return;
    if (options.beforeSnapshot && this.snapshotSeq === null) this.early ??= [];
    this.setState({ freshAt: this.now() });
    const socketOptions: Partial<ManagerOptions & SocketOptions> = {
      // WebSocket first: live after one upgrade-free exchange, where long-polling takes several
      // requests, each waiting its turn on a page busy drawing. Long-polling stays the fallback
      // for a network that refuses WebSockets.
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      ...this.options.socketOptions,
      // A function, so every reconnect asks for what came after the newest event we hold. With no
      // snapshot yet there is nothing to resume from: the stream goes live at the server's head.
      auth: (send) => {
        const since = this.resumeFrom ?? (this.early ? undefined : this.options.store.lastSeq());
        this.resumeFrom = null;
        this.askedFromHead = since === undefined;
        this.liveFromHead = null;
        send({ ...(since !== undefined && { since }), batch: true, subscribe: this.subscription } satisfies HandshakeAuth);
      },
    };
    const socket: LiveSocket = this.options.url ? io(this.options.url, socketOptions) : io(socketOptions);
    this.socket = socket;

    socket.on('connect', () => this.setState({ status: 'connecting', unauthorized: false }));
    socket.on('hello', (hello) => {
      if (hello.protocolVersion !== PROTOCOL_VERSION) this.setState({ protocolMismatch: true });
      // The page's one zone: a server restarted with another TIME_ZONE is followed without a reload.
      setServerTimeZone(hello.timeZone);
      if (this.askedFromHead) {
        this.liveFromHead = hello.seq;
        this.resumeAfterGap();
      }
    });
    socket.on('replay:done', () => this.setState({ status: 'live', freshAt: this.now(), droppedReason: null }));
    socket.on('events:batch', (events) => this.applyEvents(events));
    // Positions are not in the log (no seq, no replay): a page reads the register again after a gap.
    socket.on('units:positions', (message) => this.options.onUnitPositions?.(message.positions));
    // One message per event: what a server without batch mode sends; handled the same way.
    socket.on('incident:created', (payload) => this.applyEvents([{ type: 'incident:created', seq: payload.seq, payload }]));
    socket.on('incident:updated', (payload) => this.applyEvents([{ type: 'incident:updated', seq: payload.seq, payload }]));
    socket.on('regions:replaced', (payload) => this.applyEvents([{ type: 'regions:replaced', seq: payload.seq, payload }]));
    socket.on('risk:changed', (payload) => this.applyEvents([{ type: 'risk:changed', seq: payload.seq, payload }]));
    socket.on('risk:configured', (payload) => this.applyEvents([{ type: 'risk:configured', seq: payload.seq, payload }]));
    socket.on('measures:configured', (payload) => this.applyEvents([{ type: 'measures:configured', seq: payload.seq, payload }]));
    socket.on('equity:updated', (payload) => this.applyEvents([{ type: 'equity:updated', seq: payload.seq, payload }]));
    socket.on('heartbeat', (beat) => this.options.onHeartbeat?.(beat));
    socket.on('snapshot:required', () => {
      this.options.reloadIncidents().catch(() => {
        // Keep what we hold; the next reconnect asks again.
      });
    });
    // The token was revoked or expired: retrying with it would only be refused again.
    socket.on('session:ended', () => {
      this.sessionEnded = true;
      this.setState({ unauthorized: true });
    });
    // A deploy or restart: come back when the server says, resuming from the last seq we hold.
    socket.on('server:closing', (e) => {
      this.retryAfterMs = e.retryAfterMs;
    });
    // This screen fell behind and the server dropped what it had queued for it: the server hangs up
    // ("io server disconnect", which socket.io does not retry by itself) or, if we read too late,
    // the transport just closes (which it does retry). Either way the handshake asks from the last
    // seq the store applied, so the log fills the gap.
    socket.on('stream:dropped', (e) => {
      this.retryAfterMs = e.retryAfterMs;
      this.setState({ droppedReason: e.reason });
    });
    socket.on('disconnect', (reason) => {
      this.goOffline();
      // socket.io retries by itself except when the server closed the connection on purpose.
      if (reason === 'io server disconnect' && !this.sessionEnded) this.retryLater(socket, this.retryAfterMs);
      this.retryAfterMs = undefined;
    });
    socket.on('connect_error', (error) => {
      this.goOffline();
      // A refusal by the server's middleware stops socket.io's own retries: retry ourselves, slowly.
      if (!socket.active) {
        this.setState({ unauthorized: /unauthori[sz]ed|token|401/i.test(error.message) });
        this.retryLater(socket);
      }
    });
  }

  /**
   * The first snapshot is in the store, read at `seq`: the events held meanwhile that it does not
   * hold go to the store now, and from here on a reconnect resumes from the store.
   */
  snapshotLoaded(seq: number): void {
    this.snapshotSeq = seq;
    const early = this.early;
    this.early = null;
    if (this.resumeAfterGap()) return;
    const newer = early?.filter((e) => e.seq > seq) ?? [];
    if (newer.length > 0) this.applyEvents(newer);
  }

  /**
   * A connection that went live at the head H while the snapshot was read at S < H has not seen
   * (S, H]: it reconnects from S, and the log replays them (the stores skip what they hold).
   */
  private resumeAfterGap(): boolean {
    const head = this.liveFromHead;
    const snapshotSeq = this.snapshotSeq;
    if (head === null || snapshotSeq === null || this.early) return false;
    this.liveFromHead = null;
    this.askedFromHead = false;
    if (snapshotSeq >= head) return false;
    this.resumeFrom = snapshotSeq;
    const socket = this.socket;
    socket?.disconnect();
    socket?.connect();
    return true;
  }

  /** A batch goes to the store as one update; a region change anywhere in it reloads regions once. */
  private applyEvents(events: readonly LogEvent[]): void {
    if (this.early) {
      for (const e of events) this.early.push(e);
      return;
    }
    const incidents: Incident[] = [];
    let seq = 0;
    let regionsReplaced = false;
    const risk: RiskLogEvent[] = [];
    const parcels: ParcelLogEvent[] = [];
    const equity: EquityLogEvent[] = [];
    const overdue: OverdueLogEvent[] = [];
    const units: UnitLogEvent[] = [];
    const assignments: AssignmentLogEvent[] = [];
    for (const event of events) {
      seq = Math.max(seq, event.seq);
      if (event.type === 'regions:replaced') regionsReplaced = true;
      else if (event.type === 'risk:changed' || event.type === 'risk:configured' || event.type === 'measures:configured') risk.push(event);
      else if (event.type === 'equity:updated') equity.push(event);
      else if (event.type === 'incident:overdue') overdue.push(event);
      else if (event.type === 'unit:updated') units.push(event);
      else if (event.type === 'assignment:created' || event.type === 'assignment:updated') assignments.push(event);
      else if (event.type === 'incident:created') incidents.push(event.payload);
      else if (event.type === 'incident:updated') {
        // The store keeps incidents; the change itself is read from `/history` when someone asks.
        const { change: _change, ...incident } = event.payload;
        incidents.push(incident);
      } else if (event.type === 'parcel:created' || event.type === 'parcel:stepped' || event.type === 'parcels:imported') parcels.push(event);
      // Other events (SLA config changes) have no store on the page: only their seq counts.
    }
    this.options.store.applyBatch(incidents, seq);
    if (incidents.length > 0) this.options.onIncidents?.(incidents);
    if (regionsReplaced) this.options.onRegionsReplaced();
    if (risk.length > 0) this.options.onRiskEvents?.(risk);
    if (parcels.length > 0) this.options.onParcelEvents?.(parcels);
    if (equity.length > 0) this.options.onEquityEvents?.(equity);
    if (overdue.length > 0) this.options.onOverdueEvents?.(overdue);
    if (units.length > 0) this.options.onUnitEvents?.(units);
    if (assignments.length > 0) this.options.onAssignmentEvents?.(assignments);
  }

  /**
   * Replaces what this connection receives; the server's ack says what it applied. Later
   * handshakes (reconnects) ask for the same.
   */
  async setSubscription(subscription: Subscription, timeoutMs = 5_000): Promise<Subscription> {
    this.subscription = subscription;
    const socket = this.socket;
    if (!socket?.connected) return subscription;
    const answer = await socket.timeout(timeoutMs).emitWithAck('subscribe', subscription);
    if (!answer.ok) throw new Error(answer.message);
    return answer.subscription;
  }

  private retryLater(socket: LiveSocket, afterMs?: number): void {
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = null;
      if (this.socket === socket) socket.connect();
    }, afterMs ?? this.options.refusedRetryMs ?? 5000);
  }

  stop(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.socket?.disconnect();
    this.socket = null;
  }

  getState = (): ConnectionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private goOffline(): void {
    // Data stayed current up to the moment a live connection dropped; not beyond.
    const freshAt = this.state.status === 'live' ? this.now() : this.state.freshAt;
    this.setState({ status: 'offline', freshAt });
  }

  private setState(patch: Partial<ConnectionState>): void {
    const next = { ...this.state, ...patch };
    const changed = (Object.keys(next) as (keyof ConnectionState)[]).some((key) => next[key] !== this.state[key]);
    if (!changed) return;
    this.state = next;
    for (const listener of this.listeners) listener();
  }
}

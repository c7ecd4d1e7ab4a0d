/**
 * One page's view of the city, outside React: who is signed in, the regions, the incident snapshot
 * and the live stream resuming from it, the five-colour ratings read after that snapshot (so their
 * seq is at least the one the stream resumes from and no level change falls between the two), and,
 * when the page asks, drills, health, equity recomputations, parcel events and signs of life.
 * A page says what it shows in its options, so a tablet does not load what only the console shows.
 */
import type { Health, IncidentCollection, Layer, RegionCollection, Role } from '#contract/index.ts';
import { ApiError, fetchDrills, fetchHealth, fetchIncidents, fetchRegions, fetchRisk, fetchSession, requestJson } from '../api/city-api.ts';
import { messageOf } from '../api/error-message.ts';
import { LiveClient, type IncidentSink, type LiveClientOptions, type RiskLogEvent } from '../live/live-client.ts';
import { DrillStore } from './drill-store.ts';
import { parcelEvents } from './parcel-events.ts';
import { RiskStore } from './risk-store.ts';
import type { AssignmentStore } from './assignment-store.ts';
import type { UnitStore } from './unit-store.ts';

export type SessionPhase = 'checking' | 'signed-in' | 'signed-out';

/** What the session needs of an incident store: the console's full store and the wall's bounded one both fit. */
export interface SessionIncidents extends IncidentSink {
  replaceAll(collection: IncidentCollection): void;
  getSnapshot(): { readonly loaded: boolean };
  subscribe(listener: () => void): () => void;
}

/** The network edge the session reads through (tests hand in their own). */
export interface SessionApi {
  fetchSession: typeof fetchSession;
  fetchRegions: typeof fetchRegions;
  fetchHealth: typeof fetchHealth;
  fetchIncidents: (query: IncidentQuery, signal?: AbortSignal) => Promise<IncidentCollection>;
  fetchDrills: typeof fetchDrills;
  fetchRisk: typeof fetchRisk;
}

/** The live client as the session uses it. */
export type SessionLive = Pick<LiveClient, 'start' | 'stop' | 'snapshotLoaded' | 'getState' | 'subscribe'>;

/** Every incident, or only open ones (a screen that never shows closed ones need not load a city's history). */
export type IncidentQuery = 'all' | 'open';

export interface CitySessionOptions<S extends SessionIncidents> {
  /** Where the snapshot and the stream's incidents go. */
  incidents: S;
  /** @default 'all' */
  incidentQuery?: IncidentQuery;
  /** Read the five-colour ratings and keep them live. */
  risk?: boolean;
  /** List drills (the console's drill view), apart from the live incidents. */
  drills?: boolean;
  /** Count `equity:updated` events (the equity views read their answer again). */
  equity?: boolean;
  /**
   * Where the `units` layer goes (register changes and positions); the page reads the register into
   * it itself (`GET /api/v1/units`), in any order with the stream.
   */
  units?: UnitStore;
  /**
   * Where `assignment:created` / `assignment:updated` go (layer `incidents`); the page reads the
   * assignments it shows into it itself, in any order with the stream.
   */
  assignments?: AssignmentStore;
  /** Count `incident:overdue` events (the wall reads its on-time figures again). */
  overdue?: boolean;
  /** Hand parcel events on to `parcelEvents` (the open parcel refreshes itself). */
  parcels?: boolean;
  /** Read `/health`, and again every minute. */
  health?: boolean;
  /** Note when the last event, heartbeat or completed replay arrived (the wall's stale banner). */
  signals?: boolean;
  /**
   * Open the snapshot and the stream while the sign-in is still being checked: most pages open
   * signed in, and are then live one round trip sooner. A page that turns out signed out stops
   * them and ignores their refusals. @default true
   */
  startBeforeSignIn?: boolean;
  api?: Partial<SessionApi>;
  createLive?: (options: LiveClientOptions) => SessionLive;
  now?: () => number;
}

export interface CitySessionState {
  phase: SessionPhase;
  /** Role of whoever is signed in; `null` until known. */
  role: Role | null;
  /** The unit the signed-in token speaks for (a crew's tablet), `null` for one bound to none. */
  unitId: string | null;
  regions: RegionCollection | null;
  health: Health | null;
  /** The server says its database is out (heartbeat): changes cannot be saved until it is back. */
  storeDown: boolean;
  /** Bumped on every `equity:updated`. */
  equityVersion: number;
  /** Bumped on every batch with an `incident:overdue`; only with `overdue`. */
  overdueVersion: number;
  /** Bumped whenever the ratings are read afresh for a reason other than the clock (new regions or model, a gap, a retry). */
  riskGeneration: number;
  /** When the last event, heartbeat or completed replay arrived (ms, this browser's clock); only with `signals`. */
  lastSignalAt: number | null;
  /** Reading the drill list failed (the live incidents are unaffected). */
  drillsError: string | null;
  /** A load failed; `retry` tries again. */
  error: string | null;
}

export const HEALTH_REFRESH_MS = 60_000;
/** Scores decay and incidents add up without a level change, and only level changes are streamed. */
export const RISK_REFRESH_MS = 60_000;
/** A card opened right after the last read needs no new one; hovering across districts must not flood the server. */
export const RISK_MIN_READ_INTERVAL_MS = 5_000;
/** At most one render a second for signs of life: a burst of batches must not re-render per batch. */
const SIGNAL_MIN_INTERVAL_MS = 1_000;
const OPEN_INCIDENTS = '/incidents?status=reported,acknowledged,dispatched';

const DEFAULT_API: SessionApi = {
  fetchSession,
  fetchRegions,
  fetchHealth,
  fetchIncidents: (query, signal) => (query === 'open' ? requestJson<IncidentCollection>(OPEN_INCIDENTS, signal) : fetchIncidents(signal)),
  fetchDrills,
  fetchRisk,
};

export class CitySession<S extends SessionIncidents = SessionIncidents> {
  readonly incidents: S;
  readonly risk = new RiskStore();
  readonly drills = new DrillStore();
  readonly live: SessionLive;
  private state: CitySessionState = {
    phase: 'checking', role: null, unitId: null, regions: null, health: null, storeDown: false,
    equityVersion: 0, overdueVersion: 0, riskGeneration: 0, lastSignalAt: null, drillsError: null, error: null,
  };
  private readonly listeners = new Set<() => void>();
  private readonly api: SessionApi;
  private readonly now: () => number;
  private readonly query: IncidentQuery;
  /** One start to its stop: aborting it ends every read and timer it began. */
  private run: AbortController | null = null;
  private stream: AbortController | null = null;
  private riskRun: AbortController | null = null;
  private drillRun: AbortController | null = null;
  private lastRiskRead = 0;
  private signalShownAt = 0;
  private lastStatus: string | null = null;
  private wasUnauthorized = false;

  constructor(private readonly options: CitySessionOptions<S>) {
    this.incidents = options.incidents;
    this.api = { ...DEFAULT_API, ...options.api };
    this.now = options.now ?? Date.now;
    this.query = options.incidentQuery ?? 'all';
    const layers: Layer[] = ['incidents', 'regions'];
    if (options.risk) layers.push('risk');
    if (options.parcels) layers.push('parcels');
    if (options.equity) layers.push('equity');
    if (options.units) layers.push('units');
    const sink: IncidentSink = options.signals
      ? { applyBatch: (list, seq) => (this.signal(), this.incidents.applyBatch(list, seq)), lastSeq: () => this.incidents.lastSeq() }
      : this.incidents;
    const liveOptions: LiveClientOptions = {
      store: sink,
      subscription: { layers },
      ...(options.drills && { onIncidents: (list) => this.drills.applyBatch(list) }),
      ...(options.equity && { onEquityEvents: () => this.set({ equityVersion: this.state.equityVersion + 1 }) }),
      ...(options.units && { onUnitEvents: (events) => options.units?.applyUpdates(events.map((e) => e.payload)), onUnitPositions: (p) => options.units?.applyPositions(p) }),
      ...(options.assignments && { onAssignmentEvents: (events) => options.assignments?.applyEvents(events.map((e) => e.payload)) }),
      ...(options.overdue && { onOverdueEvents: () => this.set({ overdueVersion: this.state.overdueVersion + 1 }) }),
      ...(options.parcels && { onParcelEvents: parcelEvents.publish }),
      ...(options.risk && { onRiskEvents: (events: readonly RiskLogEvent[]) => this.onRiskEvents(events) }),
      onHeartbeat: (beat) => {
        const down = beat.store === 'unavailable';
        if (down !== this.state.storeDown) this.set({ storeDown: down });
        // A beat from a server that cannot reach its data is no sign that the data is fresh.
        if (!down) this.signal();
      },
      reloadIncidents: async () => {
        this.incidents.replaceAll(await this.api.fetchIncidents(this.query));
        // The gap was too old to replay: level changes (and drills) were missed too.
        this.rereadRisk();
        this.loadDrills();
      },
      onRegionsReplaced: () => {
        const signal = this.run?.signal;
        if (!signal) return;
        this.loadRegions(signal);
        this.loadHealth(signal);
        this.rereadRisk();
      },
    };
    this.live = (options.createLive ?? ((o) => new LiveClient(o)))(liveOptions);
  }

  getState = (): CitySessionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Begins loading; `stop` ends it, and a later `start` begins again with the stores as they are. */
  start(): void {
    if (this.run) return;
    const run = new AbortController();
    this.run = run;
    const { signal } = run;
    const offLive = this.live.subscribe(() => this.onConnection());
    const offIncidents = this.incidents.subscribe(() => this.startRisk());
    signal.addEventListener('abort', () => (offLive(), offIncidents()));
    this.api
      .fetchSession(signal)
      .then((info) => {
        this.set({ role: info?.role ?? null, unitId: info?.unitId ?? null, phase: info ? 'signed-in' : 'signed-out' });
        if (!info) return this.closeStream();
        this.openStream();
        this.loadDrills();
        this.startRisk();
      })
      .catch((e: unknown) => signal.aborted || this.set({ error: messageOf(e) }));
    // Regions are public: the map shows behind the sign-in card too.
    this.loadRegions(signal);
    if (this.options.health) {
      this.loadHealth(signal);
      const timer = setInterval(() => this.loadHealth(signal), HEALTH_REFRESH_MS);
      signal.addEventListener('abort', () => clearInterval(timer));
    }
    if (this.options.startBeforeSignIn ?? true) this.openStream();
  }

  stop(): void {
    this.run?.abort();
    this.run = null;
    this.closeStream();
    this.drillRun?.abort();
    this.drillRun = null;
  }

  /** After a failed load: everything is read again (the stores keep what they hold meanwhile). */
  retry = (): void => {
    this.set({ error: null, riskGeneration: this.state.riskGeneration + 1 });
    this.stop();
    this.start();
  };

  /** Reads the live ratings again now (at most every few seconds): a card about to show them was opened. */
  refreshRisk = (): void => {
    if (this.riskRun && this.now() - this.lastRiskRead >= RISK_MIN_READ_INTERVAL_MS) this.readRisk(this.riskRun.signal);
  };

  private set(patch: Partial<CitySessionState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of [...this.listeners]) listener();
  }

  /** The stream opens beside the snapshot, not after it: events meanwhile wait in the live client. */
  private openStream(): void {
    if (this.stream || !this.run) return;
    const stream = new AbortController();
    this.stream = stream;
    this.live.start({ beforeSnapshot: true });
    this.api
      .fetchIncidents(this.query, stream.signal)
      .then((collection) => {
        this.incidents.replaceAll(collection);
        this.live.snapshotLoaded(collection.seq);
        this.startRisk();
      })
      .catch((e: unknown) => stream.signal.aborted || (e instanceof ApiError && e.status === 401) || this.set({ error: messageOf(e) }));
  }

  private closeStream(): void {
    this.stream?.abort();
    this.stream = null;
    this.live.stop();
    this.stopRisk();
  }

  private loadRegions(signal: AbortSignal): void {
    this.api
      .fetchRegions(signal)
      .then((regions) => this.set({ regions }))
      .catch((e: unknown) => signal.aborted || this.set({ error: messageOf(e) }));
  }

  private loadHealth(signal: AbortSignal): void {
    if (!this.options.health) return;
    this.api
      .fetchHealth(signal)
      .then((health) => this.set({ health }))
      .catch(() => {});
  }

  /** Beside the incident snapshot, not before it: the drill store keeps whatever the stream brings newer than its list. */
  private loadDrills(): void {
    if (!this.options.drills || this.state.phase !== 'signed-in' || !this.run) return;
    this.drillRun?.abort();
    const drillRun = new AbortController();
    this.drillRun = drillRun;
    if (this.state.drillsError !== null) this.set({ drillsError: null });
    this.api
      .fetchDrills(drillRun.signal)
      .then((collection) => this.drills.replaceAll(collection))
      .catch((e: unknown) => drillRun.signal.aborted || this.set({ drillsError: messageOf(e) }));
  }

  /** Once signed in and the incident snapshot is in; then every minute. */
  private startRisk(): void {
    if (!this.options.risk || this.riskRun || !this.stream) return;
    if (this.state.phase !== 'signed-in' || !this.incidents.getSnapshot().loaded) return;
    const riskRun = new AbortController();
    this.riskRun = riskRun;
    this.readRisk(riskRun.signal);
    const timer = setInterval(() => this.readRisk(riskRun.signal), RISK_REFRESH_MS);
    riskRun.signal.addEventListener('abort', () => clearInterval(timer));
  }

  private stopRisk(): void {
    this.riskRun?.abort();
    this.riskRun = null;
  }

  private rereadRisk(): void {
    if (!this.options.risk) return;
    this.set({ riskGeneration: this.state.riskGeneration + 1 });
    this.stopRisk();
    this.startRisk();
  }

  private readRisk(signal: AbortSignal): void {
    this.lastRiskRead = this.now();
    this.api
      .fetchRisk(signal)
      .then((snapshot) => this.risk.replaceSnapshot(snapshot))
      // The map keeps the ratings it holds; the next read or live change brings it up to date.
      .catch(() => {});
  }

  private onRiskEvents(events: readonly RiskLogEvent[]): void {
    const changes = events.flatMap((e) => (e.type === 'risk:changed' ? [e.payload] : []));
    if (changes.length > 0) this.risk.applyChanges(changes);
    // A new config re-rated every region: scores moved even where levels did not. A new measures
    // config changed what every district's level requires.
    if (events.some((e) => e.type === 'risk:configured' || e.type === 'measures:configured')) this.rereadRisk();
  }

  private onConnection(): void {
    const { status, unauthorized } = this.live.getState();
    // A completed replay (after every reconnect) is a sign of life too.
    if (status !== this.lastStatus && status === 'live' && this.options.signals) this.set({ lastSignalAt: this.now() });
    this.lastStatus = status;
    // A refused handshake usually means the sign-in cookie expired: ask the server who we are.
    if (unauthorized && !this.wasUnauthorized && this.run) {
      const { signal } = this.run;
      this.api
        .fetchSession(signal)
        .then((info) => {
          if (info || signal.aborted) return;
          this.set({ phase: 'signed-out', role: null, unitId: null });
          this.closeStream();
        })
        .catch(() => {});
    }
    this.wasUnauthorized = unauthorized;
  }

  private signal(): void {
    if (!this.options.signals) return;
    const now = this.now();
    if (now - this.signalShownAt < SIGNAL_MIN_INTERVAL_MS) return;
    this.signalShownAt = now;
    this.set({ lastSignalAt: now });
  }
}

/**
 * Everything the wall shows, loaded in order: session and public regions first, then the incident
 * snapshot over HTTP, then the live stream resuming from that snapshot's `seq`, and the risk
 * ratings read after the incident snapshot (so their seq is at least the one the stream resumes
 * from, and no level change can fall between the two).
 */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Health, Incident, RegionCollection, Role } from '#contract/index.ts';
import { ApiError, fetchDrills, fetchHealth, fetchIncidents, fetchRegions, fetchRisk, fetchSession } from '../api/city-api.ts';
import { LiveClient, WALL_SUBSCRIPTION, type ConnectionState, type RiskLogEvent } from '../live/live-client.ts';
import { IncidentRows, type IncidentRowsSnapshot } from '../map/layers/incident-rows.ts';
import { DrillStore, type DrillSnapshot } from './drill-store.ts';
import { IncidentStore, type IncidentSnapshot } from './incident-store.ts';
import { RiskStore, type RiskLiveSnapshot } from './risk-store.ts';
import { useRiskPlayback, type RiskPlayback } from '../features/risk/use-risk-playback.ts';
import { parcelEvents } from './parcel-events.ts';

export type SessionPhase = 'checking' | 'signed-in' | 'signed-out';

export interface WallData {
  session: SessionPhase;
  /** Role of whoever is signed in; `null` until known. */
  role: Role | null;
  regions: RegionCollection | null;
  health: Health | null;
  /** The live incidents; drills never among them. */
  incidents: IncidentSnapshot;
  /** Drills (exercises, tests), apart; empty and never loaded unless the page asked for them. */
  drills: DrillSnapshot;
  /** Reading the drill list failed (the live incidents are unaffected). */
  drillsError: string | null;
  /** The same incidents as the map's incrementally updated rows. */
  rows: IncidentRowsSnapshot;
  incidentById: (id: string) => Incident | undefined;
  /** Shows the server's answer to our own change at once. */
  applyLocal: (incident: Incident) => void;
  connection: ConnectionState;
  /** The server says its database is out (heartbeat): changes cannot be saved until it is back. */
  storeDown: boolean;
  /** Live five-colour ratings (empty until loaded; they stay empty for a signed-out page). */
  risk: RiskLiveSnapshot;
  /** The 7-day history and which instant the map shows. */
  playback: RiskPlayback;
  /** Reads the live ratings again now (at most every few seconds): a card about to show them was opened. */
  refreshRisk: () => void;
  /** Bumped on every `equity:updated` (the equity view reads its answer again). */
  equityVersion: number;
  /** A load failed; `retry` tries again. */
  error: string | null;
  retry: () => void;
}

const HEALTH_REFRESH_MS = 60_000;
/**
 * Scores decay and incidents add up without a level change, and only level changes are streamed:
 * the card's numbers are read again this often.
 */
const RISK_REFRESH_MS = 60_000;
/** A card opened right after the last read needs no new one; hovering across districts must not flood the server. */
const RISK_MIN_READ_INTERVAL_MS = 5_000;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export interface WallDataOptions {
  /**
   * Also list drills (the console's drill view). Read once, when the page starts: the live client
   * that feeds them is made then.
   */
  drills?: boolean;
}

export function useWallData(options: WallDataOptions = {}): WallData {
  const [session, setSession] = useState<SessionPhase>('checking');
  const [role, setRole] = useState<Role | null>(null);
  const [regions, setRegions] = useState<RegionCollection | null>(null);
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [regionsVersion, setRegionsVersion] = useState(0);
  const [equityVersion, setEquityVersion] = useState(0);
  const [storeDown, setStoreDown] = useState(false);

  const [store] = useState(() => new IncidentStore());
  const [withDrills] = useState(() => options.drills === true);
  const [drillStore] = useState(() => new DrillStore());
  const [drillReload, setDrillReload] = useState(0);
  const [drillsError, setDrillsError] = useState<string | null>(null);
  const [riskStore] = useState(() => new RiskStore());
  /** Bumped to read the risk ratings again (snapshot reload, new config). */
  const [riskReload, setRiskReload] = useState(0);
  const [rowsSource] = useState(() => new IncidentRows());
  // Every store update reaches the map's rows as a delta; on (re)subscribing the rows start from
  // what the store holds, so nothing is missed whenever this runs.
  useEffect(() => {
    rowsSource.apply({ reset: true, changed: store.getSnapshot().incidents });
    return store.onDelta((delta) => rowsSource.apply(delta));
  }, [store, rowsSource]);
  const [live] = useState(
    () =>
      new LiveClient({
        store,
        ...(withDrills && { onIncidents: (incidents: readonly Incident[]) => drillStore.applyBatch(incidents) }),
        // The wall's layers and the equity view's recomputations (a few a day: cheap to always receive).
        subscription: { layers: [...(WALL_SUBSCRIPTION.layers ?? []), 'equity'] },
        onEquityEvents: () => setEquityVersion((v) => v + 1),
        onHeartbeat: (beat) => setStoreDown(beat.store === 'unavailable'),
        reloadIncidents: async () => {
          store.replaceAll(await fetchIncidents());
          // The gap was too old to replay: level changes (and drills) were missed too.
          setRiskReload((n) => n + 1);
          setDrillReload((n) => n + 1);
        },
        onRegionsReplaced: () => setRegionsVersion((v) => v + 1),
        // The planner's open parcel refreshes itself on parcel:stepped for its code.
        onParcelEvents: parcelEvents.publish,
        onRiskEvents: (events: readonly RiskLogEvent[]) => {
          const changes = events.flatMap((e) => (e.type === 'risk:changed' ? [e.payload] : []));
          if (changes.length > 0) riskStore.applyChanges(changes);
          // A new config re-rated every region: scores moved even where levels did not.
          if (events.some((e) => e.type === 'risk:configured')) setRiskReload((n) => n + 1);
        },
      }),
  );
  const incidents = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const drills = useSyncExternalStore(drillStore.subscribe, drillStore.getSnapshot);
  const rows = useSyncExternalStore(rowsSource.subscribe, rowsSource.getSnapshot);
  const incidentById = useCallback((id: string) => store.get(id), [store]);
  const applyLocal = useCallback((incident: Incident) => store.applyLocal(incident), [store]);
  const connection = useSyncExternalStore(live.subscribe, live.getState);
  const risk = useSyncExternalStore(riskStore.subscribe, riskStore.getSnapshot);

  const retry = useCallback(() => {
    setError(null);
    setAttempt((a) => a + 1);
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    fetchSession(abort.signal)
      .then((info) => {
        setRole(info?.role ?? null);
        setSession(info ? 'signed-in' : 'signed-out');
      })
      .catch((e: unknown) => abort.signal.aborted || setError(messageOf(e)));
    return () => abort.abort();
  }, [attempt]);

  // Regions are public: the map shows behind the sign-in card too.
  useEffect(() => {
    const abort = new AbortController();
    fetchRegions(abort.signal)
      .then(setRegions)
      .catch((e: unknown) => abort.signal.aborted || setError(messageOf(e)));
    return () => abort.abort();
  }, [attempt, regionsVersion]);

  useEffect(() => {
    const abort = new AbortController();
    const load = () => fetchHealth(abort.signal).then(setHealth).catch(() => {});
    void load();
    const timer = setInterval(load, HEALTH_REFRESH_MS);
    return () => {
      abort.abort();
      clearInterval(timer);
    };
  }, [attempt, regionsVersion]);

  // Started while the session is still being checked, not after: most pages open signed in, and
  // the snapshot and the stream are then one round trip (and one render) sooner. A page that turns
  // out to be signed out stops them (this effect's cleanup) and ignores their refusals.
  const maybeSignedIn = session !== 'signed-out';
  useEffect(() => {
    if (!maybeSignedIn) return;
    const abort = new AbortController();
    // The stream opens beside the snapshot, not after it: the page is live one round trip sooner,
    // and before the drawing the snapshot sets off (seconds on a screen without a GPU) holds the
    // page's only thread. Events meanwhile wait in the live client until the snapshot is in.
    live.start({ beforeSnapshot: true });
    fetchIncidents(abort.signal)
      .then((collection) => {
        store.replaceAll(collection);
        live.snapshotLoaded(collection.seq);
      })
      .catch((e: unknown) => abort.signal.aborted || (e instanceof ApiError && e.status === 401) || setError(messageOf(e)));
    return () => {
      abort.abort();
      live.stop();
    };
  }, [maybeSignedIn, attempt, store, live]);

  // Beside the incident snapshot, not before it: the live stream that keeps the list fresh starts
  // after the incidents, and the drill store keeps whatever arrives newer than its list.
  useEffect(() => {
    if (session !== 'signed-in' || !withDrills) return;
    const abort = new AbortController();
    setDrillsError(null);
    fetchDrills(abort.signal)
      .then((collection) => drillStore.replaceAll(collection))
      .catch((e: unknown) => abort.signal.aborted || setDrillsError(messageOf(e)));
    return () => abort.abort();
  }, [session, attempt, drillReload, withDrills, drillStore]);

  /** When the live ratings were last asked for (ms, this browser's clock: only intervals matter). */
  const lastRiskRead = useRef(0);
  const riskReady = session === 'signed-in' && incidents.loaded;
  const readRisk = useCallback(
    (signal?: AbortSignal) => {
      lastRiskRead.current = Date.now();
      return (
        fetchRisk(signal)
          .then((snapshot) => riskStore.replaceSnapshot(snapshot))
          // The map keeps the ratings it holds; the next read or live change brings it up to date.
          .catch(() => {})
      );
    },
    [riskStore],
  );
  useEffect(() => {
    if (!riskReady) return;
    const abort = new AbortController();
    void readRisk(abort.signal);
    const timer = setInterval(() => void readRisk(abort.signal), RISK_REFRESH_MS);
    return () => {
      abort.abort();
      clearInterval(timer);
    };
  }, [riskReady, attempt, regionsVersion, riskReload, readRisk]);
  const refreshRisk = useCallback(() => {
    if (riskReady && Date.now() - lastRiskRead.current >= RISK_MIN_READ_INTERVAL_MS) void readRisk();
  }, [riskReady, readRisk]);

  const playback = useRiskPlayback({ enabled: riskReady, store: riskStore, generation: regionsVersion + riskReload + attempt });

  // A refused handshake usually means the sign-in cookie expired: ask the server who we are.
  useEffect(() => {
    if (!connection.unauthorized) return;
    fetchSession()
      .then((info) => info || setSession('signed-out'))
      .catch(() => {});
  }, [connection.unauthorized]);

  return { session, role, regions, health, incidents, drills, drillsError, rows, incidentById, applyLocal, connection, storeDown, risk, playback, refreshRisk, equityVersion, error, retry };
}

/**
 * Everything the wall display shows, with state that stays bounded for weeks: unlike the console's
 * `useWallData` (every incident, a 7-day risk history) it keeps only open-incident counts, the
 * newest dots and ticker lines (`WallIncidents`), the current ratings and the equity summary. It
 * also tracks when the last sign of life (event, heartbeat, replay) arrived, for the stale banner.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { EquityDefaultSummaries, IncidentCollection, RegionCollection } from '#contract/index.ts';
import { fetchHealth, fetchRegions, fetchRisk, fetchSession, requestJson } from '../../api/city-api.ts';
import { LiveClient, type ConnectionState, type RiskLogEvent } from '../../live/live-client.ts';
import { RiskStore, type RiskLiveSnapshot } from '../../session/risk-store.ts';
import type { SessionPhase } from '../../session/use-wall-data.ts';
import { WallIncidents, type WallIncidentSnapshot } from '../../session/open-incidents.ts';

export interface WallDisplayData {
  session: SessionPhase;
  regions: RegionCollection | null;
  incidents: WallIncidentSnapshot;
  risk: RiskLiveSnapshot;
  equity: EquityDefaultSummaries | null;
  /** Bumped on every `equity:updated`. */
  equityVersion: number;
  connection: ConnectionState;
  /** When the last event, heartbeat or completed replay arrived (ms, this browser's clock). */
  lastSignalAt: number | null;
  /** The last heartbeat said the server cannot reach its database. */
  storeDown: boolean;
  demo: boolean;
  error: string | null;
  retry: () => void;
}

/** Open incidents only: the wall forgets closed ones, and a city's history would not fit for long. */
const OPEN_INCIDENTS = '/incidents?status=reported,acknowledged,dispatched';
/** Scores decay without level changes, and only level changes are streamed. */
const RISK_REFRESH_MS = 60_000;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
const fetchOpenIncidents = (signal?: AbortSignal) => requestJson<IncidentCollection>(OPEN_INCIDENTS, signal);
const fetchEquitySummary = (signal?: AbortSignal) => requestJson<EquityDefaultSummaries>('/equity/summary', signal);

export function useWallDisplayData(): WallDisplayData {
  const [session, setSession] = useState<SessionPhase>('checking');
  const [regions, setRegions] = useState<RegionCollection | null>(null);
  const [equity, setEquity] = useState<EquityDefaultSummaries | null>(null);
  const [demo, setDemo] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [regionsVersion, setRegionsVersion] = useState(0);
  const [equityVersion, setEquityVersion] = useState(0);
  const [riskReload, setRiskReload] = useState(0);
  const [lastSignalAt, setLastSignalAt] = useState<number | null>(null);
  /** The server says its database is out: the data is not moving even though the server answers. */
  const [storeDown, setStoreDown] = useState(false);

  const [incidentState] = useState(() => new WallIncidents());
  const [riskStore] = useState(() => new RiskStore());
  const [live] = useState(() => {
    // At most one render a second for signs of life: a burst of batches must not re-render per batch.
    let shownAt = 0;
    const signal = () => {
      const now = Date.now();
      if (now - shownAt < 1_000) return;
      shownAt = now;
      setLastSignalAt(now);
    };
    incidentState.onSignal = signal;
    return new LiveClient({
      store: incidentState,
      subscription: { layers: ['incidents', 'regions', 'risk', 'equity'] },
      onHeartbeat: (beat) => {
        const down = beat.store === 'unavailable';
        setStoreDown(down);
        // A beat from a server that cannot reach its data is no sign that the data is fresh.
        if (!down) signal();
      },
      onEquityEvents: () => setEquityVersion((v) => v + 1),
      reloadIncidents: async () => {
        incidentState.replaceAll(await fetchOpenIncidents());
        setRiskReload((n) => n + 1);
      },
      onRegionsReplaced: () => setRegionsVersion((v) => v + 1),
      onRiskEvents: (events: readonly RiskLogEvent[]) => {
        const changes = events.flatMap((e) => (e.type === 'risk:changed' ? [e.payload] : []));
        if (changes.length > 0) riskStore.applyChanges(changes);
        if (events.some((e) => e.type === 'risk:configured')) setRiskReload((n) => n + 1);
      },
    });
  });
  const incidents = useSyncExternalStore(incidentState.subscribe, incidentState.getSnapshot);
  const risk = useSyncExternalStore(riskStore.subscribe, riskStore.getSnapshot);
  const connection = useSyncExternalStore(live.subscribe, live.getState);

  // A completed replay (after every reconnect) is a sign of life too.
  useEffect(() => {
    if (connection.status === 'live') setLastSignalAt(Date.now());
  }, [connection.status]);

  useEffect(() => {
    const abort = new AbortController();
    fetchSession(abort.signal)
      .then((info) => setSession(info ? 'signed-in' : 'signed-out'))
      .catch((e: unknown) => abort.signal.aborted || setError(messageOf(e)));
    fetchHealth(abort.signal)
      .then((health) => setDemo(health.demo))
      .catch(() => {});
    return () => abort.abort();
  }, [attempt]);

  useEffect(() => {
    const abort = new AbortController();
    fetchRegions(abort.signal)
      .then(setRegions)
      .catch((e: unknown) => abort.signal.aborted || setError(messageOf(e)));
    return () => abort.abort();
  }, [attempt, regionsVersion]);

  const signedIn = session === 'signed-in';
  useEffect(() => {
    if (!signedIn) return;
    const abort = new AbortController();
    // The stream opens beside the snapshot, not after it: the page is live one round trip sooner,
    // and before the drawing the snapshot sets off (seconds on a screen without a GPU) holds the
    // page's only thread. Events meanwhile wait in the live client until the snapshot is in.
    live.start({ beforeSnapshot: true });
    fetchOpenIncidents(abort.signal)
      .then((collection) => {
        incidentState.replaceAll(collection);
        live.snapshotLoaded(collection.seq);
      })
      .catch((e: unknown) => abort.signal.aborted || setError(messageOf(e)));
    return () => {
      abort.abort();
      live.stop();
    };
  }, [signedIn, attempt, incidentState, live]);

  // Read after the incident snapshot, so no level change can fall between it and the stream.
  const riskReady = signedIn && incidents.loaded;
  useEffect(() => {
    if (!riskReady) return;
    const abort = new AbortController();
    const read = () => fetchRisk(abort.signal).then((snapshot) => riskStore.replaceSnapshot(snapshot)).catch(() => {});
    void read();
    const timer = setInterval(read, RISK_REFRESH_MS);
    return () => {
      abort.abort();
      clearInterval(timer);
    };
  }, [riskReady, attempt, regionsVersion, riskReload, riskStore]);

  useEffect(() => {
    if (!signedIn) return;
    const abort = new AbortController();
    // Kept when a read fails: the tile shows the last figure until the next `equity:updated`.
    fetchEquitySummary(abort.signal).then(setEquity).catch(() => {});
    return () => abort.abort();
  }, [signedIn, equityVersion, attempt]);

  const retry = () => {
    setError(null);
    setAttempt((a) => a + 1);
  };
  return { session, regions, incidents, risk, equity, equityVersion, connection, lastSignalAt, storeDown, demo, error, retry };
}

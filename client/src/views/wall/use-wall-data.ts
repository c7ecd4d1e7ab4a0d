/**
 * Everything the wall shows, loaded in order: session and public regions first, then the incident
 * snapshot over HTTP, then the live stream resuming from that snapshot's `seq`.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { Health, Incident, RegionCollection, Role } from '../../../../server/contract/index.ts';
import { fetchHealth, fetchIncidents, fetchRegions, fetchSession } from '../../api.ts';
import { LiveClient, type ConnectionState } from '../../live/live-client.ts';
import { IncidentRows, type IncidentRowsSnapshot } from '../../map/layers/incident-rows.ts';
import { IncidentStore, type IncidentSnapshot } from '../../state/incident-store.ts';

export type SessionPhase = 'checking' | 'signed-in' | 'signed-out';

export interface WallData {
  session: SessionPhase;
  /** Role of whoever is signed in; `null` until known. */
  role: Role | null;
  regions: RegionCollection | null;
  health: Health | null;
  incidents: IncidentSnapshot;
  /** The same incidents as the map's incrementally updated rows. */
  rows: IncidentRowsSnapshot;
  incidentById: (id: string) => Incident | undefined;
  /** Shows the server's answer to our own change at once. */
  applyLocal: (incident: Incident) => void;
  connection: ConnectionState;
  /** A load failed; `retry` tries again. */
  error: string | null;
  retry: () => void;
}

const HEALTH_REFRESH_MS = 60_000;

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function useWallData(): WallData {
  const [session, setSession] = useState<SessionPhase>('checking');
  const [role, setRole] = useState<Role | null>(null);
  const [regions, setRegions] = useState<RegionCollection | null>(null);
  const [health, setHealth] = useState<Health | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [regionsVersion, setRegionsVersion] = useState(0);

  const [store] = useState(() => new IncidentStore());
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
        reloadIncidents: async () => store.replaceAll(await fetchIncidents()),
        onRegionsReplaced: () => setRegionsVersion((v) => v + 1),
      }),
  );
  const incidents = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const rows = useSyncExternalStore(rowsSource.subscribe, rowsSource.getSnapshot);
  const incidentById = useCallback((id: string) => store.get(id), [store]);
  const applyLocal = useCallback((incident: Incident) => store.applyLocal(incident), [store]);
  const connection = useSyncExternalStore(live.subscribe, live.getState);

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

  useEffect(() => {
    if (session !== 'signed-in') return;
    const abort = new AbortController();
    fetchIncidents(abort.signal)
      .then((collection) => {
        store.replaceAll(collection);
        live.start();
      })
      .catch((e: unknown) => abort.signal.aborted || setError(messageOf(e)));
    return () => {
      abort.abort();
      live.stop();
    };
  }, [session, attempt, store, live]);

  // A refused handshake usually means the sign-in cookie expired: ask the server who we are.
  useEffect(() => {
    if (!connection.unauthorized) return;
    fetchSession()
      .then((info) => info || setSession('signed-out'))
      .catch(() => {});
  }, [connection.unauthorized]);

  return { session, role, regions, health, incidents, rows, incidentById, applyLocal, connection, error, retry };
}

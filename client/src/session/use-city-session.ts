/**
 * A page's city session in React: made once with the page's options, started while the page is
 * shown, and read through `useSyncExternalStore` (its state, the connection, its incidents and
 * ratings), so a change re-renders only what reads it.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { ConnectionState } from '../live/live-client.ts';
import { CitySession, type CitySessionOptions, type CitySessionState, type SessionIncidents } from './city-session.ts';
import type { RiskLiveSnapshot } from './risk-store.ts';

export interface CityView<S extends SessionIncidents> extends CitySessionState {
  city: CitySession<S>;
  incidents: ReturnType<S['getSnapshot']>;
  connection: ConnectionState;
  /** Live five-colour ratings (empty until loaded, and for a page that did not ask for them). */
  risk: RiskLiveSnapshot;
  /** Signed in and the incident snapshot is in: the ratings (and their history) may be read. */
  riskReady: boolean;
  retry: () => void;
  refreshRisk: () => void;
}

/** `options` is read once, when the page first renders. */
export function useCitySession<S extends SessionIncidents>(options: () => CitySessionOptions<S>): CityView<S> {
  const [city] = useState(() => new CitySession(options()));
  useEffect(() => {
    city.start();
    return () => city.stop();
  }, [city]);
  const state = useSyncExternalStore(city.subscribe, city.getState);
  const incidents = useSyncExternalStore(city.incidents.subscribe, city.incidents.getSnapshot) as ReturnType<S['getSnapshot']>;
  const connection = useSyncExternalStore(city.live.subscribe, city.live.getState);
  const risk = useSyncExternalStore(city.risk.subscribe, city.risk.getSnapshot);
  const riskReady = state.phase === 'signed-in' && incidents.loaded;
  return { ...state, city, incidents, connection, risk, riskReady, retry: city.retry, refreshRisk: city.refreshRisk };
}

/**
 * Everything the wall display shows, with state that stays bounded for weeks: unlike the console
 * (every incident, a 7-day risk history) its city session keeps only open-incident counts, the
 * newest dots and ticker lines (`WallIncidents`), the current ratings, and when the last sign of
 * life (event, heartbeat, replay) arrived, for the stale banner; this adds the equity summary.
 */
import { useEffect, useState } from 'react';
import type { EquityDefaultSummaries } from '#contract/index.ts';
import { requestJson } from '../../api/city-api.ts';
import { WallIncidents } from '../../session/open-incidents.ts';
import { useCitySession, type CityView } from '../../session/use-city-session.ts';

export interface WallDisplayData extends CityView<WallIncidents> {
  equity: EquityDefaultSummaries | null;
  /** The server runs on demo data. */
  demo: boolean;
}

const fetchEquitySummary = (signal?: AbortSignal) => requestJson<EquityDefaultSummaries>('/equity/summary', signal);

export function useWallDisplayData(): WallDisplayData {
  const data = useCitySession(() => ({
    incidents: new WallIncidents(),
    // Open incidents only: the wall forgets closed ones, and a city's history would not fit for long.
    incidentQuery: 'open' as const,
    risk: true,
    equity: true,
    health: true,
    signals: true,
    startBeforeSignIn: false,
  }));
  const [equity, setEquity] = useState<EquityDefaultSummaries | null>(null);
  const signedIn = data.phase === 'signed-in';
  const { equityVersion, riskGeneration } = data;
  useEffect(() => {
    if (!signedIn) return;
    const abort = new AbortController();
    // Kept when a read fails: the tile shows the last figure until the next `equity:updated`.
    fetchEquitySummary(abort.signal).then(setEquity).catch(() => {});
    return () => abort.abort();
  // riskGeneration moves on every retry too: a retry reads the summary again.
  }, [signedIn, equityVersion, riskGeneration]);
  return { ...data, equity, demo: data.health?.demo === true };
}

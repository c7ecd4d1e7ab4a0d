/**
 * Everything the wall display shows, with state that stays bounded for weeks: unlike the console
 * (every incident, a 7-day risk history) its city session keeps only open-incident counts, the
 * newest dots and ticker lines (`WallIncidents`), the current ratings, and when the last sign of
 * life (event, heartbeat, replay) arrived, for the stale banner; this adds the equity summary.
 */
import { useEffect, useRef, useState } from 'react';
import type { EquityDefaultSummaries, KpiAnswer } from '#contract/index.ts';
import { requestJson } from '../../api/city-api.ts';
import { WallIncidents } from '../../session/open-incidents.ts';
import { useCitySession, type CityView } from '../../session/use-city-session.ts';
import { UnitStore } from '../../session/unit-store.ts';
import { useTimeZone } from '../../time/time-zone.ts';
import { periodRange } from '../console/kpi-table-model.ts';
import { cityClockFigures, type ClockFigures } from './clock-figures.ts';

export interface WallDisplayData extends CityView<WallIncidents> {
  equity: EquityDefaultSummaries | null;
  /** Today's on-time share and overdue open incidents; `null` until first read (kept when a read fails). */
  clocks: ClockFigures | null;
  /** The responding units, from the register read and the `units` layer. */
  units: UnitStore;
  /** The server runs on demo data. */
  demo: boolean;
}

/** Today's figures are read again this often, and at once when a clock goes overdue or an incident closes. */
const CLOCK_FIGURES_EVERY_MS = 60_000;
/** Closures read the figures again at most this often: a burst of resolutions is one read. */
const CLOSED_REREAD_MS = 3_000;

const fetchEquitySummary = (signal?: AbortSignal) => requestJson<EquityDefaultSummaries>('/equity/summary', signal);

export function useWallDisplayData(): WallDisplayData {
  const [units] = useState(() => new UnitStore());
  const data = useCitySession(() => ({
    units,
    incidents: new WallIncidents(),
    // Open incidents only: the wall forgets closed ones, and a city's history would not fit for long.
    incidentQuery: 'open' as const,
    risk: true,
    equity: true,
    overdue: true,
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
  // A resolved incident decides its resolve clock: the on-time share moves then, not a minute later.
  const closed = useSettled(data.incidents.closed, CLOSED_REREAD_MS);
  const clocks = useClockFigures(signedIn, data.overdueVersion + closed, riskGeneration);
  return { ...data, equity, clocks, units, demo: data.health?.demo === true };
}

/** `value`, passed on at once and then at most once per `ms` (the newest value each time). */
function useSettled(value: number, ms: number): number {
  const [settled, setSettled] = useState(value);
  const passedAt = useRef(0);
  useEffect(() => {
    if (value === settled) return;
    const timer = setTimeout(() => {
      passedAt.current = Date.now();
      setSettled(value);
    }, Math.max(0, passedAt.current + ms - Date.now()));
    return () => clearTimeout(timer);
  }, [value, settled, ms]);
  return settled;
}

/** `changes`: moves whenever the figures may have changed (an overdue clock, a closure): read at once. */
function useClockFigures(signedIn: boolean, changes: number, generation: number): ClockFigures | null {
  const zone = useTimeZone();
  const [clocks, setClocks] = useState<ClockFigures | null>(null);
  useEffect(() => {
    if (!signedIn) return;
    const abort = new AbortController();
    const read = () => {
      const { fromMs, toMs } = periodRange('today', Date.now(), zone);
      const query = new URLSearchParams({ from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), groupBy: 'region' });
      requestJson<KpiAnswer>(`/kpis?${query}`, abort.signal)
        .then((answer) => setClocks(cityClockFigures(answer.groups)))
        .catch(() => {});
    };
    read();
    const timer = setInterval(read, CLOCK_FIGURES_EVERY_MS);
    return () => {
      clearInterval(timer);
      abort.abort();
    };
  }, [signedIn, changes, generation, zone]);
  return clocks;
}

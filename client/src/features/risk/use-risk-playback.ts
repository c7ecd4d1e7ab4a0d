/**
 * Risk playback on the wall: the last 7 days of level changes (fetched once signed in, grown by
 * live changes, fetched again every 10 minutes while live), the ratings at the start of that window
 * (numbers for the card), which instant the map shows (live or a chosen time), and what follows
 * for the map and the card at that instant.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { RegionRisk, RiskChangedEvent, RiskHistory, RiskLevel } from '#contract/index.ts';
import { fetchRiskAt, fetchRiskHistory } from '../../api/city-api.ts';
import { clampToHistory, extendHistory, stateAt } from './risk-playback.ts';
import type { RiskLiveSnapshot, RiskStore } from '../../session/risk-store.ts';
import { messageOf } from '../../api/error-message.ts';

export type RiskView = { mode: 'live' } | { mode: 'playback'; atMs: number };

export interface RiskPlayback {
  history: RiskHistory | null;
  /** Ratings at `history.from`, by code: the card's numbers for a region with no change since. */
  baseline: ReadonlyMap<string, RegionRisk> | null;
  error: string | null;
  view: RiskView;
  /** Shows the recorded state at `atMs` (moved into the history's window). */
  showAt: (atMs: number) => void;
  goLive: () => void;
}

export interface RiskPlaybackOptions {
  /** Signed in and the live ratings are on their way: the history may be read. */
  enabled: boolean;
  store: RiskStore;
  /** Changes when the history must be read again (new regions, a reload after a gap). */
  generation: number;
}

/**
 * A wall runs for days: a window fetched long ago would stretch back past 7 days. While live
 * nobody is holding the slider, so the window can be replaced without moving anything under a hand.
 */
const HISTORY_REFRESH_MS = 10 * 60_000;

export function useRiskPlayback({ enabled, store, generation }: RiskPlaybackOptions): RiskPlayback {
  const [history, setHistory] = useState<RiskHistory | null>(null);
  const [baseline, setBaseline] = useState<ReadonlyMap<string, RegionRisk> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [view, setView] = useState<RiskView>({ mode: 'live' });
  const [refresh, setRefresh] = useState(0);
  /** Live changes received while a history request is under way: its answer may predate them. */
  const pending = useRef<RiskChangedEvent[] | null>(null);

  useEffect(
    () =>
      store.onChanges((changes) => {
        pending.current?.push(...changes);
        setHistory((held) => (held ? extendHistory(held, changes) : held));
      }),
    [store],
  );

  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    const buffered: RiskChangedEvent[] = [];
    pending.current = buffered;
    const release = () => {
      if (pending.current === buffered) pending.current = null;
    };
    fetchRiskHistory(abort.signal)
      .then((fetched) => {
        release();
        setHistory(extendHistory(fetched, buffered));
        setError(null);
        // The card's numbers for regions unchanged since `from`; without them it still shows the level.
        return fetchRiskAt(Date.parse(fetched.from), abort.signal).then(
          (atFrom) => setBaseline(new Map(atFrom.regions.map((r) => [r.code, r]))),
          () => setBaseline(null),
        );
      })
      .catch((e: unknown) => abort.signal.aborted || setError(messageOf(e)))
      .finally(release);
    return () => {
      abort.abort();
      release();
    };
  }, [enabled, store, generation, refresh]);

  const live = view.mode === 'live';
  useEffect(() => {
    if (!enabled || !live) return;
    const timer = setInterval(() => setRefresh((n) => n + 1), HISTORY_REFRESH_MS);
    return () => clearInterval(timer);
  }, [enabled, live]);

  const showAt = useCallback(
    (atMs: number) => {
      if (history) setView({ mode: 'playback', atMs: clampToHistory(history, atMs) });
    },
    [history],
  );
  const goLive = useCallback(() => setView({ mode: 'live' }), []);

  return { history, baseline, error, view, showAt, goLive };
}

/** What the card shows about one region at the instant on the map. */
export interface RiskDetail {
  level: RiskLevel;
  since: string | null;
  /** The full rating, when one was recorded at or before the instant (always, when live). */
  rating: RegionRisk | null;
}

/** The risk the map and the card show: live ratings, or the recorded state at the playback instant. */
export interface ShownRisk {
  /** ISO time shown; `null` when live. */
  atIso: string | null;
  levels: ReadonlyMap<string, RiskLevel>;
  detail: (code: string) => RiskDetail | null;
  /** Regions pulsing after a live change, with when they changed; none during playback. */
  pulses: ReadonlyMap<string, number>;
}

const NO_PULSES: ReadonlyMap<string, number> = new Map();

export function useShownRisk(live: RiskLiveSnapshot, playback: RiskPlayback): ShownRisk {
  const { history, baseline, view } = playback;
  const atMs = view.mode === 'playback' ? view.atMs : null;
  return useMemo(() => {
    if (atMs === null || !history) {
      const levels = new Map([...live.ratings].map(([code, rating]) => [code, rating.level]));
      const detail = (code: string): RiskDetail | null => {
        const rating = live.ratings.get(code);
        return rating ? { level: rating.level, since: rating.since, rating } : null;
      };
      return { atIso: null, levels, detail, pulses: live.changedAt };
    }
    const state = stateAt(history, atMs);
    const levels = new Map([...state].map(([code, entry]) => [code, entry.level]));
    const detail = (code: string): RiskDetail | null => {
      const entry = state.get(code);
      if (!entry) return null;
      // Unchanged since `from`: the rating at `from` still holds (same level, same moment).
      const atFrom = baseline?.get(code);
      const rating = entry.rating ?? (atFrom && atFrom.level === entry.level ? atFrom : null);
      return { level: entry.level, since: entry.since, rating };
    };
    return { atIso: new Date(atMs).toISOString(), levels, detail, pulses: NO_PULSES };
  }, [live, history, baseline, atMs]);
}

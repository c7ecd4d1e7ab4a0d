/**
 * Risk playback, pure: the map's state at any instant of a fetched history, computed the way the
 * server answers `GET /api/v1/risk?at=t` (each region's last change at or before `t`), so moving
 * the slider needs no request per position.
 */
import type { RegionRisk, RiskChangedEvent, RiskHistory, RiskLevel } from '#contract/index.ts';

/** One region at the instant shown. */
export interface PlaybackEntry {
  level: RiskLevel;
  /** ISO time it took `level`; `null` when nothing was recorded for it yet. */
  since: string | null;
  /** The rating stored with the change that set `level`; `null` when the level comes from `initial`. */
  rating: RegionRisk | null;
}

/**
 * Each region's state at `atMs`: `initial` (the state at `from`), then every change with
 * `at ≤ atMs` applied in seq order, so the change with the highest seq wins — the same rule as the
 * server's `?at=` (which orders by seq, not by time). An instant before `from` answers `initial`:
 * the history holds nothing earlier.
 */
export function stateAt(history: RiskHistory, atMs: number): Map<string, PlaybackEntry> {
  const state = new Map<string, PlaybackEntry>();
  for (const { code, level, since } of history.initial) state.set(code, { level, since, rating: null });
  for (const change of history.changes) {
    // Not `break`: seq order and time order may disagree by a millisecond or two between writers.
    if (Date.parse(change.at) > atMs) continue;
    state.set(change.code, { level: change.to, since: change.at, rating: change.region });
  }
  return state;
}

/**
 * The history with live changes added: those newer (by seq) than the last it holds and after its
 * `from`; `to` moves up to the newest change, which the server made at its own now. Returns the
 * same object when nothing is new.
 */
export function extendHistory(history: RiskHistory, events: readonly RiskChangedEvent[]): RiskHistory {
  const lastSeq = history.changes.reduce((max, c) => Math.max(max, c.seq), 0);
  const fromMs = Date.parse(history.from);
  const added = events.filter((e) => e.seq > lastSeq && Date.parse(e.at) > fromMs).sort((a, b) => a.seq - b.seq);
  if (added.length === 0) return history;
  const toMs = Math.max(Date.parse(history.to), ...added.map((e) => Date.parse(e.at)));
  return { ...history, to: new Date(toMs).toISOString(), changes: [...history.changes, ...added] };
}

/** `atMs` moved into the history's `[from, to]`. */
export function clampToHistory(history: RiskHistory, atMs: number): number {
  const fromMs = Date.parse(history.from);
  const toMs = Date.parse(history.to);
  if (!Number.isFinite(atMs)) return toMs;
  return Math.min(toMs, Math.max(fromMs, atMs));
}

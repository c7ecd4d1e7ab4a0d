/**
 * What a batch of position reports does to the units it names: which report becomes each unit's
 * last position (never one older than the stored one, so a late or repeated report cannot move a
 * unit back in time), and which reports the thinned track keeps (one at least every 30 s per
 * unit). Pure: the store reads the units' state, applies the plan, and writes it in one transaction.
 */
import { TRACK_INTERVAL_SECONDS, TRACK_RETENTION_DAYS } from '../../contract/units.ts';

/** The track keeps a point when it is at least this long after the unit's previous kept point. */
export const TRACK_INTERVAL_MS = TRACK_INTERVAL_SECONDS * 1000;
/** Track points older than this are deleted. */
export const TRACK_RETENTION_MS = TRACK_RETENTION_DAYS * 86_400_000;

/** A unit's stored state before the batch: its last position's time and its track's last kept point's, `null` for none yet. */
export interface PositionState {
  atMs: number | null;
  trackAtMs: number | null;
}

/** The parts of a report the plan reads; the caller's reports keep whatever else they carry. */
export interface TimedReport {
  /** Position of the report in the request. */
  index: number;
  unitId: string;
  atMs: number;
}

export interface PositionPlan<R extends TimedReport> {
  /** Per unit that moves, the newest report of the batch; it is newer than the unit's stored position. */
  latest: R[];
  /** Reports the track keeps, in time order per unit. */
  kept: R[];
  /** Indices of reports no newer than the unit's stored position (they do not move it). */
  late: number[];
  /** The new time of each changed unit's last kept track point. */
  trackAtMs: Map<string, number>;
}

/** Whether a report at `atMs` is newer than a stored position at `lastAtMs` (strictly: the first of two equal times stands). */
export const isNewer = (atMs: number, lastAtMs: number | null): boolean => lastAtMs === null || atMs > lastAtMs;

/** Whether the track keeps a point at `atMs` after its last kept point at `lastKeptMs`. */
export const keepsOnTrack = (atMs: number, lastKeptMs: number | null, intervalMs: number = TRACK_INTERVAL_MS): boolean =>
  lastKeptMs === null || atMs >= lastKeptMs + intervalMs;

/**
 * Plans a batch. Reports of one unit are taken in time order (a batch may hold them in any order);
 * every unit a report names must be in `state` (the caller refuses unknown units first).
 */
export function planPositions<R extends TimedReport>(
  reports: readonly R[],
  state: ReadonlyMap<string, PositionState>,
  intervalMs: number = TRACK_INTERVAL_MS,
): PositionPlan<R> {
  const byUnit = new Map<string, R[]>();
  for (const report of reports) {
    const list = byUnit.get(report.unitId);
    if (list) list.push(report);
    else byUnit.set(report.unitId, [report]);
  }
  const plan: PositionPlan<R> = { latest: [], kept: [], late: [], trackAtMs: new Map() };
  for (const [unitId, list] of byUnit) {
    const stored = state.get(unitId);
    if (!stored) throw new Error(`unit ${unitId} has no stored state: refuse reports of unknown units before planning`);
    // Stable: of two reports with the same time, the first sent stays first.
    list.sort((a, b) => a.atMs - b.atMs);
    let newest: R | undefined;
    let lastKept = stored.trackAtMs;
    for (const report of list) {
      if (isNewer(report.atMs, stored.atMs)) {
        if (!newest || report.atMs > newest.atMs) newest = report;
      } else {
        plan.late.push(report.index);
      }
      if (keepsOnTrack(report.atMs, lastKept, intervalMs)) {
        plan.kept.push(report);
        lastKept = report.atMs;
      }
    }
    if (newest) plan.latest.push(newest);
    if (lastKept !== null && lastKept !== stored.trackAtMs) plan.trackAtMs.set(unitId, lastKept);
  }
  plan.late.sort((a, b) => a - b);
  return plan;
}

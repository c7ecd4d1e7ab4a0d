/**
 * The units register and positions, each write published only after it commits. An import is
 * all or nothing (errors name the record and field); a position batch keeps its good reports and
 * names each bad one, is stored in one transaction, and its units' newest positions go to the live
 * stream's `units` layer. Track points older than the retention are pruned now and then.
 */
import type { Logger } from 'pino';
import type { Actor } from '../contract/auth.ts';
import type { ErrorDetail } from '../contract/common.ts';
import { MAX_REPORT_AHEAD_SECONDS, PositionReport, type PositionBatchResult, type UnitImportResult, type UnitPosition, type UnitStatus } from '../contract/units.ts';
import { TRACK_RETENTION_MS } from '../domain/units/positions.ts';
import type { PlacedUnit } from '../ingest/units.ts';
import { describeIssues, oneLine } from '../ingest/zod-errors.ts';
import type { Database } from '../store/database.ts';
import { listUnits, pruneTrack, recordPositions, setUnitStatus, unitTrack, upsertUnits, type StoredReport, type UnitRecord } from '../store/units.ts';
import type { Publish } from './publish.ts';

/** Most reports per batch: one transaction each, and the embedded store runs it on the main thread. */
export const MAX_REPORTS_PER_BATCH = 5_000;
/** Most track points one answer holds (7 days at one per 30 s is 20,160). */
export const MAX_TRACK_POINTS = 25_000;
/** How often old track points are pruned, at most. */
const PRUNE_EVERY_MS = 60_000;

export type ImportOutcome =
  | { ok: true; result: UnitImportResult }
  /** `invalid`: the body names something that does not exist; `conflict`: it contradicts dispatch. */
  | { ok: false; kind: 'invalid' | 'conflict'; message: string; details: ErrorDetail[] };

export interface UnitService {
  /** Stores the register entries (validated and placed by ingest/units.ts), all or none. */
  importUnits(units: readonly PlacedUnit[], actor: Actor, nowMs: number): Promise<ImportOutcome>;
  /**
   * Stores a batch of reports in one transaction: each bad one (invalid, unknown unit, too far in
   * the future, another unit's than the token's) is named and left out, the others kept.
   */
  reportPositions(items: readonly unknown[], context: { nowMs: number; boundUnitId?: string }): Promise<PositionBatchResult>;
  list(): Promise<UnitRecord[]>;
  /**
   * Moves one unit to `to` when its status is one of `allowedFrom` (a vehicle reporting back in
   * service); `false` when it was not (dispatch moved it meanwhile) or is unknown.
   */
  setStatus(unitId: string, to: UnitStatus, context: { actor: Actor; nowMs: number; allowedFrom: readonly UnitStatus[]; note?: string }): Promise<boolean>;
  track(unitId: string, fromMs: number, toMs: number): Promise<UnitPosition[]>;
}

export function createUnitService(deps: {
  db: Database;
  publish: Publish;
  /** Hands stored positions to the live stream (not logged). */
  publishPositions: (positions: readonly UnitPosition[]) => void;
  logger: Logger;
}): UnitService {
  let prunedAt = Number.NEGATIVE_INFINITY;

  function pruneNowAndThen(nowMs: number): void {
    if (nowMs - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = nowMs;
    void pruneTrack(deps.db, nowMs - TRACK_RETENTION_MS)
      .then((n) => n > 0 && deps.logger.debug({ points: n }, 'units: pruned track points past their retention'))
      .catch((err: unknown) => deps.logger.warn({ err }, 'units: pruning old track points failed; tried again within a minute'));
  }

  return {
    async importUnits(units, actor, nowMs) {
      const outcome = await upsertUnits(deps.db, units.map((u) => u.unit), actor, nowMs);
      if (!outcome.ok && outcome.reason === 'on_assignment') {
        const rowOf = new Map(units.map((u) => [u.unit.id, u.where]));
        const details = outcome.units.map((u) => ({
          path: [rowOf.get(u.unitId), 'status'].filter(Boolean).join('.'),
          message: `unit "${u.unitId}" is ${u.status} on incident ${u.incidentId} (assignment ${u.assignmentId}); its status follows dispatch until it clears or declines, so it cannot be set to ${u.asked} here: leave its status out, or stand it down with PATCH /api/v1/assignments/${u.assignmentId} first`,
        }));
        return { ok: false, kind: 'conflict', message: `no unit was stored: ${details.slice(0, 3).map((d) => `${d.path}: ${d.message}`).join('; ')}`, details };
      }
      if (!outcome.ok) {
        const unknown = new Set(outcome.unknownStations);
        const details = units
          .filter((u) => u.unit.stationId != null && unknown.has(u.unit.stationId))
          .map((u) => ({ path: [u.where, 'stationId'].filter(Boolean).join('.'), message: `no facility "${u.unit.stationId}" (GET /api/v1/facilities lists the stations)` }));
        const named = [...unknown].map((s) => `"${s}"`).join(', ');
        return { ok: false, kind: 'invalid', message: `no unit was stored: station ${named} ${unknown.size === 1 ? 'is' : 'are'} not a known facility; add ${unknown.size === 1 ? 'it' : 'them'} with PUT /api/v1/facilities first`, details };
      }
      deps.publish(outcome.events);
      return { ok: true, result: { created: outcome.created, updated: outcome.updated, unchanged: outcome.unchanged, seq: outcome.seq } };
    },

    async reportPositions(items, { nowMs, boundUnitId }) {
      const errors: PositionBatchResult['errors'] = [];
      const reports: StoredReport[] = [];
      const latestAllowedMs = nowMs + MAX_REPORT_AHEAD_SECONDS * 1000;
      items.forEach((item, index) => {
        const parsed = PositionReport.safeParse(item);
        if (!parsed.success) {
          const details = describeIssues(parsed.error);
          const unitId = typeof (item as { unitId?: unknown } | null)?.unitId === 'string' ? (item as { unitId: string }).unitId : undefined;
          errors.push({ index, ...(unitId !== undefined && { unitId }), path: details[0]?.path ?? '', message: oneLine(details) });
          return;
        }
        const r = parsed.data;
        const atMs = typeof r.at === 'number' ? r.at : Date.parse(r.at);
        if (atMs > latestAllowedMs) {
          errors.push({ index, unitId: r.unitId, path: 'at', message: `at ${new Date(atMs).toISOString()} is more than ${MAX_REPORT_AHEAD_SECONDS} s ahead of the server's clock (${new Date(nowMs).toISOString()}); check the device's clock` });
          return;
        }
        if (boundUnitId !== undefined && r.unitId !== boundUnitId) {
          errors.push({ index, unitId: r.unitId, path: 'unitId', message: `this token speaks for unit "${boundUnitId}" and may not report for "${r.unitId}"` });
          return;
        }
        reports.push({ index, unitId: r.unitId, atMs, lon: r.lon, lat: r.lat, speed: r.speed ?? null, heading: r.heading ?? null });
      });
      const outcome = await recordPositions(deps.db, reports, nowMs);
      const unknown = new Set(outcome.unknown);
      for (const r of reports) {
        if (unknown.has(r.index)) errors.push({ index: r.index, unitId: r.unitId, path: 'unitId', message: `no unit "${r.unitId}" in the register (PUT /api/v1/units adds it)` });
      }
      // After the commit: a socket never shows a position the store lacks.
      if (outcome.moved.length > 0) deps.publishPositions(outcome.moved);
      pruneNowAndThen(nowMs);
      errors.sort((a, b) => a.index - b.index);
      return { accepted: reports.length - unknown.size, rejected: errors.length, late: outcome.late.length, errors };
    },

    list: () => listUnits(deps.db),
    async setStatus(unitId, to, { actor, nowMs, allowedFrom, note }) {
      const outcome = await deps.db.transaction((tx) => setUnitStatus(tx, { unitId, to, actor, atMs: nowMs, allowedFrom, ...(note !== undefined && { note }) }));
      if (outcome.kind === 'changed') deps.publish([outcome.event]);
      return outcome.kind === 'changed' || outcome.kind === 'unchanged';
    },
    track: (unitId, fromMs, toMs) => unitTrack(deps.db, unitId, fromMs, toMs, MAX_TRACK_POINTS),
  };
}

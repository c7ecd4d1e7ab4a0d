/**
 * Moves the demo's units while the server runs (`DEMO_DATA=on`): every tick it reads the register
 * and the active assignments, takes one step of demo/unit-motion.ts and posts the reports through
 * the units service, as a vehicle's tracker would. Only the leader drives, so several nodes on one
 * store do not each move the fleet. Stops on close: no tick starts, the one running is awaited.
 */
import type { Logger } from 'pino';
import type { Leadership } from '../cluster/leadership.ts';
import { representativePoint } from '../contract/representative-point.ts';
import type { UnitService } from '../services/units.ts';
import { listAssignments } from '../store/assignment-queries.ts';
import type { Sql } from '../store/database.ts';
import { getIncident } from '../store/incident-queries.ts';
import type { MovingUnit } from './unit-motion.ts';
import { AT_HOME_M, stepUnits } from './unit-motion.ts';
import { haversineM } from '../domain/spatial/haversine.ts';
import { mulberry32 } from './random.ts';

/** Who moves the demo's units back in service. */
const DRIVER = { name: 'demo unit driver', role: 'system' } as const;

export interface DemoUnitDriver {
  /** One step now (what the timer does); resolves when its reports are stored. */
  tick(): Promise<number>;
  close(): Promise<void>;
}

/** Reads where every unit is, where it is going, and where home is. */
async function movingUnits(db: Sql, units: Pick<UnitService, 'list'>): Promise<MovingUnit[]> {
  const [records, active] = await Promise.all([units.list(), listAssignments(db, { activeOnly: true })]);
  const targets = new Map<string, { lon: number; lat: number }>();
  for (const a of active) {
    if (targets.has(a.unitId)) continue;
    const incident = await getIncident(db, a.incidentId);
    if (!incident) continue;
    const [lon, lat] = representativePoint(incident.geometry);
    targets.set(a.unitId, { lon, lat });
  }
  return records.map((r) => ({
    unitId: r.unit.id,
    kind: r.unit.kind,
    status: r.unit.status,
    position: r.position && { lon: r.position.lon, lat: r.position.lat },
    home: r.station,
    target: targets.get(r.unit.id) ?? null,
  }));
}

export function startDemoUnitDriver(deps: {
  db: Sql;
  units: Pick<UnitService, 'list' | 'reportPositions' | 'setStatus'>;
  clock: () => number;
  leadership: Leadership;
  tickMs: number;
  logger: Logger;
  seed: number;
}): DemoUnitDriver {
  let closed = false;
  let running: Promise<number> | undefined;
  let lastMs: number | undefined;
  let ticks = 0;

  async function step(): Promise<number> {
    const nowMs = deps.clock();
    const dtMs = lastMs === undefined ? deps.tickMs : Math.max(0, nowMs - lastMs);
    lastMs = nowMs;
    const moving = await movingUnits(deps.db, deps.units);
    // A fresh stream per tick: the jitter is reproducible from the seed and the tick number.
    const reports = stepUnits(moving, nowMs, dtMs, mulberry32((deps.seed ^ Math.imul(++ticks, 0x9e3779b1)) >>> 0));
    if (closed || reports.length === 0) return 0;
    const result = await deps.units.reportPositions(reports, { nowMs });
    if (result.rejected > 0) deps.logger.warn({ rejected: result.rejected, first: result.errors[0] }, 'demo units: some position reports were refused');
    // A returning crew that reached its station reports back in service, as a real one would.
    const reported = new Map(reports.map((r) => [r.unitId, r]));
    for (const u of moving) {
      const r = reported.get(u.unitId);
      if (closed || u.status !== 'returning' || !u.home || !r || haversineM(r.lon, r.lat, u.home.lon, u.home.lat) > AT_HOME_M) continue;
      await deps.units.setStatus(u.unitId, 'available', { actor: DRIVER, nowMs, allowedFrom: ['returning'], note: '[合成] 已返回驻地' });
    }
    return result.accepted;
  }

  const tick = (): Promise<number> => {
    running ??= step().finally(() => {
      running = undefined;
    });
    return running;
  };

  const timer = setInterval(() => {
    if (closed || running || !deps.leadership.isLeader()) return;
    tick().catch((err: unknown) => deps.logger.warn({ err }, 'demo units: a movement step failed; the next tick tries again'));
  }, deps.tickMs);
  timer.unref();

  return {
    tick,
    async close() {
      closed = true;
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}

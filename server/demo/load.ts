/**
 * `DEMO_DATA=on`: fills an empty store with the synthetic Hangzhou demo (real district
 * boundaries; synthetic population, facilities, parcels and incidents, all labelled synthetic).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { PROJECT_ROOT } from '../config.ts';
import { RegionInputCollection } from '../contract/regions.ts';
import { measureParcel } from '../domain/parcels/geometry.ts';
import { parseJsonIncidents } from '../ingest/json.ts';
import type { IncidentService } from '../services/incidents.ts';
import type { RegionService } from '../services/regions.ts';
import type { UnitService } from '../services/units.ts';
import type { Database, Sql } from '../store/database.ts';
import { insertParcels, raiseParcelSequences } from '../store/demo-inputs.ts';
import { insertCells, insertFacilities } from '../store/equity.ts';
import { insertSteps } from '../store/parcels.ts';
import { countIncidents } from '../store/incident-queries.ts';
import { setSetting } from '../store/settings.ts';
import { DEFAULT_DEMO_SEED, generateDemo, type DemoData, type ParcelFeature } from './generate.ts';
import { mulberry32 } from './random.ts';
import { stepUnits } from './unit-motion.ts';

export const DEMO_REGIONS_FILE = path.join(PROJECT_ROOT, 'data', 'regions', 'hangzhou.geojson');

/** Who recorded the demo's parcel steps. */
const DEMO_ACTOR = { name: 'demo loader', role: 'system' } as const;

/**
 * Stores the demo parcels with their codes as generated, each with its measures and its whole
 * lifecycle history, then raises the code counters past them (API-issued codes never repeat one).
 */
async function storeDemoParcels(tx: Sql, parcels: readonly ParcelFeature[]): Promise<void> {
  await insertParcels(
    tx,
    parcels.map(({ geometry, properties: p }) => {
      const { areaM2, center, bbox } = measureParcel(geometry);
      return {
        code: p.code,
        region_code: p.regionCode,
        land_use: p.landUse,
        hazardous: p.hazardous,
        stage: p.stage,
        geometry,
        name: p.name,
        address: p.address,
        lon: center[0],
        lat: center[1],
        bbox,
        area_m2: areaM2,
        created_at: p.steps[0]?.at ?? new Date(0).toISOString(),
        updated_at: p.steps.at(-1)?.at ?? new Date(0).toISOString(),
        synthetic: true,
      };
    }),
  );
  await insertSteps(
    tx,
    parcels.flatMap(({ properties: p }) =>
      p.steps.map((s) => ({ code: p.code, step: s.step, department: s.department, actor: DEMO_ACTOR, at: s.at, documents: s.documents, note: null, seq: null })),
    ),
  );
  await raiseParcelSequences(tx);
}

const lonLat = (f: { geometry: { coordinates: number[] } }): { lon: number; lat: number } => ({ lon: f.geometry.coordinates[0] ?? 0, lat: f.geometry.coordinates[1] ?? 0 });

/**
 * Registers the synthetic fleet through the units service (so each unit is a `unit:updated` on
 * the log and the audit chain, as an import over the API is) and reports each vehicle at its
 * station, so the map shows them before the first movement tick.
 */
async function storeDemoUnits(units: Pick<UnitService, 'importUnits' | 'reportPositions'>, demo: DemoData, nowMs: number): Promise<number> {
  const outcome = await units.importUnits(demo.units.map((unit, i) => ({ unit, where: String(i) })), DEMO_ACTOR, nowMs);
  if (!outcome.ok) throw new Error(`demo: the generator produced units the register refused: ${outcome.message}`);
  const stations = new Map(demo.facilities.features.map((f) => [f.properties.id, lonLat(f)]));
  const parked = demo.units.map((u) => ({ unitId: u.id, kind: u.kind, status: u.status ?? 'available', position: null, home: (u.stationId && stations.get(u.stationId)) || null, target: null }));
  const reports = stepUnits(parked, nowMs, 0, mulberry32(DEFAULT_DEMO_SEED));
  const result = await units.reportPositions(reports, { nowMs });
  if (result.rejected > 0) throw new Error(`demo: the fleet's first positions were refused: ${JSON.stringify(result.errors.slice(0, 3))}`);
  return demo.units.length;
}

export async function loadDemoIfEmpty(deps: {
  db: Database;
  regions: RegionService;
  intake: Pick<IncidentService, 'ingest'>;
  /** The synthetic fleet goes in through it; without it the demo has no units. */
  units?: Pick<UnitService, 'importUnits' | 'reportPositions'>;
  clock: () => number;
  logger: Logger;
}): Promise<boolean> {
  const { db, logger } = deps;
  if (deps.regions.list().length > 0 || (await countIncidents(db)) > 0) return false;
  const started = Date.now();
  logger.info('demo: the store is empty; loading the synthetic Hangzhou demo (DEMO_DATA=on)');
  const boundaries = RegionInputCollection.parse(JSON.parse(fs.readFileSync(DEMO_REGIONS_FILE, 'utf8')));
  const demo = generateDemo(boundaries, { seed: DEFAULT_DEMO_SEED, now: new Date(deps.clock()) });

  await deps.regions.replace(demo.regions);
  await db.transaction(async (tx) => {
    await insertCells(
      tx,
      demo.population.features.map((f) => ({ id: String(f.properties.id), ...lonLat(f), population: Number(f.properties.population), synthetic: true, properties: { ...f.properties } })),
    );
    const taken = await insertFacilities(
      tx,
      demo.facilities.features.map((f) => ({
        id: String(f.properties.id),
        kind: String(f.properties.kind),
        name: String(f.properties.name),
        capacity: Number(f.properties.capacity),
        ...lonLat(f),
        synthetic: true,
        properties: { ...f.properties },
      })),
    );
    if (taken.length > 0) throw new Error(`demo: the generator gave facility ids twice: ${taken.slice(0, 3).join(', ')}`);
    await storeDemoParcels(tx, demo.parcels.features);
    await setSetting(tx, 'demo', true);
  });
  const nowMs = deps.clock();
  // Oldest first, so the event log (and every "latest" list) follows the demo's own timeline.
  const timeline = [...demo.incidents].sort((a, b) => String(a.occurredAt).localeCompare(String(b.occurredAt)));
  const parsed = parseJsonIncidents(timeline, { nowMs });
  if (Array.isArray(parsed) || parsed.errors.length > 0) {
    throw new Error(`demo: the generator produced invalid incidents: ${JSON.stringify(Array.isArray(parsed) ? parsed : parsed.errors.slice(0, 3))}`);
  }
  const result = await deps.intake.ingest(parsed.drafts, [], { nowMs, actor: { name: 'demo loader', role: 'system' } });
  // After the incidents: the log stays in time order (the fleet is registered now, the incidents happened before).
  const fleetStarted = Date.now();
  const fleet = deps.units ? await storeDemoUnits(deps.units, demo, nowMs) : 0;
  const fleetMs = Date.now() - fleetStarted;
  logger.info(
    {
      regions: demo.regions.features.length,
      populationCells: demo.population.features.length,
      facilities: demo.facilities.features.length,
      parcels: demo.parcels.features.length,
      incidents: result.accepted,
      units: fleet,
      unitsMs: fleetMs,
      ms: Date.now() - started,
    },
    'demo: synthetic Hangzhou demo loaded',
  );
  return true;
}

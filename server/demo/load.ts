/**
 * `DEMO_DATA=on`: fills an empty store with the synthetic Hangzhou demo (real district
 * boundaries; synthetic population, facilities, parcels and incidents, all labelled synthetic).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { PROJECT_ROOT } from '../config.ts';
import { RegionInputCollection } from '../contract/regions.ts';
import { parseJsonIncidents } from '../ingest/json.ts';
import type { IncidentIntake } from '../services/incidents.ts';
import type { RegionService } from '../services/regions.ts';
import type { Database } from '../store/database.ts';
import { insertFacilities, insertParcels, insertPopulationCells } from '../store/demo-inputs.ts';
import { countIncidents } from '../store/incidents.ts';
import { setSetting } from '../store/settings.ts';
import { DEFAULT_DEMO_SEED, generateDemo } from './generate.ts';

export const DEMO_REGIONS_FILE = path.join(PROJECT_ROOT, 'data', 'regions', 'hangzhou.geojson');

const lonLat = (f: { geometry: { coordinates: number[] } }): { lon: number; lat: number } => ({ lon: f.geometry.coordinates[0] ?? 0, lat: f.geometry.coordinates[1] ?? 0 });

export async function loadDemoIfEmpty(deps: {
  db: Database;
  regions: RegionService;
  intake: IncidentIntake;
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
    await insertPopulationCells(
      tx,
      demo.population.features.map((f) => ({ id: String(f.properties.id), ...lonLat(f), population: Number(f.properties.population), properties: f.properties })),
    );
    await insertFacilities(
      tx,
      demo.facilities.features.map((f) => ({
        id: String(f.properties.id),
        kind: String(f.properties.kind),
        name: String(f.properties.name),
        capacity: Number(f.properties.capacity),
        ...lonLat(f),
        properties: f.properties,
      })),
    );
    await insertParcels(
      tx,
      demo.parcels.features.map((f) => ({
        code: String(f.properties.code),
        region_code: f.properties.regionCode == null ? null : String(f.properties.regionCode),
        land_use: String(f.properties.landUse),
        hazardous: f.properties.hazardous === true,
        stage: String(f.properties.stage),
        geometry: f.geometry,
        properties: f.properties,
      })),
    );
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
  logger.info(
    {
      regions: demo.regions.features.length,
      populationCells: demo.population.features.length,
      facilities: demo.facilities.features.length,
      parcels: demo.parcels.features.length,
      incidents: result.accepted,
      ms: Date.now() - started,
    },
    'demo: synthetic Hangzhou demo loaded',
  );
  return true;
}

/** Region rows: replaced as a whole by an import, read by the map and the spatial index. */
import type { RegionFeature, RegionGeometry } from '../contract/regions.ts';
import type { Database, Sql } from './database.ts';
import type { Actor } from '../contract/auth.ts';
import { appendEvents, logEvent, reserveSeqs } from './event-log.ts';
import { incidentPoints, updateRegionCodes } from './incident-queries.ts';

interface RegionRow {
  code: string;
  name: string;
  population: number | null;
  population_source: string | null;
  geometry: RegionGeometry;
  properties: { geocodes?: string[] } | null;
}

export async function listRegions(db: Sql): Promise<RegionFeature[]> {
  const rows = await db.query<RegionRow>(
    'SELECT code, name, population, population_source, geometry, properties FROM regions ORDER BY ord',
  );
  return rows.map((r) => ({
    type: 'Feature',
    id: r.code,
    geometry: r.geometry,
    properties: {
      code: r.code,
      name: r.name,
      population: r.population,
      populationSource: r.population_source,
      ...(Array.isArray(r.properties?.geocodes) ? { geocodes: r.properties.geocodes } : {}),
    },
  }));
}

/**
 * Replaces every region in one transaction and recomputes each incident's region with `assign`
 * (built from the new boundaries), so stored incidents never point at a region that is gone.
 */
export async function replaceRegions(
  db: Database,
  regions: readonly RegionFeature[],
  assign: (lon: number, lat: number) => string | null,
  actor?: Actor,
): Promise<{ count: number; reassigned: number; seq: number }> {
  return db.transaction(async (tx) => {
    const seq = await reserveSeqs(tx, 1);
    await tx.query('DELETE FROM regions');
    await tx.query(
      `INSERT INTO regions (code, ord, name, population, population_source, geometry, properties)
       SELECT code, ord, name, population, population_source, geometry, properties
       FROM jsonb_to_recordset($1::jsonb) AS r(code text, ord int, name text, population double precision,
         population_source text, geometry jsonb, properties jsonb)`,
      [
        JSON.stringify(
          regions.map((r, ord) => ({
            code: r.properties.code,
            ord,
            name: r.properties.name,
            population: r.properties.population,
            population_source: r.properties.populationSource,
            geometry: r.geometry,
            properties: r.properties.geocodes ? { geocodes: r.properties.geocodes } : {},
          })),
        ),
      ],
    );
    const changes = (await incidentPoints(tx))
      .map((p) => ({ id: p.id, region_code: assign(p.lon, p.lat), before: p.region_code }))
      .filter((c) => c.region_code !== c.before)
      .map(({ id, region_code }) => ({ id, region_code }));
    await updateRegionCodes(tx, changes);
    await appendEvents(tx, [logEvent('regions:replaced', seq, { seq, count: regions.length })], actor);
    return { count: regions.length, reassigned: changes.length, seq };
  });
}

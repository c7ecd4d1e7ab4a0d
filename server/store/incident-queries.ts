/** Incident reads (lists by box, status, category and time; one by id; a count) and region reassignment. */
import type { Bbox } from '../contract/common.ts';
import type { Incident } from '../contract/incidents.ts';
import type { Sql } from './database.ts';
import { fromRow, type IncidentRow } from './incident-rows.ts';
import { sqlFilter } from './sql-filter.ts';

export interface IncidentFilter {
  bbox?: Bbox;
  statuses?: readonly string[];
  categories?: readonly string[];
  /** Only incidents that occurred at or after this instant. */
  since?: Date;
  /** Exercises: left out (`exclude`, the default), listed with the rest (`include`), or alone (`only`). */
  drill?: 'exclude' | 'include' | 'only';
  limit: number;
}

/** Incidents matching `filter`, oldest seq first; one more than `limit` tells the caller it was cut. */
export async function listIncidents(db: Sql, filter: IncidentFilter): Promise<{ incidents: Incident[]; truncated: boolean }> {
  const { param, where, clause, params } = sqlFilter();
  if (filter.bbox) {
    const [minLon, minLat, maxLon, maxLat] = filter.bbox;
    where(`lat BETWEEN ${param(minLat)} AND ${param(maxLat)}`);
    // A box whose west edge lies east of its east edge crosses the antimeridian.
    where(
      minLon <= maxLon
        ? `lon BETWEEN ${param(minLon)} AND ${param(maxLon)}`
        : `(lon >= ${param(minLon)} OR lon <= ${param(maxLon)})`,
    );
  }
  if (filter.statuses?.length) where(`status = ANY(${param(filter.statuses)}::text[])`);
  if (filter.categories?.length) where(`category = ANY(${param(filter.categories)}::text[])`);
  if (filter.since) where(`occurred_at >= ${param(filter.since.toISOString())}`);
  if ((filter.drill ?? 'exclude') === 'exclude') where('NOT drill');
  else if (filter.drill === 'only') where('drill');
  const rows = await db.query<IncidentRow>(
    `SELECT * FROM incidents ${clause()}
     ORDER BY seq LIMIT ${param(filter.limit + 1)}`,
    params,
  );
  const truncated = rows.length > filter.limit;
  return { incidents: rows.slice(0, filter.limit).map(fromRow), truncated };
}

export async function getIncident(db: Sql, id: string): Promise<Incident | null> {
  const [row] = await db.query<IncidentRow>('SELECT * FROM incidents WHERE id = $1', [id]);
  return row ? fromRow(row) : null;
}

export async function countIncidents(db: Sql): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents');
  return Number(row?.n ?? 0);
}

/** Every incident's id and query point, for recomputing regions after new boundaries arrive. */
export async function incidentPoints(tx: Sql): Promise<{ id: string; lon: number; lat: number; region_code: string | null }[]> {
  return tx.query('SELECT id, lon, lat, region_code FROM incidents');
}

export async function updateRegionCodes(tx: Sql, changes: readonly { id: string; region_code: string | null }[]): Promise<void> {
  if (changes.length === 0) return;
  await tx.query(
    `UPDATE incidents i SET region_code = c.region_code
     FROM jsonb_to_recordset($1::jsonb) AS c(id text, region_code text) WHERE i.id = c.id`,
    [JSON.stringify(changes)],
  );
}

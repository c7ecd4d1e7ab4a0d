/** Incident rows: batch insert with idempotency on (source, externalId), queries, reassignment. */
import type { Bbox } from '../contract/common.ts';
import type { Incident } from '../contract/incidents.ts';
import type { Database, Sql } from './database.ts';
import { appendEvents, lockLog, logEvent, reserveSeqs } from './event-log.ts';
import { insertChanges, type Actor } from './incident-changes.ts';
import { fromRow, type IncidentRow } from './incident-rows.ts';

/** An incident ready to store: everything but its `seq`, plus the point used for queries. */
export interface NewIncident extends Omit<Incident, 'seq'> {
  lon: number;
  lat: number;
}

export interface StoredRef {
  id: string;
  seq: number;
  regionCode: string | null;
}

export interface InsertOutcome {
  /** Newly stored incidents, in input order, with their seqs. */
  created: Incident[];
  /** For every input, in order: the stored row it created or matched, and whether it was a duplicate. */
  refs: (StoredRef & { duplicate: boolean })[];
}

const keyOf = (source: string, externalId: string): string => JSON.stringify([source, externalId]);

/**
 * Stores the incidents not stored yet, in one transaction, each with its own `incident:created`
 * event. A repeat of (source, externalId), in the store or earlier in the same batch, changes nothing.
 */
export async function insertIncidents(db: Database, batch: readonly NewIncident[], actor: Actor): Promise<InsertOutcome> {
  if (batch.length === 0) return { created: [], refs: [] };
  return db.transaction(async (tx) => {
    await lockLog(tx);
    const keys = batch.map((n) => ({ source: n.source, external_id: n.externalId }));
    const existing = new Map<string, StoredRef>();
    const found = await tx.query<{ source: string; external_id: string; id: string; seq: number; region_code: string | null }>(
      `SELECT i.source, i.external_id, i.id, i.seq, i.region_code FROM incidents i
       JOIN jsonb_to_recordset($1::jsonb) AS k(source text, external_id text)
         ON i.source = k.source AND i.external_id = k.external_id`,
      [JSON.stringify(keys)],
    );
    for (const r of found) existing.set(keyOf(r.source, r.external_id), { id: r.id, seq: Number(r.seq), regionCode: r.region_code });

    const fresh: NewIncident[] = [];
    const seen = new Set<string>();
    for (const n of batch) {
      const key = keyOf(n.source, n.externalId);
      if (!existing.has(key) && !seen.has(key)) fresh.push(n);
      seen.add(key);
    }
    const created: Incident[] = [];
    if (fresh.length > 0) {
      const first = await reserveSeqs(tx, fresh.length);
      fresh.forEach((n, i) => {
        const { lon: _lon, lat: _lat, ...incident } = n;
        created.push({ ...incident, seq: first + i });
      });
      await insertRows(tx, fresh, first);
      await insertChanges(
        tx,
        created.map((c) => ({ seq: c.seq, incidentId: c.id, at: c.reportedAt, actor, from: null, to: c.status, note: null })),
      );
      await appendEvents(tx, created.map((c) => logEvent('incident:created', c.seq, c)), actor);
    }
    const byKey = new Map(created.map((c) => [keyOf(c.source, c.externalId), c]));
    const claimed = new Set<string>();
    const refs = batch.map((n) => {
      const key = keyOf(n.source, n.externalId);
      const made = byKey.get(key);
      if (made && !claimed.has(key)) {
        claimed.add(key);
        return { id: made.id, seq: made.seq, regionCode: made.regionCode, duplicate: false };
      }
      const ref = existing.get(key) ?? (made && { id: made.id, seq: made.seq, regionCode: made.regionCode });
      if (!ref) throw new Error(`incident ${key} neither stored nor found`);
      return { ...ref, duplicate: true };
    });
    return { created, refs };
  });
}

async function insertRows(tx: Sql, rows: readonly NewIncident[], firstSeq: number): Promise<void> {
  // One statement per batch: a JSON array unpacked by the server beats thousands of placeholders.
  const records = rows.map((n, i) => ({
    id: n.id,
    source: n.source,
    external_id: n.externalId,
    category: n.category,
    severity: n.severity,
    status: n.status,
    geometry: n.geometry,
    lon: n.lon,
    lat: n.lat,
    occurred_at: n.occurredAt,
    reported_at: n.reportedAt,
    title: n.title,
    description: n.description,
    reporter: n.reporter,
    region_code: n.regionCode,
    seq: firstSeq + i,
    attributes: n.attributes,
  }));
  await tx.query(
    `INSERT INTO incidents (id, source, external_id, category, severity, status, geometry, lon, lat,
       occurred_at, reported_at, title, description, reporter, region_code, seq, attributes)
     SELECT id, source, external_id, category, severity, status, geometry, lon, lat,
       occurred_at, reported_at, title, description, reporter, region_code, seq, attributes
     FROM jsonb_to_recordset($1::jsonb) AS r(id text, source text, external_id text, category text,
       severity text, status text, geometry jsonb, lon double precision, lat double precision,
       occurred_at timestamptz, reported_at timestamptz, title text, description text, reporter jsonb,
       region_code text, seq bigint, attributes jsonb)`,
    [JSON.stringify(records)],
  );
}

export interface IncidentFilter {
  bbox?: Bbox;
  statuses?: readonly string[];
  categories?: readonly string[];
  /** Only incidents that occurred at or after this instant. */
  since?: Date;
  limit: number;
}

/** Incidents matching `filter`, oldest seq first; one more than `limit` tells the caller it was cut. */
export async function listIncidents(db: Sql, filter: IncidentFilter): Promise<{ incidents: Incident[]; truncated: boolean }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  if (filter.bbox) {
    const [minLon, minLat, maxLon, maxLat] = filter.bbox;
    where.push(`lat BETWEEN ${param(minLat)} AND ${param(maxLat)}`);
    // A box whose west edge lies east of its east edge crosses the antimeridian.
    where.push(
      minLon <= maxLon
        ? `lon BETWEEN ${param(minLon)} AND ${param(maxLon)}`
        : `(lon >= ${param(minLon)} OR lon <= ${param(maxLon)})`,
    );
  }
  if (filter.statuses?.length) where.push(`status = ANY(${param(filter.statuses)}::text[])`);
  if (filter.categories?.length) where.push(`category = ANY(${param(filter.categories)}::text[])`);
  if (filter.since) where.push(`occurred_at >= ${param(filter.since.toISOString())}`);
  const rows = await db.query<IncidentRow>(
    `SELECT * FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
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

/**
 * Land-code parcels and their append-only lifecycle. Codes are issued inside the transaction that
 * stores the parcel, from a per-region-and-year counter row, so they never repeat; a step is
 * checked against the stored stage under the log lock, so two departments cannot both advance it.
 */
import type { Bbox } from '../contract/common.ts';
import type { LandUse, ParcelDocument, ParcelFeature, ParcelStage, ParcelStep, ParcelStepInput } from '../contract/parcels.ts';
import { checkStep, type StepCheck } from '../contract/parcel-lifecycle.ts';
import { formatLandCode } from '../contract/land-code.ts';
import type { Database, Sql } from './database.ts';
import { appendAudit } from './audit.ts';
import { appendEvents, lockLog, logEvent, reserveSeqs } from './event-log.ts';
import type { Actor } from '../contract/auth.ts';
import { sqlFilter } from './sql-filter.ts';

const iso = (v: Date | string): string => new Date(v).toISOString();

export interface ParcelDbRow {
  code: string;
  region_code: string;
  land_use: LandUse;
  hazardous: boolean;
  stage: ParcelStage;
  geometry: ParcelFeature['geometry'];
  name: string;
  address: string | null;
  lon: number;
  lat: number;
  area_m2: number;
  created_at: Date | string;
  updated_at: Date | string;
  seq: number | string;
  synthetic: boolean;
}

export function parcelFromRow(r: ParcelDbRow): ParcelFeature {
  return {
    type: 'Feature',
    id: r.code,
    geometry: r.geometry,
    properties: {
      code: r.code,
      regionCode: r.region_code,
      landUse: r.land_use,
      hazardous: r.hazardous,
      stage: r.stage,
      name: r.name,
      address: r.address,
      areaM2: Number(r.area_m2),
      center: [Number(r.lon), Number(r.lat)],
      createdAt: iso(r.created_at),
      updatedAt: iso(r.updated_at),
      synthetic: r.synthetic,
      seq: Number(r.seq),
    },
  };
}

const COLUMNS = 'code, region_code, land_use, hazardous, stage, geometry, name, address, lon, lat, area_m2, created_at, updated_at, seq, synthetic';

/** A parcel to store; its code is issued by {@link issueParcels}. */
export interface NewParcel {
  adcode: string;
  year: number;
  landUse: LandUse;
  hazardous: boolean;
  name: string;
  address: string | null;
  geometry: ParcelFeature['geometry'];
  center: [number, number];
  bbox: Bbox;
  areaM2: number;
  synthetic: boolean;
  /** The `planned` step recorded with the code (who drew the regulatory plan, with what). */
  planned: { department: string; documents: ParcelDocument[]; note: string | null };
}

/**
 * Reserves `count` consecutive sequence numbers for a region and year; returns the first. The
 * counter row stays locked until the transaction ends, so concurrent issuers wait their turn.
 */
async function reserveSequence(tx: Sql, adcode: string, year: number, count: number): Promise<number> {
  const [row] = await tx.query<{ last: number }>(
    `INSERT INTO parcel_sequences (adcode, year, last) VALUES ($1, $2, $3)
     ON CONFLICT (adcode, year) DO UPDATE SET last = parcel_sequences.last + $3 RETURNING last`,
    [adcode, year, count],
  );
  const last = Number(row?.last ?? 0);
  if (last > 99_999) throw new RangeError(`region ${adcode} has used all 99,999 land-code sequences of ${year}`);
  return last - count + 1;
}

/**
 * Issues codes for and stores new parcels, each with its `planned` step. With `logEach` every
 * parcel is logged as `parcel:created` (API posts); a bulk import logs nothing per parcel (the
 * caller logs one import event). Returns the stored parcels in input order.
 */
export async function issueParcels(db: Database, parcels: readonly NewParcel[], actor: Actor, atMs: number, logEach: boolean): Promise<ParcelFeature[]> {
  if (parcels.length === 0) return [];
  return db.transaction(async (tx) => {
    const firstSeq = logEach ? await reserveSeqs(tx, parcels.length) : await lockLog(tx).then(() => 0);
    const groups = new Map<string, number[]>();
    parcels.forEach((p, i) => {
      const key = `${p.adcode}-${p.year}`;
      const list = groups.get(key) ?? [];
      list.push(i);
      groups.set(key, list);
    });
    const codes: string[] = new Array<string>(parcels.length);
    for (const indices of groups.values()) {
      const first = parcels[indices[0]!]!;
      const start = await reserveSequence(tx, first.adcode, first.year, indices.length);
      indices.forEach((index, k) => {
        codes[index] = formatLandCode({ adcode: first.adcode, year: first.year, seq: start + k });
      });
    }
    const at = new Date(atMs).toISOString();
    const rows = parcels.map((p, i) => ({
      code: codes[i],
      region_code: p.adcode,
      land_use: p.landUse,
      hazardous: p.hazardous,
      stage: 'planned',
      geometry: p.geometry,
      properties: {},
      name: p.name,
      address: p.address,
      lon: p.center[0],
      lat: p.center[1],
      bbox: p.bbox,
      area_m2: p.areaM2,
      created_at: at,
      updated_at: at,
      seq: logEach ? firstSeq + i : 0,
      synthetic: p.synthetic,
    }));
    for (let i = 0; i < rows.length; i += 2000) {
      await tx.query(
        `INSERT INTO parcels (code, region_code, land_use, hazardous, stage, geometry, properties, name, address, lon, lat, bbox, area_m2, created_at, updated_at, seq, synthetic)
         SELECT code, region_code, land_use, hazardous, stage, geometry, properties, name, address, lon, lat,
           ARRAY(SELECT jsonb_array_elements_text(bbox)::double precision), area_m2, created_at, updated_at, seq, synthetic
         FROM jsonb_to_recordset($1::jsonb) AS r(code text, region_code text, land_use text, hazardous boolean, stage text,
           geometry jsonb, properties jsonb, name text, address text, lon double precision, lat double precision, bbox jsonb,
           area_m2 double precision, created_at timestamptz, updated_at timestamptz, seq bigint, synthetic boolean)`,
        [JSON.stringify(rows.slice(i, i + 2000))],
      );
    }
    await insertSteps(
      tx,
      parcels.map((p, i) => ({ code: codes[i]!, step: 'planned', department: p.planned.department, actor, at, documents: p.planned.documents, note: p.planned.note, seq: logEach ? firstSeq + i : null })),
    );
    const stored = await tx.query<ParcelDbRow>(`SELECT ${COLUMNS} FROM parcels WHERE code = ANY($1::text[])`, [codes]);
    const byCode = new Map(stored.map((r) => [r.code, parcelFromRow(r)]));
    const features = codes.map((c) => byCode.get(c)!);
    if (logEach) await appendEvents(tx, features.map((parcel, i) => logEvent('parcel:created', firstSeq + i, { seq: firstSeq + i, parcel })), actor);
    // A bulk import logs one event for the whole job, but every parcel it codes is audited.
    else await appendAudit(tx, features.map((parcel) => ({ action: 'parcel:created', actor, subject: parcel.properties.code, detail: { stage: parcel.properties.stage, imported: true }, atMs })));
    return features;
  });
}

interface NewStepRow {
  code: string;
  step: ParcelStage;
  department: string;
  actor: Actor;
  at: string;
  documents: ParcelDocument[];
  note: string | null;
  seq: number | null;
}

/** Appends step rows (the lifecycle history is insert-only: nothing updates or deletes them). */
export async function insertSteps(tx: Sql, steps: readonly NewStepRow[]): Promise<void> {
  for (let i = 0; i < steps.length; i += 5000) {
    await tx.query(
      `INSERT INTO parcel_steps (code, step, department, actor_name, actor_role, at, documents, note, seq)
       SELECT code, step, department, actor_name, actor_role, at, documents, note, seq
       FROM jsonb_to_recordset($1::jsonb) AS s(code text, step text, department text, actor_name text, actor_role text,
         at timestamptz, documents jsonb, note text, seq bigint)`,
      [JSON.stringify(steps.slice(i, i + 5000).map((s) => ({ ...s, actor_name: s.actor.name, actor_role: s.actor.role })))],
    );
  }
}

export async function getParcel(db: Sql, code: string): Promise<ParcelFeature | null> {
  const [row] = await db.query<ParcelDbRow>(`SELECT ${COLUMNS} FROM parcels WHERE code = $1`, [code]);
  return row ? parcelFromRow(row) : null;
}

interface StepDbRow {
  seq: number | string | null;
  step: ParcelStage;
  department: string;
  actor_name: string;
  actor_role: string;
  at: Date | string;
  documents: ParcelDocument[];
  note: string | null;
}

/** A parcel's lifecycle, oldest step first. */
export async function parcelSteps(db: Sql, code: string): Promise<ParcelStep[]> {
  const rows = await db.query<StepDbRow>('SELECT seq, step, department, actor_name, actor_role, at, documents, note FROM parcel_steps WHERE code = $1 ORDER BY id', [code]);
  return rows.map((r) => ({
    seq: r.seq === null ? 0 : Number(r.seq),
    step: r.step,
    department: r.department,
    actor: { name: r.actor_name, role: r.actor_role },
    at: iso(r.at),
    documents: r.documents,
    note: r.note,
  }));
}

export type StepOutcome =
  | { kind: 'not_found' }
  | { kind: 'refused'; check: Extract<StepCheck, { ok: false }>; current: ParcelStage }
  | { kind: 'stepped'; seq: number; from: ParcelStage; parcel: ParcelFeature; step: ParcelStep };

/** Records the next lifecycle step, logged as `parcel:stepped`; refuses skips and reversals. */
export async function stepParcel(db: Database, code: string, input: ParcelStepInput, actor: Actor, atMs: number): Promise<StepOutcome> {
  return db.transaction(async (tx) => {
    await lockLog(tx); // serialises steps with every other write: the stage read below is current
    const [row] = await tx.query<{ stage: ParcelStage }>('SELECT stage FROM parcels WHERE code = $1 FOR UPDATE', [code]);
    if (!row) return { kind: 'not_found' } as const;
    const check = checkStep(row.stage, input.step);
    if (!check.ok) return { kind: 'refused', check, current: row.stage } as const;
    const seq = await reserveSeqs(tx, 1);
    const at = new Date(atMs).toISOString();
    const note = input.note ?? null;
    await insertSteps(tx, [{ code, step: input.step, department: input.department, actor, at, documents: input.documents, note, seq }]);
    await tx.query('UPDATE parcels SET stage = $2, updated_at = $3, seq = $4 WHERE code = $1', [code, input.step, at, seq]);
    const parcel = parcelFromRow((await tx.query<ParcelDbRow>(`SELECT ${COLUMNS} FROM parcels WHERE code = $1`, [code]))[0]!);
    const step: ParcelStep = { seq, step: input.step, department: input.department, actor: { name: actor.name, role: actor.role }, at, documents: input.documents, note };
    await appendEvents(tx, [logEvent('parcel:stepped', seq, { seq, code, from: row.stage, to: input.step, step })], actor);
    return { kind: 'stepped', seq, from: row.stage, parcel, step } as const;
  });
}

/** Each parcel's box, exactly as the `parcels_box` GiST index (migration 8) is built on it. */
const PARCEL_BOX = 'box(point(bbox[1], bbox[2]), point(bbox[3], bbox[4]))';

export interface ParcelFilter {
  bbox?: Bbox;
  landUses?: readonly string[];
  stages?: readonly string[];
  /** Code (full or partial), name or address contains this text. */
  q?: string;
  limit: number;
}

/** Parcels matching `filter` by code; one more than `limit` tells the caller it was cut. */
export async function listParcels(db: Sql, filter: ParcelFilter): Promise<{ parcels: ParcelFeature[]; truncated: boolean }> {
  const { param, where, clause, params } = sqlFilter();
  if (filter.bbox) {
    const [minLon, minLat, maxLon, maxLat] = filter.bbox;
    // Parcels whose box meets the query box (parcels are small; none crosses the antimeridian).
    // Written as the `parcels_box` index's expression so the GiST index answers it; `&&` counts
    // touching edges as meeting, as the comparisons it replaced did.
    where(`${PARCEL_BOX} && box(point(${param(minLon)}::float8, ${param(minLat)}::float8), point(${param(maxLon)}::float8, ${param(maxLat)}::float8))`);
  }
  if (filter.landUses?.length) where(`land_use = ANY(${param(filter.landUses)}::text[])`);
  if (filter.stages?.length) where(`stage = ANY(${param(filter.stages)}::text[])`);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where(`(code ILIKE ${param(like)} OR name ILIKE $${params.length} OR coalesce(address, '') ILIKE $${params.length})`);
  }
  const rows = await db.query<ParcelDbRow>(
    `SELECT ${COLUMNS} FROM parcels ${clause()} ORDER BY code LIMIT ${param(filter.limit + 1)}`,
    params,
  );
  return { parcels: rows.slice(0, filter.limit).map(parcelFromRow), truncated: rows.length > filter.limit };
}

/** Parcels with their centers inside a box (surroundings pre-filter). */
export async function parcelsNear(db: Sql, [minLon, minLat, maxLon, maxLat]: Bbox): Promise<ParcelDbRow[]> {
  return db.query<ParcelDbRow>(`SELECT ${COLUMNS} FROM parcels WHERE lon BETWEEN $1 AND $3 AND lat BETWEEN $2 AND $4`, [minLon, minLat, maxLon, maxLat]);
}

/** Parcels stored before centers were kept (older data folders): the service fills them in. */
export async function parcelsWithoutCenter(db: Sql): Promise<{ code: string; geometry: ParcelFeature['geometry'] }[]> {
  return db.query('SELECT code, geometry FROM parcels WHERE lon IS NULL');
}

export async function setParcelMeasures(db: Sql, rows: readonly { code: string; lon: number; lat: number; bbox: Bbox; area_m2: number }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 5000) {
    await db.query(
      `UPDATE parcels p SET lon = r.lon, lat = r.lat, area_m2 = r.area_m2, bbox = ARRAY(SELECT jsonb_array_elements_text(r.bbox)::double precision)
       FROM jsonb_to_recordset($1::jsonb) AS r(code text, lon double precision, lat double precision, bbox jsonb, area_m2 double precision)
       WHERE p.code = r.code`,
      [JSON.stringify(rows.slice(i, i + 5000))],
    );
  }
}

/** Every parcel's shape and the properties the map styles by (the tile index's input). */
export async function parcelShapes(db: Sql): Promise<{ geometry: ParcelFeature['geometry']; properties: { code: string; landUse: LandUse; stage: ParcelStage; hazardous: boolean } }[]> {
  const rows = await db.query<{ code: string; land_use: LandUse; stage: ParcelStage; hazardous: boolean; geometry: ParcelFeature['geometry'] }>(
    'SELECT code, land_use, stage, hazardous, geometry FROM parcels',
  );
  return rows.map((r) => ({ geometry: r.geometry, properties: { code: r.code, landUse: r.land_use, stage: r.stage, hazardous: r.hazardous } }));
}

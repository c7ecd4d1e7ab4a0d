/**
 * Rows behind service equity: population cells and facilities, replaced or added in
 * one transaction with an audit row and a new inputs version, and the hotline appeals per region.
 */
import { appendAudit } from './audit.ts';
import type { Database, Sql } from './database.ts';
import type { Actor } from '../contract/auth.ts';
import { getSetting } from './settings.ts';

const INPUTS_VERSION_KEY = 'equity_inputs_version';
/** Rows per INSERT: one array per column keeps each statement a few MB (see insertParcels). */
const CHUNK = 10_000;

export interface CellRow {
  id: string;
  lon: number;
  lat: number;
  population: number;
  synthetic: boolean;
  /** The feature's properties as sent, kept with the row. */
  properties: Record<string, unknown>;
}

export interface FacilityRow {
  id: string;
  kind: string;
  name: string;
  capacity: number;
  lon: number;
  lat: number;
  synthetic: boolean;
  properties: Record<string, unknown>;
}

/** Who wrote what, for the audit trail. */
export interface InputChange {
  input: 'population' | 'facilities';
  action: 'replace' | 'add';
  count: number;
  actor: Actor;
  atMs: number;
}

/** Version of the equity inputs; it starts at 1 and every write moves it on. */
export async function inputsVersion(db: Sql): Promise<number> {
  return (await getSetting<number>(db, INPUTS_VERSION_KEY)) ?? 1;
}

/** Moves the inputs version on (inside the writer's transaction) and returns the new one. */
export async function bumpInputsVersion(tx: Sql): Promise<number> {
  const [row] = await tx.query<{ value: number }>(
    `INSERT INTO settings (key, value) VALUES ($1, '2'::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = to_jsonb((settings.value #>> '{}')::int + 1)
     RETURNING value`,
    [INPUTS_VERSION_KEY],
  );
  return Number(row?.value);
}

async function recordChange(tx: Sql, version: number, change: InputChange): Promise<void> {
  await appendAudit(tx, [{ action: `${change.input}:${change.action === 'replace' ? 'replaced' : 'added'}`, actor: change.actor, subject: change.input, detail: { count: change.count, inputsVersion: version }, atMs: change.atMs }]);
  await tx.query(
    `INSERT INTO equity_input_changes (inputs_version, input, action, count, actor_name, actor_role, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [version, change.input, change.action, change.count, change.actor.name, change.actor.role, new Date(change.atMs).toISOString()],
  );
}

/** Every cell in upload order (the demo's rows, inserted without an order, come by id after none). */
export async function loadCells(db: Sql): Promise<CellRow[]> {
  const rows = await db.query<{ id: string; lon: number; lat: number; population: number; synthetic: boolean | null }>(
    `SELECT id, lon, lat, population, (properties->>'synthetic') = 'true' AS synthetic
     FROM population_cells ORDER BY ord, id`,
  );
  // Properties stay in the store: the answers name cells by id and never echo what else was sent.
  return rows.map((r) => ({ id: r.id, lon: r.lon, lat: r.lat, population: r.population, synthetic: r.synthetic === true, properties: {} }));
}

export async function loadFacilities(db: Sql): Promise<FacilityRow[]> {
  const rows = await db.query<Omit<FacilityRow, 'synthetic'> & { synthetic: boolean | null }>(
    `SELECT id, kind, name, capacity, lon, lat, (properties->>'synthetic') = 'true' AS synthetic, properties
     FROM facilities ORDER BY ord, id`,
  );
  return rows.map((r) => ({ ...r, synthetic: r.synthetic === true }));
}

/** Inserts population cells inside the caller's transaction (the demo loader's too). */
export async function insertCells(tx: Sql, rows: readonly CellRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    await tx.query(
      `INSERT INTO population_cells (id, lon, lat, population, properties)
       SELECT id, lon, lat, population, properties::jsonb
       FROM unnest($1::text[], $2::float8[], $3::float8[], $4::float8[], $5::text[]) AS r(id, lon, lat, population, properties)`,
      [part.map((r) => r.id), part.map((r) => r.lon), part.map((r) => r.lat), part.map((r) => r.population), part.map((r) => JSON.stringify(r.properties))],
    );
  }
}

/** Inserts facilities; returns the ids that already existed (then nothing may be kept: the caller rolls back). */
export async function insertFacilities(tx: Sql, rows: readonly FacilityRow[]): Promise<string[]> {
  const taken: string[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const inserted = await tx.query<{ id: string }>(
      `INSERT INTO facilities (id, kind, name, capacity, lon, lat, properties)
       SELECT id, kind, name, capacity, lon, lat, properties::jsonb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[], $6::float8[], $7::text[])
         AS r(id, kind, name, capacity, lon, lat, properties)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        part.map((r) => r.id),
        part.map((r) => r.kind),
        part.map((r) => r.name),
        part.map((r) => r.capacity),
        part.map((r) => r.lon),
        part.map((r) => r.lat),
        part.map((r) => JSON.stringify(r.properties)),
      ],
    );
    if (inserted.length < part.length) {
      const fresh = new Set(inserted.map((r) => r.id));
      taken.push(...part.filter((r) => !fresh.has(r.id)).map((r) => r.id));
    }
  }
  return taken;
}

/** Replaces every population cell; returns the new inputs version. */
export function replaceCells(db: Database, rows: readonly CellRow[], change: InputChange): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('DELETE FROM population_cells');
    await insertCells(tx, rows);
    const version = await bumpInputsVersion(tx);
    await recordChange(tx, version, change);
    return version;
  });
}

/** Replaces every facility; returns the new inputs version. */
export function replaceFacilities(db: Database, rows: readonly FacilityRow[], change: InputChange): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.query('DELETE FROM facilities');
    await insertFacilities(tx, rows);
    const version = await bumpInputsVersion(tx);
    await recordChange(tx, version, change);
    return version;
  });
}

class IdsTaken extends Error {
  constructor(readonly ids: string[]) {
    super('facility ids already stored');
  }
}

/** Adds facilities, all or none: when any id is already stored nothing is written and those ids come back. */
export async function addFacilities(db: Database, rows: readonly FacilityRow[], change: InputChange): Promise<{ ok: true; inputsVersion: number } | { ok: false; taken: string[] }> {
  try {
    const version = await db.transaction(async (tx) => {
      const taken = await insertFacilities(tx, rows);
      if (taken.length > 0) throw new IdsTaken(taken);
      const next = await bumpInputsVersion(tx);
      await recordChange(tx, next, change);
      return next;
    });
    return { ok: true, inputsVersion: version };
  } catch (err) {
    if (err instanceof IdsTaken) return { ok: false, taken: err.ids };
    throw err;
  }
}

/**
 * Hotline (12345) appeals per region with `occurredAt` in `(fromMs, toMs]`, in one grouped count.
 * Rejected and cancelled ones and exercises are left out, as the risk model leaves them out.
 */
export async function hotlineAppeals(db: Sql, fromMs: number, toMs: number): Promise<Map<string, number>> {
  const rows = await db.query<{ region_code: string; appeals: number }>(
    `SELECT region_code, count(*)::int AS appeals FROM incidents
     WHERE category = 'hotline' AND status NOT IN ('rejected', 'cancelled') AND NOT drill AND region_code IS NOT NULL
       AND occurred_at > $1 AND occurred_at <= $2
     GROUP BY region_code`,
    [new Date(fromMs).toISOString(), new Date(toMs).toISOString()],
  );
  return new Map(rows.map((r) => [r.region_code, Number(r.appeals)]));
}

/** Population cells, facilities and parcels: the inputs of equity and parcel views (bulk loads). */
import type { Sql } from './database.ts';

export interface PopulationCellRow {
  id: string;
  lon: number;
  lat: number;
  population: number;
  properties: object;
}
export interface FacilityRow {
  id: string;
  kind: string;
  name: string;
  capacity: number;
  lon: number;
  lat: number;
  properties: object;
}
export interface ParcelRow {
  code: string;
  region_code: string | null;
  land_use: string;
  hazardous: boolean;
  stage: string;
  geometry: unknown;
  properties: object;
}

// Chunks keep each JSON parameter a few MB, well inside what PGlite's WASM heap handles comfortably.
async function bulkInsert(tx: Sql, rows: readonly object[], sql: string, chunk = 5000): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    await tx.query(sql, [JSON.stringify(rows.slice(i, i + chunk))]);
  }
}

export function insertPopulationCells(tx: Sql, rows: readonly PopulationCellRow[]): Promise<void> {
  return bulkInsert(
    tx,
    rows,
    `INSERT INTO population_cells (id, lon, lat, population, properties)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id text, lon double precision, lat double precision,
       population double precision, properties jsonb)`,
  );
}

export function insertFacilities(tx: Sql, rows: readonly FacilityRow[]): Promise<void> {
  return bulkInsert(
    tx,
    rows,
    `INSERT INTO facilities (id, kind, name, capacity, lon, lat, properties)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(id text, kind text, name text, capacity double precision,
       lon double precision, lat double precision, properties jsonb)`,
  );
}

export function insertParcels(tx: Sql, rows: readonly ParcelRow[]): Promise<void> {
  return bulkInsert(
    tx,
    rows,
    `INSERT INTO parcels (code, region_code, land_use, hazardous, stage, geometry, properties)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(code text, region_code text, land_use text,
       hazardous boolean, stage text, geometry jsonb, properties jsonb)`,
  );
}

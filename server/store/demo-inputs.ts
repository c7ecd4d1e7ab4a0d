/**
 * Demo parcels in bulk, with codes already issued. The demo's population cells and facilities go in
 * through store/equity.ts, as uploaded ones do.
 */
import type { Sql } from './database.ts';

/** A demo parcel as stored: its code was issued by the generator, its steps are inserted beside it. */
export interface ParcelRow {
  code: string;
  region_code: string;
  land_use: string;
  hazardous: boolean;
  stage: string;
  geometry: unknown;
  name: string;
  address: string | null;
  lon: number;
  lat: number;
  bbox: [number, number, number, number];
  area_m2: number;
  created_at: string;
  updated_at: string;
  synthetic: boolean;
}

/**
 * Stores parcels whose codes are already issued (the demo); `seq` 0: no event was logged for them.
 * One array per column (`unnest`) rather than a JSON document of rows: PGlite parses a large
 * JSON parameter slowly, and this is most of the demo's start-up.
 */
export async function insertParcels(tx: Sql, rows: readonly ParcelRow[]): Promise<void> {
  const chunk = 5000;
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const column = <T>(get: (r: ParcelRow) => T): T[] => part.map(get);
    await tx.query(
      `INSERT INTO parcels (code, region_code, land_use, hazardous, stage, geometry, name, address, lon, lat, bbox, area_m2,
         created_at, updated_at, seq, synthetic)
       SELECT code, region_code, land_use, hazardous, stage, geometry::jsonb, name, address, lon, lat,
         ARRAY[min_lon, min_lat, max_lon, max_lat], area_m2, created_at, updated_at, 0, synthetic
       FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::text[], $6::text[], $7::text[], $8::text[],
         $9::float8[], $10::float8[], $11::float8[], $12::float8[], $13::float8[], $14::float8[], $15::float8[],
         $16::timestamptz[], $17::timestamptz[], $18::boolean[])
         AS r(code, region_code, land_use, hazardous, stage, geometry, name, address, lon, lat,
           min_lon, min_lat, max_lon, max_lat, area_m2, created_at, updated_at, synthetic)`,
      [
        column((r) => r.code),
        column((r) => r.region_code),
        column((r) => r.land_use),
        column((r) => r.hazardous),
        column((r) => r.stage),
        column((r) => JSON.stringify(r.geometry)),
        column((r) => r.name),
        column((r) => r.address),
        column((r) => r.lon),
        column((r) => r.lat),
        ...[0, 1, 2, 3].map((k) => column((r) => r.bbox[k])),
        column((r) => r.area_m2),
        column((r) => r.created_at),
        column((r) => r.updated_at),
        column((r) => r.synthetic),
      ],
    );
  }
}

/**
 * Raises each region-and-year code counter to the highest sequence stored, so a code issued later
 * (`issueParcels`) never repeats one inserted with its code already set. Never lowers a counter.
 */
export async function raiseParcelSequences(tx: Sql): Promise<void> {
  await tx.query(
    `INSERT INTO parcel_sequences (adcode, year, last)
     SELECT split_part(code, '-', 1), split_part(code, '-', 2)::int, max(split_part(code, '-', 3)::int)
     FROM parcels GROUP BY 1, 2
     ON CONFLICT (adcode, year) DO UPDATE SET last = GREATEST(parcel_sequences.last, EXCLUDED.last)`,
  );
}

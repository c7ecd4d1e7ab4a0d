import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 4,
  name: 'land-code parcels: lifecycle steps, code sequences, centers',
  sql: `
    ALTER TABLE parcels ADD COLUMN name text NOT NULL DEFAULT '';
    ALTER TABLE parcels ADD COLUMN address text;
    -- Representative point and box, filled by the parcel service (JS geometry, not SQL).
    ALTER TABLE parcels ADD COLUMN lon double precision;
    ALTER TABLE parcels ADD COLUMN lat double precision;
    ALTER TABLE parcels ADD COLUMN bbox double precision[];
    ALTER TABLE parcels ADD COLUMN area_m2 double precision;
    ALTER TABLE parcels ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
    ALTER TABLE parcels ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
    ALTER TABLE parcels ADD COLUMN seq bigint NOT NULL DEFAULT 0;
    ALTER TABLE parcels ADD COLUMN synthetic boolean NOT NULL DEFAULT false;
    CREATE INDEX parcels_lon_lat ON parcels (lon, lat);
    CREATE INDEX parcels_region ON parcels (region_code);
    -- Append-only lifecycle: one row per step; seq is the step's event (null for bulk imports).
    CREATE TABLE parcel_steps (
      id bigserial PRIMARY KEY,
      code text NOT NULL,
      step text NOT NULL,
      department text NOT NULL,
      actor_name text NOT NULL,
      actor_role text NOT NULL,
      at timestamptz NOT NULL,
      documents jsonb NOT NULL,
      note text,
      seq bigint
    );
    CREATE INDEX parcel_steps_code ON parcel_steps (code, id);
    -- Last sequence issued per region and year: codes never repeat (row lock per region-year).
    CREATE TABLE parcel_sequences (
      adcode text NOT NULL,
      year int NOT NULL,
      last int NOT NULL,
      PRIMARY KEY (adcode, year)
    );
  `,
};

import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 10,
  name: 'units register, last positions, thinned tracks; tokens bound to a unit',
  sql: `
    -- The register: one row per unit; every change of it is a unit:updated event (and audited).
    CREATE TABLE units (
      id text PRIMARY KEY,
      call_sign text NOT NULL,
      kind text NOT NULL,
      agency text,
      station_id text,
      serves jsonb NOT NULL,
      status text NOT NULL,
      status_since timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      seq bigint NOT NULL
    );
    -- One row per unit, made with it: its last position (null until it reports) and when its
    -- track last kept a point. Position batches lock these rows, never the register's.
    CREATE TABLE unit_positions (
      unit_id text PRIMARY KEY REFERENCES units (id),
      lon double precision,
      lat double precision,
      at timestamptz,
      speed double precision,
      heading double precision,
      received_at timestamptz,
      track_at timestamptz
    );
    -- The thinned track: a point per unit at most every 30 s, deleted after 7 days.
    CREATE TABLE unit_track (
      unit_id text NOT NULL,
      at timestamptz NOT NULL,
      lon double precision NOT NULL,
      lat double precision NOT NULL,
      speed double precision,
      heading double precision,
      PRIMARY KEY (unit_id, at)
    );
    CREATE INDEX unit_track_at ON unit_track (at);
    ALTER TABLE tokens ADD COLUMN unit_id text;
  `,
};

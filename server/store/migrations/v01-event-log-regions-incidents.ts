import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 1,
  name: 'event log, regions, incidents, tokens, demo inputs',
  sql: `
    -- One row holding the last seq handed out. Taking its row lock first serialises writers, so
    -- seqs commit in order and without gaps (readers resuming from a seq never skip one).
    CREATE TABLE log_head (id int PRIMARY KEY CHECK (id = 1), seq bigint NOT NULL);
    INSERT INTO log_head (id, seq) VALUES (1, 0);
    CREATE TABLE events (
      seq bigint PRIMARY KEY,
      type text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE regions (
      code text PRIMARY KEY,
      ord int NOT NULL,
      name text NOT NULL,
      population double precision,
      population_source text,
      geometry jsonb NOT NULL,
      properties jsonb NOT NULL DEFAULT '{}'
    );
    CREATE TABLE incidents (
      id text PRIMARY KEY,
      source text NOT NULL,
      external_id text NOT NULL,
      category text NOT NULL,
      severity text NOT NULL,
      status text NOT NULL,
      geometry jsonb NOT NULL,
      lon double precision NOT NULL,
      lat double precision NOT NULL,
      occurred_at timestamptz NOT NULL,
      reported_at timestamptz NOT NULL,
      title text NOT NULL,
      description text NOT NULL,
      reporter jsonb,
      region_code text,
      seq bigint NOT NULL,
      attributes jsonb NOT NULL DEFAULT '{}',
      UNIQUE (source, external_id)
    );
    CREATE INDEX incidents_lon_lat ON incidents (lon, lat);
    CREATE INDEX incidents_occurred_at ON incidents (occurred_at);
    CREATE TABLE tokens (
      hash text PRIMARY KEY,
      role text NOT NULL,
      name text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE population_cells (
      id text PRIMARY KEY,
      lon double precision NOT NULL,
      lat double precision NOT NULL,
      population double precision NOT NULL,
      properties jsonb NOT NULL DEFAULT '{}'
    );
    CREATE TABLE facilities (
      id text PRIMARY KEY,
      kind text NOT NULL,
      name text NOT NULL,
      capacity double precision NOT NULL,
      lon double precision NOT NULL,
      lat double precision NOT NULL,
      properties jsonb NOT NULL DEFAULT '{}'
    );
    CREATE TABLE parcels (
      code text PRIMARY KEY,
      region_code text,
      land_use text NOT NULL,
      hazardous boolean NOT NULL DEFAULT false,
      stage text NOT NULL,
      geometry jsonb NOT NULL,
      properties jsonb NOT NULL DEFAULT '{}'
    );
    CREATE TABLE settings (key text PRIMARY KEY, value jsonb NOT NULL);
  `,
};

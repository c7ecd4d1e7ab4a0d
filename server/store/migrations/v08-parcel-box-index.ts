import type { Migration } from '../migrations.ts';

export const migration: Migration = {
  version: 8,
  name: 'parcels: GiST index on each parcel box',
  sql: `
    -- A planner's viewport query (parcels whose box meets the view) scanned every parcel: the
    -- (lon, lat) B-tree cannot answer "boxes that overlap". PostgreSQL's own box type and GiST
    -- can, on a server and in PGlite alike, so the same SQL stays on both (no PostGIS needed).
    CREATE INDEX parcels_box ON parcels USING gist (box(point(bbox[1], bbox[2]), point(bbox[3], bbox[4])));
  `,
};

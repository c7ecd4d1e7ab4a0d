/**
 * The viewport query (`listParcels` with `bbox`, answered by the `parcels_box` GiST index) against
 * a filter written here: a parcel is in when its box and the query box share at least one point.
 * Boxes sit on a 0.001° lattice, so many of them touch a query box exactly at an edge or a corner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bbox } from '../contract/common.ts';
import { mulberry32 } from '../demo/random.ts';
import type { Database } from './database.ts';
import { listParcels } from './parcels.ts';
import { openTestDatabase } from '../../test/support/server.ts';

const PARCELS = 3_000;
const STEP = 0.001;
let db: Database;
let closeDb: () => Promise<void> = async () => {};
const boxes = new Map<string, Bbox>();

/** A lattice coordinate: k steps from the origin, exactly as the test and the store both hold it. */
const at = (origin: number, k: number) => Number((origin + k * STEP).toFixed(6));

beforeAll(async () => {
  // A copy of the run's migrated empty store: initdb in WASM would take 8–25 s.
  ({ db, close: closeDb } = await openTestDatabase());
  const rand = mulberry32(8);
  const rows = Array.from({ length: PARCELS }, (_, i) => {
    const x = Math.floor(rand() * 200);
    const y = Math.floor(rand() * 100);
    const bbox: Bbox = [at(120, x), at(30, y), at(120, x + 1 + Math.floor(rand() * 3)), at(30, y + 1 + Math.floor(rand() * 3))];
    const code = `T-${String(i).padStart(5, '0')}`;
    boxes.set(code, bbox);
    return { code, bbox };
  });
  await db.query(
    `INSERT INTO parcels (code, land_use, stage, geometry, lon, lat, bbox)
     SELECT r.code, 'R', 'planned', '{}'::jsonb, (r.bbox->>0)::float8, (r.bbox->>1)::float8,
       ARRAY(SELECT jsonb_array_elements_text(r.bbox)::float8)
     FROM jsonb_to_recordset($1::jsonb) AS r(code text, bbox jsonb)`,
    [JSON.stringify(rows)],
  );
  await db.exec('ANALYZE parcels');
});
afterAll(async () => {
  await closeDb();
});

const meets = (a: Bbox, b: Bbox) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

describe('parcels in a viewport', () => {
  it('finds exactly the parcels whose boxes meet the query box, touching edges included', async () => {
    const rand = mulberry32(9);
    let touching = 0;
    for (let q = 0; q < 60; q++) {
      const x = Math.floor(rand() * 190);
      const y = Math.floor(rand() * 90);
      const query: Bbox = [at(120, x), at(30, y), at(120, x + 1 + Math.floor(rand() * 10)), at(30, y + 1 + Math.floor(rand() * 10))];
      const expected = [...boxes].filter(([, b]) => meets(b, query)).map(([code]) => code).sort();
      touching += [...boxes.values()].filter((b) => meets(b, query) && (b[2] === query[0] || b[0] === query[2] || b[3] === query[1] || b[1] === query[3])).length;
      const { parcels, truncated } = await listParcels(db, { bbox: query, limit: 10_000 });
      expect(truncated).toBe(false);
      expect(parcels.map((p) => p.properties.code)).toEqual(expected);
    }
    // The edge cases were really exercised.
    expect(touching).toBeGreaterThan(50);
  });

  it('uses the GiST index for it', async () => {
    const plan = await db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT code FROM parcels WHERE box(point(bbox[1], bbox[2]), point(bbox[3], bbox[4])) && box(point(120.01::float8, 30.01::float8), point(120.012::float8, 30.012::float8))`,
    );
    expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toContain('parcels_box');
  });
});

/**
 * Bench: the planner's viewport query, `GET /api/v1/parcels?bbox=`. 100,000 synthetic
 * parcels (a seeded SQL scatter over Hangzhou's extent, boxes 40–200 m across) in a fresh store; 200
 * seeded viewports of a planner's screen at about z15 (0.04° × 0.02°) are asked through the store's
 * own `listParcels`. Ours lets the planner use the `parcels_box` GiST index (migration 8); the
 * baseline runs the same function with index scans turned off (`SET LOCAL`), which is what every
 * viewport cost before the index: a scan of every parcel. Both must find the same parcels. Run on
 * PGlite (`parcel-bbox`) and on a throwaway PostgreSQL cluster (`parcel-bbox-postgres`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Bbox } from '../../server/contract/common.ts';
import { mulberry32 } from '../../server/demo/random.ts';
import { openPglite, type Database } from '../../server/store/database.ts';
import { migrate } from '../../server/store/migrations.ts';
import { listParcels } from '../../server/store/parcels.ts';
import { openPostgres } from '../../server/store/postgres.ts';
import { startCluster, type ThrowawayCluster } from '../postgres-cluster.mjs';
import { median, type BenchCase, type BenchResult } from './bench-case.ts';
import { machineLoad } from './machine-load.ts';

const PARCELS = 100_000;
const QUERIES = 200;
const SEED = 12;
const VIEW = { width: 0.04, height: 0.02 };
const EXTENT = { minLon: 119.9, minLat: 30.0, maxLon: 120.5, maxLat: 30.5 } as const;
/** Above what a viewport holds, so every parcel in view is read (the API defaults to 1,000, allows 10,000). */
const LIMIT = 5_000;
const TARGET_RATIO = 5;

/** Synthetic parcels straight into the table: a rectangle each, its box and centre. */
const FILL = `
  INSERT INTO parcels (code, region_code, land_use, hazardous, stage, geometry, name, lon, lat, bbox, area_m2, synthetic)
  SELECT 'BENCH-' || lpad(g::text, 6, '0'), '330106', 'R', false, 'planned',
    jsonb_build_object('type', 'Polygon', 'coordinates', jsonb_build_array(jsonb_build_array(
      jsonb_build_array(x - w, y - h), jsonb_build_array(x + w, y - h), jsonb_build_array(x + w, y + h),
      jsonb_build_array(x - w, y + h), jsonb_build_array(x - w, y - h)))),
    'synthetic bench parcel ' || g, x, y, ARRAY[x - w, y - h, x + w, y + h], 4 * w * h * 1.07e10, true
  FROM (SELECT g, ${EXTENT.minLon} + random() * ${EXTENT.maxLon - EXTENT.minLon} AS x, ${EXTENT.minLat} + random() * ${EXTENT.maxLat - EXTENT.minLat} AS y,
          0.0002 + random() * 0.0008 AS w, 0.0002 + random() * 0.0008 AS h
        FROM generate_series(1, ${PARCELS}) g) AS t`;

interface Store {
  db: Database;
  dir: string | null;
}

async function openStoreOn(cluster: ThrowawayCluster | null): Promise<Store> {
  if (!cluster) {
    const dir = mkdtempSync(path.join(tmpdir(), 'citybrain-bench-bbox-'));
    const db = await openPglite(dir);
    await migrate(db);
    return { db, dir };
  }
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query('CREATE DATABASE bench_bbox TEMPLATE template0');
  await admin.end();
  const url = new URL(cluster.url);
  url.pathname = '/bench_bbox';
  const db = await openPostgres(url.toString());
  await migrate(db);
  return { db, dir: null };
}

function viewports(): Bbox[] {
  const rand = mulberry32(SEED);
  return Array.from({ length: QUERIES }, () => {
    const minLon = EXTENT.minLon + rand() * (EXTENT.maxLon - EXTENT.minLon - VIEW.width);
    const minLat = EXTENT.minLat + rand() * (EXTENT.maxLat - EXTENT.minLat - VIEW.height);
    return [minLon, minLat, minLon + VIEW.width, minLat + VIEW.height];
  });
}

async function query(db: Database, bbox: Bbox, useIndex: boolean): Promise<{ ms: number; codes: string }> {
  const start = performance.now();
  const { parcels } = await db.transaction(async (tx) => {
    if (!useIndex) {
      await tx.query('SET LOCAL enable_indexscan = off');
      await tx.query('SET LOCAL enable_bitmapscan = off');
    }
    return listParcels(tx, { bbox, limit: LIMIT });
  });
  return { ms: performance.now() - start, codes: parcels.map((p) => p.properties.code).join() };
}

const parcelBboxOn = (engine: 'pglite' | 'postgres'): BenchCase => ({
  name: engine === 'pglite' ? 'parcel-bbox' : 'parcel-bbox-postgres',
  async run(): Promise<BenchResult> {
    const loadBefore = machineLoad();
    const cluster = engine === 'postgres' ? await startCluster() : null;
    let store: Store | null = null;
    try {
      store = await openStoreOn(cluster);
      const { db } = store;
      const fillStart = performance.now();
      await db.transaction(async (tx) => {
        await tx.query('SELECT setseed(0.12)');
        await tx.query(FILL);
      });
      await db.exec('ANALYZE parcels');
      const fillMs = performance.now() - fillStart;
      const planRows = await db.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT code FROM parcels WHERE box(point(bbox[1], bbox[2]), point(bbox[3], bbox[4])) && box(point(120.1::float8, 30.2::float8), point(120.14::float8, 30.22::float8))`,
      );

      // EXPLAIN answers one row per plan node; the index shows up in one of them.
      const plan = planRows.map((r) => r['QUERY PLAN'].trim()).join(' / ');
      const ours: number[] = [];
      const baseline: number[] = [];
      const failures: string[] = [];
      let found = 0;
      const views = viewports();
      for (const [i, view] of views.entries()) {
        // Alternate which goes first, so neither always meets the other's warmed pages.
        const first = await query(db, view, i % 2 === 0);
        const second = await query(db, view, i % 2 !== 0);
        const [indexed, scanned] = i % 2 === 0 ? [first, second] : [second, first];
        ours.push(indexed.ms);
        baseline.push(scanned.ms);
        found += indexed.codes === '' ? 0 : indexed.codes.split(',').length;
        if (indexed.codes !== scanned.codes) failures.push(`viewport ${view.map((v) => v.toFixed(4)).join(',')}: the index found other parcels than the scan`);
      }
      if (!/parcels_box/.test(plan)) failures.push(`the planner does not use parcels_box: ${plan}`);
      const [oursMs, baselineMs] = [median(ours), median(baseline)];
      const ratio = baselineMs / oursMs;
      if (!(ratio >= TARGET_RATIO)) failures.push(`the indexed viewport query is only ${ratio.toFixed(1)}x faster than the scan; the target is ${TARGET_RATIO}x`);
      return {
        name: engine === 'pglite' ? 'parcel-bbox' : 'parcel-bbox-postgres',
        ours: 1000 / oursMs,
        baseline: 1000 / baselineMs,
        unit: 'queries/s',
        ratio,
        targetRatio: TARGET_RATIO,
        notes: [
          `${PARCELS.toLocaleString('en-US')} synthetic parcels (seeded SQL scatter) on ${engine === 'pglite' ? 'PGlite in a temp folder' : 'a throwaway PostgreSQL 15 cluster (fsync off), node-postgres pool'}, stored and analysed in ${(fillMs / 1000).toFixed(1)} s`,
          `${QUERIES} seeded viewports of ${VIEW.width}° x ${VIEW.height}° through listParcels (the API's query, limit ${LIMIT}), ${(found / QUERIES).toFixed(0)} parcels each on average, same parcels both ways in every viewport: ${failures.some((f) => f.startsWith('viewport')) ? 'no' : 'yes'}`,
          `median per viewport: ours (GiST parcels_box) ${oursMs.toFixed(2)} ms, baseline (index scans off: every parcel read) ${baselineMs.toFixed(2)} ms`,
          `plan for one viewport: ${plan}`,
          `machine: ${loadBefore} before, ${machineLoad()} after`,
          `target: ours >= ${TARGET_RATIO}x the scan`,
        ],
        failures,
      };
    } finally {
      await store?.db.close();
      if (store?.dir) rmSync(store.dir, { recursive: true, force: true });
      cluster?.stop();
    }
  },
});

export const parcelBbox = parcelBboxOn('pglite');
export const parcelBboxPostgres = parcelBboxOn('postgres');

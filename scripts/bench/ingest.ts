/**
 * Bench: storing 100k incidents through the store's batch path (`insertIncidents`, one transaction
 * per `INGEST_CHUNK`) against row-at-a-time inserts, each row its own transaction; on the embedded
 * store (`ingest`) and on a real PostgreSQL server (`ingest-postgres`, a throwaway cluster started
 * for the case, node-postgres over loopback TCP).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mulberry32 } from '../../server/demo/random.ts';
import { INGEST_CHUNK } from '../../server/services/incidents.ts';
import pg from 'pg';
import { openPglite, type Database } from '../../server/store/database.ts';
import { openPostgres } from '../../server/store/postgres.ts';
import { startCluster, type ThrowawayCluster } from '../postgres-cluster.mjs';
import type { Actor } from '../../server/contract/auth.ts';
import type { NewIncident } from '../../server/store/incident-rows.ts';
import { insertIncidents } from '../../server/store/incidents.ts';
import { migrate } from '../../server/store/migrations.ts';
import { appendEvents, logEvent } from '../../server/store/event-log.ts';
import type { BenchCase, BenchResult } from './bench-case.ts';
import { machineLoad } from './machine-load.ts';
import { syntheticIncidents } from './synthetic-incidents.ts';

const ROWS = 100_000;
/**
 * Row-at-a-time runs at a few thousand rows/s here, so all 100k would take most of a minute: it
 * stores this prefix only and its rate is extrapolated.
 */
const BASELINE_ROWS = 10_000;
/** Rounds interleaving one slice of ours with one slice of the baseline, so load bursts hit both. */
const ROUNDS = 10;
const TARGET_RATIO = 30;
const ACTOR: Actor = { name: 'bench', role: 'admin' };

/** What the columns hold, as compared between the two stores. */
const COMPARED = 'source, external_id, category, severity, lon, lat, title, region_code';

export interface FreshStore {
  db: Database;
  dir: string | null;
  openMs: number;
}

type Engine = 'pglite' | 'postgres';

/** A fresh migrated store: a PGlite folder, or a new database on the case's PostgreSQL cluster. */
export async function openFresh(label: string, cluster: ThrowawayCluster | null): Promise<FreshStore> {
  const start = performance.now();
  if (cluster) {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(`bench_${label}`)} TEMPLATE template0`);
    await admin.end();
    const url = new URL(cluster.url);
    url.pathname = `/bench_${label}`;
    const db = await openPostgres(url.toString());
    await migrate(db);
    return { db, dir: null, openMs: performance.now() - start };
  }
  const dir = mkdtempSync(path.join(tmpdir(), `citybrain-bench-${label}-`));
  const db = await openPglite(dir);
  await migrate(db);
  return { db, dir, openMs: performance.now() - start };
}

export async function closeAndRemove(store: FreshStore): Promise<void> {
  await store.db.close();
  if (store.dir) rmSync(store.dir, { recursive: true, force: true });
}

/** Ours: the store's real batch path, in the chunks the intake service uses. */
async function insertBatched(db: Database, rows: readonly NewIncident[]): Promise<void> {
  for (let start = 0; start < rows.length; start += INGEST_CHUNK) {
    const outcome = await insertIncidents(db, rows.slice(start, start + INGEST_CHUNK), ACTOR);
    const created = outcome.refs.filter((r) => r.outcome === 'created').length;
    if (created !== Math.min(INGEST_CHUNK, rows.length - start)) {
      throw new Error(`insertIncidents stored ${created} of a fresh chunk at row ${start}`);
    }
  }
}

/**
 * The naive path: per incident, take the next seq, one parameterised INSERT for the row, one for
 * its status history, then its event and audit entry, in a transaction of its own (what an ORM's
 * `save()` in a loop does). It writes what `insertIncidents` writes, so only the batching differs.
 */
async function insertRowAtATime(db: Database, rows: readonly NewIncident[]): Promise<void> {
  for (const n of rows) {
    await db.transaction(async (tx) => {
      const [head] = await tx.query<{ seq: number }>('UPDATE log_head SET seq = seq + 1 WHERE id = 1 RETURNING seq');
      const seq = Number(head?.seq);
      await tx.query(
        `INSERT INTO incidents (id, source, external_id, category, severity, status, geometry, lon, lat,
           occurred_at, reported_at, title, description, reporter, region_code, seq, attributes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
        [
          n.id, n.source, n.externalId, n.category, n.severity, n.status, JSON.stringify(n.geometry), n.lon, n.lat,
          n.occurredAt, n.reportedAt, n.title, n.description, n.reporter === null ? null : JSON.stringify(n.reporter),
          n.regionCode, seq, JSON.stringify(n.attributes),
        ],
      );
      await tx.query(
        `INSERT INTO incident_changes (seq, incident_id, at, actor_name, actor_role, from_status, to_status, note)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [seq, n.id, n.reportedAt, ACTOR.name, ACTOR.role, null, n.status, null],
      );
      const { lon: _lon, lat: _lat, ...incident } = n;
      // The event with its hash-chained audit entry and NOTIFY, as the server writes one: the audit
      // chain is part of what every ingest pays, on both sides.
      await appendEvents(tx, [logEvent('incident:created', seq, { ...incident, seq })], ACTOR);
    });
  }
}

/** Problems with the seqs of a store that should hold `expected` rows and events, seq 1..expected. */
async function seqProblems(db: Database, label: string, expected: number): Promise<string[]> {
  const problems: string[] = [];
  for (const table of ['incidents', 'incident_changes', 'events'] as const) {
    const [row] = await db.query<{ n: number; distinct_seqs: number; min: number | null; max: number | null }>(
      `SELECT count(*)::int AS n, count(DISTINCT seq)::int AS distinct_seqs, min(seq)::int AS min, max(seq)::int AS max FROM ${table}`,
    );
    const ok = row && row.n === expected && row.distinct_seqs === expected && row.min === 1 && row.max === expected;
    if (!ok) problems.push(`${label} ${table}: expected seqs 1..${expected} without gaps, found ${JSON.stringify(row)}`);
  }
  // Every incident's event must carry that incident (same seq, same id), and the head must agree.
  const [joined] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM incidents i JOIN events e ON e.seq = i.seq
     WHERE e.type = 'incident:created' AND e.payload->>'id' = i.id AND (e.payload->>'seq')::bigint = i.seq`,
  );
  if (joined?.n !== expected) problems.push(`${label}: ${joined?.n} of ${expected} incidents have their own incident:created event`);
  const [audited] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM incidents i JOIN incident_changes c ON c.seq = i.seq
     WHERE c.incident_id = i.id AND c.from_status IS NULL AND c.to_status = i.status`,
  );
  if (audited?.n !== expected) problems.push(`${label}: ${audited?.n} of ${expected} incidents have their creation in incident_changes`);
  const [audit] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'incident:created'`);
  if (audit?.n !== expected) problems.push(`${label}: ${audit?.n} audit entries for ${expected} incidents`);
  const [head] = await db.query<{ seq: number }>('SELECT seq::int AS seq FROM log_head WHERE id = 1');
  if (head?.seq !== expected) problems.push(`${label}: log head is at ${head?.seq}, expected ${expected}`);
  return problems;
}

/** Rows of both stores over the baseline's prefix, compared column by column. */
async function rowMismatches(ours: Database, baseline: Database, count: number): Promise<string[]> {
  const query = `SELECT ${COMPARED} FROM incidents ORDER BY external_id LIMIT ${count}`;
  const [a, b] = [await ours.query<Record<string, unknown>>(query), await baseline.query<Record<string, unknown>>(query)];
  const problems: string[] = [];
  if (a.length !== count || b.length !== count) problems.push(`expected ${count} rows in each store, ours has ${a.length}, baseline ${b.length}`);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [left, right] = [JSON.stringify(a[i]), JSON.stringify(b[i])];
    if (left !== right) problems.push(`row ${i + 1}: ours ${left}, baseline ${right}`);
  }
  return problems;
}

const ingestOn = (engine: Engine): BenchCase => ({
  name: engine === 'pglite' ? 'ingest' : 'ingest-postgres',
  async run(): Promise<BenchResult> {
    const loadBefore = machineLoad();
    const rows = syntheticIncidents(mulberry32(7), ROWS);
    const cluster = engine === 'postgres' ? await startCluster() : null;
    // Creating a data folder is ~5-10 s of CPU-bound initdb each; two cores can do both at once.
    const opened = await Promise.allSettled([openFresh('ours', cluster), openFresh('baseline', cluster)]);
    const [ours, baseline] = opened.map((o) => (o.status === 'fulfilled' ? o.value : null));
    if (!ours || !baseline) {
      for (const store of [ours, baseline]) if (store) await closeAndRemove(store);
      cluster?.stop();
      const failed = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      throw failed?.reason instanceof Error ? failed.reason : new Error(`could not open a fresh store: ${String(failed?.reason)}`);
    }
    try {
      // Slices line up with whole chunks, so ours commits exactly the transactions the service would.
      const chunksPerRound = Math.ceil(ROWS / INGEST_CHUNK / ROUNDS);
      const ourSlice = chunksPerRound * INGEST_CHUNK;
      const baselineSlice = Math.ceil(BASELINE_ROWS / ROUNDS);
      let ourMs = 0;
      let baselineMs = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const oursStart = performance.now();
        await insertBatched(ours.db, rows.slice(round * ourSlice, Math.min(ROWS, (round + 1) * ourSlice)));
        ourMs += performance.now() - oursStart;
        const baselineStart = performance.now();
        await insertRowAtATime(baseline.db, rows.slice(round * baselineSlice, Math.min(BASELINE_ROWS, (round + 1) * baselineSlice)));
        baselineMs += performance.now() - baselineStart;
      }

      const failures = [
        ...(await seqProblems(ours.db, 'ours', ROWS)),
        ...(await seqProblems(baseline.db, 'baseline', BASELINE_ROWS)),
      ];
      const mismatches = await rowMismatches(ours.db, baseline.db, BASELINE_ROWS);
      if (mismatches.length > 0) failures.push(`${mismatches.length} of ${BASELINE_ROWS} rows differ between the stores, e.g. ${mismatches.slice(0, 3).join('; ')}`);

      const oursRate = ROWS / (ourMs / 1000);
      const baselineRate = BASELINE_ROWS / (baselineMs / 1000);
      const ratio = oursRate / baselineRate;
      if (ratio < TARGET_RATIO) failures.push(`ratio ${ratio.toFixed(1)} is below the target of ${TARGET_RATIO}`);
      return {
        name: engine === 'pglite' ? 'ingest' : 'ingest-postgres',
        ours: oursRate,
        baseline: baselineRate,
        unit: 'rows/s',
        ratio,
        targetRatio: TARGET_RATIO,
        notes: [
          engine === 'pglite'
            ? `${ROWS} seeded incidents (demo-like titles, 55% with a reporter) into fresh PGlite stores in temp folders (open + migrate ${ours.openMs.toFixed(0)} / ${baseline.openMs.toFixed(0)} ms, not timed)`
            : `${ROWS} seeded incidents into two fresh databases on a throwaway PostgreSQL 15 cluster on loopback (fsync off, as in the tests), through the server's pool (every write transaction takes the cross-node advisory lock)`,
          `ours: insertIncidents in chunks of INGEST_CHUNK=${INGEST_CHUNK} (one transaction each: dedup lookup, seq reservation, rows, audit entries and events as JSON), all ${ROWS} rows in ${(ourMs / 1000).toFixed(2)} s`,
          `baseline: per row one transaction of log_head UPDATE + INSERT incidents VALUES ($1..$17) + INSERT incident_changes + its event, audit entry (hash-chained) and NOTIFY, on the first ${BASELINE_ROWS} rows only (${(baselineMs / 1000).toFixed(2)} s); rate extrapolated, and it ran on a smaller table`,
          `${ROUNDS} rounds interleave ${ourSlice} rows of ours with ${baselineSlice} of the baseline; each rate is rows / summed time`,
          `same ${COMPARED} on the first ${BASELINE_ROWS} rows: ${mismatches.length} mismatches; seqs 1..${ROWS} without gaps in incidents, incident_changes and events of ours: ${failures.some((f) => f.startsWith('ours')) ? 'no' : 'yes'}`,
          `machine: ${loadBefore} before, ${machineLoad()} after`,
          `target: ours >= ${TARGET_RATIO}x baseline`,
        ],
        failures,
      };
    } finally {
      await closeAndRemove(ours);
      await closeAndRemove(baseline);
      cluster?.stop();
    }
  },
});

export const ingest = ingestOn('pglite');
export const ingestPostgres = ingestOn('postgres');

/**
 * Bench: a feed re-sending 10k stored records with a newer version, applied through the store's
 * batch upsert (`insertIncidents`, one transaction per `INGEST_CHUNK`) against an ORM-style
 * find-then-save per record, each its own transaction, on the embedded store (PGlite). Both sides
 * write the same updated rows, history entries (with the fields changed), events and audit entries.
 */
import { randomUUID } from 'node:crypto';
import type { Severity } from '../../server/contract/incidents.ts';
import type { IncidentUpdatedEvent } from '../../server/contract/events.ts';
import { incidentTitle } from '../../server/demo/incident-text.ts';
import { mulberry32, type Random } from '../../server/demo/random.ts';
import { compareVersions } from '../../server/domain/incidents/draft.ts';
import { INGEST_CHUNK } from '../../server/services/incidents.ts';
import type { Database } from '../../server/store/database.ts';
import { appendEvents, lockLog, logEvent, reserveSeqs } from '../../server/store/event-log.ts';
import type { Actor } from '../../server/contract/auth.ts';
import type { IncidentRow } from '../../server/store/incident-rows.ts';
import { applied, changedFields, stateOf } from '../../server/store/incident-batch.ts';
import type { NewIncident } from '../../server/store/incident-rows.ts';
import { insertIncidents } from '../../server/store/incidents.ts';
import type { BenchCase, BenchResult } from './bench-case.ts';
import { closeAndRemove, openFresh } from './ingest.ts';
import { machineLoad } from './machine-load.ts';
import { syntheticIncidents } from './synthetic-incidents.ts';

/** Incidents stored before timing starts, and as many updates (one per incident). */
const ROWS = 10_000;
/**
 * Find-then-save runs a few hundred records/s here, so all 10k would take most of a minute: it
 * applies this prefix of the updates only and its rate is extrapolated.
 */
const BASELINE_ROWS = 2_000;
/**
 * Rounds interleaving one slice of ours with one slice of the baseline, so load bursts hit both;
 * five, so that each of ours is one whole chunk of INGEST_CHUNK (2,000) and no round is empty.
 */
const ROUNDS = 5;
const TARGET_RATIO = 10;
const ACTOR: Actor = { name: 'bench', role: 'admin' };
const SEVERITIES: readonly Severity[] = ['unknown', 'minor', 'moderate', 'severe', 'extreme'];
/** Up to ~200 m, so a moved point stays in its district and the region code stays right. */
const MAX_SHIFT_DEGREES = 0.002;
/** What the columns hold, as compared between the two stores. */
const COMPARED = 'source, external_id, category, severity, status, lon, lat, title, version';

/**
 * Version 2 of each stored record, in a seeded shuffled order (a feed re-sends in its own order,
 * not the store's): every point moves, about half change severity and half their title, so the
 * history entries name different sets of fields.
 */
function syntheticUpdates(rand: Random, stored: readonly NewIncident[]): NewIncident[] {
  const updates = stored.map((n): NewIncident => {
    const lon = n.lon + (rand() * 2 - 1) * MAX_SHIFT_DEGREES;
    const lat = n.lat + (rand() * 2 - 1) * MAX_SHIFT_DEGREES;
    const others = SEVERITIES.filter((s) => s !== n.severity);
    const severity = rand() < 0.5 ? (others[Math.floor(rand() * others.length)] ?? n.severity) : n.severity;
    const place = /（(.*)）$/.exec(n.title)?.[1] ?? '杭州';
    const newTitle = `${incidentTitle(rand, n.category, place)}（续报）`;
    const title = rand() < 0.5 ? newTitle : n.title;
    return {
      ...n,
      // A fresh id, as intake gives every record; never stored, since a matched record keeps the incident's.
      id: randomUUID(),
      severity,
      title,
      geometry: { type: 'Point', coordinates: [lon, lat] },
      lon,
      lat,
      reportedAt: new Date(Date.parse(n.reportedAt) + 3_600_000).toISOString(),
      version: [2],
    };
  });
  for (let i = updates.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [updates[i], updates[j]] = [updates[j]!, updates[i]!];
  }
  return updates;
}

/** Ours, and the untimed load of both stores: the store's real batch path, in the chunks the intake service uses. */
async function upsertBatched(db: Database, rows: readonly NewIncident[], expected: 'created' | 'updated'): Promise<void> {
  for (let start = 0; start < rows.length; start += INGEST_CHUNK) {
    const outcome = await insertIncidents(db, rows.slice(start, start + INGEST_CHUNK), ACTOR);
    const done = outcome.refs.filter((r) => r.outcome === expected).length;
    if (done !== Math.min(INGEST_CHUNK, rows.length - start)) {
      throw new Error(`insertIncidents ${expected} ${done} of a chunk of ${Math.min(INGEST_CHUNK, rows.length - start)} at row ${start}`);
    }
  }
}

/**
 * The naive path: per record, its own transaction that locks the log head, finds the stored row by
 * (source, external id), compares versions in JS, saves the whole row, inserts its history entry
 * and appends its event with the audit entry (what an ORM's find-then-save in a loop does). It
 * writes what `insertIncidents` writes, so only the batching differs. Returns the duplicates met.
 */
async function updateRowAtATime(db: Database, rows: readonly NewIncident[]): Promise<number> {
  let duplicates = 0;
  for (const n of rows) {
    await db.transaction(async (tx) => {
      await lockLog(tx);
      const [row] = await tx.query<IncidentRow>('SELECT * FROM incidents WHERE source = $1 AND external_id = $2', [n.source, n.externalId]);
      if (!row) throw new Error(`baseline: no stored incident ${n.source}/${n.externalId}`);
      if (compareVersions(n.version ?? [], row.version ?? []) <= 0) {
        duplicates++;
        return;
      }
      // The store's own rule for what a newer version changes (pure): only the I/O pattern differs.
      const before = stateOf(row);
      const { lon: _lon, lat: _lat, version: _version, ...after } = applied(before, n);
      const status = after.status;
      const fields = changedFields(before, { ...after, lon: n.lon, lat: n.lat, version: n.version ?? [] });
      const seq = await reserveSeqs(tx, 1);
      await tx.query(
        `UPDATE incidents SET category = $2, severity = $3, status = $4, geometry = $5, lon = $6, lat = $7,
           occurred_at = $8, title = $9, description = $10, reporter = $11, region_code = $12, seq = $13,
           attributes = $14, version = $15, drill = $16
         WHERE id = $1`,
        [
          row.id, after.category, after.severity, after.status, JSON.stringify(after.geometry), n.lon, n.lat,
          after.occurredAt, after.title, after.description, after.reporter === null ? null : JSON.stringify(after.reporter),
          after.regionCode, seq, JSON.stringify(after.attributes), JSON.stringify(n.version ?? []), after.drill,
        ],
      );
      await tx.query(
        `INSERT INTO incident_changes (seq, incident_id, at, actor_name, actor_role, from_status, to_status, note, fields)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [seq, row.id, n.reportedAt, ACTOR.name, ACTOR.role, before.status, status, null, JSON.stringify(fields)],
      );
      const change = { seq, at: n.reportedAt, actor: ACTOR, from: before.status, to: status, note: null, fields };
      const event: IncidentUpdatedEvent = { ...after, seq, change };
      // The event with its hash-chained audit entry and NOTIFY, as the server writes one.
      await appendEvents(tx, [logEvent('incident:updated', seq, event)], ACTOR);
    });
  }
  return duplicates;
}

/**
 * Problems with a store that was loaded with `created` incidents (seqs 1..created) and then given
 * `updated` updates: one history entry, event and audit entry each, seqs continuing without gaps.
 */
async function seqProblems(db: Database, label: string, created: number, updated: number): Promise<string[]> {
  const total = created + updated;
  const problems: string[] = [];
  for (const table of ['incident_changes', 'events'] as const) {
    const [row] = await db.query<{ n: number; distinct_seqs: number; min: number | null; max: number | null }>(
      `SELECT count(*)::int AS n, count(DISTINCT seq)::int AS distinct_seqs, min(seq)::int AS min, max(seq)::int AS max FROM ${table}`,
    );
    const ok = row && row.n === total && row.distinct_seqs === total && row.min === 1 && row.max === total;
    if (!ok) problems.push(`${label} ${table}: expected seqs 1..${total} without gaps, found ${JSON.stringify(row)}`);
  }
  const [events] = await db.query<{ n: number; min: number | null }>(`SELECT count(*)::int AS n, min(seq)::int AS min FROM events WHERE type = 'incident:updated'`);
  if (events?.n !== updated || events.min !== created + 1) problems.push(`${label}: ${events?.n} incident:updated events from seq ${events?.min}, expected ${updated} from ${created + 1}`);
  // Each update's history entry has its own event (same seq, same incident, same fields) and the
  // incident row carries that seq; one entry per incident, since each was updated once.
  const [matched] = await db.query<{ n: number; incidents: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT c.incident_id)::int AS incidents
     FROM incident_changes c JOIN events e ON e.seq = c.seq JOIN incidents i ON i.id = c.incident_id AND i.seq = c.seq
     WHERE c.fields IS NOT NULL AND e.type = 'incident:updated' AND e.payload->>'id' = c.incident_id
       AND e.payload->'change'->'fields' = c.fields AND (e.payload->>'seq')::bigint = c.seq`,
  );
  if (matched?.n !== updated || matched.incidents !== updated) {
    problems.push(`${label}: ${matched?.n} of ${updated} updates have a history entry, an event and a row that agree (${matched?.incidents} incidents)`);
  }
  const [audit] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'incident:updated'`);
  if (audit?.n !== updated) problems.push(`${label}: ${audit?.n} incident:updated audit entries for ${updated} updates`);
  const [rows] = await db.query<{ n: number; v2: number }>(`SELECT count(*)::int AS n, count(*) FILTER (WHERE version = '[2]')::int AS v2 FROM incidents`);
  if (rows?.n !== created || rows.v2 !== updated) problems.push(`${label}: ${rows?.n} incidents, ${rows?.v2} at version [2]; expected ${created} and ${updated}`);
  const [head] = await db.query<{ seq: number }>('SELECT seq::int AS seq FROM log_head WHERE id = 1');
  if (head?.seq !== total) problems.push(`${label}: log head is at ${head?.seq}, expected ${total}`);
  return problems;
}

/** Final rows and history entries of both stores over the records the baseline updated, compared column by column. */
async function rowMismatches(ours: Database, baseline: Database, externalIds: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  const queries = [
    `SELECT ${COMPARED} FROM incidents WHERE external_id = ANY($1::text[]) ORDER BY external_id`,
    `SELECT i.external_id, c.from_status, c.to_status, c.fields FROM incident_changes c JOIN incidents i ON i.id = c.incident_id
     WHERE c.fields IS NOT NULL AND i.external_id = ANY($1::text[]) ORDER BY i.external_id`,
  ];
  for (const [q, what] of queries.map((q, k) => [q, k === 0 ? 'row' : 'history entry'] as const)) {
    const a = await ours.query<Record<string, unknown>>(q, [externalIds]);
    const b = await baseline.query<Record<string, unknown>>(q, [externalIds]);
    if (a.length !== externalIds.length || b.length !== externalIds.length) {
      problems.push(`expected ${externalIds.length} ${what}s in each store, ours has ${a.length}, baseline ${b.length}`);
    }
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const [left, right] = [JSON.stringify(a[i]), JSON.stringify(b[i])];
      if (left !== right) problems.push(`${what} ${i + 1}: ours ${left}, baseline ${right}`);
    }
  }
  return problems;
}

/** Ours against what the updates say, on every record (the baseline covers only its prefix). */
async function oursAgainstUpdates(db: Database, updates: readonly NewIncident[]): Promise<string[]> {
  const rows = await db.query<{ external_id: string; severity: string; title: string; lon: number; lat: number }>(
    'SELECT external_id, severity, title, lon, lat FROM incidents',
  );
  const byId = new Map(rows.map((r) => [r.external_id, r]));
  const problems: string[] = [];
  for (const u of updates) {
    const r = byId.get(u.externalId);
    if (!r || r.severity !== u.severity || r.title !== u.title || Number(r.lon) !== u.lon || Number(r.lat) !== u.lat) {
      problems.push(`${u.externalId}: stored ${JSON.stringify(r)}, update says ${JSON.stringify({ severity: u.severity, title: u.title, lon: u.lon, lat: u.lat })}`);
    }
  }
  return problems;
}

export const ingestUpdates: BenchCase = {
  name: 'ingest-updates',
  async run(): Promise<BenchResult> {
    const loadBefore = machineLoad();
    const stored = syntheticIncidents(mulberry32(7), ROWS).map((n) => ({ ...n, version: [1] }));
    const updates = syntheticUpdates(mulberry32(11), stored);
    const opened = await Promise.allSettled([openFresh('updates-ours', null), openFresh('updates-baseline', null)]);
    const [ours, baseline] = opened.map((o) => (o.status === 'fulfilled' ? o.value : null));
    if (!ours || !baseline) {
      for (const store of [ours, baseline]) if (store) await closeAndRemove(store);
      const failed = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
      throw failed?.reason instanceof Error ? failed.reason : new Error(`could not open a fresh store: ${String(failed?.reason)}`);
    }
    try {
      // Both stores start alike: the same incidents, ids and seqs, stored by the batch path, untimed.
      const loadStart = performance.now();
      await upsertBatched(ours.db, stored, 'created');
      await upsertBatched(baseline.db, stored, 'created');
      const loadMs = performance.now() - loadStart;

      // Slices line up with whole chunks, so ours commits exactly the transactions the service would.
      const chunksPerRound = Math.ceil(ROWS / INGEST_CHUNK / ROUNDS);
      const ourSlice = chunksPerRound * INGEST_CHUNK;
      const baselineSlice = Math.ceil(BASELINE_ROWS / ROUNDS);
      let ourMs = 0;
      let baselineMs = 0;
      let duplicates = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const oursStart = performance.now();
        await upsertBatched(ours.db, updates.slice(round * ourSlice, Math.min(ROWS, (round + 1) * ourSlice)), 'updated');
        ourMs += performance.now() - oursStart;
        const baselineStart = performance.now();
        duplicates += await updateRowAtATime(baseline.db, updates.slice(round * baselineSlice, Math.min(BASELINE_ROWS, (round + 1) * baselineSlice)));
        baselineMs += performance.now() - baselineStart;
      }

      const failures = [...(await seqProblems(ours.db, 'ours', ROWS, ROWS)), ...(await seqProblems(baseline.db, 'baseline', ROWS, BASELINE_ROWS))];
      if (duplicates > 0) failures.push(`baseline found ${duplicates} of ${BASELINE_ROWS} newer versions not newer`);
      const prefix = updates.slice(0, BASELINE_ROWS).map((u) => u.externalId);
      const mismatches = await rowMismatches(ours.db, baseline.db, prefix);
      if (mismatches.length > 0) failures.push(`${mismatches.length} rows or history entries differ between the stores, e.g. ${mismatches.slice(0, 3).join('; ')}`);
      const stale = await oursAgainstUpdates(ours.db, updates);
      if (stale.length > 0) failures.push(`${stale.length} of ours' ${ROWS} rows do not hold their update, e.g. ${stale.slice(0, 3).join('; ')}`);
      const [fieldSets] = await ours.db.query<{ n: number }>('SELECT count(DISTINCT fields)::int AS n FROM incident_changes WHERE fields IS NOT NULL');

      const oursRate = ROWS / (ourMs / 1000);
      const baselineRate = BASELINE_ROWS / (baselineMs / 1000);
      const ratio = oursRate / baselineRate;
      if (ratio < TARGET_RATIO) failures.push(`ratio ${ratio.toFixed(1)} is below the target of ${TARGET_RATIO}`);
      return {
        name: 'ingest-updates',
        ours: oursRate,
        baseline: baselineRate,
        unit: 'updates/s',
        ratio,
        targetRatio: TARGET_RATIO,
        notes: [
          `${ROWS} seeded incidents at version [1] stored in two fresh PGlite stores in temp folders by insertIncidents (open + migrate ${ours.openMs.toFixed(0)} / ${baseline.openMs.toFixed(0)} ms, load ${(loadMs / 1000).toFixed(2)} s, not timed); then version [2] of each, shuffled: every point moved ≤ ${MAX_SHIFT_DEGREES}°, about half with a new severity, half a new title (${fieldSets?.n} distinct field sets in history)`,
          `ours: insertIncidents in chunks of INGEST_CHUNK=${INGEST_CHUNK} (one transaction each: lookup by id and alias, pending cancels, seq reservation, one UPDATE from JSON, history entries, events and audit entries), all ${ROWS} updates in ${(ourMs / 1000).toFixed(2)} s`,
          `baseline: per update one transaction of lockLog + SELECT by (source, external_id) + compareVersions in JS + log_head UPDATE + UPDATE incidents ($1..$16) + INSERT incident_changes + its event, audit entry (hash-chained) and NOTIFY, on the first ${BASELINE_ROWS} updates only (${(baselineMs / 1000).toFixed(2)} s); rate extrapolated`,
          `${ROUNDS} rounds interleave ${ourSlice} updates of ours with ${baselineSlice} of the baseline; each rate is updates / summed time`,
          `same ${COMPARED} and history entries (from, to, fields) on the ${BASELINE_ROWS} records the baseline updated: ${mismatches.length} mismatches; ours holds every update: ${stale.length === 0 ? 'yes' : 'no'}; one incident:updated event, history entry and audit entry per update, seqs gapless: ${failures.some((f) => f.startsWith('ours')) ? 'no' : 'yes'} (ours), ${failures.some((f) => f.startsWith('baseline')) ? 'no' : 'yes'} (baseline)`,
          `machine: ${loadBefore} before, ${machineLoad()} after`,
          `target: ours >= ${TARGET_RATIO}x baseline`,
        ],
        failures,
      };
    } finally {
      await closeAndRemove(ours);
      await closeAndRemove(baseline);
    }
  },
};

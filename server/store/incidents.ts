/**
 * Incident rows: batch upsert by (source, externalId) and record version, notices about earlier
 * records, queries, reassignment.
 */
import type { Bbox } from '../contract/common.ts';
import type { LogEvent } from '../contract/events.ts';
import { FINAL_STATUSES, type Incident, type IngestNotice, type IngestOutcome, type Status } from '../contract/incidents.ts';
import { compareVersions, type SourceStatus } from '../domain/incidents/draft.ts';
import type { ParsedNotice } from '../ingest/json.ts';
import type { Database, Sql } from './database.ts';
import { appendEvents, lockLog, logEvent, reserveSeqs } from './event-log.ts';
import type { Actor } from '../contract/auth.ts';
import { insertChanges, type NewChange } from './incident-changes.ts';
import { fromRow, type IncidentRow } from './incident-rows.ts';

/** An incident ready to store: everything but its `seq`, plus the point used for queries. */
export interface NewIncident extends Omit<Incident, 'seq'> {
  lon: number;
  lat: number;
  /** The source record's version (see `compareVersions`); absent: unversioned. */
  version?: (number | null)[];
  /** What the source says of it; `status` is the status it gets when it is created. */
  sourceStatus?: SourceStatus;
  /** Ids of the same source that this record updates, besides its own `externalId`. */
  refers?: readonly string[];
  /** More ids of the same source by which later records may name this one. */
  aliases?: readonly string[];
}

export interface StoredRef {
  id: string;
  seq: number;
  regionCode: string | null;
}

export interface InsertOutcome {
  /** The events written, in seq order: `incident:created` and `incident:updated`. */
  events: LogEvent[];
  /** For every input, in order: the stored incident it created, updated or matched. */
  refs: (StoredRef & { outcome: IngestOutcome })[];
}

/** An incident as held while a batch is applied: the contract's fields plus the query point and version. */
export type State = Incident & { lon: number; lat: number; version: (number | null)[] };

type Op =
  | { kind: 'create'; state: State }
  | { kind: 'update'; before: State; state: State; fields: string[]; at: string };

const keyOf = (source: string, externalId: string): string => JSON.stringify([source, externalId]);

/** The fields a source's update may change, compared to say what changed. */
const UPDATED_FIELDS = ['category', 'severity', 'geometry', 'regionCode', 'occurredAt', 'title', 'description', 'reporter', 'attributes', 'drill', 'status'] as const;

/** The status a record is created with: what the source says, in the workflow's words. */
const statusOnCreate = (n: NewIncident): Status =>
  n.sourceStatus === 'cancelled' ? 'cancelled' : n.sourceStatus === 'closed' ? 'resolved' : n.status;

/**
 * A source's newer version applied to a stored incident. Descriptive fields are the source's; the
 * status moves only forward and only from an open state: `closed` resolves it, `cancelled` ends it
 * as cancelled, `open` leaves the operators' workflow step as it is, and a final status (resolved,
 * rejected, cancelled) is never changed by a feed.
 */
export function applied(before: State, n: NewIncident): State {
  const status = FINAL_STATUSES.has(before.status) ? before.status : n.sourceStatus === 'cancelled' ? 'cancelled' : n.sourceStatus === 'closed' ? 'resolved' : before.status;
  return {
    ...before,
    category: n.category,
    severity: n.severity,
    geometry: n.geometry,
    regionCode: n.regionCode,
    occurredAt: n.occurredAt,
    title: n.title,
    description: n.description,
    reporter: n.reporter,
    attributes: n.attributes,
    drill: n.drill,
    lon: n.lon,
    lat: n.lat,
    version: n.version ?? [],
    status,
  };
}

const same = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

export function changedFields(before: State, after: State): string[] {
  const fields: string[] = UPDATED_FIELDS.filter((f) => !same(before[f], after[f]));
  return fields.length > 0 ? fields : ['version'];
}

export const stateOf = (r: IncidentRow): State => ({ ...fromRow(r), lon: Number(r.lon), lat: Number(r.lat), version: r.version ?? [] });
const stateOfNew = (n: NewIncident, status: Status): State => {
  const { sourceStatus: _s, refers: _r, aliases: _a, ...incident } = n;
  return { ...incident, status, version: n.version ?? [], seq: 0 };
};
const incidentOf = (state: State): Incident => {
  const { lon: _lon, lat: _lat, version: _version, ...incident } = state;
  return incident;
};

/** Stored incidents that any of `pairs` (source, id) names, by their externalId or an alias. */
async function incidentsNamed(tx: Sql, pairs: readonly { source: string; key: string }[]): Promise<(IncidentRow & { lookup: string })[]> {
  if (pairs.length === 0) return [];
  return tx.query(
    `SELECT k.key AS lookup, i.* FROM jsonb_to_recordset($1::jsonb) AS k(source text, key text)
       JOIN incidents i ON i.source = k.source AND i.external_id = k.key
     UNION ALL
     SELECT k.key AS lookup, i.* FROM jsonb_to_recordset($1::jsonb) AS k(source text, key text)
       JOIN incident_aliases a ON a.source = k.source AND a.alias = k.key
       JOIN incidents i ON i.id = a.incident_id`,
    [JSON.stringify(pairs)],
  );
}

/** The newest cancellation recorded (a Cancel that arrived before what it names) for each (source, id) named. */
async function pendingCancellations(tx: Sql, keys: readonly string[]): Promise<Map<string, (number | null)[]>> {
  const found = new Map<string, (number | null)[]>();
  if (keys.length === 0) return found;
  const rows = await tx.query<{ source: string; refers: string[]; version: (number | null)[] }>(
    `SELECT source, refers, version FROM feed_notices WHERE kind = 'cancel' AND NOT drill AND refers ?| $1::text[]`,
    [keys],
  );
  for (const r of rows) {
    for (const ref of r.refers) {
      const key = keyOf(r.source, ref);
      const known = found.get(key);
      if (!known || compareVersions(r.version, known) > 0) found.set(key, r.version);
    }
  }
  return found;
}

/** Incidents found by name while a batch is applied, kept current as the batch changes them. */
class Working {
  readonly states = new Map<string, State>();
  private readonly idsByKey = new Map<string, string[]>();
  readonly aliases: { source: string; alias: string; incident_id: string }[] = [];

  name(source: string, key: string, id: string, store: boolean): void {
    const k = keyOf(source, key);
    const ids = this.idsByKey.get(k) ?? [];
    if (ids.includes(id)) return;
    ids.push(id);
    this.idsByKey.set(k, ids);
    if (store) this.aliases.push({ source, alias: key, incident_id: id });
  }

  named(source: string, keys: readonly string[]): string[] {
    const ids = new Set<string>();
    for (const key of keys) for (const id of this.idsByKey.get(keyOf(source, key)) ?? []) ids.add(id);
    return [...ids];
  }
}

/**
 * Applies a batch of records in one transaction, each in input order: a record that names no
 * stored incident (by its `externalId` or its `refers`, against stored ids and aliases) creates
 * one; a record whose version is newer than the incident it names updates it (one history entry,
 * one `incident:updated` event); the same or an older version changes nothing (a duplicate).
 * Any interleaving of the versions of one record therefore ends at the newest.
 */
export async function insertIncidents(db: Database, batch: readonly NewIncident[], actor: Actor): Promise<InsertOutcome> {
  if (batch.length === 0) return { events: [], refs: [] };
  return db.transaction(async (tx) => {
    await lockLog(tx);
    const work = new Working();
    const pairs = new Map<string, { source: string; key: string }>();
    for (const n of batch) for (const key of [n.externalId, ...(n.refers ?? [])]) pairs.set(keyOf(n.source, key), { source: n.source, key });
    for (const r of await incidentsNamed(tx, [...pairs.values()])) {
      if (!work.states.has(r.id)) work.states.set(r.id, stateOf(r));
      work.name(r.source, r.lookup, r.id, false);
    }
    // Only versioned records can be older than a cancellation that came first.
    const versioned = batch.filter((n) => (n.version?.length ?? 0) > 0);
    const cancels = await pendingCancellations(tx, [...new Set(versioned.flatMap((n) => [n.externalId, ...(n.aliases ?? []), ...(n.refers ?? [])]))]);

    const ops: Op[] = [];
    const picks: { id: string; outcome: IngestOutcome }[] = [];
    for (const n of batch) {
      const targets = work.named(n.source, [n.externalId, ...(n.refers ?? [])]);
      if (targets.length === 0) {
        const cancelledBy = [n.externalId, ...(n.aliases ?? []), ...(n.refers ?? [])]
          .map((k) => cancels.get(keyOf(n.source, k)))
          .some((v) => v !== undefined && compareVersions(v, n.version ?? []) > 0);
        const state = stateOfNew(n, cancelledBy ? 'cancelled' : statusOnCreate(n));
        work.states.set(n.id, state);
        work.name(n.source, n.externalId, n.id, false);
        for (const alias of [...(n.aliases ?? []), ...(n.refers ?? [])]) work.name(n.source, alias, n.id, true);
        ops.push({ kind: 'create', state });
        picks.push({ id: n.id, outcome: 'created' });
        continue;
      }
      let outcome: IngestOutcome = 'duplicate';
      for (const id of targets) {
        const before = work.states.get(id)!;
        // Later records may name this one by its own id (a CAP Update's identifier): remember it.
        for (const alias of [n.externalId, ...(n.aliases ?? [])]) if (alias !== before.externalId) work.name(n.source, alias, id, true);
        if (compareVersions(n.version ?? [], before.version) <= 0) continue;
        // An exercise never changes a live incident (an Exercise Update naming a real alert).
        if (n.drill && !before.drill) continue;
        const state = applied(before, n);
        work.states.set(id, state);
        ops.push({ kind: 'update', before, state, fields: changedFields(before, state), at: n.reportedAt });
        outcome = 'updated';
      }
      picks.push({ id: targets[0]!, outcome });
    }

    const events = await writeOps(tx, ops, actor);
    await insertAliases(tx, work.aliases);
    const refs = picks.map(({ id, outcome }) => {
      const state = work.states.get(id)!;
      return { id, seq: state.seq, regionCode: state.regionCode, outcome };
    });
    return { events, refs };
  });
}

/**
 * Writes what a batch did: seqs in order, new rows (in their final state), changed rows, one
 * history entry and one event per operation. Returns the events.
 */
async function writeOps(tx: Sql, ops: readonly Op[], actor: Actor): Promise<LogEvent[]> {
  if (ops.length === 0) return [];
  const first = await reserveSeqs(tx, ops.length);
  const events: LogEvent[] = [];
  const changes: NewChange[] = [];
  const created = new Set<string>();
  const finals = new Map<string, State>();
  ops.forEach((op, k) => {
    const seq = first + k;
    // A fresh object per operation: an earlier event keeps the state it announced.
    const state = { ...op.state, seq };
    finals.set(state.id, state);
    if (op.kind === 'create') {
      created.add(state.id);
      changes.push({ seq, incidentId: state.id, at: state.reportedAt, actor, from: null, to: state.status, note: null });
      events.push(logEvent('incident:created', seq, incidentOf(state)));
    } else {
      const change = { seq, at: op.at, actor, from: op.before.status, to: state.status, note: null, fields: op.fields };
      changes.push({ ...change, incidentId: state.id });
      events.push(logEvent('incident:updated', seq, { ...incidentOf(state), change }));
    }
    // The next operation on the same incident starts from this one.
    op.state.seq = seq;
  });
  const finalStates = [...finals.values()];
  await insertRows(tx, finalStates.filter((s) => created.has(s.id)));
  await updateRows(tx, finalStates.filter((s) => !created.has(s.id)));
  await insertChanges(tx, changes);
  await appendEvents(tx, events, actor);
  return events;
}

async function insertAliases(tx: Sql, aliases: readonly { source: string; alias: string; incident_id: string }[]): Promise<void> {
  if (aliases.length === 0) return;
  await tx.query(
    `INSERT INTO incident_aliases (source, alias, incident_id)
     SELECT source, alias, incident_id FROM jsonb_to_recordset($1::jsonb) AS a(source text, alias text, incident_id text)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(aliases)],
  );
}

/** What recording the notices of a batch did: one answer per notice, and the events written. */
export interface NoticeOutcome {
  notices: IngestNotice[];
  events: LogEvent[];
}

/**
 * Records messages about earlier records (CAP Ack, Error, Cancel without `<info>`) against the
 * incidents they name. A Cancel ends each named incident that is still open and older than it; one
 * that names nothing stored yet is kept, and ends what it names when that arrives.
 */
export async function recordNotices(db: Database, notices: readonly ParsedNotice[], actor: Actor, atIso: string): Promise<NoticeOutcome> {
  if (notices.length === 0) return { notices: [], events: [] };
  return db.transaction(async (tx) => {
    await lockLog(tx);
    const work = new Working();
    const pairs = notices.flatMap((n) => n.refers.map((key) => ({ source: n.source, key })));
    for (const r of await incidentsNamed(tx, pairs)) {
      if (!work.states.has(r.id)) work.states.set(r.id, stateOf(r));
      work.name(r.source, r.lookup, r.id, false);
    }
    const ops: Op[] = [];
    const answers: IngestNotice[] = [];
    const rows = notices.map((n) => {
      const ids = work.named(n.source, n.refers);
      if (n.kind === 'cancel') {
        for (const id of ids) {
          const before = work.states.get(id)!;
          if (FINAL_STATUSES.has(before.status) || compareVersions(n.version, before.version) <= 0) continue;
          if (n.drill && !before.drill) continue;
          const state: State = { ...before, status: 'cancelled', version: n.version };
          work.states.set(id, state);
          ops.push({ kind: 'update', before, state, fields: ['status'], at: atIso });
        }
      }
      answers.push({ index: n.index, kind: n.kind, incidentIds: ids });
      return { source: n.source, external_id: n.externalId, kind: n.kind, refers: n.refers, version: n.version, note: n.note, drill: n.drill === true, received_at: atIso, incident_ids: ids };
    });
    const events = await writeOps(tx, ops, actor);
    await tx.query(
      `INSERT INTO feed_notices (source, external_id, kind, refers, version, note, drill, received_at, incident_ids)
       SELECT source, external_id, kind, refers, version, note, drill, received_at, incident_ids
       FROM jsonb_to_recordset($1::jsonb) AS n(source text, external_id text, kind text, refers jsonb,
         version jsonb, note text, drill boolean, received_at timestamptz, incident_ids jsonb)`,
      [JSON.stringify(rows)],
    );
    return { notices: answers, events };
  });
}

async function insertRows(tx: Sql, rows: readonly State[]): Promise<void> {
  if (rows.length === 0) return;
  // One statement per batch: a JSON array unpacked by the server beats thousands of placeholders.
  await tx.query(
    `INSERT INTO incidents (id, source, external_id, category, severity, status, geometry, lon, lat,
       occurred_at, reported_at, title, description, reporter, region_code, seq, attributes, version, drill)
     SELECT id, source, external_id, category, severity, status, geometry, lon, lat,
       occurred_at, reported_at, title, description, reporter, region_code, seq, attributes, version, drill
     FROM jsonb_to_recordset($1::jsonb) AS r(${ROW_COLUMNS})`,
    [JSON.stringify(rows.map(toRecord))],
  );
}

async function updateRows(tx: Sql, rows: readonly State[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `UPDATE incidents i SET category = r.category, severity = r.severity, status = r.status,
       geometry = r.geometry, lon = r.lon, lat = r.lat, occurred_at = r.occurred_at, title = r.title,
       description = r.description, reporter = r.reporter, region_code = r.region_code, seq = r.seq,
       attributes = r.attributes, version = r.version, drill = r.drill
     FROM jsonb_to_recordset($1::jsonb) AS r(${ROW_COLUMNS}) WHERE i.id = r.id`,
    [JSON.stringify(rows.map(toRecord))],
  );
}

const ROW_COLUMNS = `id text, source text, external_id text, category text,
  severity text, status text, geometry jsonb, lon double precision, lat double precision,
  occurred_at timestamptz, reported_at timestamptz, title text, description text, reporter jsonb,
  region_code text, seq bigint, attributes jsonb, version jsonb, drill boolean`;

const toRecord = (n: State) => ({
  id: n.id,
  source: n.source,
  external_id: n.externalId,
  category: n.category,
  severity: n.severity,
  status: n.status,
  geometry: n.geometry,
  lon: n.lon,
  lat: n.lat,
  occurred_at: n.occurredAt,
  reported_at: n.reportedAt,
  title: n.title,
  description: n.description,
  reporter: n.reporter,
  region_code: n.regionCode,
  seq: n.seq,
  attributes: n.attributes,
  version: n.version,
  drill: n.drill,
});

export interface IncidentFilter {
  bbox?: Bbox;
  statuses?: readonly string[];
  categories?: readonly string[];
  /** Only incidents that occurred at or after this instant. */
  since?: Date;
  /** Exercises: left out (`exclude`, the default), listed with the rest (`include`), or alone (`only`). */
  drill?: 'exclude' | 'include' | 'only';
  limit: number;
}

/** Incidents matching `filter`, oldest seq first; one more than `limit` tells the caller it was cut. */
export async function listIncidents(db: Sql, filter: IncidentFilter): Promise<{ incidents: Incident[]; truncated: boolean }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const param = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  if (filter.bbox) {
    const [minLon, minLat, maxLon, maxLat] = filter.bbox;
    where.push(`lat BETWEEN ${param(minLat)} AND ${param(maxLat)}`);
    // A box whose west edge lies east of its east edge crosses the antimeridian.
    where.push(
      minLon <= maxLon
        ? `lon BETWEEN ${param(minLon)} AND ${param(maxLon)}`
        : `(lon >= ${param(minLon)} OR lon <= ${param(maxLon)})`,
    );
  }
  if (filter.statuses?.length) where.push(`status = ANY(${param(filter.statuses)}::text[])`);
  if (filter.categories?.length) where.push(`category = ANY(${param(filter.categories)}::text[])`);
  if (filter.since) where.push(`occurred_at >= ${param(filter.since.toISOString())}`);
  if ((filter.drill ?? 'exclude') === 'exclude') where.push('NOT drill');
  else if (filter.drill === 'only') where.push('drill');
  const rows = await db.query<IncidentRow>(
    `SELECT * FROM incidents ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY seq LIMIT ${param(filter.limit + 1)}`,
    params,
  );
  const truncated = rows.length > filter.limit;
  return { incidents: rows.slice(0, filter.limit).map(fromRow), truncated };
}

export async function getIncident(db: Sql, id: string): Promise<Incident | null> {
  const [row] = await db.query<IncidentRow>('SELECT * FROM incidents WHERE id = $1', [id]);
  return row ? fromRow(row) : null;
}

export async function countIncidents(db: Sql): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents');
  return Number(row?.n ?? 0);
}

/** Every incident's id and query point, for recomputing regions after new boundaries arrive. */
export async function incidentPoints(tx: Sql): Promise<{ id: string; lon: number; lat: number; region_code: string | null }[]> {
  return tx.query('SELECT id, lon, lat, region_code FROM incidents');
}

export async function updateRegionCodes(tx: Sql, changes: readonly { id: string; region_code: string | null }[]): Promise<void> {
  if (changes.length === 0) return;
  await tx.query(
    `UPDATE incidents i SET region_code = c.region_code
     FROM jsonb_to_recordset($1::jsonb) AS c(id text, region_code text) WHERE i.id = c.id`,
    [JSON.stringify(changes)],
  );
}

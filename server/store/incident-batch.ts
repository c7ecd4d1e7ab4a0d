/**
 * How a batch of incident records is applied inside one transaction: the stored incidents it names
 * (by external id or alias), a source's newer version applied to one, cancellations that arrived
 * first, and the rows, history entries and events the batch writes in seq order.
 */
import type { Actor } from '../contract/auth.ts';
import type { LogEvent } from '../contract/events.ts';
import { FINAL_STATUSES, type Incident, type Status } from '../contract/incidents.ts';
import { compareVersions } from '../domain/incidents/draft.ts';
import type { Sql } from './database.ts';
import { appendEvents, logEvent, reserveSeqs } from './event-log.ts';
import { insertChanges, type NewChange } from './incident-changes.ts';
import { fromRow, type IncidentRow, type NewIncident } from './incident-rows.ts';

/** An incident as held while a batch is applied: the contract's fields plus the query point and version. */
export type State = Incident & { lon: number; lat: number; version: (number | null)[] };

export type Op =
  | { kind: 'create'; state: State }
  | { kind: 'update'; before: State; state: State; fields: string[]; at: string };

export const keyOf = (source: string, externalId: string): string => JSON.stringify([source, externalId]);

/** The fields a source's update may change, compared to say what changed. */
const UPDATED_FIELDS = ['category', 'severity', 'geometry', 'regionCode', 'occurredAt', 'title', 'description', 'reporter', 'attributes', 'drill', 'status'] as const;

/** The status a record is created with: what the source says, in the workflow's words. */
export const statusOnCreate = (n: NewIncident): Status =>
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
export const stateOfNew = (n: NewIncident, status: Status): State => {
  const { sourceStatus: _s, refers: _r, aliases: _a, ...incident } = n;
  return { ...incident, status, version: n.version ?? [], seq: 0 };
};
const incidentOf = (state: State): Incident => {
  const { lon: _lon, lat: _lat, version: _version, ...incident } = state;
  return incident;
};

/** Stored incidents that any of `pairs` (source, id) names, by their externalId or an alias. */
export async function incidentsNamed(tx: Sql, pairs: readonly { source: string; key: string }[]): Promise<(IncidentRow & { lookup: string })[]> {
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
export async function pendingCancellations(tx: Sql, keys: readonly string[]): Promise<Map<string, (number | null)[]>> {
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
export class Working {
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
 * Writes what a batch did: seqs in order, new rows (in their final state), changed rows, one
 * history entry and one event per operation. Returns the events.
 */
export async function writeOps(tx: Sql, ops: readonly Op[], actor: Actor): Promise<LogEvent[]> {
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

export async function insertAliases(tx: Sql, aliases: readonly { source: string; alias: string; incident_id: string }[]): Promise<void> {
  if (aliases.length === 0) return;
  await tx.query(
    `INSERT INTO incident_aliases (source, alias, incident_id)
     SELECT source, alias, incident_id FROM jsonb_to_recordset($1::jsonb) AS a(source text, alias text, incident_id text)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(aliases)],
  );
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

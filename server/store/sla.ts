/**
 * Clock config versions, the incidents and histories clocks and KPIs are read from, and the
 * overdue notices (each clock of an incident announced once).
 */
import type { Actor } from '../contract/auth.ts';
import type { Category, Severity, Status } from '../contract/incidents.ts';
import type { ClockName, IncidentOverdueEvent, SlaConfig, SlaConfigRecord, SlaConfigUpdate } from '../contract/sla.ts';
import type { StatusChange } from '../domain/clocks/clocks.ts';
import { saveConfigVersion, type SaveConfigOutcome } from './config-versions.ts';
import type { Database, Sql } from './database.ts';
import { appendEvents, lockLog, logEvent, reserveSeqs } from './event-log.ts';

const iso = (v: Date | string): string => new Date(v).toISOString();
const OPEN_STATUSES = "('reported', 'acknowledged', 'dispatched')";

/** The latest saved config, or `null` when nobody saved one (the default applies). */
export async function loadSlaConfig(db: Sql): Promise<SlaConfigRecord | null> {
  const [row] = await db.query<{ config: SlaConfig; saved_at: Date | string; actor_name: string; actor_role: string }>(
    'SELECT config, saved_at, actor_name, actor_role FROM sla_configs ORDER BY version DESC LIMIT 1',
  );
  if (!row) return null;
  return { config: row.config, savedAt: iso(row.saved_at), savedBy: { name: row.actor_name, role: row.actor_role } };
}

/** The config in force at `atMs`: the last one saved at or before it, or `null` for the default. */
export async function slaConfigAt(db: Sql, atMs: number): Promise<SlaConfig | null> {
  const [row] = await db.query<{ config: SlaConfig }>('SELECT config FROM sla_configs WHERE saved_at <= $1 ORDER BY version DESC LIMIT 1', [new Date(atMs).toISOString()]);
  return row?.config ?? null;
}

/** Saves the next version of the clock config, logged (and so audited) as `sla:configured`. */
export const saveSlaConfig = (db: Database, draft: SlaConfigUpdate, actor: Actor, atMs: number, defaultVersion: number): Promise<SaveConfigOutcome<SlaConfig>> =>
  saveConfigVersion<SlaConfig>(db, 'sla:configured', draft, actor, atMs, defaultVersion);

/** An incident as its clocks need it, with the changes that move them. */
export interface ClockIncident {
  id: string;
  category: Category;
  severity: Severity;
  regionCode: string | null;
  status: Status;
  lon: number;
  lat: number;
  history: StatusChange[];
}

interface IncidentRow {
  id: string;
  category: Category;
  severity: Severity;
  region_code: string | null;
  status: Status;
  lon: number;
  lat: number;
}

interface ChangeRow {
  incident_id: string;
  at: Date | string;
  from_status: Status | null;
  to_status: Status;
  assignment: { unitId: string; agency: string | null; to: string } | null;
}

/**
 * Incidents picked by `where` (SQL over `incidents i`, parameters from $2) with their status steps
 * and assignment steps up to `asOfMs` ($1), oldest first. Source updates and checklist ticks that
 * keep the status move no clock and are left out.
 */
async function withHistories(db: Sql, where: string, asOfMs: number, params: unknown[]): Promise<ClockIncident[]> {
  const asOf = new Date(asOfMs).toISOString();
  const chosen = `SELECT i.id FROM incidents i WHERE ${where}`;
  const rows = await db.query<IncidentRow>(`SELECT id, category, severity, region_code, status, lon, lat FROM incidents WHERE id IN (${chosen}) AND reported_at <= $1 ORDER BY id`, [asOf, ...params]);
  const changes = await db.query<ChangeRow>(
    `SELECT incident_id, at, from_status, to_status, assignment FROM incident_changes
     WHERE incident_id IN (${chosen}) AND at <= $1 AND (from_status IS DISTINCT FROM to_status OR assignment IS NOT NULL)
     ORDER BY incident_id, seq`,
    [asOf, ...params],
  );
  const histories = new Map<string, StatusChange[]>();
  for (const c of changes) {
    let list = histories.get(c.incident_id);
    if (!list) histories.set(c.incident_id, (list = []));
    list.push({ at: new Date(c.at).getTime(), from: c.from_status, to: c.to_status, assignment: c.assignment });
  }
  return rows.map((r) => ({
    id: r.id,
    category: r.category,
    severity: r.severity,
    regionCode: r.region_code,
    status: r.status,
    lon: r.lon,
    lat: r.lat,
    history: histories.get(r.id) ?? [],
  }));
}

/**
 * What the KPIs of `[fromMs, toMs)` read at `asOfMs`: exercises left out, every incident reported in
 * the period, and those reported before it still open at `asOfMs` (the backlog).
 */
export function incidentsForKpis(db: Sql, fromMs: number, toMs: number, asOfMs: number): Promise<ClockIncident[]> {
  return withHistories(
    db,
    `NOT i.drill AND i.reported_at <= $1 AND i.reported_at < $3
     AND (i.reported_at >= $2 OR NOT EXISTS (
       SELECT 1 FROM incident_changes c WHERE c.incident_id = i.id AND c.to_status IN ('resolved', 'rejected', 'cancelled') AND c.at <= $1))`,
    asOfMs,
    [new Date(fromMs).toISOString(), new Date(toMs).toISOString()],
  );
}

/** The incidents `ids` with their histories up to `asOfMs` (missing ids are left out). */
export function incidentsWithHistories(db: Sql, ids: readonly string[], asOfMs: number): Promise<ClockIncident[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return withHistories(db, 'i.id IN (SELECT jsonb_array_elements_text($2::jsonb))', asOfMs, [JSON.stringify(ids)]);
}

/** An open incident as the overdue schedule needs it: when its clocks started and which were announced. */
export interface OpenIncident {
  id: string;
  category: Category;
  severity: Severity;
  reportedMs: number;
  announced: ClockName[];
}

/** Open incidents that are not exercises, with the clocks already announced overdue. */
export async function openIncidentsForOverdue(db: Sql): Promise<OpenIncident[]> {
  const rows = await db.query<{ id: string; category: Category; severity: Severity; reported_at: Date | string; announced: ClockName[] | null }>(
    `SELECT i.id, i.category, i.severity, i.reported_at,
       (SELECT json_agg(n.clock) FROM overdue_notices n WHERE n.incident_id = i.id) AS announced
     FROM incidents i WHERE i.status IN ${OPEN_STATUSES} AND NOT i.drill`,
  );
  return rows.map((r) => ({ id: r.id, category: r.category, severity: r.severity, reportedMs: new Date(r.reported_at).getTime(), announced: r.announced ?? [] }));
}

/**
 * Stores overdue notices and their `incident:overdue` events, skipping clocks already announced
 * (by this node before a restart, or by another node): returns the events stored. The log's writer
 * lock is taken first, so two nodes checking the same clock at once store it once.
 */
export async function recordOverdue(db: Database, notices: readonly Omit<IncidentOverdueEvent, 'seq'>[]): Promise<IncidentOverdueEvent[]> {
  if (notices.length === 0) return [];
  return db.transaction(async (tx) => {
    await lockLog(tx);
    const taken = await tx.query<{ incident_id: string; clock: string }>(
      `SELECT n.incident_id, n.clock FROM overdue_notices n
       JOIN jsonb_to_recordset($1::jsonb) AS x(incident_id text, clock text) ON x.incident_id = n.incident_id AND x.clock = n.clock`,
      [JSON.stringify(notices.map((n) => ({ incident_id: n.incidentId, clock: n.clock })))],
    );
    const seen = new Set(taken.map((t) => `${t.incident_id}/${t.clock}`));
    const fresh = notices.filter((n) => {
      const key = `${n.incidentId}/${n.clock}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    if (fresh.length === 0) return [];
    const first = await reserveSeqs(tx, fresh.length);
    const events: IncidentOverdueEvent[] = fresh.map((n, i) => ({ ...n, seq: first + i }));
    await tx.query(
      `INSERT INTO overdue_notices (incident_id, clock, due_at, seq)
       SELECT incident_id, clock, due_at, seq FROM jsonb_to_recordset($1::jsonb) AS x(incident_id text, clock text, due_at timestamptz, seq bigint)`,
      [JSON.stringify(events.map((e) => ({ incident_id: e.incidentId, clock: e.clock, due_at: e.dueAt, seq: e.seq })))],
    );
    await appendEvents(tx, events.map((e) => logEvent('incident:overdue', e.seq, e)));
    return events;
  });
}

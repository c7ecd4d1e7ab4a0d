/**
 * The units register and positions. Register edits and status steps are logged (`unit:updated`)
 * and audited in the transaction that makes them; positions are neither: a batch updates each
 * unit's last position (never backwards in time) and its thinned track in one transaction.
 */
import type { Actor } from '../contract/auth.ts';
import type { LogEvent } from '../contract/events.ts';
import { Category } from '../contract/incidents.ts';
import type { Unit, UnitChange, UnitInput, UnitPosition, UnitStatus, UnitUpdatedEvent } from '../contract/units.ts';
import { planPositions, type TimedReport } from '../domain/units/positions.ts';
import { ACTIVE_SQL } from './assignment-queries.ts';
import type { Database, Sql } from './database.ts';
import { appendEvents, logEvent, reserveSeqs } from './event-log.ts';

const iso = (v: Date | string): string => new Date(v).toISOString();

interface UnitRow {
  id: string;
  call_sign: string;
  kind: string;
  agency: string | null;
  station_id: string | null;
  serves: Category[];
  status: UnitStatus;
  status_since: Date | string;
  updated_at: Date | string;
  seq: number | string;
}

const unitOf = (r: UnitRow): Unit => ({
  id: r.id,
  callSign: r.call_sign,
  kind: r.kind,
  agency: r.agency,
  stationId: r.station_id,
  serves: r.serves,
  status: r.status,
  statusSince: iso(r.status_since),
  updatedAt: iso(r.updated_at),
  seq: Number(r.seq),
});

/** A unit with where it last reported and where its station is (`null` when unknown). */
export interface UnitRecord {
  unit: Unit;
  position: (UnitPosition & { receivedAt: string }) | null;
  /** The home station's point, from the facilities; `null` without a station. */
  station: { lon: number; lat: number } | null;
}

interface UnitRecordRow extends UnitRow {
  lon: number | null;
  lat: number | null;
  position_at: Date | string | null;
  speed: number | null;
  heading: number | null;
  received_at: Date | string | null;
  station_lon: number | null;
  station_lat: number | null;
}

const recordOf = (r: UnitRecordRow): UnitRecord => ({
  unit: unitOf(r),
  position:
    r.position_at === null || r.lon === null || r.lat === null
      ? null
      : { unitId: r.id, lon: r.lon, lat: r.lat, at: iso(r.position_at), speed: r.speed, heading: r.heading, receivedAt: iso(r.received_at ?? r.position_at) },
  station: r.station_lon === null || r.station_lat === null ? null : { lon: r.station_lon, lat: r.station_lat },
});

const RECORD_SELECT = `
  SELECT u.*, p.lon, p.lat, p.at AS position_at, p.speed, p.heading, p.received_at, f.lon AS station_lon, f.lat AS station_lat
  FROM units u LEFT JOIN unit_positions p ON p.unit_id = u.id LEFT JOIN facilities f ON f.id = u.station_id`;

/** Every unit with its last position and station, by id. */
export async function listUnits(db: Sql): Promise<UnitRecord[]> {
  return (await db.query<UnitRecordRow>(`${RECORD_SELECT} ORDER BY u.id`)).map(recordOf);
}

export async function getUnitRecord(db: Sql, id: string): Promise<UnitRecord | null> {
  const [row] = await db.query<UnitRecordRow>(`${RECORD_SELECT} WHERE u.id = $1`, [id]);
  return row ? recordOf(row) : null;
}

/**
 * Reads a unit and locks its register row until the transaction ends: two dispatchers reaching
 * for the same unit take turns here, and the second sees the first one's status.
 */
export async function lockUnit(tx: Sql, id: string): Promise<Unit | null> {
  const [row] = await tx.query<UnitRow>('SELECT * FROM units WHERE id = $1 FOR UPDATE', [id]);
  return row ? unitOf(row) : null;
}

/** Which of `ids` name no stored unit. */
export async function unknownUnits(db: Sql, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.query<{ id: string }>('SELECT id FROM units WHERE id = ANY($1::text[])', [[...new Set(ids)]]);
  const known = new Set(rows.map((r) => r.id));
  return [...new Set(ids)].filter((id) => !known.has(id));
}

/** `serves` in the order of the category list, each once: two imports that list them differently are the same unit. */
export const normaliseServes = (serves: readonly Category[]): Category[] => Category.options.filter((c) => serves.includes(c));

const unitEvent = (unit: Unit, change: UnitChange): LogEvent => logEvent('unit:updated', change.seq, { ...unit, change } satisfies UnitUpdatedEvent);

/** A unit the import would move off the status its active assignment gave it. */
export interface UnitOnAssignment {
  unitId: string;
  status: UnitStatus;
  asked: UnitStatus;
  assignmentId: string;
  incidentId: string;
}

export type UpsertOutcome =
  | { ok: true; created: number; updated: number; unchanged: number; seq: number; events: LogEvent[] }
  | { ok: false; reason: 'unknown_stations'; unknownStations: string[] }
  | { ok: false; reason: 'on_assignment'; units: UnitOnAssignment[] };

/**
 * Creates or updates every unit in one transaction, or none: when a station is not a stored
 * facility, or when the import would change the status of a unit on an active assignment (dispatch
 * owns that status until the unit clears or declines; an import setting it `available` would let a
 * second dispatcher send a unit already on its way). A unit whose entry is unchanged writes
 * nothing; each other one is a `unit:updated`. Ids must be distinct (the caller says which rows
 * repeat one).
 */
export async function upsertUnits(db: Database, inputs: readonly UnitInput[], actor: Actor, atMs: number): Promise<UpsertOutcome> {
  const at = new Date(atMs).toISOString();
  return db.transaction(async (tx) => {
    const stations = [...new Set(inputs.map((u) => u.stationId).filter((s): s is string => typeof s === 'string'))];
    if (stations.length > 0) {
      const found = new Set((await tx.query<{ id: string }>('SELECT id FROM facilities WHERE id = ANY($1::text[])', [stations])).map((r) => r.id));
      const unknownStations = stations.filter((s) => !found.has(s));
      if (unknownStations.length > 0) return { ok: false, reason: 'unknown_stations', unknownStations };
    }
    // The rows are locked before the assignments are read: a dispatcher claiming one of these units
    // locks the same row, so either its assignment is seen here or it sees the imported status.
    const rows = await tx.query<UnitRow>('SELECT * FROM units WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE', [inputs.map((u) => u.id)]);
    const stored = new Map(rows.map((r) => [r.id, unitOf(r)]));
    const asked = new Map(inputs.flatMap((u) => (u.status !== undefined && stored.has(u.id) && stored.get(u.id)!.status !== u.status ? [[u.id, u.status] as const] : [])));
    if (asked.size > 0) {
      const busy = await tx.query<{ id: string; unit_id: string; incident_id: string }>(
        `SELECT id, unit_id, incident_id FROM assignments WHERE unit_id = ANY($1::text[]) AND ${ACTIVE_SQL} ORDER BY unit_id, id`,
        [[...asked.keys()]],
      );
      if (busy.length > 0) {
        return {
          ok: false,
          reason: 'on_assignment',
          units: busy.map((a) => ({ unitId: a.unit_id, status: stored.get(a.unit_id)!.status, asked: asked.get(a.unit_id)!, assignmentId: a.id, incidentId: a.incident_id })),
        };
      }
    }
    const changes: { next: Omit<Unit, 'seq'>; change: Omit<UnitChange, 'seq'> }[] = [];
    let created = 0;
    for (const input of inputs) {
      const before = stored.get(input.id);
      const entry = { callSign: input.callSign, kind: input.kind, agency: input.agency ?? null, stationId: input.stationId ?? null, serves: normaliseServes(input.serves) };
      const status = input.status ?? before?.status ?? 'available';
      if (!before) {
        created++;
        changes.push({ next: { id: input.id, ...entry, status, statusSince: at, updatedAt: at }, change: { at, actor, action: 'created', from: null, to: status } });
        continue;
      }
      const fields = (Object.keys(entry) as (keyof typeof entry)[]).filter((k) => JSON.stringify(entry[k]) !== JSON.stringify(before[k]));
      if (fields.length === 0 && status === before.status) continue;
      const statusSince = status === before.status ? before.statusSince : at;
      const action = fields.length === 0 ? 'status' : 'edited';
      changes.push({
        next: { id: input.id, ...entry, status, statusSince, updatedAt: at },
        change: { at, actor, action, from: before.status, to: status, ...(action === 'edited' && { fields: status === before.status ? fields : [...fields, 'status'] }) },
      });
    }
    if (changes.length === 0) {
      const [head] = await tx.query<{ seq: number | string }>('SELECT seq FROM log_head WHERE id = 1');
      return { ok: true, created: 0, updated: 0, unchanged: inputs.length, seq: Number(head?.seq ?? 0), events: [] };
    }
    const first = await reserveSeqs(tx, changes.length);
    const units: Unit[] = changes.map((c, i) => ({ ...c.next, seq: first + i }));
    await tx.query(
      `INSERT INTO units (id, call_sign, kind, agency, station_id, serves, status, status_since, updated_at, seq)
       SELECT id, "callSign", kind, agency, "stationId", serves, status, "statusSince", "updatedAt", seq
       FROM jsonb_to_recordset($1::jsonb) AS u(id text, "callSign" text, kind text, agency text, "stationId" text, serves jsonb,
         status text, "statusSince" timestamptz, "updatedAt" timestamptz, seq bigint)
       ON CONFLICT (id) DO UPDATE SET call_sign = EXCLUDED.call_sign, kind = EXCLUDED.kind, agency = EXCLUDED.agency,
         station_id = EXCLUDED.station_id, serves = EXCLUDED.serves, status = EXCLUDED.status,
         status_since = EXCLUDED.status_since, updated_at = EXCLUDED.updated_at, seq = EXCLUDED.seq`,
      [JSON.stringify(units)],
    );
    await tx.query('INSERT INTO unit_positions (unit_id) SELECT unnest($1::text[]) ON CONFLICT (unit_id) DO NOTHING', [
      changes.filter((c) => c.change.action === 'created').map((c) => c.next.id),
    ]);
    const events = units.map((unit, i) => unitEvent(unit, { ...changes[i]!.change, seq: unit.seq }));
    await appendEvents(tx, events, actor);
    return { ok: true, created, updated: changes.length - created, unchanged: inputs.length - changes.length, seq: units.at(-1)!.seq, events };
  });
}

export type StatusOutcome =
  | { kind: 'changed'; unit: Unit; event: LogEvent }
  | { kind: 'unchanged'; unit: Unit }
  | { kind: 'refused'; unit: Unit }
  | { kind: 'not_found' };

/**
 * Sets a unit's status inside the caller's transaction (dispatch steps its assignment and the unit
 * together): locks the unit, refuses when its status is not one of `allowedFrom` (when given),
 * reserves a seq and appends `unit:updated` with its audit entry. Publish the event after commit.
 */
export async function setUnitStatus(
  tx: Sql,
  input: { unitId: string; to: UnitStatus; actor: Actor; atMs: number; note?: string | null; allowedFrom?: readonly UnitStatus[] },
): Promise<StatusOutcome> {
  const unit = await lockUnit(tx, input.unitId);
  if (!unit) return { kind: 'not_found' };
  if (input.allowedFrom && !input.allowedFrom.includes(unit.status)) return { kind: 'refused', unit };
  if (unit.status === input.to) return { kind: 'unchanged', unit };
  const seq = await reserveSeqs(tx, 1);
  const at = new Date(input.atMs).toISOString();
  await tx.query('UPDATE units SET status = $2, status_since = $3, updated_at = $3, seq = $4 WHERE id = $1', [unit.id, input.to, at, seq]);
  const next: Unit = { ...unit, status: input.to, statusSince: at, updatedAt: at, seq };
  const event = unitEvent(next, { seq, at, actor: input.actor, action: 'status', from: unit.status, to: input.to, ...(input.note != null && { note: input.note }) });
  await appendEvents(tx, [event], input.actor);
  return { kind: 'changed', unit: next, event };
}

/** A validated report, its time in epoch ms. */
export interface StoredReport extends TimedReport {
  lon: number;
  lat: number;
  speed: number | null;
  heading: number | null;
}

export interface PositionsOutcome {
  /** Indices of reports naming no stored unit (nothing of them is written). */
  unknown: number[];
  /** Indices of reports no newer than their unit's stored position. */
  late: number[];
  /** The new last positions: one per unit that moved forward in time. */
  moved: UnitPosition[];
  /** Points added to the tracks. */
  kept: number;
}

const positionOf = (r: StoredReport): UnitPosition => ({ unitId: r.unitId, lon: r.lon, lat: r.lat, at: new Date(r.atMs).toISOString(), speed: r.speed, heading: r.heading });

/**
 * Stores a batch of reports in one transaction. The units' position rows are locked in id order
 * (two batches naming the same units take turns, without deadlock), the plan
 * (domain/units/positions.ts) decides, and one statement each updates the last positions and adds
 * the track points.
 */
export async function recordPositions(db: Database, reports: readonly StoredReport[], receivedAtMs: number): Promise<PositionsOutcome> {
  if (reports.length === 0) return { unknown: [], late: [], moved: [], kept: 0 };
  const ids = [...new Set(reports.map((r) => r.unitId))];
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ unit_id: string; at: Date | string | null; track_at: Date | string | null }>(
      'SELECT unit_id, at, track_at FROM unit_positions WHERE unit_id = ANY($1::text[]) ORDER BY unit_id FOR UPDATE',
      [ids],
    );
    const state = new Map(rows.map((r) => [r.unit_id, { atMs: r.at === null ? null : new Date(r.at).getTime(), trackAtMs: r.track_at === null ? null : new Date(r.track_at).getTime() }]));
    const unknown: number[] = [];
    const known: StoredReport[] = [];
    for (const report of reports) {
      if (state.has(report.unitId)) known.push(report);
      else unknown.push(report.index);
    }
    const plan = planPositions(known, state);
    const latestOf = new Map(plan.latest.map((r) => [r.unitId, r]));
    const touched = new Set([...latestOf.keys(), ...plan.trackAtMs.keys()]);
    if (touched.size > 0) {
      const updates = [...touched].map((unitId) => {
        const r = latestOf.get(unitId);
        const trackAt = plan.trackAtMs.get(unitId);
        return {
          unit_id: unitId,
          moves: r !== undefined,
          lon: r?.lon ?? null,
          lat: r?.lat ?? null,
          at: r ? new Date(r.atMs).toISOString() : null,
          speed: r?.speed ?? null,
          heading: r?.heading ?? null,
          track_at: trackAt === undefined ? null : new Date(trackAt).toISOString(),
        };
      });
      await tx.query(
        `UPDATE unit_positions p SET
           lon = CASE WHEN r.moves THEN r.lon ELSE p.lon END,
           lat = CASE WHEN r.moves THEN r.lat ELSE p.lat END,
           at = CASE WHEN r.moves THEN r.at ELSE p.at END,
           speed = CASE WHEN r.moves THEN r.speed ELSE p.speed END,
           heading = CASE WHEN r.moves THEN r.heading ELSE p.heading END,
           received_at = CASE WHEN r.moves THEN $2::timestamptz ELSE p.received_at END,
           track_at = COALESCE(r.track_at, p.track_at)
         FROM jsonb_to_recordset($1::jsonb) AS r(unit_id text, moves boolean, lon double precision, lat double precision,
           at timestamptz, speed double precision, heading double precision, track_at timestamptz)
         WHERE p.unit_id = r.unit_id`,
        [JSON.stringify(updates), new Date(receivedAtMs).toISOString()],
      );
    }
    if (plan.kept.length > 0) {
      await tx.query(
        `INSERT INTO unit_track (unit_id, at, lon, lat, speed, heading)
         SELECT "unitId", at, lon, lat, speed, heading
         FROM jsonb_to_recordset($1::jsonb) AS t("unitId" text, at timestamptz, lon double precision, lat double precision,
           speed double precision, heading double precision)
         ON CONFLICT (unit_id, at) DO NOTHING`,
        [JSON.stringify(plan.kept.map(positionOf))],
      );
    }
    return { unknown, late: plan.late, moved: plan.latest.map(positionOf), kept: plan.kept.length };
  });
}

/** Deletes track points older than `beforeMs`; returns how many. */
export async function pruneTrack(db: Sql, beforeMs: number): Promise<number> {
  const rows = await db.query<{ n: number | string }>(
    'WITH gone AS (DELETE FROM unit_track WHERE at < $1 RETURNING 1) SELECT count(*) AS n FROM gone',
    [new Date(beforeMs).toISOString()],
  );
  return Number(rows[0]?.n ?? 0);
}

/** A unit's kept track points with `fromMs <= at <= toMs`, oldest first, at most `limit`. */
export async function unitTrack(db: Sql, unitId: string, fromMs: number, toMs: number, limit: number): Promise<UnitPosition[]> {
  const rows = await db.query<{ at: Date | string; lon: number; lat: number; speed: number | null; heading: number | null }>(
    'SELECT at, lon, lat, speed, heading FROM unit_track WHERE unit_id = $1 AND at >= $2 AND at <= $3 ORDER BY at LIMIT $4',
    [unitId, new Date(fromMs).toISOString(), new Date(toMs).toISOString(), limit],
  );
  return rows.map((r) => ({ unitId, lon: r.lon, lat: r.lat, at: iso(r.at), speed: r.speed, heading: r.heading }));
}

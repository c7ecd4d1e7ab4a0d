/**
 * Assignment writes. Each one is a single transaction that moves the assignment, its unit and its
 * incident together (docs/domain.md §14): the rows, the incident's history entries, the logged
 * events and their audit entries commit together or not at all. The rules are the pure state
 * machine's (domain/dispatch/assignment.ts); this file only applies them.
 */
import type { Actor } from '../contract/auth.ts';
import type { Assignment, AssignmentEvent, AssignmentStatus, AssignmentStep } from '../contract/dispatch.ts';
import type { IncidentUpdatedEvent, LogEvent } from '../contract/events.ts';
import type { Status } from '../contract/incidents.ts';
import type { UnitStatus } from '../contract/units.ts';
import { ASSIGNABLE_UNIT_STATUSES, checkAssignmentStep, checkStepCaller, coupleIncident, UNIT_STATUS_AFTER, type StepCaller } from '../domain/dispatch/assignment.ts';
import { ACTIVE_SQL, fromAssignmentRow, TIME_COLUMN, type AssignmentRow } from './assignment-queries.ts';
import type { Database, Sql } from './database.ts';
import { appendEvents, lockLog, logEvent, reserveSeqs } from './event-log.ts';
import { insertChanges } from './incident-changes.ts';
import { fromRow, type IncidentRow } from './incident-rows.ts';
import { setUnitStatus } from './units.ts';

export type CreateOutcome =
  | { kind: 'created'; assignment: Assignment; events: LogEvent[] }
  | { kind: 'incident_not_found' }
  | { kind: 'unit_not_found' }
  /** The unit is not free (its status, or an assignment it is still on), or the incident is closed. */
  | { kind: 'conflict'; message: string; path: 'unitId' | 'incident' };

export type StepOutcome =
  | { kind: 'stepped'; assignment: Assignment; events: LogEvent[] }
  | { kind: 'not_found' }
  | { kind: 'forbidden'; message: string }
  | { kind: 'conflict'; message: string };

/** Unit statuses a freeing step (decline, clear) may leave: a unit the register took out of service stays out. */
const FREEABLE: readonly UnitStatus[] = ['available', 'assigned', 'en_route', 'on_scene', 'returning'];

/** Moves the incident through `steps` (the coupling's), each with its history entry and `incident:updated`. */
async function stepIncident(tx: Sql, row: IncidentRow, steps: readonly Status[], actor: Actor, at: string): Promise<{ events: LogEvent[]; status: Status }> {
  const events: LogEvent[] = [];
  let status = row.status;
  for (const to of steps) {
    const seq = await reserveSeqs(tx, 1);
    await tx.query('UPDATE incidents SET status = $1, seq = $2 WHERE id = $3', [to, seq, row.id]);
    const change = { seq, at, actor, from: status, to, note: null };
    await insertChanges(tx, [{ ...change, incidentId: row.id }]);
    const event: IncidentUpdatedEvent = { ...fromRow({ ...row, status: to, seq }), change };
    events.push(logEvent('incident:updated', seq, event));
    status = to;
  }
  await appendEvents(tx, events, actor);
  return { events, status };
}

/**
 * Writes one step of `assignment` (already updated to its new state and seq): its entry in the
 * incident's history (the incident's status unchanged) and its logged, audited event.
 */
async function recordStep(
  tx: Sql,
  assignment: Assignment,
  incident: IncidentRow,
  step: { from: AssignmentStatus | null; to: AssignmentStatus; note: string | null; actor: Actor; at: string; incidentStatus: Status },
): Promise<LogEvent> {
  const { seq } = assignment;
  const entry: AssignmentStep = { assignmentId: assignment.id, unitId: assignment.unitId, agency: assignment.agency, from: step.from, to: step.to, disposition: step.to === 'cleared' ? assignment.disposition : null };
  await insertChanges(tx, [{ seq, incidentId: incident.id, at: step.at, actor: step.actor, from: incident.status, to: incident.status, note: step.note, assignment: entry }]);
  const payload: AssignmentEvent = {
    ...assignment,
    change: { seq, at: step.at, actor: step.actor, from: step.from, to: step.to, note: step.note },
    incidentStatus: step.incidentStatus,
    regionCode: incident.region_code,
    point: [incident.lon, incident.lat],
  };
  const event = logEvent(step.from === null ? 'assignment:created' : 'assignment:updated', seq, payload);
  await appendEvents(tx, [event], step.actor);
  return event;
}

/**
 * Assigns a unit to an incident. Two dispatchers reaching for the same unit at once take turns on
 * the unit's row lock (setUnitStatus), so the second one finds it assigned and is refused; on
 * several server nodes sharing PostgreSQL the row lock is the database's, so the same holds.
 */
export async function createAssignment(
  db: Database,
  input: { id: string; incidentId: string; unitId: string; actor: Actor; atMs: number; note: string | null },
): Promise<CreateOutcome> {
  const at = new Date(input.atMs).toISOString();
  return db.transaction(async (tx) => {
    await lockLog(tx);
    const [incident] = await tx.query<IncidentRow>('SELECT * FROM incidents WHERE id = $1 FOR UPDATE', [input.incidentId]);
    if (!incident) return { kind: 'incident_not_found' };
    const coupling = coupleIncident(incident.id, incident.status, 'assigned', 0);
    if (!coupling.ok) return { kind: 'conflict', message: coupling.message, path: 'incident' };
    const [busy] = await tx.query<{ id: string; incident_id: string; status: AssignmentStatus }>(`SELECT id, incident_id, status FROM assignments WHERE unit_id = $1 AND ${ACTIVE_SQL}`, [input.unitId]);
    if (busy) return { kind: 'conflict', path: 'unitId', message: `unit ${input.unitId} is not available: it is ${busy.status} on incident ${busy.incident_id} (assignment ${busy.id})` };
    // The claim: only a free unit becomes assigned; nothing else is written when it is not.
    const claim = await setUnitStatus(tx, { unitId: input.unitId, to: 'assigned', actor: input.actor, atMs: input.atMs, note: `assignment ${input.id} to incident ${incident.id}`, allowedFrom: ASSIGNABLE_UNIT_STATUSES });
    if (claim.kind === 'not_found') return { kind: 'unit_not_found' };
    if (claim.kind !== 'changed') return { kind: 'conflict', path: 'unitId', message: `unit ${input.unitId} is not available: it is ${claim.unit.status}` };
    const seq = await reserveSeqs(tx, 1);
    const [row] = await tx.query<AssignmentRow>(
      `INSERT INTO assignments (id, incident_id, unit_id, agency, status, assigned_at, assigned_by_name, assigned_by_role, seq)
       VALUES ($1, $2, $3, $4, 'assigned', $5, $6, $7, $8) RETURNING *`,
      [input.id, incident.id, input.unitId, claim.unit.agency, at, input.actor.name, input.actor.role, seq],
    );
    const assignment = fromAssignmentRow(row!);
    const incidentStatus = coupling.incidentSteps.at(-1) ?? incident.status;
    const created = await recordStep(tx, assignment, incident, { from: null, to: 'assigned', note: input.note, actor: input.actor, at, incidentStatus });
    const moved = await stepIncident(tx, incident, coupling.incidentSteps, input.actor, at);
    return { kind: 'created', assignment, events: [claim.event, created, ...moved.events] };
  });
}

/**
 * Takes the next step of an assignment, if `caller` may answer for its unit and the state machine
 * allows it; moves the unit and the incident with it.
 */
export async function stepAssignment(
  db: Database,
  input: { id: string; to: Exclude<AssignmentStatus, 'assigned'>; disposition: string | null; note: string | null; caller: StepCaller; actor: Actor; atMs: number },
): Promise<StepOutcome> {
  const at = new Date(input.atMs).toISOString();
  return db.transaction(async (tx) => {
    await lockLog(tx);
    const [current] = await tx.query<AssignmentRow>('SELECT * FROM assignments WHERE id = $1 FOR UPDATE', [input.id]);
    if (!current) return { kind: 'not_found' };
    const who = checkStepCaller(input.caller, current.id, current.unit_id);
    if (!who.ok) return { kind: 'forbidden', message: who.message };
    const step = checkAssignmentStep(current.id, current.status, input.to);
    if (!step.ok) return { kind: 'conflict', message: step.message };
    const [incident] = await tx.query<IncidentRow>('SELECT * FROM incidents WHERE id = $1 FOR UPDATE', [current.incident_id]);
    if (!incident) throw new Error(`assignment ${current.id} names incident ${current.incident_id}, which is not stored`);
    const [others] = await tx.query<{ n: number | string }>(`SELECT count(*) AS n FROM assignments WHERE incident_id = $1 AND id <> $2 AND ${ACTIVE_SQL}`, [incident.id, current.id]);
    const coupling = coupleIncident(incident.id, incident.status, input.to, Number(others?.n ?? 0));
    if (!coupling.ok) return { kind: 'conflict', message: coupling.message };

    const seq = await reserveSeqs(tx, 1);
    const [row] = await tx.query<AssignmentRow>(
      `UPDATE assignments SET status = $2, ${TIME_COLUMN[input.to]} = $3, disposition = COALESCE($4, disposition), seq = $5 WHERE id = $1 RETURNING *`,
      [current.id, input.to, at, input.disposition, seq],
    );
    const assignment = fromAssignmentRow(row!);
    const incidentStatus = coupling.incidentSteps.at(-1) ?? incident.status;
    const stepped = await recordStep(tx, assignment, incident, { from: current.status, to: input.to, note: input.note, actor: input.actor, at, incidentStatus });
    const freeing = input.to === 'declined' || input.to === 'cleared';
    const unit = await setUnitStatus(tx, {
      unitId: current.unit_id,
      to: UNIT_STATUS_AFTER[input.to],
      actor: input.actor,
      atMs: input.atMs,
      note: `assignment ${current.id} ${input.to}`,
      ...(freeing && { allowedFrom: FREEABLE }),
    });
    const moved = await stepIncident(tx, incident, coupling.incidentSteps, input.actor, at);
    return { kind: 'stepped', assignment, events: [stepped, ...(unit.kind === 'changed' ? [unit.event] : []), ...moved.events] };
  });
}

/** The audit trail of incidents: every change (creation included), with actor and time, append-only. */
import type { Actor } from '../contract/auth.ts';
import type { IncidentUpdatedEvent } from '../contract/events.ts';
import type { IncidentChange, Status } from '../contract/incidents.ts';
import type { AssignmentStep } from '../contract/dispatch.ts';
import type { MeasureTickRecord } from '../contract/measures.ts';
import { checkTransition } from '../domain/incidents/workflow.ts';
import type { Database, Sql } from './database.ts';
import { appendEvents, lockLog, logEvent, reserveSeqs } from './event-log.ts';
import { fromRow, type IncidentRow } from './incident-rows.ts';

/** A change to write: the change as readers see it, and the incident it belongs to. */
export interface NewChange extends IncidentChange {
  incidentId: string;
}

export async function insertChanges(tx: Sql, changes: readonly NewChange[]): Promise<void> {
  if (changes.length === 0) return;
  await tx.query(
    `INSERT INTO incident_changes (seq, incident_id, at, actor_name, actor_role, from_status, to_status, note, fields, measure, assignment)
     SELECT seq, incident_id, at, actor_name, actor_role, from_status, to_status, note, fields, measure, assignment
     FROM jsonb_to_recordset($1::jsonb) AS c(seq bigint, incident_id text, at timestamptz, actor_name text,
       actor_role text, from_status text, to_status text, note text, fields jsonb, measure jsonb, assignment jsonb)`,
    [
      JSON.stringify(
        changes.map((c) => ({
          seq: c.seq,
          incident_id: c.incidentId,
          at: c.at,
          actor_name: c.actor.name,
          actor_role: c.actor.role,
          from_status: c.from,
          to_status: c.to,
          note: c.note,
          fields: c.fields ?? null,
          measure: c.measure ?? null,
          assignment: c.assignment ?? null,
        })),
      ),
    ],
  );
}

interface ChangeRow {
  seq: number | string;
  at: Date | string;
  actor_name: string;
  actor_role: string;
  from_status: Status | null;
  to_status: Status;
  note: string | null;
  fields: string[] | null;
  measure: MeasureTickRecord | null;
  assignment: AssignmentStep | null;
}

const toChange = (r: ChangeRow): IncidentChange => ({
  seq: Number(r.seq),
  at: new Date(r.at).toISOString(),
  actor: { name: r.actor_name, role: r.actor_role },
  from: r.from_status,
  to: r.to_status,
  note: r.note,
  ...(r.fields ? { fields: r.fields } : {}),
  ...(r.measure ? { measure: r.measure } : {}),
  ...(r.assignment ? { assignment: r.assignment } : {}),
});

/** Every change of one incident, oldest first; `null` when there is no such incident. */
export async function incidentHistory(db: Sql, id: string): Promise<IncidentChange[] | null> {
  const [exists] = await db.query<{ id: string }>('SELECT id FROM incidents WHERE id = $1', [id]);
  if (!exists) return null;
  const rows = await db.query<ChangeRow>('SELECT * FROM incident_changes WHERE incident_id = $1 ORDER BY seq', [id]);
  return rows.map(toChange);
}

export type StatusChangeOutcome =
  | { kind: 'changed'; event: IncidentUpdatedEvent }
  | { kind: 'not_found' }
  | { kind: 'refused'; message: string };

/**
 * Moves an incident to `to` if the workflow allows it: the row, its audit entry and its
 * `incident:updated` event are written in one transaction with the next seq.
 */
export async function changeIncidentStatus(
  db: Database,
  change: { id: string; to: Status; note: string | null; actor: Actor; at: string },
): Promise<StatusChangeOutcome> {
  return db.transaction(async (tx) => {
    await lockLog(tx);
    const [row] = await tx.query<IncidentRow>('SELECT * FROM incidents WHERE id = $1', [change.id]);
    if (!row) return { kind: 'not_found' };
    const check = checkTransition(change.id, row.status, change.to);
    if (!check.ok) return { kind: 'refused', message: check.message };
    const seq = await reserveSeqs(tx, 1);
    await tx.query('UPDATE incidents SET status = $1, seq = $2 WHERE id = $3', [change.to, seq, change.id]);
    const audit: NewChange = { seq, incidentId: change.id, at: change.at, actor: change.actor, from: row.status, to: change.to, note: change.note };
    await insertChanges(tx, [audit]);
    const event: IncidentUpdatedEvent = {
      ...fromRow({ ...row, status: change.to, seq }),
      change: { seq, at: change.at, actor: change.actor, from: row.status, to: change.to, note: change.note },
    };
    await appendEvents(tx, [logEvent('incident:updated', seq, event)], change.actor);
    return { kind: 'changed', event };
  });
}

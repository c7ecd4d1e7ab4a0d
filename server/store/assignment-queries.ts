/** Assignment reads: one by id, an incident's, a unit's open work, and every assignment of a period with its step times. */
import type { Assignment, AssignmentStatus } from '../contract/dispatch.ts';
import type { Sql } from './database.ts';
import { sqlFilter } from './sql-filter.ts';

export interface AssignmentRow {
  id: string;
  incident_id: string;
  unit_id: string;
  agency: string | null;
  status: AssignmentStatus;
  disposition: string | null;
  assigned_at: Date | string;
  accepted_at: Date | string | null;
  declined_at: Date | string | null;
  en_route_at: Date | string | null;
  on_scene_at: Date | string | null;
  cleared_at: Date | string | null;
  assigned_by_name: string;
  assigned_by_role: string;
  seq: number | string;
}

const iso = (v: Date | string | null): string | null => (v === null ? null : new Date(v).toISOString());

export function fromAssignmentRow(r: AssignmentRow): Assignment {
  return {
    id: r.id,
    incidentId: r.incident_id,
    unitId: r.unit_id,
    agency: r.agency,
    status: r.status,
    disposition: r.disposition,
    times: {
      assigned: new Date(r.assigned_at).toISOString(),
      accepted: iso(r.accepted_at),
      declined: iso(r.declined_at),
      en_route: iso(r.en_route_at),
      on_scene: iso(r.on_scene_at),
      cleared: iso(r.cleared_at),
    },
    assignedBy: { name: r.assigned_by_name, role: r.assigned_by_role },
    seq: Number(r.seq),
  };
}

/** The column holding each step's time. */
export const TIME_COLUMN: Readonly<Record<AssignmentStatus, string>> = {
  assigned: 'assigned_at',
  accepted: 'accepted_at',
  declined: 'declined_at',
  en_route: 'en_route_at',
  on_scene: 'on_scene_at',
  cleared: 'cleared_at',
};

export const ACTIVE_SQL = "status IN ('assigned', 'accepted', 'en_route', 'on_scene')";

export async function getAssignment(db: Sql, id: string): Promise<Assignment | null> {
  const [row] = await db.query<AssignmentRow>('SELECT * FROM assignments WHERE id = $1', [id]);
  return row ? fromAssignmentRow(row) : null;
}

export interface AssignmentFilter {
  incidentIds?: readonly string[];
  unitId?: string;
  /** Only assignments still active (assigned, accepted, en route, on scene). */
  activeOnly?: boolean;
  /** Only assignments made at or after this instant (ISO 8601). */
  assignedFrom?: string;
  /** Only assignments made before this instant (ISO 8601). */
  assignedTo?: string;
  limit?: number;
}

/**
 * Assignments with their incident, unit, agency and the time of every step (`times`), oldest
 * first. What the accountability clocks read for arrival times and per-agency or per-unit figures.
 */
export async function listAssignments(db: Sql, filter: AssignmentFilter = {}): Promise<Assignment[]> {
  const { param, where, clause, params } = sqlFilter();
  if (filter.incidentIds) where(`incident_id = ANY(${param(filter.incidentIds)}::text[])`);
  if (filter.unitId !== undefined) where(`unit_id = ${param(filter.unitId)}`);
  if (filter.activeOnly) where(ACTIVE_SQL);
  if (filter.assignedFrom !== undefined) where(`assigned_at >= ${param(filter.assignedFrom)}`);
  if (filter.assignedTo !== undefined) where(`assigned_at < ${param(filter.assignedTo)}`);
  const limit = filter.limit === undefined ? '' : ` LIMIT ${param(filter.limit)}`;
  const rows = await db.query<AssignmentRow>(`SELECT * FROM assignments ${clause()} ORDER BY assigned_at, id${limit}`, params);
  return rows.map(fromAssignmentRow);
}

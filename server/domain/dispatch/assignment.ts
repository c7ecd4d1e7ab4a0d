/**
 * The assignment state machine (docs/domain.md §14): which step may follow which, what each step
 * makes of the unit's status and of the incident's, and who may take it. Pure: the store applies
 * what these functions decide, in one transaction.
 */
import { ACTIVE_ASSIGNMENT_STATUSES, NEXT_ASSIGNMENT_STATUSES, type AssignmentStatus } from '../../contract/dispatch.ts';
import { FINAL_STATUSES, type Status } from '../../contract/incidents.ts';
import type { UnitStatus } from '../../contract/units.ts';

export type Check = { ok: true } | { ok: false; message: string };

/** Whether assignment `id` at `from` may move to `to`; a refusal names the current status and the allowed steps. */
export function checkAssignmentStep(id: string, from: AssignmentStatus, to: AssignmentStatus): Check {
  const allowed = NEXT_ASSIGNMENT_STATUSES[from];
  if (allowed.includes(to)) return { ok: true };
  if (allowed.length === 0) return { ok: false, message: `assignment ${id} is ${from}, which is final: no further step is possible` };
  const what = from === to ? `is already ${to}` : `is ${from} and cannot become ${to}`;
  return { ok: false, message: `assignment ${id} ${what}; allowed next: ${allowed.join(' or ')}` };
}

/**
 * The unit's status after each step. Accepting keeps it `assigned` (it has not moved yet); clearing
 * makes it `returning` (heading back, free to take another call); declining frees it at once.
 */
export const UNIT_STATUS_AFTER: Readonly<Record<AssignmentStatus, UnitStatus>> = {
  assigned: 'assigned',
  accepted: 'assigned',
  declined: 'available',
  en_route: 'en_route',
  on_scene: 'on_scene',
  cleared: 'returning',
};

/**
 * Unit statuses from which a unit may be assigned: at its station, or returning from a call it
 * cleared (a returning unit is free, and often the nearest).
 */
export const ASSIGNABLE_UNIT_STATUSES: readonly UnitStatus[] = ['available', 'returning'];

export const isActive = (status: AssignmentStatus): boolean => ACTIVE_ASSIGNMENT_STATUSES.has(status);

/** What a step does to its incident: the incident statuses it passes through, in order, or why it may not be taken. */
export type IncidentCoupling = { ok: true; incidentSteps: Status[] } | { ok: false; message: string };

/**
 * The incident's side of an assignment step (`assigned` is the assignment's creation):
 * - assigning a unit acknowledges a `reported` incident (a dispatcher has acted on it); a closed
 *   incident (resolved, rejected, cancelled) takes no new assignment;
 * - the first unit to accept makes the incident `dispatched`;
 * - when the last active assignment clears, a `dispatched` incident is `resolved` (one the
 *   operator already resolved, or rejected, stays as it is);
 * - on a closed incident, a unit may still decline or clear (stand down), but not accept, go en
 *   route or arrive.
 * `othersActive`: the incident's other assignments that are still active.
 */
export function coupleIncident(incidentId: string, incident: Status, step: AssignmentStatus, othersActive: number): IncidentCoupling {
  const closed = FINAL_STATUSES.has(incident);
  switch (step) {
    case 'assigned':
      if (closed) return { ok: false, message: `incident ${incidentId} is ${incident}, which is closed: it takes no new assignment` };
      return { ok: true, incidentSteps: incident === 'reported' ? ['acknowledged'] : [] };
    case 'accepted':
      if (closed) return { ok: false, message: `incident ${incidentId} is ${incident}, which is closed: the assignment can only be declined` };
      return { ok: true, incidentSteps: incident === 'reported' ? ['acknowledged', 'dispatched'] : incident === 'acknowledged' ? ['dispatched'] : [] };
    case 'en_route':
    case 'on_scene':
      if (closed) return { ok: false, message: `incident ${incidentId} is ${incident}, which is closed: the assignment can only be cleared` };
      return { ok: true, incidentSteps: [] };
    case 'declined':
      return { ok: true, incidentSteps: [] };
    case 'cleared':
      return { ok: true, incidentSteps: incident === 'dispatched' && othersActive === 0 ? ['resolved'] : [] };
  }
}

/** Who is taking a step: the unit its token is bound to, if any, and whether its role may dispatch. */
export interface StepCaller {
  unitId?: string | undefined;
  mayDispatch: boolean;
}

/**
 * Whether `caller` may step assignment `id` of unit `unitId`. A token bound to a unit answers for
 * that unit only; an unbound dispatcher (or administrator) may step any assignment, e.g. to record
 * what a crew said on the radio.
 */
export function checkStepCaller(caller: StepCaller, id: string, unitId: string): Check {
  if (caller.unitId !== undefined) {
    if (caller.unitId === unitId) return { ok: true };
    return { ok: false, message: `this token is bound to unit ${caller.unitId}; assignment ${id} is for unit ${unitId}, so only that unit or a dispatcher may answer it` };
  }
  if (caller.mayDispatch) return { ok: true };
  return { ok: false, message: `assignment ${id} is answered by unit ${unitId}'s own token or by a dispatcher` };
}

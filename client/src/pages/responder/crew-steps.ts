/**
 * Recording a unit's steps from the console: which steps an assignment may take now (the
 * contract's transition table, narrowed for a closed incident, whose units may only stand down),
 * which key records which step, and which of the chosen incident's assignments the keys act on —
 * a crew's tablet (a token bound to a unit) starts on its own unit's.
 *
 * Keys: N the next step forward (accept, en route, on scene, then clear), X decline, C clear
 * (stand down; asks for a disposition). P moves focus into the progress list (its chosen row),
 * where ↑/↓ choose another unit and Esc leaves. None of them is taken by the page (↑↓ A D R U M L Enter Esc) or by
 * its dialogs (Enter Y Esc, Home End).
 */
import { ACTIVE_ASSIGNMENT_STATUSES, NEXT_ASSIGNMENT_STATUSES, type Assignment, type AssignmentStatus } from '#contract/index.ts';

/** A step recorded by `PATCH /api/v1/assignments/{id}`. */
export type CrewStep = Exclude<AssignmentStatus, 'assigned'>;

export const NEXT_STEP_KEY = 'N';
export const DECLINE_KEY = 'X';
export const CLEAR_KEY = 'C';
/** Moves focus into the chosen incident's progress list. */
export const PROGRESS_KEY = 'P';
/** Every key that records a step, in both cases. */
export const STEP_KEYS: readonly string[] = [NEXT_STEP_KEY, DECLINE_KEY, CLEAR_KEY].flatMap((k) => [k, k.toLowerCase()]);

/** Steps that end a unit's part; the only ones a closed incident's units may still take. */
const STAND_DOWN: ReadonlySet<CrewStep> = new Set(['declined', 'cleared']);

/** The steps `status` may take, as the server allows them; for a closed incident, standing down only. */
export function allowedSteps(status: AssignmentStatus, incidentClosed: boolean): CrewStep[] {
  const next = NEXT_ASSIGNMENT_STATUSES[status].filter((s): s is CrewStep => s !== 'assigned');
  return incidentClosed ? next.filter((s) => STAND_DOWN.has(s)) : next;
}

/**
 * The way forward from `status`: the allowed step that neither declines nor clears, else clearing
 * (on scene, or a closed incident's unit standing down), else none. Declining is never "next".
 */
export function forwardStep(status: AssignmentStatus, incidentClosed: boolean): CrewStep | null {
  const allowed = allowedSteps(status, incidentClosed);
  return allowed.find((s) => !STAND_DOWN.has(s)) ?? (allowed.includes('cleared') ? 'cleared' : null);
}

/** The step a key records for an assignment in `status`, or `null` (the key does nothing there). */
export function stepForKey(key: string, status: AssignmentStatus, incidentClosed: boolean): CrewStep | null {
  const allowed = allowedSteps(status, incidentClosed);
  switch (key.toUpperCase()) {
    case NEXT_STEP_KEY:
      return forwardStep(status, incidentClosed);
    case DECLINE_KEY:
      return allowed.includes('declined') ? 'declined' : null;
    case CLEAR_KEY:
      return allowed.includes('cleared') ? 'cleared' : null;
    default:
      return null;
  }
}

/** The key that records `step` from `status` (N when it is the way forward), for the buttons' hints. */
export function keyForStep(step: CrewStep, status: AssignmentStatus, incidentClosed: boolean): string {
  if (forwardStep(status, incidentClosed) === step) return NEXT_STEP_KEY;
  return step === 'declined' ? DECLINE_KEY : CLEAR_KEY;
}

const isActive = (a: Assignment) => ACTIVE_ASSIGNMENT_STATUSES.has(a.status);

/**
 * The assignment the step keys act on, among an incident's (in the order shown): the one chosen,
 * while it is still active; else the own unit's active one (a crew's tablet); else the first
 * active one; `null` when none is active.
 */
export function chosenAssignment(assignments: readonly Assignment[], choiceId: string | null, ownUnitId: string | null): Assignment | null {
  const active = assignments.filter(isActive);
  return active.find((a) => a.id === choiceId) ?? active.find((a) => ownUnitId !== null && a.unitId === ownUnitId) ?? active[0] ?? null;
}

/** ↑/↓ (and Home/End) in the progress list: the id of the active assignment now chosen, stopping at the ends. */
export function moveChoice(assignments: readonly Assignment[], current: Assignment | null, key: string): string | null {
  const active = assignments.filter(isActive);
  if (active.length === 0) return null;
  const at = current ? Math.max(0, active.findIndex((a) => a.id === current.id)) : 0;
  const last = active.length - 1;
  const to = key === 'ArrowDown' ? Math.min(last, at + 1) : key === 'ArrowUp' ? Math.max(0, at - 1) : key === 'Home' ? 0 : key === 'End' ? last : at;
  return active[to]!.id;
}

/** The incident a crew's own unit is on now (its active assignment), or `null`. */
export function crewIncidentId(assignments: Iterable<Assignment>, ownUnitId: string | null): string | null {
  if (ownUnitId === null) return null;
  for (const a of assignments) if (a.unitId === ownUnitId && isActive(a)) return a.incidentId;
  return null;
}

/** Why a step was refused, from the answer's code and the assignment as read again after it. */
export type StepRefusal =
  | { kind: 'conflict'; status: AssignmentStatus; allowed: CrewStep[] }
  | { kind: 'final'; status: AssignmentStatus }
  | { kind: 'closed' }
  | { kind: 'other-unit'; ownUnitId: string }
  | { kind: 'forbidden' }
  | { kind: 'not-found' }
  | { kind: 'other'; code: number | null };

/**
 * A 409 whose step the table still allows from the status read afterwards was refused for the
 * incident (closed meanwhile: its units may only stand down); otherwise the assignment had moved
 * on. A 403 for a token bound to another unit names that unit; any other 403 is a missing right.
 */
export function stepRefusal(code: number | null, step: CrewStep, current: AssignmentStatus, incidentClosed: boolean, unitId: string, ownUnitId: string | null): StepRefusal {
  if (code === 409) {
    if (allowedSteps(current, false).includes(step)) return { kind: 'closed' };
    const allowed = allowedSteps(current, incidentClosed);
    return allowed.length > 0 ? { kind: 'conflict', status: current, allowed } : { kind: 'final', status: current };
  }
  if (code === 403) return ownUnitId !== null && ownUnitId !== unitId ? { kind: 'other-unit', ownUnitId } : { kind: 'forbidden' };
  if (code === 404) return { kind: 'not-found' };
  return { kind: 'other', code };
}

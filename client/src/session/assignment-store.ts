/**
 * Assignments a page shows (units sent to incidents and how far each has got), from reads
 * (`GET /api/v1/assignments`, `GET /api/v1/incidents/{id}/assignments`) and the stream's
 * `assignment:created` / `assignment:updated`, in any order: an assignment is only ever replaced by
 * a newer version of itself (by `seq`), so a read that finishes after live steps cannot undo them.
 * Snapshots for `useSyncExternalStore`.
 */
import { ACTIVE_ASSIGNMENT_STATUSES, type Assignment, type AssignmentEvent } from '#contract/index.ts';

export interface AssignmentSnapshot {
  /** Every assignment held, by id. */
  byId: ReadonlyMap<string, Assignment>;
  /** Bumped on every change. */
  version: number;
}

/** An event is the assignment as it now stands plus where its incident is: the assignment alone is kept. */
function assignmentOf(event: AssignmentEvent): Assignment {
  const { change: _change, incidentStatus: _status, regionCode: _region, point: _point, ...assignment } = event;
  return assignment;
}

export class AssignmentStore {
  private readonly held = new Map<string, Assignment>();
  private snapshot: AssignmentSnapshot = { byId: new Map(), version: 0 };
  private readonly listeners = new Set<() => void>();

  /** Assignments read over HTTP; held ones with a newer step win. */
  load(items: readonly Assignment[]): void {
    let changed = false;
    for (const a of items) changed = this.put(a) || changed;
    if (changed) this.publish();
  }

  applyEvents(events: readonly AssignmentEvent[]): void {
    let changed = false;
    for (const e of events) changed = this.put(assignmentOf(e)) || changed;
    if (changed) this.publish();
  }

  getSnapshot = (): AssignmentSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private put(assignment: Assignment): boolean {
    const held = this.held.get(assignment.id);
    if (held && held.seq >= assignment.seq) return false;
    this.held.set(assignment.id, assignment);
    return true;
  }

  private publish(): void {
    this.snapshot = { byId: new Map(this.held), version: this.snapshot.version + 1 };
    for (const listener of this.listeners) listener();
  }
}

/** An incident's assignments, first sent first (ties by id). */
export function assignmentsOf(snapshot: AssignmentSnapshot, incidentId: string): Assignment[] {
  return [...snapshot.byId.values()]
    .filter((a) => a.incidentId === incidentId)
    .sort((a, b) => Date.parse(a.times.assigned) - Date.parse(b.times.assigned) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Unit id → the incident its active assignment is on (a unit is on at most one). */
export function activeIncidentByUnit(snapshot: AssignmentSnapshot): Map<string, string> {
  const out = new Map<string, string>();
  for (const a of snapshot.byId.values()) if (ACTIVE_ASSIGNMENT_STATUSES.has(a.status)) out.set(a.unitId, a.incidentId);
  return out;
}

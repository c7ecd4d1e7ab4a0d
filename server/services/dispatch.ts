/**
 * Dispatch writes and the recommendation: each write is one store transaction (assignment, unit
 * and incident together), published only after it commits.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../contract/auth.ts';
import type { Assignment, AssignmentStatus, Recommendation } from '../contract/dispatch.ts';
import { representativePoint } from '../contract/representative-point.ts';
import type { StepCaller } from '../domain/dispatch/assignment.ts';
import { recommendUnits, type UnitCandidate } from '../domain/dispatch/recommend.ts';
import { createAssignment, stepAssignment, type CreateOutcome, type StepOutcome } from '../store/assignments.ts';
import type { Database } from '../store/database.ts';
import { getIncident } from '../store/incident-queries.ts';
import { listUnits, type UnitRecord } from '../store/units.ts';
import type { Publish } from './publish.ts';

export type AssignOutcome = { kind: 'created'; assignment: Assignment } | Exclude<CreateOutcome, { kind: 'created' }> | { kind: 'agency_not_found' };

export interface DispatchService {
  /**
   * Assigns `unitId`, or the free unit of `agency` with the shortest estimated arrival that serves
   * the incident's category (the next one, should another dispatcher take it first).
   */
  assign(input: { incidentId: string; unitId?: string; agency?: string; note: string | null; actor: Actor; atMs: number }): Promise<AssignOutcome>;
  /** The next step of an assignment, taken by `caller` (its unit's token, or a dispatcher). */
  step(input: { id: string; to: Exclude<AssignmentStatus, 'assigned'>; disposition: string | null; note: string | null; caller: StepCaller; actor: Actor; atMs: number }): Promise<StepOutcome>;
  /** Free units that serve the incident's category, shortest estimated arrival first; `null` for an unknown incident. */
  recommend(incidentId: string): Promise<Recommendation | null>;
}

const candidateOf = ({ unit, position, station }: UnitRecord): UnitCandidate => ({
  unitId: unit.id,
  callSign: unit.callSign,
  kind: unit.kind,
  agency: unit.agency,
  status: unit.status,
  serves: unit.serves,
  position: position && { lon: position.lon, lat: position.lat, at: position.at },
  station,
});

export function createDispatchService(deps: { db: Database; publish: Publish }): DispatchService {
  const { db } = deps;

  async function recommend(incidentId: string): Promise<Recommendation | null> {
    const incident = await getIncident(db, incidentId);
    if (!incident) return null;
    const [lon, lat] = representativePoint(incident.geometry);
    return recommendUnits({ id: incident.id, lon, lat, category: incident.category }, (await listUnits(db)).map(candidateOf));
  }

  async function assignUnit(input: { incidentId: string; unitId: string; note: string | null; actor: Actor; atMs: number }): Promise<AssignOutcome> {
    const outcome = await createAssignment(db, { id: randomUUID(), ...input });
    if (outcome.kind !== 'created') return outcome;
    // Published only after the commit: a client never sees an event the log lacks.
    deps.publish(outcome.events);
    return { kind: 'created', assignment: outcome.assignment };
  }

  return {
    recommend,

    async assign({ unitId, agency, ...rest }) {
      if (unitId !== undefined) return assignUnit({ ...rest, unitId });
      const ranked = await recommend(rest.incidentId);
      if (!ranked) return { kind: 'incident_not_found' };
      const units = await listUnits(db);
      if (!units.some((u) => u.unit.agency === agency)) return { kind: 'agency_not_found' };
      for (const candidate of ranked.units.filter((u) => u.agency === agency)) {
        const outcome = await assignUnit({ ...rest, unitId: candidate.unitId });
        // Taken by someone else since the ranking was read: try the next one.
        if (outcome.kind === 'conflict' && outcome.path === 'unitId') continue;
        return outcome;
      }
      return { kind: 'conflict', path: 'unitId', message: `agency ${agency} has no free unit that serves this incident's category and can be placed on the map` };
    },

    async step(input) {
      const outcome = await stepAssignment(db, input);
      if (outcome.kind === 'stepped') deps.publish(outcome.events);
      return outcome;
    },
  };
}

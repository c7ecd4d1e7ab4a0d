/**
 * Dispatch: units assigned to incidents, each assignment's steps from assigned to cleared, and
 * which free units could reach an incident first.
 */
import { z } from 'zod';
import type { Actor } from './auth.ts';
import type { Status } from './incidents.ts';

/**
 * Where one unit stands on one incident. `assigned`: a dispatcher sent it, awaiting its answer;
 * `accepted` or `declined`: its answer; then `en_route`, `on_scene` and `cleared` (it has left,
 * with a disposition). `declined` and `cleared` are final.
 */
export const AssignmentStatus = z.enum(['assigned', 'accepted', 'declined', 'en_route', 'on_scene', 'cleared']);
export type AssignmentStatus = z.infer<typeof AssignmentStatus>;

/**
 * The steps each status may take. A unit stood down before it arrives clears from `accepted` or
 * `en_route`; one that never answered is declined for it.
 */
export const NEXT_ASSIGNMENT_STATUSES: Readonly<Record<AssignmentStatus, readonly AssignmentStatus[]>> = {
  assigned: ['accepted', 'declined'],
  accepted: ['en_route', 'cleared'],
  en_route: ['on_scene', 'cleared'],
  on_scene: ['cleared'],
  declined: [],
  cleared: [],
};

/** Statuses in which a unit is committed to the incident: it cannot take another one, and the incident waits for it. */
export const ACTIVE_ASSIGNMENT_STATUSES: ReadonlySet<AssignmentStatus> = new Set(['assigned', 'accepted', 'en_route', 'on_scene']);

/** When each step was taken (ISO 8601, UTC), `null` for steps not (yet) taken. */
export interface AssignmentTimes {
  assigned: string;
  accepted: string | null;
  declined: string | null;
  en_route: string | null;
  on_scene: string | null;
  cleared: string | null;
}

/** One unit's assignment to one incident, as stored and served. */
export interface Assignment {
  id: string;
  incidentId: string;
  unitId: string;
  /** The unit's agency when it was assigned (kept, so a later change of the register does not rewrite who responded). */
  agency: string | null;
  status: AssignmentStatus;
  /** How the unit left the incident (e.g. "fire out", "patient transported"); set when cleared. */
  disposition: string | null;
  times: AssignmentTimes;
  /** Who assigned it. */
  assignedBy: Actor;
  /** Position of its latest step in the event log. */
  seq: number;
}

/**
 * Body of `POST /api/v1/incidents/{id}/assignments`: a unit by its id, or an agency, which sends
 * that agency's free unit with the shortest estimated arrival (as `recommend` ranks them).
 */
export const AssignmentCreate = z
  .strictObject({
    unitId: z.string().min(1).max(100).optional(),
    agency: z.string().min(1).max(200).optional(),
    note: z.string().max(2000).optional(),
  })
  .superRefine((v, ctx) => {
    if ((v.unitId === undefined) === (v.agency === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['unitId'], message: 'give unitId (one unit) or agency (its nearest free unit), not both and not neither' });
    }
  });
export type AssignmentCreate = z.infer<typeof AssignmentCreate>;

/** Body of `PATCH /api/v1/assignments/{id}`: the next step, and for `cleared` how the unit left. */
export const AssignmentPatch = z
  .strictObject({
    status: AssignmentStatus.exclude(['assigned']),
    disposition: z.string().min(1).max(2000).optional(),
    note: z.string().max(2000).optional(),
  })
  .superRefine((v, ctx) => {
    if (v.disposition !== undefined && v.status !== 'cleared') {
      ctx.addIssue({ code: 'custom', path: ['disposition'], message: 'only a clearing step (status "cleared") takes a disposition' });
    }
  });
export type AssignmentPatch = z.infer<typeof AssignmentPatch>;

/** One step of an assignment, as the incident's history and the stream carry it. */
export interface AssignmentStep {
  assignmentId: string;
  unitId: string;
  agency: string | null;
  from: AssignmentStatus | null;
  to: AssignmentStatus;
  disposition: string | null;
}

/** `assignment:created` and `assignment:updated`: the assignment as it is now, the step, and where its incident is. */
export interface AssignmentEvent extends Assignment {
  change: { seq: number; at: string; actor: Actor; from: AssignmentStatus | null; to: AssignmentStatus; note: string | null };
  /** The incident's status after the step (a step may move it: acknowledged, dispatched, resolved). */
  incidentStatus: Status;
  /** The incident's region and point, so region and viewport subscriptions filter these like incident events. */
  regionCode: string | null;
  point: [number, number];
}

/** Answer of `GET /api/v1/incidents/{id}/assignments`. */
export interface AssignmentList {
  incidentId: string;
  items: Assignment[];
}

/** Query of `GET /api/v1/assignments`: a unit's tablet asks for its own open work. */
export const AssignmentQuery = z.strictObject({
  unitId: z.string().min(1).max(100).optional(),
  /** `active`: assigned, accepted, en route or on scene; `all`: every assignment. */
  state: z.enum(['active', 'all']).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
});

/** The estimate behind `GET /api/v1/incidents/{id}/recommend`, said in the answer. */
export const RECOMMEND_METHOD = 'straight-line distance at typical speed per kind';

/** One ranked unit: where it was taken to be, how far, and how soon it could arrive. */
export interface RecommendedUnit {
  unitId: string;
  callSign: string;
  kind: string;
  agency: string | null;
  status: string;
  /** Great-circle distance from the unit to the incident's point, metres (rounded). */
  distanceMeters: number;
  /** `distanceMeters` at the kind's typical speed, seconds (rounded). */
  etaSeconds: number;
  /** The speed used, km/h. */
  speedKmh: number;
  /** `position`: its last reported position; `station`: its home station's, having reported none. */
  from: 'position' | 'station';
  /** When the position used was reported (ISO 8601), `null` for a station. */
  positionAt: string | null;
}

/** Answer of `GET /api/v1/incidents/{id}/recommend`, shortest estimated arrival first. */
export interface Recommendation {
  incidentId: string;
  method: string;
  units: RecommendedUnit[];
  /** Free units that serve the category but could not be placed: no position, and no station with one. */
  excluded: { unitId: string; reason: string }[];
}

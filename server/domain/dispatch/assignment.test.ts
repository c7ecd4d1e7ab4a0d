import { describe, expect, it } from 'vitest';
import { AssignmentStatus } from '../../contract/dispatch.ts';
import { Status } from '../../contract/incidents.ts';
import { checkAssignmentStep, checkStepCaller, coupleIncident, UNIT_STATUS_AFTER } from './assignment.ts';

/** The steps allowed, written out as pairs from the rules in docs/domain.md §14 (not read from the table under test). */
const ALLOWED = new Set([
  'assigned>accepted',
  'assigned>declined',
  'accepted>en_route',
  'accepted>cleared',
  'en_route>on_scene',
  'en_route>cleared',
  'on_scene>cleared',
]);

describe('checkAssignmentStep', () => {
  it('allows exactly the documented steps, among every pair of statuses', () => {
    for (const from of AssignmentStatus.options) {
      for (const to of AssignmentStatus.options) {
        expect(checkAssignmentStep('a1', from, to).ok, `${from} → ${to}`).toBe(ALLOWED.has(`${from}>${to}`));
      }
    }
  });

  it('names the current status and the allowed next steps when it refuses', () => {
    expect(checkAssignmentStep('a1', 'assigned', 'on_scene')).toEqual({ ok: false, message: 'assignment a1 is assigned and cannot become on_scene; allowed next: accepted or declined' });
    expect(checkAssignmentStep('a1', 'en_route', 'en_route')).toEqual({ ok: false, message: 'assignment a1 is already en_route; allowed next: on_scene or cleared' });
    expect(checkAssignmentStep('a1', 'cleared', 'accepted')).toEqual({ ok: false, message: 'assignment a1 is cleared, which is final: no further step is possible' });
  });
});

describe('UNIT_STATUS_AFTER', () => {
  it('moves the unit with its assignment', () => {
    expect(UNIT_STATUS_AFTER).toEqual({ assigned: 'assigned', accepted: 'assigned', declined: 'available', en_route: 'en_route', on_scene: 'on_scene', cleared: 'returning' });
  });
});

describe('coupleIncident', () => {
  const closed = ['resolved', 'rejected', 'cancelled'] as const;

  it('acknowledges a reported incident when a unit is assigned, and refuses a closed one', () => {
    expect(coupleIncident('i1', 'reported', 'assigned', 0)).toEqual({ ok: true, incidentSteps: ['acknowledged'] });
    expect(coupleIncident('i1', 'acknowledged', 'assigned', 0)).toEqual({ ok: true, incidentSteps: [] });
    expect(coupleIncident('i1', 'dispatched', 'assigned', 2)).toEqual({ ok: true, incidentSteps: [] });
    for (const status of closed) {
      expect(coupleIncident('i1', status, 'assigned', 0)).toEqual({ ok: false, message: `incident i1 is ${status}, which is closed: it takes no new assignment` });
    }
  });

  it('dispatches the incident when the first unit accepts', () => {
    expect(coupleIncident('i1', 'acknowledged', 'accepted', 0)).toEqual({ ok: true, incidentSteps: ['dispatched'] });
    expect(coupleIncident('i1', 'reported', 'accepted', 0)).toEqual({ ok: true, incidentSteps: ['acknowledged', 'dispatched'] });
    expect(coupleIncident('i1', 'dispatched', 'accepted', 1)).toEqual({ ok: true, incidentSteps: [] });
  });

  it('resolves a dispatched incident only when its last active assignment clears', () => {
    expect(coupleIncident('i1', 'dispatched', 'cleared', 0)).toEqual({ ok: true, incidentSteps: ['resolved'] });
    expect(coupleIncident('i1', 'dispatched', 'cleared', 1)).toEqual({ ok: true, incidentSteps: [] });
    // The operator resolved (or rejected) it first: it stays as it is.
    for (const status of closed) expect(coupleIncident('i1', status, 'cleared', 0)).toEqual({ ok: true, incidentSteps: [] });
  });

  it('lets a unit decline or stand down from a closed incident, but not go to it', () => {
    for (const status of closed) {
      expect(coupleIncident('i1', status, 'declined', 0).ok).toBe(true);
      expect(coupleIncident('i1', status, 'cleared', 0).ok).toBe(true);
      for (const step of ['accepted', 'en_route', 'on_scene'] as const) {
        const outcome = coupleIncident('i1', status, step, 0);
        expect(outcome.ok, `${status} ${step}`).toBe(false);
        if (!outcome.ok) expect(outcome.message).toContain(`incident i1 is ${status}`);
      }
    }
  });

  it('never asks the incident for a step its workflow refuses', () => {
    // Walk each incident status through each step's incident steps with the workflow's own table.
    const next: Record<string, string[]> = { reported: ['acknowledged', 'rejected'], acknowledged: ['dispatched', 'rejected'], dispatched: ['resolved', 'rejected'] };
    for (const incident of Status.options) {
      for (const step of AssignmentStatus.options) {
        for (const others of [0, 1]) {
          const outcome = coupleIncident('i1', incident, step, others);
          if (!outcome.ok) continue;
          let at: string = incident;
          for (const to of outcome.incidentSteps) {
            expect(next[at] ?? [], `${incident} ${step}: ${at} → ${to}`).toContain(to);
            at = to;
          }
        }
      }
    }
  });
});

describe('checkStepCaller', () => {
  it('lets a bound token answer only for its own unit, and a dispatcher for any', () => {
    expect(checkStepCaller({ unitId: 'E12', mayDispatch: true }, 'a1', 'E12')).toEqual({ ok: true });
    expect(checkStepCaller({ unitId: 'E12', mayDispatch: false }, 'a1', 'E12')).toEqual({ ok: true });
    const other = checkStepCaller({ unitId: 'A7', mayDispatch: true }, 'a1', 'E12');
    expect(other).toEqual({ ok: false, message: 'this token is bound to unit A7; assignment a1 is for unit E12, so only that unit or a dispatcher may answer it' });
    expect(checkStepCaller({ mayDispatch: true }, 'a1', 'E12')).toEqual({ ok: true });
    expect(checkStepCaller({ mayDispatch: false }, 'a1', 'E12').ok).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { Assignment, AssignmentStatus } from '#contract/index.ts';
import { allowedSteps, chosenAssignment, crewIncidentId, forwardStep, keyForStep, moveChoice, stepForKey, stepRefusal } from './crew-steps.ts';

const assignment = (id: string, unitId: string, status: AssignmentStatus, incidentId = 'inc-1'): Assignment => ({
  id, incidentId, unitId, agency: null, status, disposition: null, seq: 1,
  times: { assigned: '2026-12-07T08:00:00Z', accepted: null, declined: null, en_route: null, on_scene: null, cleared: null },
  assignedBy: { name: 'dispatcher', role: 'responder' },
});

describe('the steps a unit may record', () => {
  it('follows the transition table: assigned → accept/decline, accepted and en route → forward or clear, on scene → clear, final ones nothing', () => {
    // Written out by hand from the steps the dispatch rules allow.
    expect(allowedSteps('assigned', false)).toEqual(['accepted', 'declined']);
    expect(allowedSteps('accepted', false)).toEqual(['en_route', 'cleared']);
    expect(allowedSteps('en_route', false)).toEqual(['on_scene', 'cleared']);
    expect(allowedSteps('on_scene', false)).toEqual(['cleared']);
    expect(allowedSteps('declined', false)).toEqual([]);
    expect(allowedSteps('cleared', false)).toEqual([]);
  });

  it('on a closed incident, only standing down (decline or clear) is offered', () => {
    expect(allowedSteps('assigned', true)).toEqual(['declined']);
    expect(allowedSteps('accepted', true)).toEqual(['cleared']);
    expect(allowedSteps('en_route', true)).toEqual(['cleared']);
    expect(allowedSteps('on_scene', true)).toEqual(['cleared']);
  });

  it('N goes forward (never declines), X declines, C clears — each only where allowed', () => {
    const table: [AssignmentStatus, string, string | null][] = [
      ['assigned', 'N', 'accepted'], ['assigned', 'x', 'declined'], ['assigned', 'C', null],
      ['accepted', 'n', 'en_route'], ['accepted', 'X', null], ['accepted', 'c', 'cleared'],
      ['en_route', 'N', 'on_scene'], ['en_route', 'C', 'cleared'],
      ['on_scene', 'N', 'cleared'], ['on_scene', 'X', null], ['on_scene', 'C', 'cleared'],
      ['cleared', 'N', null], ['cleared', 'C', null], ['declined', 'N', null],
      ['assigned', 'A', null], ['assigned', 'Enter', null],
    ];
    for (const [status, key, step] of table) expect([status, key, stepForKey(key, status, false)]).toEqual([status, key, step]);
    // Closed incident: an unanswered unit cannot accept (N does nothing) but may decline; an accepted one's N stands it down.
    expect(stepForKey('N', 'assigned', true)).toBeNull();
    expect(stepForKey('X', 'assigned', true)).toBe('declined');
    expect(stepForKey('N', 'accepted', true)).toBe('cleared');
    expect(forwardStep('on_scene', false)).toBe('cleared');
  });

  it('each button is hinted with the key that records it', () => {
    expect(keyForStep('accepted', 'assigned', false)).toBe('N');
    expect(keyForStep('declined', 'assigned', false)).toBe('X');
    expect(keyForStep('cleared', 'accepted', false)).toBe('C');
    expect(keyForStep('cleared', 'on_scene', false)).toBe('N');
  });
});

describe('which assignment the keys act on', () => {
  const list = [assignment('a1', 'E1', 'declined'), assignment('a2', 'E2', 'en_route'), assignment('a3', 'P1', 'assigned'), assignment('a4', 'A1', 'cleared')];

  it('the chosen one while active, else the own unit’s (a crew’s tablet), else the first active one', () => {
    expect(chosenAssignment(list, null, null)?.id).toBe('a2');
    expect(chosenAssignment(list, 'a3', null)?.id).toBe('a3');
    // A crew's tablet for P1 starts on P1's assignment, not the first active one.
    expect(chosenAssignment(list, null, 'P1')?.id).toBe('a3');
    // A chosen one that is no longer active (cleared) gives way.
    expect(chosenAssignment(list, 'a4', 'P1')?.id).toBe('a3');
    expect(chosenAssignment(list, 'a1', null)?.id).toBe('a2');
    expect(chosenAssignment([list[0]!, list[3]!], null, 'E1')).toBeNull();
  });

  it('↑/↓ move among the active ones only, stopping at the ends', () => {
    const [, a2, a3] = list;
    expect(moveChoice(list, a2!, 'ArrowDown')).toBe('a3');
    expect(moveChoice(list, a3!, 'ArrowDown')).toBe('a3');
    expect(moveChoice(list, a3!, 'ArrowUp')).toBe('a2');
    expect(moveChoice(list, a2!, 'ArrowUp')).toBe('a2');
    expect(moveChoice(list, a2!, 'End')).toBe('a3');
    expect(moveChoice(list, null, 'ArrowDown')).toBe('a3');
    expect(moveChoice([list[0]!], null, 'ArrowDown')).toBeNull();
  });

  it('a crew’s tablet opens on the incident its own unit is active on', () => {
    const all = [assignment('b1', 'E1', 'cleared', 'inc-old'), assignment('b2', 'E1', 'accepted', 'inc-now'), assignment('b3', 'E2', 'assigned', 'inc-other')];
    expect(crewIncidentId(all, 'E1')).toBe('inc-now');
    expect(crewIncidentId(all, 'P9')).toBeNull();
    expect(crewIncidentId(all, null)).toBeNull();
  });
});

describe('why a step was refused', () => {
  it('409: moved on (names where it is and what it may do), final, or the incident closed', () => {
    // The page offered en route from accepted; read again it is on scene already.
    expect(stepRefusal(409, 'en_route', 'on_scene', false, 'E1', null)).toEqual({ kind: 'conflict', status: 'on_scene', allowed: ['cleared'] });
    expect(stepRefusal(409, 'on_scene', 'cleared', false, 'E1', null)).toEqual({ kind: 'final', status: 'cleared' });
    // Still accepted, and the table allows en route from there: the incident closed meanwhile.
    expect(stepRefusal(409, 'en_route', 'accepted', false, 'E1', null)).toEqual({ kind: 'closed' });
  });

  it('403: a token bound to another unit names it; otherwise a missing right', () => {
    expect(stepRefusal(403, 'accepted', 'assigned', false, 'P1', 'E1')).toEqual({ kind: 'other-unit', ownUnitId: 'E1' });
    expect(stepRefusal(403, 'accepted', 'assigned', false, 'P1', null)).toEqual({ kind: 'forbidden' });
    expect(stepRefusal(404, 'accepted', 'assigned', false, 'P1', null)).toEqual({ kind: 'not-found' });
    expect(stepRefusal(500, 'accepted', 'assigned', false, 'P1', null)).toEqual({ kind: 'other', code: 500 });
  });
});

import { describe, expect, it } from 'vitest';
import { PARCEL_STAGES, type ParcelStage } from './parcels.ts';
import { checkStep, nextStage, STEP_GUIDE } from './parcel-lifecycle.ts';

// The order written out by hand from docs/domain.md §6.3, not read from the code.
const ORDER: ParcelStage[] = ['planned', 'supplied', 'planning_permit', 'construction_permit', 'completed', 'registered', 'supervised'];

describe('parcel lifecycle', () => {
  it('goes through the seven stages in the order of docs/domain.md §6.3', () => {
    expect([...PARCEL_STAGES]).toEqual(ORDER);
    for (let i = 0; i < ORDER.length - 1; i++) expect(nextStage(ORDER[i]!)).toBe(ORDER[i + 1]);
    expect(nextStage('supervised')).toBeNull();
  });

  it('allows exactly the next step from every stage (7 × 7 table)', () => {
    for (let from = 0; from < ORDER.length; from++) {
      for (let to = 0; to < ORDER.length; to++) {
        const result = checkStep(ORDER[from]!, ORDER[to]!);
        expect(result.ok, `${ORDER[from]} → ${ORDER[to]}`).toBe(to === from + 1);
        if (!result.ok) {
          expect(result.expected).toBe(ORDER[from + 1] ?? null);
          if (result.expected) expect(result.message).toContain(`"${result.expected}"`);
        }
      }
    }
  });

  it('says whether a refused step skips, goes back or repeats', () => {
    expect(checkStep('planned', 'planning_permit')).toMatchObject({ ok: false, message: expect.stringMatching(/skips a step/) });
    expect(checkStep('completed', 'supplied')).toMatchObject({ ok: false, message: expect.stringMatching(/goes back/) });
    expect(checkStep('supplied', 'supplied')).toMatchObject({ ok: false, message: expect.stringMatching(/repeats/) });
    expect(checkStep('supervised', 'supervised')).toMatchObject({ ok: false, expected: null, message: expect.stringMatching(/last stage/) });
  });

  it('names who acts and what they issue at every stage', () => {
    for (const stage of ORDER) {
      expect(STEP_GUIDE[stage].departments.length).toBeGreaterThan(0);
      expect(STEP_GUIDE[stage].documents.length).toBeGreaterThan(0);
    }
  });
});

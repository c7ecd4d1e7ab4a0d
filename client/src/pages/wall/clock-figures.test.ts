import { describe, expect, it } from 'vitest';
import type { KpiGroup } from '#contract/index.ts';
import { cityClockFigures } from './clock-figures.ts';

const none = { median: null, p90: null, samples: 0 };
const group = (key: string | null, count: number, onTimeShare: number | null, overdueOpen: number, judged: number): KpiGroup => ({
  key, count, resolved: 0, resolutionRate: null, onTimeShare, judged, overdueOpen, backlog: overdueOpen, ack: none, dispatch: none, arrive: none, resolve: none,
});

describe('the wall\'s city-wide clock figures', () => {
  it('adds the overdue open incidents and the clocks met over the clocks judged: exact, whatever each group counted', () => {
    // a: 1 of 4 judged in time, b: 5 of 6; c judged none yet. City: (1 + 5) / (4 + 6) = 0.6 —
    // weighting the shares by counted incidents instead would say (0.25·10 + 5/6·6) / 16 ≈ 0.47.
    const figures = cityClockFigures([group('a', 10, 0.25, 2, 4), group('b', 6, 5 / 6, 1, 6), group('c', 3, null, 4, 0), group(null, 0, null, 1, 0)]);
    expect(figures).toEqual({ overdueOpen: 8, onTimeShare: 0.6 });
    // Shares that are not exact in binary still give whole counts of clocks met: (2 + 1) / (7 + 3).
    expect(cityClockFigures([group('a', 9, 2 / 7, 0, 7), group('b', 3, 1 / 3, 0, 3)]).onTimeShare).toBe(0.3);
  });

  it('has no share before any clock is judged', () => {
    expect(cityClockFigures([group('a', 5, null, 3, 0)])).toEqual({ overdueOpen: 3, onTimeShare: null });
    expect(cityClockFigures([])).toEqual({ overdueOpen: 0, onTimeShare: null });
  });

});

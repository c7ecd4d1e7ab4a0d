import { describe, expect, it } from 'vitest';
import type { KpiGroup } from '#contract/index.ts';
import { cityClockFigures } from './clock-figures.ts';

const none = { median: null, p90: null, samples: 0 };
const group = (key: string | null, count: number, onTimeShare: number | null, overdueOpen: number): KpiGroup => ({
  key, count, resolved: 0, resolutionRate: null, onTimeShare, overdueOpen, backlog: overdueOpen, ack: none, dispatch: none, arrive: none, resolve: none,
});

describe('the wall\'s city-wide clock figures', () => {
  it('adds the overdue open incidents and weights each share by its counted incidents', () => {
    // (0.5·4 + 1·6) / (4 + 6) = 8 / 10; the group without a share and the empty one add overdue only.
    const figures = cityClockFigures([group('a', 4, 0.5, 2), group('b', 6, 1, 1), group('c', 3, null, 4), group(null, 0, null, 1)]);
    expect(figures).toEqual({ overdueOpen: 8, onTimeShare: 0.8, estimated: true });
  });

  it('is exact with one contributing group and has no share before any clock is judged', () => {
    expect(cityClockFigures([group('a', 5, 0.6, 0), group('b', 2, null, 3)])).toEqual({ overdueOpen: 3, onTimeShare: 0.6, estimated: false });
    expect(cityClockFigures([])).toEqual({ overdueOpen: 0, onTimeShare: null, estimated: false });
  });
});

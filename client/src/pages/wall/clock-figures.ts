/**
 * The wall's response figures for today, city-wide, from the per-district answer of
 * `GET /api/v1/kpis`: overdue open incidents (each incident is in one district group, so the sum
 * is exact) and the on-time share. The answer gives each group's share but not how many resolve
 * clocks it judged, so the city's share is the groups' shares weighted by their counted incidents:
 * exact when every group judged the same fraction of its incidents, an estimate otherwise (the tile says "≈").
 */
import type { KpiGroup } from '#contract/index.ts';

export interface ClockFigures {
  overdueOpen: number;
  /** `null`: no group judged any clock yet today. */
  onTimeShare: number | null;
  /** More than one group contributed to the share, so it is a weighted estimate. */
  estimated: boolean;
}

export function cityClockFigures(groups: readonly KpiGroup[]): ClockFigures {
  let overdueOpen = 0;
  let weighted = 0;
  let weight = 0;
  let contributing = 0;
  for (const g of groups) {
    overdueOpen += g.overdueOpen;
    if (g.onTimeShare === null || g.count === 0) continue;
    weighted += g.onTimeShare * g.count;
    weight += g.count;
    contributing++;
  }
  return { overdueOpen, onTimeShare: weight === 0 ? null : weighted / weight, estimated: contributing > 1 };
}

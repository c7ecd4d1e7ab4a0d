/**
 * The wall's response figures for today, city-wide, from the per-district answer of
 * `GET /api/v1/kpis`: overdue open incidents (each incident is in one district group, so the sum
 * is exact) and the on-time share. Each group says how many resolve clocks it judged (`judged`),
 * so the city's share is exact: the groups' in-time clocks over all judged clocks (weighting the
 * groups' shares by their counted incidents would not be).
 */
import type { KpiGroup } from '#contract/index.ts';

export interface ClockFigures {
  overdueOpen: number;
  /** `null`: no group judged any clock yet today. */
  onTimeShare: number | null;
}

export function cityClockFigures(groups: readonly KpiGroup[]): ClockFigures {
  const overdueOpen = groups.reduce((sum, g) => sum + g.overdueOpen, 0);
  let met = 0;
  let judged = 0;
  for (const g of groups) {
    if (g.onTimeShare === null || g.judged === 0) continue;
    // share = met / judged, so this is the group's whole count of clocks met (rounded off float noise).
    met += Math.round(g.onTimeShare * g.judged);
    judged += g.judged;
  }
  return { overdueOpen, onTimeShare: judged === 0 ? null : met / judged };
}

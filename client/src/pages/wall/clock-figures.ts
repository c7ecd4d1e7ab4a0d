/**
 * The wall's response figures for today, city-wide, from the per-district answer of
 * `GET /api/v1/kpis`: overdue open incidents (each incident is in one district group, so the sum
 * is exact) and the on-time share. Each group says how many resolve clocks it judged (`judged`),
 * so the city's share is exact: the groups' in-time clocks over all judged clocks. An answer
 * without `judged` (an older server) leaves only the groups' shares weighted by their counted
 * incidents: an estimate when several groups contribute (the tile says "≈").
 */
import type { KpiGroup } from '#contract/index.ts';

export interface ClockFigures {
  overdueOpen: number;
  /** `null`: no group judged any clock yet today. */
  onTimeShare: number | null;
  /** The share is a weighted estimate (several groups, and the answer did not say how many each judged). */
  estimated: boolean;
}

export function cityClockFigures(groups: readonly KpiGroup[]): ClockFigures {
  const overdueOpen = groups.reduce((sum, g) => sum + g.overdueOpen, 0);
  if (groups.every((g) => g.judged !== undefined)) {
    let met = 0;
    let judged = 0;
    for (const g of groups) {
      if (g.onTimeShare === null || !g.judged) continue;
      // share = met / judged, so this is the group's whole count of clocks met (rounded off float noise).
      met += Math.round(g.onTimeShare * g.judged);
      judged += g.judged;
    }
    return { overdueOpen, onTimeShare: judged === 0 ? null : met / judged, estimated: false };
  }
  let weighted = 0;
  let weight = 0;
  let contributing = 0;
  for (const g of groups) {
    if (g.onTimeShare === null || g.count === 0) continue;
    weighted += g.onTimeShare * g.count;
    weight += g.count;
    contributing++;
  }
  return { overdueOpen, onTimeShare: weight === 0 ? null : weighted / weight, estimated: contributing > 1 };
}

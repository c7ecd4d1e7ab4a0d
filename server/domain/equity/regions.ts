/**
 * Per-region access beside hotline appeals (docs/domain.md §7.4): a region whose residents
 * have little access and yet rarely call 12345 may not be reaching the hotline at all.
 */
import type { EquityRegion, SilentRule } from '../../contract/equity.ts';
import type { CellSet, RegionRef, SilentThresholds } from './types.ts';

interface RegionTotals {
  population: number;
  /** Σ p·A */
  access: number;
  zeroPopulation: number;
}

/**
 * Figures of each region in `regions` (same order) from the cells that lie in it, and the rule the
 * flags were decided by:
 * - `meanAccess` population-weighted (0 without residents);
 * - `underserved` when `meanAccess < lowAccessShare × cityMeanAccess`;
 * - `appealsPer10k = appeals × 10,000 / population`, and the city's rate is Σ appeals × 10,000 /
 *   Σ population over the listed regions;
 * - `silent` when underserved and `appealsPer10k < fewAppealsShare × cityAppealsPer10k`.
 * A region without residents is never underserved or silent: there is nobody to serve. With no
 * appeals anywhere the city rate is 0 and nobody is "quieter than the city", so no region is silent.
 */
export function summariseRegions(
  cells: CellSet,
  access: ArrayLike<number>,
  regions: readonly RegionRef[],
  appeals: ReadonlyMap<string, number>,
  cityMeanAccess: number,
  thresholds: SilentThresholds,
): { regions: EquityRegion[]; silentRule: SilentRule } {
  const totals = new Map<string, RegionTotals>(regions.map((r) => [r.code, { population: 0, access: 0, zeroPopulation: 0 }]));
  for (let i = 0; i < cells.regionCodes.length; i++) {
    const code = cells.regionCodes[i];
    const p = cells.population[i] as number;
    if (code == null || !(p > 0)) continue;
    const t = totals.get(code);
    if (!t) continue; // a cell tagged with a region no longer listed
    const a = access[i] as number;
    t.population += p;
    t.access += p * a;
    if (a === 0) t.zeroPopulation += p;
  }

  let cityPopulation = 0;
  let cityAppeals = 0;
  for (const r of regions) {
    cityPopulation += totals.get(r.code)?.population ?? 0;
    cityAppeals += appeals.get(r.code) ?? 0;
  }
  const cityAppealsPer10k = cityPopulation > 0 ? (cityAppeals * 10_000) / cityPopulation : 0;
  const lowAccess = thresholds.lowAccessShare * cityMeanAccess;
  const fewAppeals = thresholds.fewAppealsShare * cityAppealsPer10k;

  const summaries = regions.map((r): EquityRegion => {
    const t = totals.get(r.code) ?? { population: 0, access: 0, zeroPopulation: 0 };
    const count = appeals.get(r.code) ?? 0;
    const populated = t.population > 0;
    const meanAccess = populated ? t.access / t.population : 0;
    const appealsPer10k = populated ? (count * 10_000) / t.population : 0;
    const underserved = populated && meanAccess < lowAccess;
    return {
      code: r.code,
      name: r.name,
      population: t.population,
      meanAccess,
      zeroAccessShare: populated ? t.zeroPopulation / t.population : 0,
      appeals: count,
      appealsPer10k,
      silent: underserved && appealsPer10k < fewAppeals,
      underserved,
    };
  });
  return {
    regions: summaries,
    silentRule: {
      appealDays: thresholds.appealDays,
      lowAccessShare: thresholds.lowAccessShare,
      fewAppealsShare: thresholds.fewAppealsShare,
      cityAppealsPer10k,
    },
  };
}

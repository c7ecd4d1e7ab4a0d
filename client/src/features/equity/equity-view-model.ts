/**
 * What the equity panel shows, worked out from the API's answers without React: the district table
 * with the reason of each flag, the districts a what-if changes, the Lorenz path and number formats.
 */
import { FACILITY_KIND_NAMES, type EquityRegion, type EquityResult, type WhatIfResult } from '#contract/equity.ts';
import type { Lang, MessageKey } from '../../i18n/i18n.ts';

/** Access is capacity per resident (beds, seats, …); people read it per 1,000 residents. */
export const ACCESS_PER = 1000;

/** Access per 1,000 residents with at most 3 significant digits (`0` as such). */
export function formatAccess(access: number, lang: Lang): string {
  if (!Number.isFinite(access) || access === 0) return '0';
  return new Intl.NumberFormat(lang, { maximumSignificantDigits: 3 }).format(access * ACCESS_PER);
}

/** Gini and Theil to three decimals, as the panel and a bulletin print them. */
export const formatIndex = (value: number): string => value.toFixed(3);

/** A change with its sign (a true minus sign); `±0.000` when it rounds to nothing. */
export function formatSigned(delta: number, format: (v: number) => string): string {
  const text = format(Math.abs(delta));
  if (Number(text.replace(/[^\d.]/g, '')) === 0) return `±${text}`;
  return `${delta > 0 ? '+' : '−'}${text}`;
}

export const formatShare = (share: number): string => `${(share * 100).toFixed(1)}%`;

export const formatCount = (n: number, lang: Lang): string => new Intl.NumberFormat(lang, { maximumFractionDigits: 0 }).format(n);

/** A facility kind in the page's language; a kind the contract does not name is shown as sent. */
export function kindName(kind: string, lang: Lang): string {
  return (FACILITY_KIND_NAMES as Record<string, { 'zh-CN': string; en: string } | undefined>)[kind]?.[lang] ?? kind;
}

export function median(values: readonly number[]): number | null {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? null) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** One row of the underserved-and-silent table. */
export interface DistrictRow {
  code: string;
  name: string;
  meanAccess: string;
  zeroAccessShare: string;
  appealsPer10k: string;
  silent: boolean;
  underserved: boolean;
  /** Why it is flagged, as a message and its filled-in numbers (from `silentRule`). */
  reason: { key: MessageKey; params: Record<string, string | number> };
}

/**
 * The flagged districts: silent ones first (nobody is complaining for them), then the underserved,
 * each group from the lowest mean access up.
 */
export function districtRows(result: EquityResult, lang: Lang): DistrictRow[] {
  const rule = result.silentRule;
  const flagged = result.regions.filter((r) => r.silent || r.underserved);
  flagged.sort((a, b) => Number(b.silent) - Number(a.silent) || a.meanAccess - b.meanAccess || a.code.localeCompare(b.code));
  const appeals = (v: number) => v.toFixed(1);
  return flagged.map((region: EquityRegion) => {
    const params: Record<string, string | number> = {
      mean: formatAccess(region.meanAccess, lang),
      city: formatAccess(result.meanAccess, lang),
      low: Math.round(rule.lowAccessShare * 100),
    };
    const reason: DistrictRow['reason'] = region.silent
      ? {
          key: 'equity.silentReason',
          params: { ...params, days: rule.appealDays, appeals: appeals(region.appealsPer10k), cityAppeals: appeals(rule.cityAppealsPer10k), few: Math.round(rule.fewAppealsShare * 100) },
        }
      : { key: 'equity.underservedReason', params };
    return {
      code: region.code,
      name: region.name,
      meanAccess: formatAccess(region.meanAccess, lang),
      zeroAccessShare: formatShare(region.zeroAccessShare),
      appealsPer10k: appeals(region.appealsPer10k),
      silent: region.silent,
      underserved: region.underserved,
      reason,
    };
  });
}

/** A district whose mean access a what-if moves. */
export interface ChangedDistrict {
  code: string;
  name: string;
  before: number;
  after: number;
  delta: number;
  /** Its silent flag is lifted (or set) by the change. */
  silentBefore: boolean;
  silentAfter: boolean;
}

/** Districts whose mean access changes, the biggest gain first. */
export function changedDistricts(whatIf: WhatIfResult): ChangedDistrict[] {
  const names = new Map(whatIf.after.regions.map((r) => [r.code, r.name]));
  return whatIf.changes.regions
    .filter((r) => r.meanAccess.delta !== 0)
    .map((r) => ({
      code: r.code,
      name: names.get(r.code) ?? r.code,
      before: r.meanAccess.before,
      after: r.meanAccess.after,
      delta: r.meanAccess.delta,
      silentBefore: r.silent.before,
      silentAfter: r.silent.after,
    }))
    .sort((a, b) => b.delta - a.delta || a.code.localeCompare(b.code));
}

/**
 * The Lorenz curve as an SVG path in a `size` × `size` box, y pointing down (so (0, 0) is the
 * bottom-left corner and (1, 1) the top-right).
 */
export function lorenzPath(points: readonly (readonly [number, number])[], size: number): string {
  return points
    .map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${(x * size).toFixed(1)} ${((1 - y) * size).toFixed(1)}`)
    .join('');
}

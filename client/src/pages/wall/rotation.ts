/**
 * The wall's tour: red districts first, then orange, each the worst score first; after the list
 * the whole city. The list is read again at the start of every round, so a district that cooled
 * down leaves the tour and a new hot one joins it.
 */
import type { RegionRisk } from '#contract/index.ts';

/** Codes of the districts to visit, in order. */
export function tourStops(ratings: Iterable<RegionRisk>): string[] {
  const hot = [...ratings].filter((r) => r.level === 'red' || r.level === 'orange');
  const rank = (r: RegionRisk) => (r.level === 'red' ? 0 : 1);
  hot.sort((a, b) => rank(a) - rank(b) || b.score - a.score || a.code.localeCompare(b.code));
  return hot.map((r) => r.code);
}

/** Where the tour is: a district of the round (`code`, its place) or the whole city (`code: null`). */
export interface TourStop {
  code: string | null;
  index: number;
  /** The districts of this round, fixed when it started. */
  round: readonly string[];
}

export const CITY: TourStop = { code: null, index: -1, round: [] };

/**
 * The stop after `current`: the next district of the round that is still hot (in `stops`), else
 * the whole city; from the whole city a new round starts with `stops` as they are now (none: the
 * city stays).
 */
export function nextStop(current: TourStop, stops: readonly string[]): TourStop {
  if (current.code === null) {
    const first = stops[0];
    return first === undefined ? CITY : { code: first, index: 0, round: [...stops] };
  }
  const hot = new Set(stops);
  for (let index = current.index + 1; index < current.round.length; index++) {
    const code = current.round[index] as string;
    if (hot.has(code)) return { code, index, round: current.round };
  }
  return CITY;
}

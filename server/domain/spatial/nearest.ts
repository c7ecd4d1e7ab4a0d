/** Picks the k points nearest to an origin by great-circle distance. */
import { haversineM } from './haversine.ts';

/**
 * The `k` items nearest to `[lon, lat]`, nearest first, each with `distanceM` (haversine, metres).
 * Ties keep input order, so the answer is stable. A linear scan: facility lists are small (thousands).
 */
export function nearestPoints<T extends { lon: number; lat: number }>(origin: readonly [number, number], items: readonly T[], k: number): (T & { distanceM: number })[] {
  const [lon, lat] = origin;
  return items
    .map((item, index) => ({ item, index, distanceM: haversineM(lon, lat, item.lon, item.lat) }))
    .sort((a, b) => a.distanceM - b.distanceM || a.index - b.index)
    .slice(0, Math.max(0, k))
    .map(({ item, distanceM }) => ({ ...item, distanceM }));
}

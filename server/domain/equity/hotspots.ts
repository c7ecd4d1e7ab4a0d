/**
 * Hotspots of low access (docs/domain.md §7.5): where many residents live in cells below the low-access
 * line, grouped into square lon/lat bins so a planner sees a handful of places rather than
 * thousands of cells. Bins are cheap, deterministic and need no clustering parameter a user would
 * have to understand.
 */
import type { EquityHotspot } from '../../contract/equity.ts';
import type { CellSet, SilentThresholds } from './types.ts';

export const DEFAULT_HOTSPOT_BIN_DEGREES = 0.05;
export const DEFAULT_MAX_HOTSPOTS = 20;
/** A bin is a hotspot when its low-access residents reach this many "typical" (median) populated cells. */
const TYPICAL_CELLS_PER_HOTSPOT = 3;

interface Bin {
  firstCell: number;
  cells: number;
  population: number;
  /** Σ p·A, Σ p·lon and Σ p·lat of the bin's low-access cells. */
  access: number;
  lonSum: number;
  latSum: number;
  bbox: [number, number, number, number];
  residentsByRegion: Map<string | null, number>;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = values.sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The region with the most residents in the bin; a tie goes to the one seen first. */
function mainRegion(residentsByRegion: ReadonlyMap<string | null, number>): string | null {
  let best: string | null = null;
  let bestPopulation = -1;
  for (const [code, p] of residentsByRegion) {
    if (p > bestPopulation) {
      best = code;
      bestPopulation = p;
    }
  }
  return best;
}

/**
 * Low-access cells (`access < lowAccessShare × cityMeanAccess`, population > 0) binned by
 * `binDegrees`; a bin is kept when it holds at least one such cell and its low-access residents are
 * ≥ 3 × the median population of the city's populated cells. Sorted by those residents descending
 * (ties: lower mean access first, then the bin whose first cell comes first), at most `max`, with
 * ids `hotspot-1`, `hotspot-2`, ….
 */
export function findHotspots(
  cells: CellSet,
  access: ArrayLike<number>,
  cityMeanAccess: number,
  thresholds: SilentThresholds,
  options: { binDegrees?: number; max?: number } = {},
): EquityHotspot[] {
  const binDegrees = options.binDegrees ?? DEFAULT_HOTSPOT_BIN_DEGREES;
  const max = options.max ?? DEFAULT_MAX_HOTSPOTS;
  const lowAccess = thresholds.lowAccessShare * cityMeanAccess;
  const populated: number[] = [];
  const bins = new Map<string, Bin>();
  for (let i = 0; i < cells.population.length; i++) {
    const p = cells.population[i] as number;
    if (!(p > 0)) continue;
    populated.push(p);
    const a = access[i] as number;
    if (!(a < lowAccess)) continue;
    const lon = cells.lon[i] as number;
    const lat = cells.lat[i] as number;
    const key = `${Math.floor(lon / binDegrees)},${Math.floor(lat / binDegrees)}`;
    let bin = bins.get(key);
    if (!bin) {
      bin = { firstCell: i, cells: 0, population: 0, access: 0, lonSum: 0, latSum: 0, bbox: [lon, lat, lon, lat], residentsByRegion: new Map() };
      bins.set(key, bin);
    }
    bin.cells++;
    bin.population += p;
    bin.access += p * a;
    bin.lonSum += p * lon;
    bin.latSum += p * lat;
    const box = bin.bbox;
    box[0] = Math.min(box[0], lon);
    box[1] = Math.min(box[1], lat);
    box[2] = Math.max(box[2], lon);
    box[3] = Math.max(box[3], lat);
    const code = cells.regionCodes[i] ?? null;
    bin.residentsByRegion.set(code, (bin.residentsByRegion.get(code) ?? 0) + p);
  }

  const minResidents = TYPICAL_CELLS_PER_HOTSPOT * median(populated);
  const kept = [...bins.values()]
    .filter((b) => b.cells >= 1 && b.population >= minResidents)
    .map((b) => ({ bin: b, meanAccess: b.access / b.population }))
    .sort((x, y) => y.bin.population - x.bin.population || x.meanAccess - y.meanAccess || x.bin.firstCell - y.bin.firstCell)
    .slice(0, Math.max(0, max));
  return kept.map(({ bin, meanAccess }, k) => ({
    id: `hotspot-${k + 1}`,
    lon: bin.lonSum / bin.population,
    lat: bin.latSum / bin.population,
    bbox: bin.bbox,
    cells: bin.cells,
    population: bin.population,
    meanAccess,
    regionCode: mainRegion(bin.residentsByRegion),
  }));
}

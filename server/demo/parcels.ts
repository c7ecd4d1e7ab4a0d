/**
 * Synthetic land parcels (土地码, docs/domain.md §6): city blocks near where people live, separated by
 * streets and cut into a few parcels each, every parcel with a valid land code numbered per region
 * and year, a GB/T 21010 first-level land use and a lifecycle history up to its stage (older codes
 * have moved further along). Everything is labelled synthetic (`synthetic: true`, names `[合成] …`).
 */
import type { LandUse, ParcelStage } from '../contract/parcels.ts';
import { formatLandCode } from '../contract/land-code.ts';
import { type DemoRegions, METRES_PER_DEGREE, round6 } from './demo-regions.ts';
import { DistrictBorders } from './district-borders.ts';
import { type DemoParcelStep, DocumentNumbers, generateHistory } from './parcel-history.ts';
import { type PopulationGrid, PopulationSampler } from './population.ts';
import { pickWeighted, type Random, randomInt, uniform } from './random.ts';

export type { LandUse, ParcelStage } from '../contract/parcels.ts';
export type { DemoParcelStep } from './parcel-history.ts';

export interface ParcelProperties {
  code: string;
  landUse: LandUse;
  regionCode: string;
  hazardous: boolean;
  /** The last step of `steps`. */
  stage: ParcelStage;
  name: string;
  address: string;
  synthetic: true;
  /** Lifecycle from `planned` to `stage`, oldest first, dates increasing. */
  steps: DemoParcelStep[];
}

export interface ParcelFeature {
  type: 'Feature';
  geometry: { type: 'Polygon'; coordinates: [number, number][][] };
  properties: ParcelProperties;
}

/** GB/T 21010-2017 first-level classes, named for parcel titles. */
const LAND_USE_LABEL: Record<LandUse, string> = {
  '01': '耕地',
  '02': '园地',
  '03': '林地',
  '04': '草地',
  '05': '商服',
  '06': '工矿仓储',
  '07': '住宅',
  '08': '公共服务',
  '09': '特殊用地',
  '10': '交通运输',
  '11': '水利设施',
  '12': '其他',
};

/** Mostly commercial, industrial, residential and public parcels: those are what gets coded and built. */
const LAND_USE_MIX: Record<LandUse, number> = {
  '01': 1, '02': 1, '03': 1, '04': 0.5, '05': 18, '06': 20, '07': 32, '08': 15, '09': 1, '10': 6, '11': 2, '12': 2.5,
};

/** Share of a block's parcels that take the block's main use (a residential block with a school, a shop…). */
const MAIN_USE_SHARE = 0.75;

/** Share of industrial & storage parcels that hold hazardous goods (chemical storage and the like). */
const HAZARDOUS_SHARE_OF_06 = 0.15;

/** Block sides in metres by main use: factories and warehouses take more ground than shops. */
function blockSideRangeM(use: LandUse): [number, number] {
  if (use === '06') return [180, 420];
  if (use === '05') return [100, 240];
  return [120, 320];
}

/** Streets between blocks are at least this wide (m). */
const STREET_M = 24;

type Box = [number, number, number, number];

/**
 * Blocks placed so far, bucketed on a grid of about 1 km, so the overlap test looks at neighbours
 * only: checking all earlier blocks would make 20k parcels quadratic.
 */
class BlockGrid {
  private readonly cells = new Map<string, Box[]>();
  private static readonly CELL_DEG = 0.01;

  private keys([minLon, minLat, maxLon, maxLat]: Box): string[] {
    const c = BlockGrid.CELL_DEG;
    const keys: string[] = [];
    for (let i = Math.floor(minLon / c); i <= Math.floor(maxLon / c); i++) {
      for (let j = Math.floor(minLat / c); j <= Math.floor(maxLat / c); j++) keys.push(`${i}:${j}`);
    }
    return keys;
  }

  /** Whether `box` meets any block placed so far. */
  overlaps(box: Box): boolean {
    return this.keys(box).some((key) => (this.cells.get(key) ?? []).some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3]));
  }

  add(box: Box): void {
    for (const key of this.keys(box)) {
      const list = this.cells.get(key);
      if (list) list.push(box);
      else this.cells.set(key, [box]);
    }
  }
}

/** Cut positions splitting [a, b] into `parts` pieces of uneven width (weights 0.5–1.5: no sliver lots). */
function cuts(rand: Random, a: number, b: number, parts: number): number[] {
  const weights = Array.from({ length: parts }, () => uniform(rand, 0.5, 1.5));
  const total = weights.reduce((s, w) => s + w, 0);
  const out = [a];
  let at = a;
  for (const w of weights.slice(0, -1)) {
    at += ((b - a) * w) / total;
    out.push(round6(at));
  }
  out.push(b);
  return out;
}

export function generateParcels(
  grid: PopulationGrid,
  regions: DemoRegions,
  rand: Random,
  options: { count: number; now: Date },
): ParcelFeature[] {
  // Above 1: the cores fill up with blocks first, as a city is built; the hills get a few.
  const sampler = new PopulationSampler(grid, regions, 1.5);
  const nowMs = options.now.getTime();
  const nowYear = options.now.getUTCFullYear();
  const nextSeq = new Map<string, number>();
  const numbers = new DocumentNumbers();
  const blocks = new BlockGrid();
  const borders = new DistrictBorders(regions);
  const out: ParcelFeature[] = [];
  let blockNumber = 0;
  for (let attempt = 0; out.length < options.count && attempt < options.count * 20; attempt++) {
    const centre = sampler.point(rand);
    // Land codes need a 6-digit GB/T 2260 region code; a region coded otherwise gets no parcels.
    if (!/^\d{6}$/.test(centre.regionCode)) continue;
    const mainUse = pickWeighted(rand, LAND_USE_MIX);
    const [minSide, maxSide] = blockSideRangeM(mainUse);
    const metresPerDegLon = METRES_PER_DEGREE * Math.cos((centre.lat * Math.PI) / 180);
    const halfWidthDeg = uniform(rand, minSide, maxSide) / 2 / metresPerDegLon;
    const halfHeightDeg = uniform(rand, minSide, maxSide) / 2 / METRES_PER_DEGREE;
    const box: Box = [
      round6(centre.lon - halfWidthDeg),
      round6(centre.lat - halfHeightDeg),
      round6(centre.lon + halfWidthDeg),
      round6(centre.lat + halfHeightDeg),
    ];
    // A block lies a street away from every other and wholly in one district (no border crosses
    // it, or its corners agree); the cheap test first: in the cores most tries hit a block.
    const streetLon = STREET_M / metresPerDegLon;
    const streetLat = STREET_M / METRES_PER_DEGREE;
    if (blocks.overlaps([box[0] - streetLon, box[1] - streetLat, box[2] + streetLon, box[3] + streetLat])) continue;
    if (!borders.clear(box)) {
      const corners: [number, number][] = [[box[0], box[1]], [box[2], box[1]], [box[2], box[3]], [box[0], box[3]]];
      if (corners.some(([lon, lat]) => regions.regionAt(lon, lat) !== centre.regionCode)) continue;
    }
    blocks.add(box);
    blockNumber++;

    // Cut the block into columns and rows along its sides: 1 to 6 parcels sharing their edges.
    const lons = cuts(rand, box[0], box[2], randomInt(rand, 1, 3));
    const lats = cuts(rand, box[1], box[3], randomInt(rand, 1, 2));
    const district = regions.byCode.get(centre.regionCode)?.name ?? centre.regionCode;
    let lot = 0;
    for (let i = 0; i + 1 < lons.length && out.length < options.count; i++) {
      for (let j = 0; j + 1 < lats.length && out.length < options.count; j++) {
        const [w, e, s, n] = [lons[i]!, lons[i + 1]!, lats[j]!, lats[j + 1]!];
        const landUse = rand() < MAIN_USE_SHARE ? mainUse : pickWeighted(rand, LAND_USE_MIX);
        const hazardous = landUse === '06' && rand() < HAZARDOUS_SHARE_OF_06;
        const year = randomInt(rand, nowYear - 4, nowYear);
        const steps = generateHistory(rand, year, nowMs, numbers);
        const key = `${centre.regionCode}/${year}`;
        const seq = (nextSeq.get(key) ?? 0) + 1;
        nextSeq.set(key, seq);
        lot++;
        const number = String(out.length + 1).padStart(5, '0');
        out.push({
          type: 'Feature',
          // Counter-clockwise exterior ring, as RFC 7946 asks.
          geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
          properties: {
            code: formatLandCode({ adcode: centre.regionCode, year, seq }),
            landUse,
            regionCode: centre.regionCode,
            hazardous,
            stage: steps.at(-1)?.step ?? 'planned',
            name: hazardous ? `[合成] 危化品仓储地块 ${number}` : `[合成] ${LAND_USE_LABEL[landUse]}地块 ${number}`,
            address: `[合成] ${district} 第 ${blockNumber} 街区 ${lot} 号地块`,
            synthetic: true,
            steps,
          },
        });
      }
    }
  }
  return out;
}

/**
 * Synthetic land parcels (土地码, DOMAIN §5): small rectangles near where people live, each with a
 * valid land code, a GB/T 21010 first-level land use and a lifecycle stage that older codes have
 * moved further along.
 */
import { formatLandCode } from '../domain/parcels/land-code.ts';
import { type DemoRegions, METRES_PER_DEGREE, round6 } from './demo-regions.ts';
import { type PopulationGrid, PopulationSampler } from './population.ts';
import { pickWeighted, type Random, randomInt, uniform } from './random.ts';

export const PARCEL_STAGES = [
  'planned',
  'supplied',
  'planning_permit',
  'construction_permit',
  'completed',
  'registered',
  'supervised',
] as const;
export type ParcelStage = (typeof PARCEL_STAGES)[number];

export type LandUse = '01' | '02' | '03' | '04' | '05' | '06' | '07' | '08' | '09' | '10' | '11' | '12';

export interface ParcelProperties {
  code: string;
  landUse: LandUse;
  regionCode: string;
  hazardous: boolean;
  stage: ParcelStage;
  name: string;
  synthetic: true;
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

/** Share of industrial & storage parcels that hold hazardous goods (chemical storage and the like). */
const HAZARDOUS_SHARE_OF_06 = 0.15;

type Box = [number, number, number, number];

function overlaps(a: Box, b: Box): boolean {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}

export function generateParcels(
  grid: PopulationGrid,
  regions: DemoRegions,
  rand: Random,
  options: { count: number; now: Date },
): ParcelFeature[] {
  const sampler = new PopulationSampler(grid, regions, 1);
  const nowYear = options.now.getUTCFullYear();
  const nextSeq = new Map<string, number>();
  const boxes: Box[] = [];
  const out: ParcelFeature[] = [];
  for (let attempt = 0; out.length < options.count && attempt < options.count * 20; attempt++) {
    const centre = sampler.point(rand);
    // Land codes need a 6-digit GB/T 2260 region code; a region coded otherwise gets no parcels.
    if (!/^\d{6}$/.test(centre.regionCode)) continue;
    const halfWidthDeg = uniform(rand, 50, 150) / (METRES_PER_DEGREE * Math.cos((centre.lat * Math.PI) / 180));
    const halfHeightDeg = uniform(rand, 50, 150) / METRES_PER_DEGREE;
    const box: Box = [
      round6(centre.lon - halfWidthDeg),
      round6(centre.lat - halfHeightDeg),
      round6(centre.lon + halfWidthDeg),
      round6(centre.lat + halfHeightDeg),
    ];
    // A parcel lies wholly in one district (its corners agree) and never on top of another parcel.
    const corners: [number, number][] = [[box[0], box[1]], [box[2], box[1]], [box[2], box[3]], [box[0], box[3]]];
    if (corners.some(([lon, lat]) => regions.regionAt(lon, lat) !== centre.regionCode)) continue;
    if (boxes.some((b) => overlaps(b, box))) continue;
    boxes.push(box);

    const landUse = pickWeighted(rand, LAND_USE_MIX);
    const hazardous = landUse === '06' && rand() < HAZARDOUS_SHARE_OF_06;
    const year = randomInt(rand, nowYear - 4, nowYear);
    // An older code has had time to move further along the lifecycle.
    const furthest = Math.min(PARCEL_STAGES.length - 1, 1 + 2 * (nowYear - year));
    const stage = PARCEL_STAGES[randomInt(rand, 0, furthest)] ?? 'planned';
    const key = `${centre.regionCode}/${year}`;
    const seq = (nextSeq.get(key) ?? 0) + 1;
    nextSeq.set(key, seq);
    const number = String(out.length + 1).padStart(3, '0');
    out.push({
      type: 'Feature',
      // Counter-clockwise exterior ring, as RFC 7946 asks.
      geometry: { type: 'Polygon', coordinates: [[...corners, [box[0], box[1]]]] },
      properties: {
        code: formatLandCode({ adcode: centre.regionCode, year, seq }),
        landUse,
        regionCode: centre.regionCode,
        hazardous,
        stage,
        name: hazardous ? `合成危化品仓储地块 ${number}` : `合成${LAND_USE_LABEL[landUse]}地块 ${number}`,
        synthetic: true,
      },
    });
  }
  return out;
}

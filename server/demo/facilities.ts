/**
 * Synthetic service facilities, placed mostly where people live: a cell is chosen with probability
 * ∝ population^exponent, and an exponent above 1 starves rural districts on purpose, so service
 * equity differs between districts as it does in real cities.
 */
import type { DemoRegions } from './demo-regions.ts';
import type { PopulationGrid } from './population.ts';
import { PopulationSampler } from './population.ts';
import { type Random, randomInt } from './random.ts';

export type FacilityKind = 'hospital' | 'clinic' | 'school' | 'elderly_care' | 'fire_station';

export interface FacilityProperties {
  id: string;
  kind: FacilityKind;
  name: string;
  capacity: number;
  synthetic: true;
}

export interface FacilityFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: FacilityProperties;
}

interface KindPlan {
  label: string;
  count: number;
  exponent: number;
  /** Capacity range and rounding step (beds, pupils, consultations a day, engines). */
  capacity: [min: number, max: number, step: number];
}

/** Counts for a city of ~11 million; capacities are plausible, not surveyed. */
const PLAN: Record<FacilityKind, KindPlan> = {
  hospital: { label: '医院', count: 70, exponent: 1.4, capacity: [100, 1500, 10] }, // beds
  clinic: { label: '诊所', count: 320, exponent: 1.1, capacity: [100, 600, 10] }, // consultations/day
  school: { label: '学校', count: 450, exponent: 1.0, capacity: [600, 3000, 50] }, // pupils
  elderly_care: { label: '养老院', count: 180, exponent: 1.2, capacity: [40, 400, 10] }, // beds
  fire_station: { label: '消防站', count: 60, exponent: 0.7, capacity: [2, 8, 1] }, // engines
};

export const FACILITY_KINDS = Object.keys(PLAN) as FacilityKind[];

export function generateFacilities(grid: PopulationGrid, regions: DemoRegions, rand: Random): FacilityFeature[] {
  const out: FacilityFeature[] = [];
  for (const kind of FACILITY_KINDS) {
    const plan = PLAN[kind];
    const sampler = new PopulationSampler(grid, regions, plan.exponent);
    const [min, max, step] = plan.capacity;
    for (let n = 1; n <= plan.count; n++) {
      const p = sampler.point(rand);
      const number = String(n).padStart(3, '0');
      out.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
        properties: {
          id: `${kind}-${number}`,
          kind,
          name: `合成${plan.label} ${number}`,
          capacity: randomInt(rand, Math.ceil(min / step), Math.floor(max / step)) * step,
          synthetic: true,
        },
      });
    }
  }
  return out;
}

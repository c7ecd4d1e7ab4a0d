/**
 * The Hangzhou demo: a synthetic population grid, facilities, land parcels and a week of incidents
 * for a set of districts. Pure and deterministic: the same regions, seed and `now` give the same
 * data, byte for byte. Everything it makes is labelled synthetic (`synthetic: true`,
 * `populationSource: 'synthetic'`, titles starting `[合成] `).
 */
import type { IncidentInput } from '../contract/incidents.ts';
import type { RegionInputCollection } from '../contract/regions.ts';
import { prepareRegions } from './demo-regions.ts';
import { type FacilityFeature, generateFacilities } from './facilities.ts';
import { generateIncidents } from './incidents.ts';
import { generateParcels, type ParcelFeature } from './parcels.ts';
import { coresFromRegions, generatePopulationGrid, HANGZHOU_CORES, type PopulationCore } from './population.ts';
import { mulberry32, type Random } from './random.ts';
import { generateDemoUnits } from './units.ts';
import type { UnitInput } from '../contract/units.ts';

export type { FacilityFeature, FacilityKind, FacilityProperties } from './facilities.ts';
export type { ParcelFeature, ParcelProperties, ParcelStage, LandUse } from './parcels.ts';
export type { PopulationCore } from './population.ts';

export interface DemoOptions {
  seed: number;
  /** Incidents fall in the 7 days before this instant; parcel years end at its year. */
  now: Date;
  /** @default 1500 */
  incidentCount?: number;
  /** @default 20,000 (enough to exercise the parcel tiles) */
  parcelCount?: number;
  /**
   * Total residents of the grid. @default 11,000,000 when the regions are Hangzhou's (its centres
   * fall inside them); otherwise the modelled densities are kept.
   */
  targetPopulation?: number;
  /** Centres of dense settlement. @default Hangzhou's, or one per region for another city. */
  cores?: readonly PopulationCore[];
}

export interface PopulationFeature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: { id: string; population: number; synthetic: true };
}

export interface FeatureCollectionOf<F> {
  type: 'FeatureCollection';
  features: F[];
}

export interface DemoData {
  /** The input regions, each with `population` = the sum of its synthetic cells and `populationSource: 'synthetic'`. */
  regions: RegionInputCollection;
  population: FeatureCollectionOf<PopulationFeature>;
  facilities: FeatureCollectionOf<FacilityFeature>;
  parcels: FeatureCollectionOf<ParcelFeature>;
  incidents: IncidentInput[];
  /** The synthetic fleet, based at the facilities above. */
  units: UnitInput[];
}

const HANGZHOU_TARGET_POPULATION = 11_000_000;

/** Parcels in the default demo. */
export const DEMO_PARCEL_COUNT = 20_000;

/** Seed of the demo the server loads (`DEMO_DATA=on`) and `npm run demo` writes by default. */
export const DEFAULT_DEMO_SEED = 20261123;

/** Murmur3's finaliser: spreads a 32-bit value over all bits. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * One independent stream per part, so that asking for more incidents leaves the population,
 * facilities and parcels of a seed as they were.
 */
function stream(seed: number, part: number): Random {
  return mulberry32(fmix32((seed >>> 0) ^ fmix32(part + 1)));
}

export function generateDemo(regionsInput: RegionInputCollection, options: DemoOptions): DemoData {
  if (!Number.isFinite(options.now.getTime())) throw new RangeError('generateDemo needs a valid `now`');
  const regions = prepareRegions(regionsInput);

  let cores = options.cores;
  let targetPopulation = options.targetPopulation;
  if (cores === undefined) {
    const inside = HANGZHOU_CORES.filter((c) => regions.regionAt(c.lon, c.lat) !== null);
    if (inside.length > 0) {
      cores = HANGZHOU_CORES;
      targetPopulation ??= HANGZHOU_TARGET_POPULATION;
    } else {
      cores = coresFromRegions(regions);
    }
  }

  const grid = generatePopulationGrid(regions, stream(options.seed, 0), { cores, targetPopulation });
  if (grid.cells.length === 0) throw new Error('no population cell fell inside the regions: are they empty or tiny?');

  const populationByRegion = new Map<string, number>(regions.list.map((r) => [r.code, 0]));
  for (const cell of grid.cells) {
    populationByRegion.set(cell.regionCode, (populationByRegion.get(cell.regionCode) ?? 0) + cell.population);
  }

  const facilities = generateFacilities(grid, regions, stream(options.seed, 1));
  return {
    regions: {
      type: 'FeatureCollection',
      features: regions.list.map((r) => ({
        ...r.feature,
        properties: {
          ...r.feature.properties,
          code: r.code,
          name: r.name,
          population: populationByRegion.get(r.code) ?? 0,
          populationSource: 'synthetic',
        },
      })),
    },
    population: {
      type: 'FeatureCollection',
      features: grid.cells.map((c) => ({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [c.lon, c.lat] },
        properties: { id: c.id, population: c.population, synthetic: true },
      })),
    },
    facilities: { type: 'FeatureCollection', features: facilities },
    parcels: {
      type: 'FeatureCollection',
      features: generateParcels(grid, regions, stream(options.seed, 2), {
        count: options.parcelCount ?? DEMO_PARCEL_COUNT,
        now: options.now,
      }),
    },
    incidents: generateIncidents(grid, regions, stream(options.seed, 3), {
      count: options.incidentCount ?? 1500,
      now: options.now,
    }),
    units: generateDemoUnits(facilities, stream(options.seed, 4)),
  };
}

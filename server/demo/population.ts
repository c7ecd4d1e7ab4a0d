/**
 * Synthetic population grid (~1 km cells): a rural floor plus Gaussian "city cores", with
 * log-normal noise, scaled to a target total. There is no real population grid the demo could ship or fetch offline,
 * so every cell says `synthetic: true`.
 */
import { type DemoRegions, METRES_PER_DEGREE, round6 } from './demo-regions.ts';
import { gaussian, type Random, WeightedSampler } from './random.ts';

/** A centre of dense settlement: density adds `peakPerKm2 × exp(−d² / 2σ²)`. */
export interface PopulationCore {
  name: string;
  lon: number;
  lat: number;
  peakPerKm2: number;
  sigmaKm: number;
}

/** Hangzhou's centres, placed by hand from the map; peaks are plausible, not measured. */
export const HANGZHOU_CORES: readonly PopulationCore[] = [
  { name: '武林/西湖 Wulin–West Lake', lon: 120.165, lat: 30.275, peakPerKm2: 24_000, sigmaKm: 3.5 },
  { name: '钱江新城 Qianjiang New Town', lon: 120.215, lat: 30.25, peakPerKm2: 15_000, sigmaKm: 3 },
  { name: '拱墅北 Gongshu north', lon: 120.145, lat: 30.33, peakPerKm2: 9_000, sigmaKm: 3 },
  { name: '滨江 Binjiang', lon: 120.205, lat: 30.195, peakPerKm2: 11_000, sigmaKm: 3 },
  { name: '萧山城区 Xiaoshan', lon: 120.265, lat: 30.165, peakPerKm2: 9_000, sigmaKm: 4 },
  { name: '下沙 Xiasha', lon: 120.34, lat: 30.305, peakPerKm2: 6_000, sigmaKm: 3 },
  { name: '临平 Linping (Yuhang)', lon: 120.3, lat: 30.42, peakPerKm2: 6_000, sigmaKm: 4 },
  { name: '未来科技城 Future Sci-Tech City (Yuhang)', lon: 120.005, lat: 30.285, peakPerKm2: 5_000, sigmaKm: 4 },
  { name: '富阳 Fuyang', lon: 119.96, lat: 30.05, peakPerKm2: 4_000, sigmaKm: 4 },
  { name: '临安 Lin’an', lon: 119.725, lat: 30.235, peakPerKm2: 3_000, sigmaKm: 3.5 },
  { name: '桐庐 Tonglu', lon: 119.69, lat: 29.795, peakPerKm2: 2_500, sigmaKm: 3 },
  { name: '建德 Jiande (Xin’anjiang)', lon: 119.285, lat: 29.475, peakPerKm2: 2_000, sigmaKm: 3 },
  { name: '淳安 Chun’an (Qiandaohu)', lon: 119.04, lat: 29.61, peakPerKm2: 1_500, sigmaKm: 2.5 },
  // The metropolitan sprawl between the cores.
  { name: 'Hangzhou metro', lon: 120.2, lat: 30.26, peakPerKm2: 1_500, sigmaKm: 20 },
];

/** Residents per km² everywhere, before noise: villages in the hills. */
const RURAL_FLOOR_PER_KM2 = 60;
/** σ of the log-normal cell noise. */
const NOISE_SIGMA = 0.35;

export interface PopulationCell {
  id: string;
  lon: number;
  lat: number;
  population: number;
  regionCode: string;
}

export interface PopulationGrid {
  cells: PopulationCell[];
  /** Cell size in degrees, for jittering points within a cell. */
  stepLon: number;
  stepLat: number;
}

export interface PopulationOptions {
  cores: readonly PopulationCore[];
  /** Scale the grid to this total; `undefined` keeps the modelled densities. */
  targetPopulation: number | undefined;
  cellSizeKm?: number;
}

/** Lays a grid over the regions' box and keeps the cells whose centre lies in a region. */
export function generatePopulationGrid(regions: DemoRegions, rand: Random, options: PopulationOptions): PopulationGrid {
  const [minLon, minLat, maxLon, maxLat] = regions.bbox;
  const cellKm = options.cellSizeKm ?? 1;
  const midLat = (minLat + maxLat) / 2;
  const stepLat = (cellKm * 1000) / METRES_PER_DEGREE;
  const stepLon = stepLat / Math.cos((midLat * Math.PI) / 180);
  const cellAreaKm2 = cellKm * cellKm;
  const kmPerDegLat = METRES_PER_DEGREE / 1000;

  const raw: { id: string; lon: number; lat: number; regionCode: string; density: number }[] = [];
  for (let row = 0; minLat + (row + 0.5) * stepLat <= maxLat; row++) {
    const lat = round6(minLat + (row + 0.5) * stepLat);
    const kmPerDegLon = kmPerDegLat * Math.cos((lat * Math.PI) / 180);
    for (let col = 0; minLon + (col + 0.5) * stepLon <= maxLon; col++) {
      const lon = round6(minLon + (col + 0.5) * stepLon);
      const regionCode = regions.regionAt(lon, lat);
      if (regionCode === null) continue;
      let density = RURAL_FLOOR_PER_KM2;
      for (const core of options.cores) {
        const dx = (lon - core.lon) * kmPerDegLon;
        const dy = (lat - core.lat) * kmPerDegLat;
        density += core.peakPerKm2 * Math.exp(-(dx * dx + dy * dy) / (2 * core.sigmaKm * core.sigmaKm));
      }
      density *= Math.exp(NOISE_SIGMA * gaussian(rand));
      raw.push({ id: `cell-${row}-${col}`, lon, lat, regionCode, density: density * cellAreaKm2 });
    }
  }
  const modelled = raw.reduce((s, c) => s + c.density, 0);
  const scale = options.targetPopulation !== undefined && modelled > 0 ? options.targetPopulation / modelled : 1;
  const cells: PopulationCell[] = [];
  for (const c of raw) {
    const population = Math.round(c.density * scale);
    if (population > 0) cells.push({ id: c.id, lon: c.lon, lat: c.lat, population, regionCode: c.regionCode });
  }
  return { cells, stepLon, stepLat };
}

/**
 * Cores for regions that are not Hangzhou: one modest core at the cell nearest each region's box centre,
 * so any city gets a plausible centre per district.
 */
export function coresFromRegions(regions: DemoRegions): PopulationCore[] {
  return regions.list.map((r) => {
    const lon = (r.bbox[0] + r.bbox[2]) / 2;
    const lat = (r.bbox[1] + r.bbox[3]) / 2;
    const widthKm = ((r.bbox[2] - r.bbox[0]) * METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180)) / 1000;
    return { name: r.name, lon, lat, peakPerKm2: 4_000, sigmaKm: Math.max(1, widthKm / 6) };
  });
}

/**
 * Draws points where people are: a cell with probability ∝ population^exponent, then a uniform point
 * in that cell that lies in some region (the cell centre when the cell straddles a border and tries run out).
 * An exponent above 1 favours dense cores more than their share of residents.
 */
export class PopulationSampler {
  private readonly sampler: WeightedSampler;

  constructor(
    private readonly grid: PopulationGrid,
    private readonly regions: DemoRegions,
    exponent: number,
  ) {
    this.sampler = new WeightedSampler(grid.cells.map((c) => Math.pow(c.population, exponent)));
  }

  cell(rand: Random): PopulationCell {
    const cell = this.grid.cells[this.sampler.sample(rand)];
    if (!cell) throw new Error('population grid is empty');
    return cell;
  }

  /** A point in the chosen cell and its region code. */
  point(rand: Random): { lon: number; lat: number; regionCode: string } {
    return pointNear(this.cell(rand), this.grid.stepLon / 2, this.grid.stepLat / 2, this.regions, rand);
  }
}

/** Uniform point within ±halfLon/±halfLat of a cell centre that lies in a region; the centre after 20 misses. */
export function pointNear(
  centre: { lon: number; lat: number; regionCode: string },
  halfLon: number,
  halfLat: number,
  regions: DemoRegions,
  rand: Random,
): { lon: number; lat: number; regionCode: string } {
  for (let attempt = 0; attempt < 20; attempt++) {
    const lon = round6(centre.lon + (rand() * 2 - 1) * halfLon);
    const lat = round6(centre.lat + (rand() * 2 - 1) * halfLat);
    const regionCode = regions.regionAt(lon, lat);
    if (regionCode !== null) return { lon, lat, regionCode };
  }
  return { lon: centre.lon, lat: centre.lat, regionCode: centre.regionCode };
}

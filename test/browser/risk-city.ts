/**
 * The city of the risk map's browser test (six 0.02° squares, 3 × 2, each with its own population),
 * the docs/domain.md §5 model worked out naively for it, and the pixel helpers that read the page's map.
 * Expected levels come from here, never from the server's risk code.
 */
import { RISK_LEVELS, type Category, type RiskLevel, type Severity } from '../../server/contract/index.ts';
import type { Page } from 'playwright-core';

export type Rgb = [number, number, number];
export const rgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;

// ---------------------------------------------------------------------------------------------
// The city: six 0.02° squares in a 3 × 2 grid, each with its own population.
const SIZE = 0.02;
const WEST = 100.0;
const SOUTH = 30.0;

export interface District {
  code: string;
  name: string;
  population: number;
  populationSource: string;
  /** Column and row (0 = top) in the grid. */
  col: number;
  row: number;
}

export const DISTRICTS: District[] = [
  { code: 'TC01', name: '东城区', population: 6_000, populationSource: 'census 2020 (test)', col: 0, row: 0 },
  { code: 'TC02', name: '西城区', population: 8_000, populationSource: 'census 2020 (test)', col: 1, row: 0 },
  { code: 'TC03', name: '南湖区', population: 8_000, populationSource: 'census 2020 (test)', col: 2, row: 0 },
  { code: 'TC04', name: '北山区', population: 12_000, populationSource: 'census 2020 (test)', col: 0, row: 1 },
  { code: 'TC05', name: '中心区', population: 10_000, populationSource: 'census 2020 (test)', col: 1, row: 1 },
  { code: 'TC06', name: '新港区', population: 5_000, populationSource: 'synthetic', col: 2, row: 1 },
];
const byCode = new Map(DISTRICTS.map((d) => [d.code, d]));
export const district = (code: string): District => byCode.get(code) ?? (() => { throw new Error(code); })();

/** South-west corner of a district. */
const corner = (d: District): [number, number] => [WEST + d.col * SIZE, SOUTH + (1 - d.row) * SIZE];
/** A point at fractions (fx, fy) of the square, from its south-west corner. */
export const at = (d: District, fx: number, fy: number): [number, number] => {
  const [lon, lat] = corner(d);
  return [lon + fx * SIZE, lat + fy * SIZE];
};

export const cityGeoJson = () => ({
  type: 'FeatureCollection',
  features: DISTRICTS.map((d) => {
    const [w, s] = corner(d);
    return {
      type: 'Feature',
      properties: { code: d.code, name: d.name, population: d.population, populationSource: d.populationSource },
      geometry: { type: 'Polygon', coordinates: [[[w, s], [w + SIZE, s], [w + SIZE, s + SIZE], [w, s + SIZE], [w, s]]] },
    };
  }),
});

// ---------------------------------------------------------------------------------------------
// docs/domain.md §5, written out again here (not imported from the server), for the levels we expect.
const WEIGHTS: Record<Severity, number> = { unknown: 1, minor: 1, moderate: 2, severe: 5, extreme: 10 };
const HOUR_MS = 3_600_000;
const rank = (level: RiskLevel) => RISK_LEVELS.indexOf(level);
const atLeast = (level: RiskLevel, floor: RiskLevel): RiskLevel => (rank(level) >= rank(floor) ? level : floor);

export interface Posted {
  code: string;
  severity: Severity;
  category: Category;
  lon: number;
  lat: number;
  occurredAtMs: number;
}

function metresBetween(a: Posted, b: Posted): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

/**
 * Score = 10,000 × Σ w(severity) × 0.5^(age h / 24) / population over incidents ≤ 168 h old;
 * red ≥ 10, orange ≥ 5, yellow ≥ 2, blue ≥ 0.5; a cluster (≥ 3 within 500 m and 24 h) lifts to at
 * least yellow, an extreme incident in 24 h to at least orange. (Hysteresis only slows a fall; every
 * level here only rises.)
 */
export function expectedLevel(incidents: readonly Posted[], population: number, nowMs: number): RiskLevel {
  const ageH = (i: Posted) => Math.max(0, nowMs - i.occurredAtMs) / HOUR_MS;
  const counted = incidents.filter((i) => ageH(i) <= 168);
  const sum = counted.reduce((s, i) => s + WEIGHTS[i.severity] * 0.5 ** (ageH(i) / 24), 0);
  const score = (10_000 * sum) / population;
  let level: RiskLevel = score >= 10 ? 'red' : score >= 5 ? 'orange' : score >= 2 ? 'yellow' : score >= 0.5 ? 'blue' : 'green';
  const recent = counted.filter((i) => ageH(i) <= 24);
  if (recent.some((a) => recent.filter((b) => metresBetween(a, b) <= 500).length >= 3)) level = atLeast(level, 'yellow');
  if (recent.some((i) => i.severity === 'extreme')) level = atLeast(level, 'orange');
  return level;
}

// ---------------------------------------------------------------------------------------------
// Reading the screen.

/** Share of pixels in a (2r+1)² box around each point within `tolerance` of `colour`; PNG decoded by the browser. */
export async function colourShare(page: Page, png: Buffer, points: { x: number; y: number }[], colour: Rgb, radius = 3, tolerance = 6): Promise<number[]> {
  return page.evaluate(
    async ({ dataUrl, points, colour, radius, tolerance }) => {
      const image = new Image();
      image.src = dataUrl;
      await image.decode();
      const canvas = new OffscreenCanvas(image.naturalWidth, image.naturalHeight);
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no 2D canvas');
      context.drawImage(image, 0, 0);
      return points.map(({ x, y }) => {
        const { data } = context.getImageData(Math.round(x) - radius, Math.round(y) - radius, 2 * radius + 1, 2 * radius + 1);
        let hits = 0;
        for (let p = 0; p < data.length; p += 4) {
          if (colour.every((c, k) => Math.abs((data[p + k] ?? 0) - c) <= tolerance)) hits++;
        }
        return hits / (data.length / 4);
      });
    },
    { dataUrl: `data:image/png;base64,${png.toString('base64')}`, points, colour, radius, tolerance },
  );
}

/** Where the page's own map draws `[lon, lat]`, in page pixels. */
export async function project(page: Page, lonLat: [number, number]): Promise<{ x: number; y: number }> {
  return page.evaluate((point) => {
    const element = document.querySelector('[data-testid="map"]') as (HTMLElement & { cityBrainMap?: { project(p: [number, number]): { x: number; y: number } } }) | null;
    if (!element?.cityBrainMap) throw new Error('the map element exposes no map');
    const box = element.getBoundingClientRect();
    const { x, y } = element.cityBrainMap.project(point);
    return { x: box.left + x, y: box.top + y };
  }, lonLat);
}

/** Four points inside a district, half-way between its centre (where its name is) and its corners. */
export const samplePoints = (d: District) =>
  [at(d, 0.25, 0.25), at(d, 0.75, 0.25), at(d, 0.25, 0.75), at(d, 0.75, 0.75)];

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

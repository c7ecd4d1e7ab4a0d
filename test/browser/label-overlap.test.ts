/**
 * District names never cover one another, on the wall (`/wall`) and the console (`/console`) at
 * 1920 × 1080, for the Hangzhou demo and for a city with a dense centre (a 5 × 5 grid of 400 m
 * districts inside a ring of large ones). The page states which names it drew, where and how large
 * (`data-district-labels` on the map's element); the boxes are worked out here, independently of
 * the page's placement: each anchor projected with the page's own map, each name measured whole by
 * a canvas in the label font at its drawn size, plus the plate's padding. Then:
 * - no two drawn boxes overlap, and every one lies inside the map;
 * - the test means something: with every name drawn, the dense city's boxes do overlap;
 * - the biggest district (by area, worked out here) keeps its name, and a name is left out only
 *   where it would meet a drawn one or stick out of the map.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LABEL_BACKGROUND_PADDING_PX } from '../../client/src/map/layers/district-label-layer.ts';
import type { RegionCollection } from '../../server/contract/index.ts';
import { api } from '../support/server.ts';
import { openDashboardSession, RESULTS_DIR, type DashboardSession } from './chromium.ts';

// ---------------------------------------------------------------------------------------------
// The dense city: columns 6 km, 2 km, 5 km wide and rows 6 km, 2 km, 4 km tall; the middle cell is
// cut into a 5 × 5 grid of 400 m squares. The north-west corner (36 km²) is the biggest district.
const M_PER_DEG_LAT = 111_320;
const WEST = 120.0;
const NORTH = 30.1;
const mToLon = (m: number) => m / (M_PER_DEG_LAT * Math.cos((NORTH * Math.PI) / 180));
const mToLat = (m: number) => m / M_PER_DEG_LAT;
const COLUMNS_M = [6_000, 2_000, 5_000];
const ROWS_M = [6_000, 2_000, 4_000];
const RING_NAMES: Record<string, string> = {
  '0,0': '西北山区', '0,1': '北城区', '0,2': '东北新区', '1,0': '西湖风景名胜区', '1,2': '东城区',
  '2,0': '西南区', '2,1': '南港区', '2,2': '东南经济技术开发区',
};
const GRID_NAMES = [
  '湖滨', '南山路街道', '武林', '长庆街道办事处', '朝晖', '天水', '潮鸣', '小营', '文晖', '米市巷', '清波门外',
  '望江', '紫阳', '凯旋', '采荷', '闸弄口', '四季青', '笕桥镇', '彭埠', '九堡', '丁桥', '白杨', '下沙', '南星桥', '钱江新城核心区',
];
const GRID = 5;
const CELL_M = 400;

type Ring = [number, number][];
const rect = (westM: number, northM: number, widthM: number, heightM: number): Ring => {
  const w = WEST + mToLon(westM), e = WEST + mToLon(westM + widthM);
  const n = NORTH - mToLat(northM), s = NORTH - mToLat(northM + heightM);
  return [[w, s], [e, s], [e, n], [w, n], [w, s]];
};
const region = (code: string, name: string, ring: Ring) => ({
  type: 'Feature' as const,
  properties: { code, name, population: 10_000, populationSource: 'census 2020 (test)' },
  geometry: { type: 'Polygon' as const, coordinates: [ring] },
});

function denseCity() {
  const features = [];
  const offset = (sizes: number[], i: number) => sizes.slice(0, i).reduce((a, b) => a + b, 0);
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 3; col++) {
      if (row === 1 && col === 1) continue;
      features.push(region(`DR${row}${col}`, RING_NAMES[`${row},${col}`]!, rect(offset(COLUMNS_M, col), offset(ROWS_M, row), COLUMNS_M[col]!, ROWS_M[row]!)));
    }
  }
  for (let row = 0; row < GRID; row++) {
    for (let col = 0; col < GRID; col++) {
      const ring = rect(COLUMNS_M[0]! + col * CELL_M, ROWS_M[0]! + row * CELL_M, CELL_M, CELL_M);
      features.push(region(`DG${row}${col}`, GRID_NAMES[row * GRID + col]!, ring));
    }
  }
  return { type: 'FeatureCollection', features };
}

// ---------------------------------------------------------------------------------------------
// Areas, worked out here: shoelace in degrees, scaled to metres at each ring's latitude; holes subtract.
function ringAreaM2(ring: readonly (readonly number[])[]): number {
  let twice = 0;
  let latSum = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x0 = 0, y0 = 0] = ring[i]!;
    const [x1 = 0, y1 = 0] = ring[i + 1]!;
    twice += x0 * y1 - x1 * y0;
    latSum += y0;
  }
  const lat = latSum / Math.max(1, ring.length - 1);
  return (Math.abs(twice) / 2) * M_PER_DEG_LAT * M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180);
}
function biggestDistrict(regions: RegionCollection): string {
  const area = (f: RegionCollection['features'][number]) => {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    return polygons.reduce((sum, rings) => sum + rings.reduce((s, ring, i) => s + (i === 0 ? 1 : -1) * ringAreaM2(ring), 0), 0);
  };
  const sorted = [...regions.features].sort((a, b) => area(b) - area(a));
  return sorted[0]!.properties.code;
}

// ---------------------------------------------------------------------------------------------
// Reading the page.
interface Box { left: number; top: number; right: number; bottom: number }
interface MeasuredLabel { code: string; text: string; sizePx: number; drawn: boolean; box: Box }
interface Measured { width: number; height: number; labels: MeasuredLabel[] }

/** What the page says it drew, once it describes the map's current, settled view. */
async function settledRecord(page: Page): Promise<string> {
  let last = '';
  await expect
    .poll(
      async () => {
        const now = await page.evaluate(() => {
          const element = document.querySelector('[data-testid="map"]') as (HTMLElement & { cityBrainMap?: { getZoom(): number; getCenter(): { lng: number; lat: number }; isMoving(): boolean } }) | null;
          const map = element?.cityBrainMap;
          const record = element?.getAttribute('data-district-labels');
          if (!map || !record || map.isMoving()) return '';
          const { view } = JSON.parse(record) as { view: { zoom: number; center: [number, number] } };
          const center = map.getCenter();
          const same = Math.abs(view.zoom - map.getZoom()) < 1e-9 && Math.abs(view.center[0] - center.lng) < 1e-9 && Math.abs(view.center[1] - center.lat) < 1e-9;
          return same ? record : '';
        });
        // Settled: the same record, for the current view, twice a second apart.
        const stable = now !== '' && now === last;
        last = now;
        return stable;
      },
      { timeout: 60_000, interval: 1_000 },
    )
    .toBe(true);
  return last;
}

/** Every name's box, by this test's own reckoning: projection by the page's map, width by a canvas. */
async function measure(page: Page, record: string): Promise<Measured> {
  const [padX, padY] = LABEL_BACKGROUND_PADDING_PX;
  return page.evaluate(
    ({ record, padX, padY }) => {
      const element = document.querySelector('[data-testid="map"]') as HTMLElement & { cityBrainMap: { project(p: [number, number]): { x: number; y: number } } };
      const parsed = JSON.parse(record) as {
        fontFamily: string;
        fontWeight: number;
        labels: { code: string; text: string; position: [number, number]; sizePx: number; drawn: boolean }[];
      };
      const context = document.createElement('canvas').getContext('2d');
      if (!context) throw new Error('no 2D canvas');
      const { width, height } = element.getBoundingClientRect();
      return {
        width,
        height,
        labels: parsed.labels.map((label) => {
          context.font = `${parsed.fontWeight} ${label.sizePx}px ${parsed.fontFamily}`;
          const textWidth = context.measureText(label.text).width;
          const { x, y } = element.cityBrainMap.project(label.position);
          const box = { left: x - textWidth / 2 - padX, right: x + textWidth / 2 + padX, top: y - label.sizePx / 2 - padY, bottom: y + label.sizePx / 2 + padY };
          return { code: label.code, text: label.text, sizePx: label.sizePx, drawn: label.drawn, box };
        }),
      };
    },
    { record, padX, padY },
  );
}

const overlap = (a: Box, b: Box, grow = 0) => a.left < b.right + grow && b.left < a.right + grow && a.top < b.bottom + grow && b.top < a.bottom + grow;
function overlappingPairs(labels: MeasuredLabel[]): string[] {
  const pairs: string[] = [];
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++) {
      if (overlap(labels[i]!.box, labels[j]!.box)) pairs.push(`${labels[i]!.text} × ${labels[j]!.text}`);
    }
  }
  return pairs;
}
const inside = (box: Box, width: number, height: number) => box.left >= 0 && box.top >= 0 && box.right <= width && box.bottom <= height;

interface Checked {
  drawn: number;
  total: number;
  overlapsUnplaced: number;
}

/** Opens `route`, waits for the names, checks them, saves a screenshot; returns the figures. */
async function checkLabels(page: Page, url: string, regions: RegionCollection, screenshot: string): Promise<Checked> {
  await page.goto(url);
  await page.locator('[data-testid="map"][data-map-ready="true"]').waitFor({ timeout: 90_000 });
  const record = await settledRecord(page);
  const { width, height, labels } = await measure(page, record);

  // One entry per district, with its own name.
  const names = new Map(regions.features.map((f) => [f.properties.code, f.properties.name]));
  expect(labels.map((l) => l.code).sort()).toEqual([...names.keys()].sort());
  for (const label of labels) expect(label.text).toBe(names.get(label.code));

  const drawn = labels.filter((l) => l.drawn);
  expect(overlappingPairs(drawn)).toEqual([]);
  expect(drawn.filter((l) => !inside(l.box, width, height)).map((l) => l.text)).toEqual([]);
  expect(drawn.map((l) => l.code)).toContain(biggestDistrict(regions));
  // A name is left out only for a reason: it would come near a drawn one (within the few pixels the
  // page keeps between names) or stick out of the map.
  const needlessly = labels.filter((l) => !l.drawn && inside(l.box, width, height) && !drawn.some((d) => overlap(d.box, l.box, 6)));
  expect(needlessly.map((l) => l.text)).toEqual([]);

  await page.waitForTimeout(1_000); // software WebGL: let the last frame reach the screen
  await page.screenshot({ path: path.join(RESULTS_DIR, screenshot) });
  return { drawn: drawn.length, total: labels.length, overlapsUnplaced: overlappingPairs(labels).length };
}

function report(name: string, figures: Checked): void {
  // The figures belong in the test log.
  console.log(`label-overlap: ${name}: ${figures.drawn} of ${figures.total} names drawn; with all drawn, ${figures.overlapsUnplaced} overlapping pairs`);
}

const VIEWPORT = { width: 1920, height: 1080 };

describe('district names on the Hangzhou demo', { timeout: 240_000 }, () => {
  let session: DashboardSession;
  let regions: RegionCollection;
  beforeAll(async () => {
    session = await openDashboardSession(VIEWPORT);
    regions = (await api(session.server, 'GET', '/api/v1/regions')).body as RegionCollection;
    expect(regions.features.length).toBeGreaterThan(10);
  }, 240_000);
  afterAll(async () => {
    await session?.close();
  });

  it('do not overlap on the wall', async () => {
    const { server, page } = session;
    report('Hangzhou, wall', await checkLabels(page, `${server.url}/wall?rotate=0&token=${encodeURIComponent(server.adminToken)}`, regions, 'labels-hangzhou-wall.png'));
  });

  it('do not overlap on the console', async () => {
    const { server, page } = session;
    report('Hangzhou, console', await checkLabels(page, `${server.url}/console?token=${encodeURIComponent(server.adminToken)}`, regions, 'labels-hangzhou-console.png'));
    expect(session.pageErrors).toEqual([]);
  });
});

describe('district names on a city with a dense centre', { timeout: 240_000 }, () => {
  let session: DashboardSession;
  let regions: RegionCollection;
  beforeAll(async () => {
    session = await openDashboardSession(VIEWPORT, { demoData: false });
    expect((await api(session.server, 'PUT', '/api/v1/regions', denseCity())).status).toBe(200);
    regions = (await api(session.server, 'GET', '/api/v1/regions')).body as RegionCollection;
    expect(regions.features.length).toBe(8 + GRID * GRID);
    expect(biggestDistrict(regions)).toBe('DR00'); // the north-west corner, by construction
  }, 240_000);
  afterAll(async () => {
    await session?.close();
  });

  it('do not overlap on the wall, where every name drawn would', async () => {
    const { server, page } = session;
    const figures = await checkLabels(page, `${server.url}/wall?rotate=0&token=${encodeURIComponent(server.adminToken)}`, regions, 'labels-dense-city-wall.png');
    report('dense city, wall', figures);
    expect(figures.overlapsUnplaced).toBeGreaterThan(10);
    expect(figures.drawn).toBeLessThan(figures.total);
  });

  it('do not overlap on the console, where every name drawn would', async () => {
    const { server, page } = session;
    const figures = await checkLabels(page, `${server.url}/console?token=${encodeURIComponent(server.adminToken)}`, regions, 'labels-dense-city-console.png');
    report('dense city, console', figures);
    expect(figures.overlapsUnplaced).toBeGreaterThan(10);
    expect(figures.drawn).toBeLessThan(figures.total);
    expect(session.pageErrors).toEqual([]);
  });
});

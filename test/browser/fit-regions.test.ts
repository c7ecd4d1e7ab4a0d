/**
 * Every page with a map shows the whole city it is given, not Hangzhou: a server without the demo
 * gets Chengdu's 20 districts (data/regions, far west of Hangzhou), and each page is opened fresh at
 * one of 1024×768, 1920×1080 and 3840×2160 and then resized through all three. Each district's bounding
 * box, worked out here from the GeoJSON we PUT and placed with the page's own map, must lie inside
 * the map's part of the window with most of it clear of the panels over the map, and the city must
 * span half the map's width or height; the first view the page exposes must already be on the city
 * (the responder's map instead frames its incident's radius, not the city). Then the regions are replaced while pages are open:
 * another made-up city is fitted at once; a view the user dragged survives a refetch of the same set
 * and a resize, and gives way to a new set.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/server.ts';
import { openDashboardSession, RESULTS_DIR, ROOT, type DashboardSession } from './chromium.ts';

type LonLat = [number, number];
interface Region {
  code: string;
  /** [[west, south], [east, north]] of every vertex. */
  bbox: [LonLat, LonLat];
}
interface City {
  geojson: { type: 'FeatureCollection'; features: Array<{ properties: { code: string }; geometry: { coordinates: unknown } }> };
  regions: Region[];
  bounds: [LonLat, LonLat];
}

function vertices(coordinates: unknown): LonLat[] {
  if (Array.isArray(coordinates) && typeof coordinates[0] === 'number') return [coordinates as LonLat];
  return Array.isArray(coordinates) ? coordinates.flatMap(vertices) : [];
}
const boxOf = (points: LonLat[]): [LonLat, LonLat] => [
  [Math.min(...points.map((p) => p[0])), Math.min(...points.map((p) => p[1]))],
  [Math.max(...points.map((p) => p[0])), Math.max(...points.map((p) => p[1]))],
];
function cityOf(geojson: City['geojson']): City {
  const regions = geojson.features.map((f) => ({ code: f.properties.code, bbox: boxOf(vertices(f.geometry.coordinates)) }));
  return { geojson, regions, bounds: boxOf(regions.flatMap((r) => r.bbox)) };
}

const CHENGDU = cityOf(JSON.parse(readFileSync(path.join(ROOT, 'data/regions/chengdu.geojson'), 'utf8')));
/** A made-up city near Ürümqi, taller than wide, with a big, a tiny, a long thin and a tall district. */
const rect = (code: string, w: number, s: number, e: number, n: number) => ({
  type: 'Feature',
  properties: { code, name: `测试${code}`, population: 50_000, populationSource: 'census 2020 (test)' },
  geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
});
const STEPPE = cityOf({
  type: 'FeatureCollection',
  features: [
    rect('ST01', 87.3, 43.6, 87.7, 43.85),
    rect('ST02', 87.7, 43.8, 87.75, 43.85),
    rect('ST03', 87.75, 43.82, 88.1, 43.85),
    rect('ST04', 87.7, 43.85, 87.78, 44.25),
    rect('ST05', 87.45, 43.85, 87.7, 44.0),
  ],
} as City['geojson']);

const SIZES = [
  { width: 1024, height: 768 },
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
];
/** What floats over the map and may hide districts: top bars, panels, legends, the tour label. */
const PANELS = '.top-bar, .wall-tour, .panel';
/** A district counts as shown when at least this share of its bounding box is clear of every panel. */
const MIN_CLEAR = 0.6;
/** The city is fitted, not a speck in the middle: it spans at least this share of the map's width or height. */
const MIN_SPAN = 0.5;

/**
 * Where the page's map puts each district, judged in the page: boxes outside the map's part of the
 * window, boxes mostly under panels, a city drawn small, as readable lines (none when it is fitted).
 */
function misfits(page: Page, regions: Region[], judgePanels = true): Promise<{ problems: string[]; leastClear: number }> {
  return page.evaluate(
    ({ regions, panelSelector, minClear, minSpan, judgePanels }) => {
      type Box = { left: number; top: number; right: number; bottom: number };
      const element = document.querySelector('[data-testid="map"]') as (HTMLElement & { cityBrainMap?: { project(p: [number, number]): { x: number; y: number } } }) | null;
      const map = element?.cityBrainMap;
      if (!element || !map) return { problems: ['no map on the page'], leastClear: 0 };
      const m = element.getBoundingClientRect();
      const view: Box = { left: Math.max(0, m.left), top: Math.max(0, m.top), right: Math.min(window.innerWidth, m.right), bottom: Math.min(window.innerHeight, m.bottom) };
      const overlaps = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      const panels: Box[] = [...document.querySelectorAll(panelSelector)]
        .map((p) => p.getBoundingClientRect())
        .filter((r) => r.width > 0 && r.height > 0 && overlaps(r, view));
      const problems: string[] = [];
      let leastClear = 1;
      const round = (b: Box) => [b.left, b.top, b.right, b.bottom].map(Math.round).join(',');
      const city: Box = { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity };
      for (const { code, bbox } of regions) {
        const [[w, s], [e, n]] = bbox;
        const nw = map.project([w, n]);
        const se = map.project([e, s]);
        const box: Box = { left: m.left + nw.x, top: m.top + nw.y, right: m.left + se.x, bottom: m.top + se.y };
        city.left = Math.min(city.left, box.left);
        city.top = Math.min(city.top, box.top);
        city.right = Math.max(city.right, box.right);
        city.bottom = Math.max(city.bottom, box.bottom);
        if (box.left < view.left - 1 || box.top < view.top - 1 || box.right > view.right + 1 || box.bottom > view.bottom + 1) {
          problems.push(`${code} at ${round(box)} is outside the map's view ${round(view)}`);
          continue;
        }
        // Share of a 20 × 20 grid over the box that no panel covers.
        let clear = 0;
        for (let i = 0; i < 20; i++) {
          for (let j = 0; j < 20; j++) {
            const x = box.left + ((i + 0.5) / 20) * (box.right - box.left);
            const y = box.top + ((j + 0.5) / 20) * (box.bottom - box.top);
            if (!panels.some((p) => x >= p.left && x <= p.right && y >= p.top && y <= p.bottom)) clear++;
          }
        }
        leastClear = Math.min(leastClear, clear / 400);
        if (judgePanels && clear / 400 < minClear) problems.push(`${code} at ${round(box)} is ${Math.round((100 * clear) / 400)}% clear of the panels`);
      }
      const span = Math.max((city.right - city.left) / (view.right - view.left), (city.bottom - city.top) / (view.bottom - view.top));
      if (judgePanels && span < minSpan) problems.push(`the city at ${round(city)} spans only ${Math.round(100 * span)}% of the map's view ${round(view)}`);
      return { problems, leastClear };
    },
    { regions, panelSelector: PANELS, minClear: MIN_CLEAR, minSpan: MIN_SPAN, judgePanels },
  );
}

describe('every page fits the loaded regions', () => {
  let session: DashboardSession;
  let page: Page;
  const leastClear: string[] = [];
  const put = async (city: City) => expect((await api(session.server, 'PUT', '/api/v1/regions', city.geojson)).status).toBe(200);
  const open = async (route: string) => {
    const [pathname, query = ''] = route.split('?');
    await page.goto(`${session.server.url}${pathname}?${query ? `${query}&` : ''}token=${encodeURIComponent(session.server.adminToken)}`);
    await page.locator('[data-testid="map"][data-map-ready="true"]').waitFor({ timeout: 120_000 });
  };
  /** Polls until every district of `city` is fitted (a resize or a new set takes a moment), then records the margin. */
  const expectFitted = async (city: City, label: string) => {
    await expect.poll(async () => (await misfits(page, city.regions)).problems, { timeout: 15_000, interval: 250 }).toEqual([]);
    leastClear.push(`${label}: ${(await misfits(page, city.regions)).leastClear.toFixed(2)}`);
  };
  const camera = () =>
    page.evaluate(() => {
      const map = (document.querySelector('[data-testid="map"]') as HTMLElement & { cityBrainMap: { getCenter(): { lng: number; lat: number }; getZoom(): number } }).cityBrainMap;
      return { ...map.getCenter(), zoom: map.getZoom() };
    });

  beforeAll(async () => {
    session = await openDashboardSession(SIZES[0]!, { demoData: false });
    page = session.page;
    // The first view the page's map shows ([[west, south], [east, north]]), from the moment the element carries the map.
    await page.addInitScript({
      content: `setInterval(() => {
        const map = document.querySelector('[data-testid="map"]')?.cityBrainMap;
        if (map && !window.firstMapView) window.firstMapView = map.getBounds().toArray();
      }, 2);`,
    });
    await put(CHENGDU);
  }, 240_000);

  afterAll(async () => {
    console.log(`least share of a district's box clear of panels:\n  ${leastClear.join('\n  ')}`);
    await session?.close();
  });

  /** The first view held the whole city: no other place was shown first. */
  const expectStartedOnCity = async (city: City) => {
    const [[vw, vs], [ve, vn]] = await page.evaluate(() => (window as unknown as { firstMapView: [LonLat, LonLat] }).firstMapView);
    const [[w, s], [e, n]] = city.bounds;
    expect({ w: vw <= w, s: vs <= s, e: ve >= e, n: vn >= n }, `first view ${[vw, vs, ve, vn].join(',')} holds the city`).toEqual({ w: true, s: true, e: true, n: true });
  };

  // Each page opens fresh at one of the three sizes (so each size is met fresh by one page: the
  // wall, made for 4K, at 4K) and is then resized through all three and from 4K back down to 1024.
  // A fresh load costs ~20 CPU-seconds of software WebGL, a resize a frame or two: the fitting on
  // load and on resize is one path shared by every page, so each page needs only one load here.
  const FRESH: Readonly<Record<string, number>> = { '/console': 0, '/planner': 1, '/wall': 2 };
  for (const [route, fresh] of Object.entries(FRESH)) {
    const first = SIZES[fresh]!;
    it(`${route} fits Chengdu opened at ${first.width}×${first.height}, then resized through 1024×768, 1920×1080 and 3840×2160`, async () => {
      const name = route.slice(1);
      await page.setViewportSize(first);
      await open(route);
      await expectStartedOnCity(CHENGDU);
      await expectFitted(CHENGDU, `${route} opened at ${first.width}`);
      let shot = false;
      const screenshot = async (width: number) => {
        if (width !== 1920 || shot) return;
        shot = true;
        await page.screenshot({ path: path.join(RESULTS_DIR, `fit-regions-${name}.png`) });
      };
      await screenshot(first.width);
      let at = first;
      for (const size of [...SIZES, SIZES[0]!]) {
        if (size === at) continue;
        await page.setViewportSize(size);
        await expectFitted(CHENGDU, `${route} resized from ${at.width} to ${size.width}`);
        await screenshot(size.width);
        at = size;
      }
      expect(at).toBe(SIZES[0]);
      expect(session.pageErrors).toEqual([]);
    }, 600_000);
  }

  it('an open wall fits a new region set when it is PUT, and the old one when it comes back', async () => {
    // The wall is still open from the test before (a fresh load costs ~20 CPU-seconds).
    await page.setViewportSize(SIZES[1]!);
    if (new URL(page.url()).pathname !== '/wall') await open('/wall');
    await expectFitted(CHENGDU, 'wall before the change');
    await put(STEPPE);
    await expectFitted(STEPPE, 'wall after PUT of the steppe city');
    await put(CHENGDU);
    await expectFitted(CHENGDU, 'wall after PUT of Chengdu again');
  }, 240_000);

  it('the console fits Chengdu into a window narrower than its panels\' padding', async () => {
    // 500 px kept on the right for the incident panel and 32 on the left: more than a 480 px wide
    // map has, and maplibre refuses a fit whose padding leaves no room.
    await page.setViewportSize({ width: 480, height: 720 });
    await open('/console');
    await expectStartedOnCity(CHENGDU);
    // The panels take most of such a window: only that every district is on the map is asked.
    expect((await misfits(page, CHENGDU.regions, false)).problems).toEqual([]);
  }, 240_000);

  it('the console fits Chengdu in the equity view, beside the equity panel', async () => {
    await page.setViewportSize(SIZES[1]!);
    await open('/console?view=equity');
    await page.getByTestId('equity-panel').waitFor();
    await expectFitted(CHENGDU, 'console equity at 1920');
  }, 240_000);

  it('the responder\'s map frames its incident and the affected radius, not the city', async () => {
    // An incident in the middle of the first district; the console's default radius is 1 km.
    const [[w, s], [e, n]] = CHENGDU.regions[0]!.bbox;
    const at = { lon: (w + e) / 2, lat: (s + n) / 2 };
    const posted = await api(session.server, 'POST', '/api/v1/incidents', { title: '[测试] 框定事件', category: 'fire', severity: 'severe', ...at });
    expect(posted.status).toBe(201);
    await page.setViewportSize(SIZES[0]!);
    await page.goto(`${session.server.url}/responder?token=${encodeURIComponent(session.server.adminToken)}`);
    const map = page.locator('[data-testid="responder-map"] [data-testid="map"][data-map-ready="true"]');
    await map.waitFor({ timeout: 120_000 });
    const [[vw, vs], [ve, vn]] = await map.evaluate((el) => (el as HTMLElement & { cityBrainMap: { getBounds(): { toArray(): [LonLat, LonLat] } } }).cityBrainMap.getBounds().toArray());
    const metresPerDegree = (Math.PI * 6_371_008.8) / 180;
    const dLat = 1000 / metresPerDegree;
    const dLon = dLat / Math.cos((at.lat * Math.PI) / 180);
    // The whole radius is on the map…
    expect({ w: vw < at.lon - dLon, s: vs < at.lat - dLat, e: ve > at.lon + dLon, n: vn > at.lat + dLat }).toEqual({ w: true, s: true, e: true, n: true });
    // …and the map is about the radius (its shorter side under 4 km), nowhere near Chengdu's extent.
    const [[cw, cs], [ce, cn]] = CHENGDU.bounds;
    expect(Math.min((ve - vw) * metresPerDegree * Math.cos((at.lat * Math.PI) / 180), (vn - vs) * metresPerDegree)).toBeLessThan(4_000);
    expect((vn - vs) / (cn - cs)).toBeLessThan(0.1);
    expect((ve - vw) / (ce - cw)).toBeLessThan(0.1);
    expect(session.pageErrors).toEqual([]);
  }, 180_000);

  it('the planner desk keeps a dragged view on a refetch of the same set and on a resize, and fits a new set', async () => {
    await page.setViewportSize(SIZES[1]!);
    await open('/planner');
    await put(STEPPE);
    await expectFitted(STEPPE, 'planner after PUT of the steppe city');

    // The user drags the map a little.
    const box = (await page.getByTestId('map').boundingBox())!;
    const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    for (let step = 1; step <= 10; step++) await page.mouse.move(from.x + 18 * step, from.y + 9 * step);
    await page.mouse.up();
    await page.waitForTimeout(500);
    const dragged = await camera();

    // The same set PUT again: the page refetches it and leaves the view alone.
    const refetched = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/regions' && r.request().method() === 'GET', { timeout: 20_000 });
    await put(STEPPE);
    await refetched;
    await page.waitForTimeout(1_000);
    expect(await camera()).toEqual(dragged);
    // Nor does a resize take it back.
    await page.setViewportSize(SIZES[0]!);
    await page.waitForTimeout(1_000);
    expect(await camera()).toEqual(dragged);

    // Another set is fitted, moved view or not.
    await put(CHENGDU);
    await expectFitted(CHENGDU, 'planner at 1024 after PUT of Chengdu');
    expect(session.pageErrors).toEqual([]);
  }, 240_000);
});

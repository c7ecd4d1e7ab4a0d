/**
 * The equity view in a real browser against a real server started without the demo: a held-out
 * city of two districts on a square 1 km grid, two hospitals in the west (overlapping catchments)
 * and none in the east, and then
 * - the heatmap draws the best-served cells in viridis' top colour, the least-served in its bottom
 *   colour and the unserved in grey, checked pixel by pixel where the page's own map puts them;
 * - the Lorenz curve is drawn and the Gini on screen is the API's;
 * - a hypothetical hospital placed by a click in the unserved east shows the Gini the what-if API
 *   answers for that very point (read back through the map's `unproject`), and "clear" undoes it;
 * - new facilities stored by an administrator reach the open view live (`equity:updated`).
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { EquityResult, WhatIfResult } from '../../server/contract/equity.ts';
import { api } from '../support/server.ts';
import { openDashboardSession, RESULTS_DIR, type DashboardSession } from './chromium.ts';

type Rgb = [number, number, number];
// viridis(0), viridis(1) (matplotlib) and the grey the view promises for "no facility in reach".
const LOWEST: Rgb = [0x44, 0x01, 0x54];
const HIGHEST: Rgb = [0xfd, 0xe7, 0x25];
const NO_ACCESS: Rgb = [0x80, 0x80, 0x80];

// The city: 16 × 10 cells of 1 km (longitude step widened by 1 / cos latitude, as the demo's grid).
const SOUTH = 30.0, WEST = 100.0, COLS = 16, ROWS = 10;
const STEP_LAT = 1000 / 111_195;
const STEP_LON = STEP_LAT / Math.cos(((SOUTH + (ROWS * STEP_LAT) / 2) * Math.PI) / 180);
const cellCentre = (col: number, row: number): [number, number] => [WEST + (col + 0.5) * STEP_LON, SOUTH + (row + 0.5) * STEP_LAT];
const box = (c0: number, c1: number) => [[[WEST + c0 * STEP_LON, SOUTH], [WEST + c1 * STEP_LON, SOUTH], [WEST + c1 * STEP_LON, SOUTH + ROWS * STEP_LAT], [WEST + c0 * STEP_LON, SOUTH + ROWS * STEP_LAT], [WEST + c0 * STEP_LON, SOUTH]]];
const REGIONS = {
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { code: 'EQ01', name: '西城区', population: 80_000 }, geometry: { type: 'Polygon', coordinates: box(0, 8) } },
    { type: 'Feature', properties: { code: 'EQ02', name: '东湖区', population: 80_000 }, geometry: { type: 'Polygon', coordinates: box(8, 16) } },
  ],
};
const POPULATION = {
  type: 'FeatureCollection',
  features: Array.from({ length: COLS * ROWS }, (_, i) => {
    const col = i % COLS, row = Math.floor(i / COLS);
    return { type: 'Feature', properties: { id: `c${col}-${row}`, population: 400 + 40 * ((col * 7 + row * 3) % 11) }, geometry: { type: 'Point', coordinates: cellCentre(col, row) } };
  }),
};
const hospital = (name: string, col: number, row: number, capacity: number) =>
  ({ type: 'Feature', properties: { kind: 'hospital', name, capacity }, geometry: { type: 'Point', coordinates: cellCentre(col, row) } });
const HOSPITALS = [hospital('西城医院', 3, 5, 300), hospital('西城二院', 6, 5, 100)];

/** Share of pixels in a (2r+1)² box around each point within `tolerance` of `colour`; the PNG decoded by the page. */
async function colourShares(page: Page, png: Buffer, points: { x: number; y: number }[], colour: Rgb, radius = 4, tolerance = 6): Promise<number[]> {
  return page.evaluate(async ({ dataUrl, points, colour, radius, tolerance }) => {
    const image = new Image();
    image.src = dataUrl;
    await image.decode();
    const context = new OffscreenCanvas(image.naturalWidth, image.naturalHeight).getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    context.drawImage(image, 0, 0);
    return points.map(({ x, y }) => {
      const { data } = context.getImageData(Math.round(x) - radius, Math.round(y) - radius, 2 * radius + 1, 2 * radius + 1);
      let hits = 0;
      for (let p = 0; p < data.length; p += 4) if (colour.every((c, k) => Math.abs((data[p + k] ?? 0) - c) <= tolerance)) hits++;
      return hits / (data.length / 4);
    });
  }, { dataUrl: `data:image/png;base64,${png.toString('base64')}`, points, colour, radius, tolerance });
}

type MapElement = HTMLElement & { cityBrainMap?: { project(p: [number, number]): { x: number; y: number }; unproject(p: [number, number]): { lng: number; lat: number } } };

/** Where the page's map draws each point (page pixels), or `null` where a panel covers it. */
async function visiblePoints(page: Page, lonLats: [number, number][]): Promise<({ x: number; y: number } | null)[]> {
  return page.evaluate((points) => {
    const element = document.querySelector('[data-testid="map"]') as MapElement | null;
    if (!element?.cityBrainMap) throw new Error('the map element exposes no map');
    const { left, top } = element.getBoundingClientRect();
    return points.map((p) => {
      const { x, y } = element.cityBrainMap!.project(p);
      const onTop = document.elementFromPoint(left + x, top + y);
      return onTop && element.contains(onTop) ? { x: left + x, y: top + y } : null;
    });
  }, lonLats);
}

describe('the equity view in Chromium', { timeout: 180_000 }, () => {
  let session: DashboardSession;
  let page: Page;
  let stored: EquityResult;
  const equity = async (): Promise<EquityResult> => (await api(session.server, 'GET', '/api/v1/equity?kind=hospital&radius=5000&method=2sfca')).body as EquityResult;
  const shownGini = () => page.getByTestId('equity-gini').textContent();

  beforeAll(async () => {
    session = await openDashboardSession({ width: 1600, height: 1000 }, { demoData: false });
    page = session.page;
    const { server } = session;
    for (const [route, body] of [['/api/v1/regions', REGIONS], ['/api/v1/population', POPULATION], ['/api/v1/facilities', { type: 'FeatureCollection', features: HOSPITALS }]] as const) {
      expect((await api(server, 'PUT', route, body)).status, route).toBe(200);
    }
    // The answer is recomputed after each upload: wait for the one with both hospitals.
    for (const deadline = Date.now() + 20_000; (stored = await equity()).facilities !== 2; await new Promise((r) => setTimeout(r, 200))) {
      if (Date.now() > deadline) throw new Error(`equity never counted the 2 hospitals: ${JSON.stringify(stored).slice(0, 300)}`);
    }
  }, 240_000);

  afterAll(async () => {
    await session?.close();
  });

  it('draws access per cell in viridis, grey where nothing is in reach, from ?view=equity', async () => {
    const { server } = session;
    const positive = stored.cells.filter((c) => c.access > 0).map((c) => c.access);
    const [low, high] = [Math.min(...positive), Math.max(...positive)];
    // Our own reckoning of the layout: overlapping catchments in the west, none reaching the east edge.
    expect(high).toBeGreaterThan(low);
    expect(stored.cells.filter((c) => c.access === 0).length).toBeGreaterThan(0);

    await page.goto(`${server.url}/?token=${encodeURIComponent(server.adminToken)}&view=equity`);
    await page.locator('[data-testid="map"][data-map-ready="true"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('[data-testid="map"]').getAttribute('data-equity-drawn'), { timeout: 60_000 }).toBe(`hospital|5000|2sfca|stored|${stored.gini}`);
    expect(new URL(page.url()).searchParams.get('view')).toBe('equity');
    await page.waitForTimeout(1_000);

    // Cells away from facilities (white dots), whose centres no panel covers.
    const nearFacility = (c: EquityResult['cells'][number]) => HOSPITALS.some((h) => Math.hypot(h.geometry.coordinates[0] - c.lon, h.geometry.coordinates[1] - c.lat) < 1.5 * STEP_LAT);
    const pick = async (accessOk: (a: number) => boolean) => {
      const cells = stored.cells.filter((c) => accessOk(c.access) && !nearFacility(c));
      const points = await visiblePoints(page, cells.map((c) => [c.lon, c.lat]));
      return points.filter((p): p is { x: number; y: number } => p !== null).slice(0, 6);
    };
    const groups = [
      { name: 'highest', colour: HIGHEST, points: await pick((a) => a === high) },
      { name: 'lowest', colour: LOWEST, points: await pick((a) => a === low) },
      { name: 'none', colour: NO_ACCESS, points: await pick((a) => a === 0) },
    ];
    let png: Buffer = Buffer.alloc(0);
    let shares: number[][] = [];
    // Software WebGL may take a few frames: look again until every group shows its colour.
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await page.waitForTimeout(1_000)) {
      png = await page.screenshot();
      shares = await Promise.all(groups.map((g) => colourShares(page, png, g.points, g.colour)));
      if (shares.every((s) => s.filter((x) => x >= 0.9).length >= Math.ceil(s.length / 2))) break;
    }
    await writeFile(path.join(RESULTS_DIR, 'equity-map.png'), png);
    groups.forEach((g, i) => {
      expect(g.points.length, g.name).toBeGreaterThanOrEqual(2);
      const s = shares[i] ?? [];
      // Most sample cells (a district name may lie over one or two) are exactly that colour.
      expect(s.filter((x) => x >= 0.9).length, `${g.name} at ${JSON.stringify(g.points)}: ${s}`).toBeGreaterThanOrEqual(Math.ceil(s.length / 2));
    });
    // And no best-served cell shows the bottom colour, no unserved one the top.
    expect(Math.max(...(await colourShares(page, png, groups[0]?.points ?? [], LOWEST)))).toBe(0);
    expect(Math.max(...(await colourShares(page, png, groups[2]?.points ?? [], HIGHEST)))).toBe(0);
    await expect(page.getByTestId('equity-legend').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('risk-legend').count()).resolves.toBe(0);

    // E goes back to the five colours and returns.
    await page.keyboard.press('e');
    await page.getByTestId('risk-legend').waitFor({ timeout: 10_000 });
    expect(new URL(page.url()).searchParams.get('view')).toBeNull();
    await page.keyboard.press('e');
    await page.getByTestId('equity-panel').waitFor({ timeout: 10_000 });
    expect(session.pageErrors).toEqual([]);
  });

  it('shows the Lorenz curve and the API’s Gini', async () => {
    await expect.poll(shownGini, { timeout: 20_000 }).toBe(stored.gini.toFixed(3));
    await expect(page.getByTestId('equity-theil').textContent()).resolves.toBe(stored.theil.toFixed(3));
    const curve = page.getByTestId('lorenz-curve');
    const d = (await curve.getAttribute('d')) ?? '';
    // One M and an L per further point of the API's curve, ending at the top-right corner (1, 1).
    expect(d.match(/[ML]/g)?.length).toBe(stored.lorenz.length);
    expect(stored.lorenz.length).toBeGreaterThan(2);
    expect(d.endsWith('L100.0 0.0')).toBe(true);
    await expect(page.getByTestId('lorenz-equality').count()).resolves.toBe(1);
    // The east is unserved: it is in the table, named.
    await expect(page.locator('[data-testid="equity-districts"] tr[data-code="EQ02"] th').textContent()).resolves.toContain('东湖区');
    expect(session.pageErrors).toEqual([]);
  });

  it('places a hypothetical hospital with a click and shows the what-if API’s Gini for that point', async () => {
    // The median capacity of the stored hospitals (300 and 100) is offered.
    await expect(page.getByTestId('equity-capacity').inputValue()).resolves.toBe('200');
    const [centre] = await visiblePoints(page, [cellCentre(13, 4)]);
    if (!centre) throw new Error('the unserved east is under a panel');
    // Whole pixels: a mouse event carries no fractions, and the facility must be where the click lands.
    const target = { x: Math.round(centre.x), y: Math.round(centre.y) };
    const lonLat = await page.evaluate(({ x, y }) => {
      const element = document.querySelector('[data-testid="map"]') as MapElement;
      const { left, top } = element.getBoundingClientRect();
      const { lng, lat } = element.cityBrainMap!.unproject([x - left, y - top]);
      return { lon: lng, lat };
    }, target);
    const expected = (await api(session.server, 'POST', '/api/v1/equity/what-if', { kind: 'hospital', radius: 5000, method: '2sfca', add: [{ ...lonLat, capacity: 200 }] })).body as WhatIfResult;
    expect(expected.changes.gini.after.toFixed(3)).not.toBe(stored.gini.toFixed(3));

    await page.getByTestId('equity-place').click();
    await page.mouse.click(target.x, target.y);
    await expect.poll(shownGini, { timeout: 30_000 }).toBe(expected.changes.gini.after.toFixed(3));
    await expect(page.getByTestId('equity-gini-before').textContent()).resolves.toBe(stored.gini.toFixed(3));
    await expect(page.getByTestId('equity-gini-delta').textContent()).resolves.toBe(
      `(${expected.changes.gini.delta < 0 ? '−' : '+'}${Math.abs(expected.changes.gini.delta).toFixed(3)})`,
    );
    await expect(page.locator('[data-testid="equity-changes"] li[data-code="EQ02"]').count()).resolves.toBe(1);
    await expect.poll(() => page.locator('[data-testid="map"]').getAttribute('data-equity-drawn'), { timeout: 20_000 }).toBe(`hospital|5000|2sfca|what-if:1|${expected.after.gini}`);
    await page.waitForTimeout(1_000);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'equity-what-if.png') });

    // Nothing was stored; "clear" shows the stored state again.
    expect((await equity()).gini).toBe(stored.gini);
    await page.getByTestId('equity-clear').click();
    await expect.poll(shownGini, { timeout: 10_000 }).toBe(stored.gini.toFixed(3));
    expect(session.pageErrors).toEqual([]);
  });

  it('reads the answer again when the server says the inputs changed (equity:updated)', async () => {
    const more = { type: 'FeatureCollection', features: [...HOSPITALS, hospital('东湖医院', 12, 5, 200)] };
    expect((await api(session.server, 'PUT', '/api/v1/facilities', more)).status).toBe(200);
    await expect.poll(async () => (await equity()).facilities, { timeout: 20_000 }).toBe(3);
    const updated = await equity();
    await expect.poll(shownGini, { timeout: 20_000 }).toBe(updated.gini.toFixed(3));
    expect(updated.gini.toFixed(3)).not.toBe(stored.gini.toFixed(3));
    expect(session.pageErrors).toEqual([]);
  });
});

/**
 * The wall in a real browser: sign in through the `?token=` link, see Hangzhou's districts drawn
 * by WebGL in their five risk colours (checked pixel by pixel), and see an incident posted over
 * HTTP arrive in the incident list live.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { BASEMAP_COLOURS } from '../../client/src/map/basemap.ts';
import { LEVEL_COLOURS, RISK_LEVELS, type IngestResult } from '../../server/contract/index.ts';
import { openDashboardSession, RESULTS_DIR as resultsDir, type DashboardSession } from './chromium.ts';


type Rgb = [number, number, number];
const rgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;

/**
 * Counts the screenshot's pixels within `tolerance` (per channel) of each colour. The PNG is
 * decoded by the browser itself (a 2D canvas), so the test needs no image library.
 */
async function countColours(page: Page, png: Buffer, colours: Rgb[], tolerance: number): Promise<number[]> {
  return page.evaluate(
    async ({ dataUrl, colours, tolerance }) => {
      const image = new Image();
      image.src = dataUrl;
      await image.decode();
      const canvas = new OffscreenCanvas(image.naturalWidth, image.naturalHeight);
      const context = canvas.getContext('2d');
      if (!context) throw new Error('no 2D canvas');
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      const counts = colours.map(() => 0);
      for (let p = 0; p < data.length; p += 4) {
        colours.forEach(([r, g, b], i) => {
          if (
            Math.abs((data[p] ?? 0) - r) <= tolerance &&
            Math.abs((data[p + 1] ?? 0) - g) <= tolerance &&
            Math.abs((data[p + 2] ?? 0) - b) <= tolerance
          ) {
            counts[i] = (counts[i] ?? 0) + 1;
          }
        });
      }
      return counts;
    },
    { dataUrl: `data:image/png;base64,${png.toString('base64')}`, colours, tolerance },
  );
}

describe('the wall map in Chromium', { timeout: 90_000 }, () => {
  let server: DashboardSession['server'];
  let session: DashboardSession;
  let page: Page;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    session = await openDashboardSession({ width: 1600, height: 900 });
    ({ server, page, pageErrors } = session);
  }, 240_000);

  afterAll(async () => {
    await session?.close();
  });

  it('signs in with the link, drops the token from the address bar and draws the districts', async () => {
    await page.goto(`${server.url}/?token=${encodeURIComponent(server.adminToken)}`);
    const address = new URL(page.url());
    expect(address.searchParams.has('token')).toBe(false);
    expect(page.url()).not.toContain(server.adminToken);

    await page.locator('[data-testid="map"] canvas.maplibregl-canvas').waitFor({ timeout: 60_000 });
    // `/` sends an administrator to the operations console, and the address says so.
    expect(new URL(page.url()).pathname).toBe('/console');
    await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="map"][data-map-ready="true"]').waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1_500); // the deck.gl overlay draws on the frames after the basemap settles

    // Software WebGL takes a while: look again until the districts are on screen. Signed in, they
    // are filled with their risk level's colour (test/browser/risk.test.ts checks which district
    // has which); the basemap's own fill lies under it.
    const levelColours = RISK_LEVELS.map((level) => rgb(LEVEL_COLOURS[level]));
    const outline = rgb(BASEMAP_COLOURS.districtOutline);
    const totalPixels = 1600 * 900;
    let fillPixels = 0;
    let outlinePixels = 0;
    let png: Buffer = Buffer.alloc(0);
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; ) {
      png = await page.screenshot();
      const counts = await countColours(page, png, [...levelColours, outline], 12);
      fillPixels = counts.slice(0, levelColours.length).reduce((sum, n) => sum + n, 0);
      outlinePixels = counts[levelColours.length] ?? 0;
      if (fillPixels > totalPixels * 0.05 && outlinePixels > 500) break;
      await page.waitForTimeout(1_000);
    }
    await writeFile(path.join(resultsDir, 'map.png'), png);
    expect(fillPixels, 'district fill pixels in the five risk colours').toBeGreaterThan(totalPixels * 0.05);
    expect(outlinePixels, 'district outline pixels').toBeGreaterThan(500);

    await expect.poll(() => page.getAttribute('[data-testid="map"]', 'data-incident-count')).not.toBeNull();
    await expect(page.locator('[data-testid="demo-badge"]').isVisible()).resolves.toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('shows an incident posted over HTTP in the incident list within seconds', async () => {
    const before = Number(await page.getAttribute('[data-testid="map"]', 'data-incident-count'));
    const title = `browser test fire ${Date.now()}`;
    const response = await fetch(`${server.url}/api/v1/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title, category: 'fire', severity: 'severe', lat: 30.25, lon: 120.17 }),
    });
    expect(response.status).toBe(201);
    const result = (await response.json()) as IngestResult;
    const id = result.items[0]?.id;
    expect(id).toBeTruthy();

    const item = page.locator(`[data-testid="incident-list"] [data-incident-id="${id}"]`);
    await item.waitFor({ timeout: 10_000 });
    await expect(item.textContent()).resolves.toContain(title);
    await expect
      .poll(async () => Number(await page.getAttribute('[data-testid="map"]', 'data-incident-count')), { timeout: 10_000 })
      .toBe(before + 1);
    await page.screenshot({ path: path.join(resultsDir, 'map-live.png') });
    expect(pageErrors).toEqual([]);
  });
});

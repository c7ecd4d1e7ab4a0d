/**
 * The wall through a database outage (docs/reliability.md; here in the browser): a server on a PostgreSQL
 * cluster of this test's own; the test stops the database. The wall must show its banner saying the
 * database is unavailable (not "connection lost": the server still answers) within two heartbeats,
 * keep what it shows, and drop the banner by itself once the database is back, with new incidents
 * flowing again. A responder tablet and the operations console open meanwhile say that changes are not saved,
 * then clear.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startCluster, type ThrowawayCluster } from '../../scripts/postgres-cluster.mjs';
import { ensureClientBuild } from '../../scripts/client-build.mjs';
import { api, startTestServer, type TestServer } from '../support/server.ts';
import { launchChromium, RESULTS_DIR, ROOT } from './chromium.ts';

let cluster: ThrowawayCluster;
let server: TestServer;
let browser: Browser;
let page: Page;

describe('wall display during a database outage', () => {
  beforeAll(async () => {
    await ensureClientBuild({ root: ROOT });
    cluster = await startCluster();
    server = await startTestServer({ env: { DATABASE_URL: cluster.url } });
    const square = (x: number) => ({ type: 'Polygon', coordinates: [[[x, 30], [x + 0.02, 30], [x + 0.02, 30.02], [x, 30.02], [x, 30]]] });
    const regions = await api(server, 'PUT', '/api/v1/regions', {
      type: 'FeatureCollection',
      features: [0, 1].map((i) => ({ type: 'Feature', geometry: square(100 + i * 0.02), properties: { code: `S${i}`, name: `区${i}`, population: 10_000 } })),
    });
    expect(regions.status).toBe(200);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    cluster?.stop();
  }, 60_000);

  it('says the database is unavailable within two heartbeats and clears by itself when it is back', async () => {
    const before = await api(server, 'POST', '/api/v1/incidents', [{ source: 'outage', externalId: 'before', lon: 100.01, lat: 30.01, title: 'Gas smell before outage', category: 'hazmat', severity: 'severe' }]);
    expect(before.status).toBe(201);
    await page.goto(`${server.url}/wall?token=${encodeURIComponent(server.adminToken)}&rotate=0&lang=en`);
    await page.locator('[data-testid="map"][data-map-ready="true"]').waitFor({ timeout: 90_000 });
    await page.locator('[data-testid="ticker"]').getByText('Gas smell before outage').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(2_000); // software WebGL: let the districts draw
    await expect.poll(() => page.getByTestId('stale-banner').count(), { timeout: 20_000 }).toBe(0);

    // A responder tablet on the same server: actions would fail now, and it must say so.
    const responder = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    await responder.goto(`${server.url}/responder?token=${encodeURIComponent(server.adminToken)}&lang=en`);
    await responder.getByTestId('responder').getByText('Gas smell before outage').first().waitFor({ timeout: 30_000 });
    expect(await responder.getByTestId('store-down').count()).toBe(0);
    // And the operations console: its connection badge stays live but says changes are not saved.
    const console_ = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await console_.goto(`${server.url}/console?token=${encodeURIComponent(server.adminToken)}&lang=en`);
    await console_.locator('[data-testid="connection"][data-status="live"][data-store="ok"]').waitFor({ timeout: 60_000 });

    cluster.pause();
    const banner = page.locator('[data-testid="stale-banner"][data-reason="store"]');
    await banner.waitFor({ timeout: 12_000 });
    const text = await banner.innerText();
    expect(text).toContain('Database unavailable');
    await page.waitForTimeout(1_000);
    await page.screenshot({ path: `${RESULTS_DIR}/wall-store-outage.png` });
    // What it had stays on screen under the banner.
    expect(await page.locator('[data-testid="ticker"]').getByText('Gas smell before outage').count()).toBe(1);

    expect(await responder.getByTestId('store-down').innerText({ timeout: 12_000 })).toContain('Database unavailable');
    await responder.screenshot({ path: `${RESULTS_DIR}/responder-store-outage.png` });
    await console_.locator('[data-testid="connection"][data-store="down"]').waitFor({ timeout: 12_000 });
    expect(await console_.getByTestId('connection-store-down').innerText()).toContain('database unavailable');

    cluster.resume();
    await page.getByTestId('stale-banner').waitFor({ state: 'detached', timeout: 20_000 });
    await responder.getByTestId('store-down').waitFor({ state: 'detached', timeout: 20_000 });
    await responder.close();
    await console_.locator('[data-testid="connection"][data-store="ok"]').waitFor({ timeout: 20_000 });
    await console_.close();
    // And the stream moves again: an incident posted now reaches the wall's ticker.
    const posted = await api(server, 'POST', '/api/v1/incidents', [{ source: 'outage', externalId: 'after', lon: 100.01, lat: 30.01, title: 'Water main burst after outage', category: 'infrastructure', severity: 'moderate' }]);
    expect(posted.status).toBe(201);
    await page.locator('[data-testid="ticker"]').getByText('Water main burst after outage').waitFor({ timeout: 10_000 });
  }, 120_000);
});

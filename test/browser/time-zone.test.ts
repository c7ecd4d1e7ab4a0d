/**
 * Every page tells time in the server's `TIME_ZONE`, never the browser's: a server set to New York
 * and a Chromium set to Shanghai (12 or 13 hours apart, so no reading can match by accident).
 * - the wall display's clock reads New York's time (worked out here with Intl for that zone, within
 *   a minute) and its header names the zone, before sign-in too (no socket: health alone);
 * - the wall's ticker, the console's incident list and the responder's queue show an incident's
 *   time in New York;
 * - the console, responder and planner top bars name the zone, in Chinese and English.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { IngestResult } from '../../server/contract/index.ts';
import { ensureClientBuild } from '../../scripts/client-build.mjs';
import { api, startTestServer, type TestServer } from '../support/server.ts';
import { launchChromium, RESULTS_DIR, ROOT } from './chromium.ts';

const SERVER_ZONE = 'America/New_York';
const BROWSER_ZONE = 'Asia/Shanghai';

/** Seconds since midnight of `ms` in `zone`, from Intl's reading of that zone. */
function secondOfDay(ms: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' }).formatToParts(ms);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return part('hour') * 3600 + part('minute') * 60 + part('second');
}
const hms = (s: number) => [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join(':');
/** `UTC-4` from Intl's `GMT-4` for the zone at `ms` (how the header writes an offset). */
const utcOffset = (ms: number, zone: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(ms).find((p) => p.type === 'timeZoneName')!.value.replace(/^GMT/, 'UTC').replace(/^UTC$/, 'UTC+0');
const longName = (ms: number, zone: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'long' }).formatToParts(ms).find((p) => p.type === 'timeZoneName')!.value;

const city = {
  type: 'FeatureCollection',
  features: [0, 1].map((i) => ({
    type: 'Feature',
    properties: { code: `TZ${i}`, name: `时区${i}区`, population: 10_000 },
    geometry: { type: 'Polygon', coordinates: [[[100 + i * 0.02, 30], [100.02 + i * 0.02, 30], [100.02 + i * 0.02, 30.02], [100 + i * 0.02, 30.02], [100 + i * 0.02, 30]]] },
  })),
};

describe('time zone of every page', { timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  /** The test incident's id and when the server took it in (set by the console test). */
  let incidentId = '';
  let reportedMs = Number.NaN;

  beforeAll(async () => {
    await ensureClientBuild({ root: ROOT });
    server = await startTestServer({ env: { TIME_ZONE: SERVER_ZONE } });
    expect((await api(server, 'PUT', '/api/v1/regions', city)).status).toBe(200);
    browser = await launchChromium();
    context = await browser.newContext({ timezoneId: BROWSER_ZONE, viewport: { width: 1920, height: 1080 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The wall clock's reading, checked against New York's time when it was read. */
  async function expectNewYorkClock(): Promise<void> {
    const clock = page.getByTestId('wall-clock-time');
    await clock.waitFor({ timeout: 30_000 });
    const before = Date.now();
    const shown = (await clock.innerText()).trim();
    const match = /^(\d{2}):(\d{2}):(\d{2})$/.exec(shown);
    expect(match, `the clock reads "${shown}"`).not.toBeNull();
    const shownS = Number(match![1]) * 3600 + Number(match![2]) * 60 + Number(match![3]);
    const drift = (s: number) => Math.min(Math.abs(shownS - s), 86_400 - Math.abs(shownS - s));
    expect(drift(secondOfDay(before, SERVER_ZONE)), `clock ${shown}, New York ${hms(secondOfDay(before, SERVER_ZONE))}`).toBeLessThanOrEqual(60);
    // Shanghai is 12 or 13 hours away: the browser's own zone could not pass the line above.
    expect(drift(secondOfDay(before, BROWSER_ZONE))).toBeGreaterThan(3_600);
  }

  /** The page's zone badge names New York in `lang`. */
  async function expectZoneNamed(target: Page, lang: 'zh-CN' | 'en'): Promise<void> {
    const badge = target.getByTestId('time-zone').first();
    await badge.waitFor({ timeout: 60_000 });
    await expect.poll(() => badge.getAttribute('data-zone-source'), { timeout: 10_000 }).toBe('server');
    expect(await badge.getAttribute('data-time-zone')).toBe(SERVER_ZONE);
    const now = Date.now();
    const text = await badge.innerText();
    expect(text).toContain(utcOffset(now, SERVER_ZONE));
    expect(text).toContain(longName(now, SERVER_ZONE, lang));
  }

  it('the browser really is in Shanghai, and health names the server’s zone', async () => {
    await page.goto(`${server.url}/wall?rotate=0`);
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(BROWSER_ZONE);
    expect((await api(server, 'GET', '/api/v1/health', undefined, { token: null })).body.timeZone).toBe(SERVER_ZONE);
  });

  it('the wall display’s clock and header are New York’s before sign-in (health alone, no socket)', async () => {
    await page.goto(`${server.url}/wall?rotate=0`);
    await expectNewYorkClock();
    await expectZoneNamed(page, 'zh-CN');
  });

  it('the wall display and the console show an incident’s time in New York, and say so in both languages', async () => {
    // Two hours ago to the second: its New York reading and its Shanghai reading differ by 12–13 hours.
    const occurredMs = Math.floor((Date.now() - 2 * 3600_000) / 1000) * 1000;
    const posted = await api(server, 'POST', '/api/v1/incidents', [
      { source: 'tz-test', externalId: 'tz1', lon: 100.01, lat: 30.01, title: 'Time zone check', category: 'fire', severity: 'severe', occurredAt: new Date(occurredMs).toISOString() },
    ]);
    expect(posted.status).toBe(201);
    const id = (posted.body as IngestResult).items[0]!.id;
    incidentId = id;
    reportedMs = Date.parse((await api(server, 'GET', `/api/v1/incidents/${id}`)).body.properties.reportedAt as string);

    await page.goto(`${server.url}/wall?token=${encodeURIComponent(server.adminToken)}&rotate=0`);
    await page.locator('[data-testid="map"][data-map-ready="true"]').waitFor({ timeout: 90_000 });
    const tickerTime = page.locator(`[data-testid="ticker"] [data-incident-id="${id}"] time`);
    await tickerTime.waitFor({ timeout: 30_000 });
    await expectNewYorkClock();
    await expectZoneNamed(page, 'zh-CN');
    // The ticker shows hours and minutes (with the date when not today): New York's, not Shanghai's.
    const tickerText = await tickerTime.innerText();
    expect(tickerText).toContain(hms(secondOfDay(reportedMs, SERVER_ZONE)).slice(0, 5));
    expect(tickerText).not.toContain(hms(secondOfDay(reportedMs, BROWSER_ZONE)).slice(0, 5));
    await page.waitForTimeout(1_500); // software WebGL: let the districts draw
    await page.screenshot({ path: `${RESULTS_DIR}/time-zone-wall.png` });

    await page.goto(`${server.url}/console?token=${encodeURIComponent(server.adminToken)}&lang=en`);
    const listTime = page.locator(`[data-testid="incident-list"] [data-incident-id="${id}"] time`);
    await listTime.waitFor({ timeout: 60_000 });
    const listText = await listTime.innerText();
    expect(listText).toContain(hms(secondOfDay(occurredMs, SERVER_ZONE)));
    expect(listText).not.toContain(hms(secondOfDay(occurredMs, BROWSER_ZONE)));
    await expectZoneNamed(page, 'en');
    await page.locator('[data-testid="map"][data-map-ready="true"]').waitFor({ timeout: 90_000 });
    await page.waitForTimeout(1_500);
    await page.screenshot({ path: `${RESULTS_DIR}/time-zone-console.png` });
    expect(pageErrors).toEqual([]);
  });

  it('the responder’s queue shows the report time in New York, and its top bar and the planner’s name the zone', async () => {
    expect(incidentId, 'the console test posted the incident').not.toBe('');
    const tablet = await context.newPage();
    await tablet.setViewportSize({ width: 1024, height: 768 });
    await tablet.goto(`${server.url}/responder?token=${encodeURIComponent(server.adminToken)}&lang=zh-CN`);
    const row = tablet.locator(`[data-testid="responder-queue"] [data-incident-id="${incidentId}"]`);
    await row.waitFor({ timeout: 60_000 });
    const rowText = await row.innerText();
    expect(rowText).toContain(hms(secondOfDay(reportedMs, SERVER_ZONE)).slice(0, 5));
    expect(rowText).not.toContain(hms(secondOfDay(reportedMs, BROWSER_ZONE)).slice(0, 5));
    await expectZoneNamed(tablet, 'zh-CN');
    await tablet.screenshot({ path: `${RESULTS_DIR}/time-zone-responder.png` });
    // The desk is a desktop page.
    await tablet.setViewportSize({ width: 1600, height: 900 });
    await tablet.goto(`${server.url}/planner?token=${encodeURIComponent(server.adminToken)}&lang=en`);
    await expectZoneNamed(tablet, 'en');
    await tablet.screenshot({ path: `${RESULTS_DIR}/time-zone-planner.png` });
    await tablet.close();
  });
});

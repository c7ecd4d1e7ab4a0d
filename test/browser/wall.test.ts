/**
 * The wall display (`/wall`) in a real browser at 3840 × 2160, against the real server run as a
 * child process on a temporary DATA_DIR (so it can be killed and restarted on the same port), on a
 * small city of our own (six square districts, no demo):
 * - map, KPI tiles and ticker show; a posted incident's title is in the ticker within 3 s; the KPI
 *   figures match what we posted (by hand), `/risk` and `/equity/summary`; they are ≥ 28 px;
 * - the tour flies to the red district first;
 * - `?lang=en` shows no Chinese outside the district names; `layers=equity` draws hospital access;
 * - SIGKILL → the stale banner within 20 s; restart on the same port while the page is offline,
 *   post an incident, go online → the banner goes away and the missed incident is in the ticker;
 * - memory: JS heap after 10k incident events ≤ 1.2 × heap after 1k.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { EquityDefaultSummaries, RiskSnapshot, Severity } from '../../server/contract/index.ts';
import { ensureClientBuild } from '../../scripts/client-build.mjs';
import { startServerProcess, type ServerProcess } from '../support/process.ts';
import { api } from '../support/server.ts';
import { launchChromium, RESULTS_DIR, ROOT } from './chromium.ts';
import { tables as commonStrings } from '../../client/src/i18n/i18n.ts';
import { tables as wallStrings } from '../../client/src/pages/wall/strings.ts';

const ADMIN_TOKEN = 'wall-test-admin-token';
const SIZE = 0.02;
const WEST = 100.0;
const SOUTH = 30.0;
const DISTRICTS = [
  { code: 'WD01', name: '东城区', col: 0, row: 0 },
  { code: 'WD02', name: '西城区', col: 1, row: 0 },
  { code: 'WD03', name: '南湖区', col: 2, row: 0 },
  { code: 'WD04', name: '北山区', col: 0, row: 1 },
  { code: 'WD05', name: '中心区', col: 1, row: 1 },
  { code: 'WD06', name: '新港区', col: 2, row: 1 },
];
const POPULATION = 10_000;
// The wall signs in as a viewer, and a viewer sees runs of 7+ digits in titles masked (they may be
// phone numbers), so a unique title carries letters only.
const uniqueWord = () => Date.now().toString(36).replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
const inside = (code: string, fx = 0.5, fy = 0.5) => {
  const d = DISTRICTS.find((x) => x.code === code)!;
  return { lon: WEST + (d.col + fx) * SIZE, lat: SOUTH + (1 - d.row + fy) * SIZE };
};
const city = {
  type: 'FeatureCollection',
  features: DISTRICTS.map((d) => {
    const w = WEST + d.col * SIZE;
    const s = SOUTH + (1 - d.row) * SIZE;
    return {
      type: 'Feature',
      properties: { code: d.code, name: d.name, population: POPULATION, populationSource: 'census 2020 (test)' },
      geometry: { type: 'Polygon', coordinates: [[[w, s], [w + SIZE, s], [w + SIZE, s + SIZE], [w, s + SIZE], [w, s]]] },
    };
  }),
};
const point = (p: { lon: number; lat: number }, properties: Record<string, unknown>) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties });

let counter = 0;
const incident = (code: string, severity: Severity, title: string, fx = 0.5, fy = 0.5) => ({
  source: 'wall-test',
  externalId: `w${++counter}`,
  category: 'fire',
  severity,
  title,
  occurredAt: new Date().toISOString(),
  ...inside(code, fx, fy),
});

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

describe('wall display', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'citybrain-wall-'));
  let server: ServerProcess;
  let port = '';
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let viewerToken = '';
  const pageErrors: string[] = [];
  const s = () => ({ url: server.url, adminToken: ADMIN_TOKEN });
  const post = async (body: unknown) => {
    const res = await api(s(), 'POST', '/api/v1/incidents', body);
    expect(res.status).toBe(201);
    return res.body;
  };
  const start = () => startServerProcess({ DATA_DIR: dataDir, DEMO_DATA: 'off', ADMIN_TOKEN, ...(port && { PORT: port }) });
  const tickerTitles = () => page.locator('[data-testid="ticker"] .wall-ticker-title').allTextContents();

  beforeAll(async () => {
    await ensureClientBuild({ root: ROOT });
    server = await start();
    port = new URL(server.url).port;
    expect((await api(s(), 'PUT', '/api/v1/regions', city)).status).toBe(200);
    // Plus a village 30 km away, outside the hospital's 5 km catchment: the Gini is far from 0.
    const population = {
      type: 'FeatureCollection',
      features: [...DISTRICTS.map((d, i) => point(inside(d.code), { id: d.code, population: 1000 * (i + 1) })), point({ lon: WEST + 0.3, lat: SOUTH }, { id: 'village', population: 8000 })],
    };
    expect((await api(s(), 'PUT', '/api/v1/population', population)).status).toBe(200);
    const hospital = { type: 'FeatureCollection', features: [point(inside('WD01', 0.6, 0.5), { id: 'h1', kind: 'hospital', capacity: 100, name: 'H1' })] };
    expect((await api(s(), 'PUT', '/api/v1/facilities', hospital)).status).toBe(200);
    // Per 10,000 residents (docs/domain.md §5): WD05 3 × severe + 1 extreme = 25 → red; WD02 severe +
    // moderate = 7 → orange; WD03 one minor = 1 → blue. The tour visits WD05 first.
    await post([
      incident('WD05', 'severe', 'Warehouse fire A', 0.2, 0.2),
      incident('WD05', 'severe', 'Warehouse fire B', 0.8, 0.2),
      incident('WD05', 'severe', 'Warehouse fire C', 0.2, 0.8),
      incident('WD05', 'extreme', 'Chemical plant blaze', 0.8, 0.8),
      incident('WD02', 'severe', 'Bus fire', 0.3, 0.3),
      incident('WD02', 'moderate', 'Kitchen fire', 0.7, 0.7),
      incident('WD03', 'minor', 'Bin fire'),
    ]);
    viewerToken = (await api(s(), 'POST', '/api/v1/tokens', { role: 'viewer', name: 'wall screen' })).body.token as string;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 3840, height: 2160 } });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGKILL');
    await server?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows map, KPIs and ticker at 4K; a posted incident reaches the ticker within 3 s; the tour starts with the red district', async () => {
    await page.goto(`${server.url}/wall?token=${encodeURIComponent(viewerToken)}&rotate=5`);
    await page.locator('[data-testid="map"][data-map-ready="true"]').waitFor({ timeout: 90_000 });
    await expect.poll(() => tickerTitles(), { timeout: 30_000 }).toContain('Bin fire');

    const title = `Gas leak ${uniqueWord()}`;
    await post(incident('WD06', 'moderate', title));
    const posted = Date.now();
    await page.locator('[data-testid="ticker"] .wall-ticker-title', { hasText: title }).waitFor({ timeout: 3_000 });
    expect(Date.now() - posted).toBeLessThanOrEqual(3_000);

    // Open incidents by severity, as posted: 4 severe, 1 extreme, 2 moderate, 1 minor.
    const figure = (id: string) => page.getByTestId(id).textContent();
    await expect.poll(() => figure('kpi-open-total')).toBe('8');
    expect(await figure('kpi-severity-severe')).toBe('4');
    expect(await figure('kpi-severity-extreme')).toBe('1');
    expect(await figure('kpi-severity-moderate')).toBe('2');
    expect(await figure('kpi-severity-minor')).toBe('1');
    expect(await figure('kpi-severity-unknown')).toBe('0');
    // Districts per level and the Gini, as the API answers them.
    const risk = (await api(s(), 'GET', '/api/v1/risk')).body as RiskSnapshot;
    for (const level of ['red', 'orange', 'yellow', 'blue', 'green'] as const) {
      const expected = String(risk.regions.filter((r) => r.level === level).length);
      await expect.poll(() => figure(`kpi-level-${level}`), { timeout: 10_000 }).toBe(expected);
    }
    expect(risk.regions.find((r) => r.code === 'WD05')?.level).toBe('red');
    const summary = (await api(s(), 'GET', '/api/v1/equity/summary')).body as EquityDefaultSummaries;
    const gini = summary.summaries.find((x) => x.kind === 'hospital')!.gini;
    expect(gini).toBeGreaterThan(0.1);
    await expect.poll(() => figure('kpi-gini-value')).toBe(gini.toFixed(2));

    // Read from 5 m: every KPI figure and label is at least 28 px on the 4K wall.
    const sizes = await page.locator('.wall-figure, .wall-figure-label').evaluateAll((els) => els.map((e) => parseFloat(getComputedStyle(e).fontSize)));
    expect(sizes.length).toBeGreaterThan(10);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(28);
    expect(await page.evaluate(() => getComputedStyle(document.body).cursor)).toBe('none');

    // The tour: the first stop is the worst red district, within one rotation (5 s) plus slack.
    await expect.poll(() => page.getByTestId('wall-display').getAttribute('data-tour'), { timeout: 15_000 }).toBe('WD05');
    await page.waitForTimeout(3_000); // let the fly-to and software WebGL settle
    await page.screenshot({ path: path.join(RESULTS_DIR, 'wall-4k-tour.png') });
    // `P` pauses the tour and brings back the whole city.
    await page.keyboard.press('p');
    await expect.poll(() => page.getByTestId('wall-display').getAttribute('data-tour')).toBe('city');
    await page.waitForTimeout(3_500);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'wall-4k.png') });
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('in English shows no Chinese outside the district names', async () => {
    const en = await context.newPage();
    await en.setViewportSize({ width: 1920, height: 1080 });
    await en.goto(`${server.url}/wall?lang=en&rotate=0`);
    await en.locator('[data-testid="ticker"] .wall-ticker-title').first().waitFor({ timeout: 60_000 });
    await en.locator('[data-testid="map"][data-map-ready="true"]').waitFor({ timeout: 60_000 });
    await en.getByTestId('data-age').waitFor();
    let text = await en.evaluate(() => document.body.innerText);
    for (const d of DISTRICTS) text = text.split(d.name).join('');
    expect(text).toContain('Open incidents');
    expect(text.match(CJK)).toBeNull();
    await en.waitForTimeout(2_000); // software WebGL: let the districts draw
    await en.screenshot({ path: path.join(RESULTS_DIR, 'wall-en.png') });

    // `layers=equity` alone: districts filled by hospital access, with its legend, in English too.
    await en.goto(`${server.url}/wall?lang=en&rotate=0&layers=equity`);
    await en.locator('[data-testid="map"][data-equity-drawn^="hospital|"]').waitFor({ timeout: 60_000 });
    await en.getByTestId('equity-legend').waitFor();
    expect(await en.getByTestId('risk-legend').count()).toBe(0);
    let equityText = await en.evaluate(() => document.body.innerText);
    for (const d of DISTRICTS) equityText = equityText.split(d.name).join('');
    expect(equityText.match(CJK)).toBeNull();
    await en.waitForTimeout(1_500);
    await en.screenshot({ path: path.join(RESULTS_DIR, 'wall-equity-en.png') });
    await en.close();
  }, 90_000);

  it('in Chinese shows none of the English wording (incident titles, which are data, aside)', async () => {
    const zh = await context.newPage();
    await zh.setViewportSize({ width: 1920, height: 1080 });
    await zh.goto(`${server.url}/wall?lang=zh-CN&rotate=0`);
    await zh.locator('[data-testid="ticker"] .wall-ticker-title').first().waitFor({ timeout: 60_000 });
    await zh.getByTestId('data-age').waitFor();
    const text = await zh.evaluate(() => {
      const copy = document.body.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('.wall-ticker-title').forEach((n) => n.remove());
      return copy.textContent ?? '';
    });
    // Every fragment of the English tables the wall draws from, long enough to be a phrase.
    const phrases = [...Object.values(wallStrings.en), ...Object.values(commonStrings.en)]
      .flatMap((s) => s.split(/\{\w+\}/))
      .map((s) => s.trim())
      .filter((s) => /[A-Za-z]{4}/.test(s) && s.length >= 6)
      // The product's name is a proper name, shown in both languages.
      .filter((s) => s !== 'City Brain');
    expect(phrases.length).toBeGreaterThan(50);
    expect(text).toMatch(CJK);
    expect(phrases.filter((p) => text.includes(p))).toEqual([]);
    await zh.close();
  }, 90_000);

  it('shows the stale banner within 20 s of a SIGKILL, and after a restart clears it and fills in what was missed', async () => {
    await expect(page.getByTestId('stale-banner').count()).resolves.toBe(0);
    server.child.kill('SIGKILL');
    await server.exited;
    const killed = Date.now();
    await page.getByTestId('stale-banner').waitFor({ timeout: 20_000 });
    expect(Date.now() - killed).toBeLessThanOrEqual(20_000);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'wall-stale.png') });

    // The page stays cut off while the server comes back and an incident is posted.
    await context.setOffline(true);
    server = await start();
    expect(new URL(server.url).port).toBe(port);
    const missed = `Flooded underpass ${uniqueWord()}`;
    await post(incident('WD04', 'severe', missed));
    await page.waitForTimeout(2_000);
    expect(await tickerTitles()).not.toContain(missed);
    await context.setOffline(false);

    await page.getByTestId('stale-banner').waitFor({ state: 'detached', timeout: 40_000 });
    await expect.poll(() => tickerTitles(), { timeout: 10_000 }).toContain(missed);
  }, 150_000);

  it('keeps its memory bounded: heap after 10k incident events ≤ 1.2 × heap after 1k', async () => {
    const cdp = await context.newCDPSession(page);
    const heapAfterGc = async () => {
      await page.waitForTimeout(2_000); // the last batch flushed and drawn
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      return (await cdp.send('Runtime.getHeapUsage')).usedSize;
    };
    const openBefore = Number(await page.getByTestId('kpi-open-total').textContent());
    const codes = DISTRICTS.map((d) => d.code);
    let posted = 0;
    const postMany = async (n: number) => {
      for (let done = 0; done < n; done += 500) {
        const batch = Array.from({ length: Math.min(500, n - done) }, (_, i) => {
          const k = posted + i;
          return incident(codes[k % codes.length]!, (['minor', 'moderate', 'unknown'] as const)[k % 3]!, `Load test ${k}`, ((k * 37) % 97) / 100 + 0.01, ((k * 53) % 89) / 100 + 0.05);
        });
        posted += batch.length;
        await post(batch);
      }
      const total = (openBefore + posted).toLocaleString('en-US');
      await expect.poll(() => page.getByTestId('kpi-open-total').textContent(), { timeout: 120_000 }).toBe(total);
    };
    await postMany(1_000);
    const heap1k = await heapAfterGc();
    await postMany(9_000);
    const heap10k = await heapAfterGc();
    console.log(`wall heap: ${(heap1k / 1e6).toFixed(1)} MB after 1k events, ${(heap10k / 1e6).toFixed(1)} MB after 10k (ratio ${(heap10k / heap1k).toFixed(3)})`);
    expect(await page.locator('[data-testid="ticker"] li').count()).toBe(20);
    expect(heap10k).toBeLessThanOrEqual(1.2 * heap1k);
    expect(pageErrors).toEqual([]);
  }, 400_000);
});

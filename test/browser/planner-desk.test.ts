/**
 * The planner desk (`/planner`, docs/domain.md §2.1) at 1920×1080 with a planner's token, against the demo:
 * - the CSV download is the comparison table the test works out itself from GET /regions, /risk,
 *   /incidents and /equity (UTF-8 with BOM, Chinese headers, plain numbers);
 * - the PNG download decodes to the map's size and shows the map (many colours, the five-colour fill);
 * - a parcel created through the API opens in the drawer when its code is searched;
 * - with `?lang=en` no Chinese is left on the page but names from the data.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Download, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultRadiusM,
  LEVEL_COLOURS,
  LEVEL_NAMES,
  RISK_LEVELS,
  type EquityResult,
  type IncidentCollection,
  type ParcelFeature,
  type ParcelSurroundings,
  type RegionCollection,
  type RiskSnapshot,
} from '../../server/contract/index.ts';
import { api } from '../support/server.ts';
import { openDashboardSession, RESULTS_DIR, type DashboardSession } from './chromium.ts';

const VIEWPORT = { width: 1920, height: 1080 };
const PARCEL_NAME = '规划工作台测试地块';
/** A small square near lon 120.16, lat 30.27: inside a Hangzhou district. */
const W = 120.1621;
const S = 30.2721;
const D = 0.001;
const HAN = /\p{Script=Han}/u;

/** RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

async function downloaded(page: Page, testId: string): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByTestId(testId).click()]);
  const file = await download.path();
  return { download, bytes: await readFile(file) };
}

describe('planner desk', () => {
  let session: DashboardSession;
  let page: Page;
  let token = '';
  let code = '';
  const asPlanner = <T>(route: string) => api(session.server, 'GET', route, undefined, { token }).then((r) => r.body as T);

  beforeAll(async () => {
    session = await openDashboardSession(VIEWPORT);
    const { server } = session;
    const issued = await api(server, 'POST', '/api/v1/tokens', { role: 'planner', name: 'desk test' });
    expect(issued.status, JSON.stringify(issued.body)).toBe(201);
    token = (issued.body as { token: string }).token;
    const created = await api(
      server,
      'POST',
      '/api/v1/parcels',
      {
        type: 'Feature',
        geometry: { type: 'Polygon', coordinates: [[[W, S], [W + D, S], [W + D, S + D], [W, S + D], [W, S]]] },
        properties: { landUse: '05', name: PARCEL_NAME, department: 'Planning Bureau', documents: [{ title: 'Plan approval', number: 'P-2026-1', issuedAt: '2026-01-15' }] },
      },
      { token },
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    code = (created.body as ParcelFeature).properties.code;

    page = session.page;
    await page.goto(`${server.url}/planner?token=${encodeURIComponent(token)}`);
    await page.locator('[data-testid="district-table"][data-ready="true"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="map"][data-map-ready="true"]').waitFor({ timeout: 60_000 });
  }, 180_000);

  afterAll(async () => {
    await session?.close();
  });

  it('exports the comparison table as the CSV the API answers give', async () => {
    const { download, bytes } = await downloaded(page, 'export-csv');
    expect(download.suggestedFilename()).toMatch(/^city-brain-districts-\d{4}-\d{2}-\d{2}\.csv$/);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(bytes.subarray(3).toString('utf8'));
    expect(header).toEqual(['区划代码', '区域', '常住人口', '风险等级', '风险指数（每万人）', '未结事件', '平均可达性：医院（每千人容量）', '无可达人口占比（%）', '沉默区域']);

    const [regions, risk, incidents, equity] = await Promise.all([
      asPlanner<RegionCollection>('/api/v1/regions'),
      asPlanner<RiskSnapshot>('/api/v1/risk'),
      asPlanner<IncidentCollection>('/api/v1/incidents'),
      asPlanner<EquityResult>(`/api/v1/equity?kind=hospital&radius=${defaultRadiusM('hospital')}&method=2sfca`),
    ]);
    expect(rows).toHaveLength(regions.features.length);
    const byCode = new Map(rows.map((row) => [row[0], row]));
    for (const { properties: region } of regions.features) {
      const row = byCode.get(region.code);
      expect(row, region.code).toBeDefined();
      const rating = risk.regions.find((r) => r.code === region.code);
      const served = equity.regions.find((r) => r.code === region.code);
      const open = incidents.features.filter(
        (f) => f.properties.regionCode === region.code && ['reported', 'acknowledged', 'dispatched'].includes(f.properties.status),
      ).length;
      const [, name, population, level, score, openText, access, zero, silent] = row ?? [];
      expect(name).toBe(region.name);
      expect(population).toBe(region.population === null ? '' : String(Math.round(region.population)));
      expect(level).toBe(rating ? LEVEL_NAMES[rating.level]['zh-CN'] : '');
      // Scores decay by the second: read a moment apart they may differ in the last digit.
      if (rating) expect(Math.abs(Number(score) - rating.score)).toBeLessThanOrEqual(0.011);
      expect(openText).toBe(String(open));
      expect(access).toBe(served ? (served.meanAccess * 1000).toFixed(3) : '');
      expect(zero).toBe(served ? (served.zeroAccessShare * 100).toFixed(1) : '');
      expect(silent).toBe(served ? (served.silent ? '是' : '否') : '');
    }
    // Sorted as the table is at first: highest risk level on top.
    const rank = (name: string | undefined) => RISK_LEVELS.findIndex((l) => LEVEL_NAMES[l]['zh-CN'] === name);
    const ranks = rows.map((row) => rank(row[3]));
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    // Plain numbers: no thousands separators for a spreadsheet to misread.
    for (const row of rows) expect(row[2]).toMatch(/^\d*$/);
  });

  it('exports the map as a PNG of its size with the five-colour districts drawn', async () => {
    const size = await page.getByTestId('map').evaluate((el) => ({ width: el.clientWidth * devicePixelRatio, height: el.clientHeight * devicePixelRatio }));
    const { download, bytes } = await downloaded(page, 'export-png');
    expect(download.suggestedFilename()).toMatch(/^city-brain-map-\d{4}-\d{2}-\d{2}\.png$/);
    await writeFile(path.join(RESULTS_DIR, 'planner-desk-export.png'), bytes);
    const png = PNG.sync.read(bytes);
    expect({ width: png.width, height: png.height }).toEqual(size);
    const colours = new Set<number>();
    for (let i = 0; i < png.data.length; i += 4 * 7) colours.add((png.data[i]! << 16) | (png.data[i + 1]! << 8) | png.data[i + 2]!);
    expect(colours.size).toBeGreaterThan(50);
    // deck.gl's layer is in the file, not only the basemap: some pixels carry a level's colour.
    const levelColours = Object.values(LEVEL_COLOURS).map((hex) => [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)));
    let nearLevel = 0;
    for (let i = 0; i < png.data.length; i += 4) {
      const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
      if (levelColours.some(([lr, lg, lb]) => Math.abs(r - lr!) + Math.abs(g - lg!) + Math.abs(b - lb!) < 60)) nearLevel++;
    }
    expect(nearLevel).toBeGreaterThan(1000);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'planner-desk.png') });
  });

  it('sorts the table by a column from the keyboard, largest first, then reversed', async () => {
    const regions = await asPlanner<RegionCollection>('/api/v1/regions');
    const byPopulation = regions.features.map((f) => f.properties).sort((a, b) => (b.population ?? -1) - (a.population ?? -1));
    const header = page.locator('[data-testid="district-table"] button[data-sort-key="population"]');
    const firstRow = page.locator('[data-testid="district-table"] tbody tr').first();
    await header.focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="district-table"][data-sort="population:desc"]').waitFor();
    expect(await firstRow.getAttribute('data-code')).toBe(byPopulation[0]?.code);
    expect(await header.locator('xpath=..').getAttribute('aria-sort')).toBe('descending');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="district-table"][data-sort="population:asc"]').waitFor();
    expect(await firstRow.getAttribute('data-code')).toBe(byPopulation.at(-1)?.code);
  });

  it('searching a land code opens that parcel in the drawer', async () => {
    const search = page.getByTestId('parcel-search');
    await search.click();
    await search.pressSequentially(code, { delay: 10 });
    const drawer = page.locator(`[data-testid="parcel-drawer"][data-code="${code}"]`);
    await drawer.waitFor({ timeout: 15_000 });
    expect(await drawer.getByTestId('parcel-name').innerText()).toBe(PARCEL_NAME);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'detached', timeout: 5_000 });
  });

  it('in English shows no Chinese but names from the data', async () => {
    await page.goto(`${session.server.url}/planner?lang=en`);
    await page.locator('[data-testid="district-table"][data-ready="true"]').waitFor({ timeout: 60_000 });
    const search = page.getByTestId('parcel-search');
    await search.click();
    await search.fill(code);
    await page.locator(`[data-testid="parcel-drawer"][data-code="${code}"] [data-testid="parcel-surroundings"][data-phase="loaded"]`).waitFor({ timeout: 20_000 });
    await page.getByTestId('desk-layer-equity').click();
    await page.getByTestId('equity-panel').and(page.locator('[data-phase="loaded"]')).waitFor({ timeout: 30_000 });
    await page.screenshot({ path: path.join(RESULTS_DIR, 'planner-desk-en-equity.png') });

    const regions = await asPlanner<RegionCollection>('/api/v1/regions');
    const around = await asPlanner<ParcelSurroundings>(`/api/v1/parcels/${code}/surroundings?radius=500`);
    const names = [
      ...regions.features.map((f) => f.properties.name),
      PARCEL_NAME,
      ...around.facilities.map((f) => f.name),
      ...around.parcels.map((p) => p.name),
      ...around.incidents.map((i) => i.title),
      // The product's name (the map region's label) and the language switch naming Chinese in itself.
      '城市大脑',
      '中文',
    ].sort((a, b) => b.length - a.length);
    const shown = await page.evaluate(() => {
      const labels = [...document.querySelectorAll('[aria-label], [title], [placeholder], [alt]')].flatMap((el) =>
        ['aria-label', 'title', 'placeholder', 'alt'].map((name) => el.getAttribute(name) ?? ''),
      );
      return [document.body.innerText, ...labels].join('\n');
    });
    let rest = shown;
    for (const name of names) rest = rest.split(name).join('');
    const leftover = rest.split('\n').filter((line) => HAN.test(line));
    expect(leftover).toEqual([]);
    expect(shown).toContain('District comparison');
    expect(session.pageErrors).toEqual([]);
  });
});

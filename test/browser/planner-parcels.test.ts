/**
 * The planner's parcel search and drawer in a real browser against the demo server (docs/domain.md §6):
 * a parcel created through the API inside a Hangzhou district and moved to `supplied`, then
 * - its code typed into the search box opens the drawer, with `supplied` as the current stage and the
 *   trading centre's contract (title and number) listed, and the map flown to it;
 * - the same code with one digit changed is named mistyped at once, without a request;
 * - a part of its name lists it, and ↓ Enter opens it; Esc closes the drawer;
 * - the Scan button without a camera says so and sends the person back to typing;
 * - with Chromium's fake camera showing the parcel's QR code, scanning opens the parcel;
 * - printing shows only the code, the QR code and the name.
 */
import { rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParcelFeature } from '../../server/contract/index.ts';
import { api } from '../support/server.ts';
import { CHROMIUM_ARGS, openDashboardSession, RESULTS_DIR, type DashboardSession } from './chromium.ts';

const VIEWPORT = { width: 1600, height: 1000 };
const NAME = '规划测试住宅地块';
const CONTRACT = { title: '国有建设用地使用权出让合同', number: '杭出让〔2026〕7号', issuedAt: '2026-02-01' };

/** A small square (≈ 96 m × 111 m) near lon 120.16, lat 30.27: inside a Hangzhou district. */
const W = 120.1601;
const S = 30.2701;
const D = 0.001;
const square = [[[W, S], [W + D, S], [W + D, S + D], [W, S + D], [W, S]]];

/** The code with one digit of its sequence changed: the check character no longer fits. */
function oneDigitChanged(code: string): string {
  const index = code.length - 3; // last digit of the 5-digit sequence
  const digit = Number(code[index]);
  return `${code.slice(0, index)}${(digit + 1) % 10}${code.slice(index + 1)}`;
}

const drawer = (page: Page, code: string) => page.locator(`[data-testid="parcel-drawer"][data-code="${code}"]`);

/**
 * A Y4M video (what Chromium's fake camera plays) of `text` as a QR code, black on white, 640×480:
 * planar YUV 4:2:0, luma carries the picture, chroma is neutral grey.
 */
function qrVideo(text: string, frames = 10): Buffer {
  const width = 640;
  const height = 480;
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quiet = 4;
  const scale = Math.floor(400 / (modules.size + 2 * quiet));
  const side = (modules.size + 2 * quiet) * scale;
  const left = Math.floor((width - side) / 2);
  const top = Math.floor((height - side) / 2);
  const luma = Buffer.alloc(width * height, 255);
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (!modules.get(row, col)) continue;
      for (let y = 0; y < scale; y++) {
        const offset = (top + (row + quiet) * scale + y) * width + left + (col + quiet) * scale;
        luma.fill(0, offset, offset + scale);
      }
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  return Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]);
}

describe('planner: parcel search and drawer', () => {
  let session: DashboardSession;
  let page: Page;
  let code = '';

  beforeAll(async () => {
    session = await openDashboardSession(VIEWPORT);
    const { server } = session;
    const created = await api(server, 'POST', '/api/v1/parcels', {
      type: 'Feature',
      geometry: { type: 'Polygon', coordinates: square },
      properties: {
        landUse: '07',
        name: NAME,
        address: '杭州市规划测试路 1 号',
        department: '自然资源和规划局',
        documents: [{ title: '控制性详细规划批复', number: '杭规批〔2026〕12号', issuedAt: '2026-01-15' }],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    code = (created.body as ParcelFeature).properties.code;
    const stepped = await api(server, 'POST', `/api/v1/parcels/${code}/steps`, { step: 'supplied', department: '公共资源交易中心', documents: [CONTRACT] });
    expect(stepped.status, JSON.stringify(stepped.body)).toBe(201);

    page = session.page;
    await page.goto(`${server.url}/?token=${encodeURIComponent(server.adminToken)}`);
    await page.getByTestId('parcel-search').waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('[data-testid="map"][data-map-ready="true"]').waitFor({ timeout: 60_000 });
  });

  afterAll(async () => {
    await session?.close();
  });

  it('typing the full code opens its drawer: supplied is current, the contract is listed, the map flies there', async () => {
    const search = page.getByTestId('parcel-search');
    await search.click();
    await search.pressSequentially(code, { delay: 15 });
    const open = drawer(page, code);
    await open.waitFor({ timeout: 15_000 });
    expect(await open.getByTestId('parcel-code').innerText()).toBe(code);
    expect(await open.getByTestId('parcel-name').innerText()).toBe(NAME);

    const stage = open.getByTestId('parcel-stage');
    expect(await stage.count()).toBe(1);
    expect(await stage.getAttribute('data-stage')).toBe('supplied');
    // All seven stages are shown; two done (planned, supplied — the current one is recorded too).
    expect(await open.locator('[data-testid="parcel-timeline"] > li').count()).toBe(7);
    expect(await open.locator('[data-testid="parcel-timeline"] > li[data-state="done"]').getAttribute('data-stage')).toBe('planned');
    expect(await open.locator('[data-testid="parcel-timeline"] > li[data-state="next"]').getAttribute('data-stage')).toBe('planning_permit');
    const stageText = await stage.innerText();
    expect(stageText).toContain('公共资源交易中心');
    expect(stageText).toContain(CONTRACT.title);
    expect(stageText).toContain(CONTRACT.number);

    // Documents per department: the trading centre's contract and the bureau's approval, apart.
    const byDepartment = open.getByTestId('parcel-documents');
    expect(await byDepartment.locator('[data-department="公共资源交易中心"]').innerText()).toContain(CONTRACT.number);
    expect(await byDepartment.locator('[data-department="自然资源和规划局"]').innerText()).toContain('杭规批〔2026〕12号');

    expect(await open.getByTestId('parcel-land-use').getAttribute('data-land-use')).toBe('07');
    expect(await open.getByTestId('parcel-land-use').innerText()).toContain('住宅用地');
    expect(await open.getByTestId('parcel-synthetic').count()).toBe(0);

    const surroundings = open.getByTestId('parcel-surroundings');
    await surroundings.and(page.locator('[data-phase="loaded"]')).waitFor({ timeout: 15_000 });
    expect(await surroundings.innerText()).toContain('直线距离');
    const around = (await api(session.server, 'GET', `/api/v1/parcels/${code}/surroundings?radius=500`)).body as { facilities: unknown[]; parcels: unknown[] };
    if (around.facilities.length > 0) expect(await open.getByTestId('parcel-facilities').count()).toBe(1);
    if (around.parcels.length > 0) expect(await open.getByTestId('parcel-neighbours').count()).toBe(1);

    // The map flew to the parcel: zoomed in, its center inside the map's free middle.
    await page.waitForFunction(
      () => {
        const map = (document.querySelector('[data-testid="map"]') as HTMLElement & { cityBrainMap?: { getZoom(): number; isMoving(): boolean } }).cityBrainMap;
        return map !== undefined && map.getZoom() > 15 && !map.isMoving();
      },
      undefined,
      { timeout: 15_000 },
    );
    const at = await page.evaluate(([lon, lat]) => {
      const map = (document.querySelector('[data-testid="map"]') as HTMLElement & { cityBrainMap: { project(p: [number, number]): { x: number; y: number } } }).cityBrainMap;
      return map.project([lon, lat]);
    }, [W + D / 2, S + D / 2] as [number, number]);
    const drawerBox = await open.boundingBox();
    expect(drawerBox).not.toBeNull();
    expect(at.x).toBeGreaterThan((drawerBox?.x ?? 0) + (drawerBox?.width ?? 0));
    expect(at.x).toBeLessThan(VIEWPORT.width);
    expect(at.y).toBeGreaterThan(0);
    expect(at.y).toBeLessThan(VIEWPORT.height);

    // Outlined over the five-colour fill, where the map draws the parcel.
    const outline = page.getByTestId('parcel-outline');
    expect(await outline.getAttribute('data-code')).toBe(code);
    const outlineBox = await outline.locator('path').last().boundingBox();
    expect(outlineBox).not.toBeNull();
    expect(Math.abs((outlineBox?.x ?? 0) + (outlineBox?.width ?? 0) / 2 - at.x)).toBeLessThan(3);
    expect(Math.abs((outlineBox?.y ?? 0) + (outlineBox?.height ?? 0) / 2 - at.y)).toBeLessThan(3);

    await page.waitForTimeout(1_500); // let the tiles and deck.gl settle for the picture
    await page.screenshot({ path: path.join(RESULTS_DIR, 'planner-drawer.png') });
  });

  it('the code with one digit changed is named mistyped at once, without asking the server', async () => {
    const search = page.getByTestId('parcel-search');
    const wrong = oneDigitChanged(code);
    const asked: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (request.url().includes('/api/v1/parcels')) asked.push(request.url());
    };
    page.on('request', onRequest);
    await search.fill(wrong);
    const message = page.getByTestId('parcel-search-message');
    await message.waitFor({ timeout: 5_000 });
    expect(await message.getAttribute('data-kind')).toBe('mistyped');
    const text = await message.innerText();
    expect(text).toContain('校验位');
    expect(text).toContain(wrong);
    expect(await search.getAttribute('aria-invalid')).toBe('true');
    await page.waitForTimeout(600); // longer than the search's debounce
    page.off('request', onRequest);
    expect(asked).toEqual([]);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'planner-mistyped.png'), clip: { x: 0, y: 0, width: 700, height: 260 } });
  });

  it('part of the name lists the parcel; ↓ and Enter open it; Esc closes the drawer', async () => {
    const search = page.getByTestId('parcel-search');
    await page.keyboard.press('Escape'); // close the drawer opened before
    await drawer(page, code).waitFor({ state: 'detached', timeout: 5_000 });
    await search.fill('规划测试住宅');
    const option = page.locator(`[data-testid="parcel-search-results"] [role="option"][data-code="${code}"]`);
    await option.waitFor({ timeout: 10_000 });
    await search.press('ArrowDown');
    expect(await page.locator('[data-testid="parcel-search-results"] [aria-selected="true"]').getAttribute('data-code')).toBe(code);
    await search.press('Enter');
    await drawer(page, code).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('parcel-search-results').count()).toBe(0);
    await page.keyboard.press('Escape');
    await drawer(page, code).waitFor({ state: 'detached', timeout: 5_000 });
    expect(await page.getByTestId('parcel-outline').count()).toBe(0);
  });

  it('Scan without a camera says why and sends the person back to the search box', async () => {
    await page.getByTestId('parcel-scan').click();
    const message = page.getByTestId('parcel-scan-message');
    await message.waitFor({ timeout: 10_000 });
    expect(['no-camera', 'denied', 'unsupported', 'failed']).toContain(await message.getAttribute('data-problem'));
    expect(await message.innerText()).toContain('土地码');
    await message.getByRole('button').click();
    await page.getByTestId('parcel-scanner').waitFor({ state: 'detached' });
    await page.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'parcel-search', undefined, { timeout: 5_000 });
  });

  it('prints only the land code, the QR code and the name', async (context) => {
    const qr = await fetch(`${session.server.url}/api/v1/parcels/${code}/qr.svg`);
    if (qr.status !== 200) context.skip(`qr.svg answers ${qr.status}: the QR route is not mounted yet`);
    await page.getByTestId('parcel-search').fill(code);
    await drawer(page, code).getByTestId('parcel-qr').waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => (document.querySelector('[data-testid="parcel-qr"]') as HTMLImageElement | null)?.complete === true);
    await page.emulateMedia({ media: 'print' });
    try {
      await page.screenshot({ path: path.join(RESULTS_DIR, 'planner-print.png') });
      const visible = await page.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter((el) => getComputedStyle(el).visibility === 'visible' && el.getClientRects().length > 0 && el.children.length === 0)
          .map((el) => (el.tagName === 'IMG' ? 'IMG' : (el.textContent ?? '').trim()))
          .filter(Boolean),
      );
      expect(visible).toEqual([NAME, 'IMG', code]);
    } finally {
      await page.emulateMedia({ media: 'screen' });
      await page.keyboard.press('Escape');
    }
  });

  it('opens the parcel whose QR code a camera sees (Chromium\'s fake camera playing the code)', async () => {
    // What the printed board says: the public page of the parcel.
    const video = path.join(os.tmpdir(), `planner-qr-${process.pid}.y4m`);
    await writeFile(video, qrVideo(`${session.server.url}/p/${code}`));
    const browser: Browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`],
    });
    try {
      const phone = await browser.newPage({ viewport: VIEWPORT });
      const errors: string[] = [];
      phone.on('pageerror', (error) => errors.push(error.message));
      await phone.goto(`${session.server.url}/?token=${encodeURIComponent(session.server.adminToken)}`);
      // The wall's first render keeps a software-WebGL page busy for a while: click once it is drawn.
      await phone.locator('[data-testid="map"][data-map-ready="true"]').waitFor({ timeout: 90_000 });
      await phone.getByTestId('parcel-scan').click({ timeout: 30_000 });
      const scanner = phone.getByTestId('parcel-scanner');
      // The scanner may read the code before this look: either it is scanning or it has already closed.
      const open = drawer(phone, code);
      await open.waitFor({ timeout: 60_000 });
      await scanner.waitFor({ state: 'detached' });
      expect(await phone.getByTestId('parcel-search').inputValue()).toBe(code);
      expect(await open.getByTestId('parcel-stage').getAttribute('data-stage')).toBe('supplied');
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
      await rm(video, { force: true });
    }
  }, 180_000);

  it('has no page errors', () => {
    expect(session.pageErrors).toEqual([]);
  });
});

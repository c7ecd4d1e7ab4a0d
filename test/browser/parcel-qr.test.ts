/**
 * Acceptance (docs/domain.md §6, one code): a parcel's QR code decodes (jsQR on the served PNG) to the
 * public URL of its parcel, and that page loads in Chromium — without a token and with JavaScript
 * switched off, as on a phone on site — showing the parcel's current stage. A mistyped code gets a
 * page saying the check character is wrong, with a form that finds the parcel once corrected.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import jsQR from 'jsqr';
import type { Browser, BrowserContext } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAGE_NAMES, type ParcelFeature } from '../../server/contract/parcels.ts';
import { api, startTestServer, type TestServer } from '../support/server.ts';
import { launchChromium, RESULTS_DIR } from './chromium.ts';

const PHONE = { width: 390, height: 844 };
const PARCEL_NAME = '文三路 12 号商住地块';

function decodeQr(png: Buffer): string | null {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null;
}

/** A 0.1° square district around Hangzhou's Xihu district and a small parcel inside it. */
const W = 120.1;
const S = 30.25;
const square = (west: number, south: number, size: number) => [[[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]];

describe('parcel QR code → public page (no token, no JavaScript)', () => {
  let server: TestServer;
  let browser: Browser;
  let phone: BrowserContext;
  let parcel: ParcelFeature;
  let code = '';

  beforeAll(async () => {
    server = await startTestServer({ demoData: false });
    const regions = await api(server, 'PUT', '/api/v1/regions', {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { code: '330106', name: '西湖区', population: 1_100_000 }, geometry: { type: 'Polygon', coordinates: square(W, S, 0.1) } }],
    });
    expect(regions.status, JSON.stringify(regions.body)).toBe(200);
    const created = await api(server, 'POST', '/api/v1/parcels', {
      type: 'Feature',
      geometry: {
        type: 'Polygon',
        coordinates: [[[W + 0.03, S + 0.02], [W + 0.0325, S + 0.0205], [W + 0.0322, S + 0.0225], [W + 0.0301, S + 0.0228], [W + 0.0293, S + 0.021], [W + 0.03, S + 0.02]]],
      },
      properties: {
        landUse: '07',
        name: PARCEL_NAME,
        address: '杭州市西湖区文三路 12 号',
        department: '杭州市规划和自然资源局',
        documents: [{ title: '控制性详细规划批复', number: '杭规批〔2026〕12号', issuedAt: '2026-01-15' }],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    parcel = created.body as ParcelFeature;
    code = parcel.properties.code;
    expect(code.startsWith('330106-')).toBe(true);
    const stepped = await api(server, 'POST', `/api/v1/parcels/${code}/steps`, {
      step: 'supplied',
      department: '杭州市公共资源交易中心',
      documents: [{ title: '国有建设用地使用权出让合同', number: '杭政储出〔2026〕12号', issuedAt: '2026-02-10' }],
    });
    expect(stepped.status, JSON.stringify(stepped.body)).toBeLessThan(300);
    browser = await launchChromium();
    // A phone that scanned the code: no cookie, no token, and JavaScript off to prove the page needs none.
    phone = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, javaScriptEnabled: false, locale: 'zh-CN' });
    await mkdir(RESULTS_DIR, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the PNG, fetched without a token, decodes to the public URL of its parcel', async () => {
    const res = await fetch(`${server.url}/api/v1/parcels/${code}/qr.png`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await res.arrayBuffer());
    await writeFile(path.join(RESULTS_DIR, 'parcel-qr.png'), png);
    expect(decodeQr(png)).toBe(`${server.url}/p/${code}`);
  });

  it('the SVG, as Chromium draws it, decodes to the same URL', async () => {
    const page = await phone.newPage();
    const res = await page.goto(`${server.url}/api/v1/parcels/${code}/qr.svg`);
    expect(res?.status()).toBe(200);
    const shot = await page.screenshot({ path: path.join(RESULTS_DIR, 'parcel-qr-svg.png') });
    await page.close();
    expect(decodeQr(shot)).toBe(`${server.url}/p/${code}`);
  });

  it('the page opens in Chromium without a token or JavaScript and shows the current stage, name and history', async () => {
    const page = await phone.newPage();
    const res = await page.goto(`${server.url}/p/${code}`);
    expect(res?.status()).toBe(200);
    const stage = page.getByTestId('parcel-stage');
    expect(await stage.getAttribute('data-stage')).toBe('supplied');
    expect(await stage.innerText()).toContain(STAGE_NAMES.supplied['zh-CN']);
    expect(await stage.isVisible()).toBe(true);
    expect(await page.getByTestId('parcel-name').innerText()).toBe(PARCEL_NAME);
    expect(await page.getByTestId('parcel-code').innerText()).toContain(code);
    const timeline = page.getByTestId('parcel-timeline');
    expect(await timeline.locator('li[data-step]').count()).toBe(2);
    // A number of the usual shape; a run of 7+ digits would be masked as a possible phone number.
    expect(await timeline.innerText()).toContain('杭政储出〔2026〕12号');
    // Phone layout: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'parcel-page.png') });
    await page.screenshot({ path: path.join(RESULTS_DIR, 'parcel-page-full.png'), fullPage: true });

    await page.goto(`${server.url}/p/${code}?lang=en`);
    expect(await page.getByTestId('parcel-stage').innerText()).toContain(STAGE_NAMES.supplied.en);
    await page.close();
  });

  it('a mistyped code gets a 404 page saying the check character is wrong, whose form finds the parcel once corrected', async () => {
    const wrong = code.slice(0, -1) + (code.endsWith('1') ? '2' : '1');
    const page = await phone.newPage();
    const res = await page.goto(`${server.url}/p/${wrong}?lang=en`);
    expect(res?.status()).toBe(404);
    expect(await page.getByTestId('parcel-problem').innerText()).toMatch(/check character/);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'parcel-page-mistyped.png') });
    const input = page.locator('input[name="code"]');
    expect(await input.inputValue()).toBe(wrong);
    await input.fill(code);
    await Promise.all([page.waitForURL(`${server.url}/p/${code}?lang=en`), page.locator('button[type="submit"]').click()]);
    expect(await page.getByTestId('parcel-stage').getAttribute('data-stage')).toBe('supplied');
    await page.close();
  });
});

/**
 * Chinese text does not depend on the PC's fonts: Chromium is started with a fontconfig that shows
 * it no CJK font at all (only DejaVu, a Latin font, when the machine has it), as on a fresh Debian
 * kiosk, and the zh-CN wall of the Hangzhou demo must still draw the district names and the
 * interface in the served Noto Sans SC. Judged with the page's own font API (the served faces,
 * loaded, whose unicode-range covers the names), with canvas metrics (a font that has no such glyph
 * draws one identical box for every character; the served font draws shapes of their own), with the
 * fonts Chromium reports it rendered an HTML heading with, and with the family the map drew its
 * names in. The screenshot test-results/served-font-wall.png shows it. When the font files come
 * later than the map waits for them, the names are drawn with the system fonts first and redrawn
 * with the served font once it arrives (served-font-late.png).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { RegionCollection } from '../../server/contract/index.ts';
import { ensureClientBuild } from '../../scripts/client-build.mjs';
import { api, startTestServer, type TestServer } from '../support/server.ts';
import { launchChromium, RESULTS_DIR, ROOT } from './chromium.ts';
import { LABEL_FALLBACK_FONT_FAMILY, LABEL_FONT_FAMILY, LABEL_FONT_WEIGHT, SERVED_CJK_FAMILY } from '../../client/src/map/label-font.ts';

const LATIN_FONTS = '/usr/share/fonts/truetype/dejavu';
const NO_SUCH_FAMILY = 'City Brain No Such Font';

/** A fontconfig that lists no system CJK font: at most one folder of Latin fonts. */
function fontconfigWithoutCjk(dir: string): string {
  const cache = path.join(dir, 'cache');
  mkdirSync(cache);
  const file = path.join(dir, 'fonts.conf');
  const dirs = existsSync(LATIN_FONTS) ? `  <dir>${LATIN_FONTS}</dir>\n` : '';
  writeFileSync(file, `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n${dirs}  <cachedir>${cache}</cachedir>\n</fontconfig>\n`);
  return file;
}

/** Code points a CSS unicode-range ("U+4e00-4e0f, U+3001") covers. */
function parseUnicodeRange(range: string): Array<[number, number]> {
  return range.split(',').map((part) => {
    const [from, to = from] = part.trim().replace(/^U\+/i, '').split('-');
    return [parseInt(from!, 16), parseInt(to!, 16)];
  });
}

interface GlyphMetrics {
  width: number;
  /** actualBoundingBox left, right, ascent, descent: a box drawn for a missing glyph has the same for every character. */
  box: string;
}

/** Canvas metrics of each character, drawn at the labels' weight in `family`. */
function measureInPage(page: Page, family: string, chars: string[]): Promise<GlyphMetrics[]> {
  return page.evaluate(
    ({ font, chars }) => {
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = font;
      return chars.map((char) => {
        const m = ctx.measureText(char);
        const box = [m.actualBoundingBoxLeft, m.actualBoundingBoxRight, m.actualBoundingBoxAscent, m.actualBoundingBoxDescent].map((v) => v.toFixed(1)).join(',');
        return { width: m.width, box };
      });
    },
    { font: `${LABEL_FONT_WEIGHT} 64px "${family}"`, chars },
  );
}

describe('served CJK font', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'citybrain-fonts-'));
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureClientBuild({ root: ROOT });
    server = await startTestServer({ demoData: true });
    browser = await launchChromium({ env: { FONTCONFIG_FILE: fontconfigWithoutCjk(tmp) } });
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    mkdirSync(RESULTS_DIR, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('draws the zh-CN wall, map names included, in the served font on a PC without a CJK font', async () => {
    const regions = (await api(server, 'GET', '/api/v1/regions')).body as RegionCollection;
    const names = regions.features.map((feature) => feature.properties.name);
    expect(names.length).toBeGreaterThan(5);
    const chars = [...new Set([...names.join('')])];
    expect(chars.every((char) => /\p{Script=Han}/u.test(char))).toBe(true);

    const fontFiles: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'font') fontFiles.push(new URL(request.url()).pathname);
    });
    await page.goto(`${server.url}/wall?token=${encodeURIComponent(server.adminToken)}&rotate=0`);
    await page.locator('[data-testid="map"][data-map-ready="true"]').waitFor({ timeout: 90_000 });
    const map = page.getByTestId('map');
    await expect.poll(() => map.getAttribute('data-label-font'), { timeout: 30_000 }).not.toBeNull();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.waitForTimeout(2_000); // software WebGL: let the names draw
    await page.screenshot({ path: path.join(RESULTS_DIR, 'served-font-wall.png') });

    // The browser really has no CJK font of its own: in a family that does not exist, every name
    // character comes out as the same box.
    const missing = await measureInPage(page, NO_SUCH_FAMILY, chars);
    expect(new Set(missing.map((m) => m.box)).size).toBe(1);

    // The served faces: loaded, and between them covering every character of the names.
    const faces = await page.evaluate(() =>
      [...document.fonts].map((face) => ({ family: face.family.replace(/^["']|["']$/g, ''), weight: face.weight, status: face.status, unicodeRange: face.unicodeRange })),
    );
    const loaded = faces.filter((face) => face.family === SERVED_CJK_FAMILY && face.status === 'loaded');
    expect(loaded.length).toBeGreaterThan(0);
    const ranges = loaded.flatMap((face) => parseUnicodeRange(face.unicodeRange));
    const uncovered = chars.filter((char) => !ranges.some(([from, to]) => char.codePointAt(0)! >= from && char.codePointAt(0)! <= to));
    expect(uncovered).toEqual([]);
    const font = `${LABEL_FONT_WEIGHT} 16px "${SERVED_CJK_FAMILY}"`;
    expect(await page.evaluate(({ font, text }) => document.fonts.check(font, text), { font, text: names.join('') })).toBe(true);

    // Drawn in the served family, the names are glyphs: different shapes, not one box repeated.
    const served = await measureInPage(page, SERVED_CJK_FAMILY, chars);
    expect(new Set(served.map((m) => m.box)).size).toBeGreaterThan(chars.length / 2);
    expect(served.map((m) => m.box)).not.toEqual(missing.map((m) => m.box));

    // The map drew its names with the served family first, not the system-only fallback.
    expect(await map.getAttribute('data-label-font')).toBe(LABEL_FONT_FAMILY);

    // The HTML: the fonts Chromium used to render the wall's Chinese heading.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: '.wall-brand' });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    expect(await page.locator('.wall-brand').textContent()).toMatch(/\p{Script=Han}/u);
    // Only web fonts, i.e. the served one (its files name themselves "Noto Sans SC Thin", after the
    // variable font they were cut from; the weight is theirs all the same).
    expect(fonts.length).toBeGreaterThan(0);
    for (const used of fonts) {
      expect(used.isCustomFont, used.familyName).toBe(true);
      expect(used.familyName.startsWith(SERVED_CJK_FAMILY), used.familyName).toBe(true);
    }
    // woff2 only, and only the slices the page's characters need (of about a hundred per weight).
    expect(fontFiles.length).toBeGreaterThan(0);
    expect(fontFiles.filter((file) => !file.endsWith('.woff2'))).toEqual([]);
    // The font's licence is served with it.
    const licence = await fetch(`${server.url}/licenses/noto-sans-sc-OFL.txt`);
    expect(licence.status).toBe(200);
    expect(await licence.text()).toContain('SIL OPEN FONT LICENSE Version 1.1');
    expect(pageErrors).toEqual([]);
  }, 180_000);

  it('draws the names with the system fonts while the served font is late, and anew with it once it arrives', async () => {
    // A fresh context (no font files in its cache) whose font downloads are held until the map has
    // given up waiting for them.
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const late = await context.newPage();
    late.on('pageerror', (error) => pageErrors.push(error.message));
    let releaseFonts = () => {};
    const fontsReleased = new Promise<void>((resolve) => (releaseFonts = resolve));
    await late.route('**/*.woff2', async (route) => {
      await fontsReleased;
      await route.continue();
    });
    // Not waiting for `load`, which held font downloads may delay.
    await late.goto(`${server.url}/wall?token=${encodeURIComponent(server.adminToken)}&rotate=0`, { waitUntil: 'domcontentloaded' });
    const map = late.getByTestId('map');
    await expect.poll(() => map.getAttribute('data-label-font'), { timeout: 90_000 }).toBe(LABEL_FALLBACK_FONT_FAMILY);
    // Boxes: no CJK font yet. (Playwright's own screenshot would wait for the fonts to load.)
    await late.waitForTimeout(1_500);
    const cdp = await context.newCDPSession(late);
    const { data } = await cdp.send('Page.captureScreenshot', { format: 'png' });
    writeFileSync(path.join(RESULTS_DIR, 'served-font-waiting.png'), Buffer.from(data, 'base64'));
    releaseFonts();
    await expect.poll(() => map.getAttribute('data-label-font'), { timeout: 30_000 }).toBe(LABEL_FONT_FAMILY);
    await late.waitForTimeout(2_000);
    await late.screenshot({ path: path.join(RESULTS_DIR, 'served-font-late.png') });
    await context.close();
    expect(pageErrors).toEqual([]);
  }, 180_000);
});

/**
 * The five-colour risk map in a real browser against a real server started without the demo: a
 * small city of our own (six square districts), incidents posted so that the districts reach levels
 * worked out here by the docs/domain.md §5 formula, and then
 * - a level change arrives live and recolours its district without a reload (and it pulses, briefly);
 * - every district is drawn in its level's exact colour, checked pixel by pixel at
 *   points projected through the page's own map, and the legend is on screen;
 * - the playback slider set to past instants shows exactly what
 *   `GET /api/v1/risk?at=` answers for every district;
 * - the card explains a district in both languages, lists the measures its level requires, and
 *   labels a synthetic population.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { LEVEL_COLOURS, LEVEL_NAMES, type Category, type IngestResult, type MeasuresConfig, type RiskHistory, type RiskLevel, type RiskSnapshot, type Severity } from '../../server/contract/index.ts';
import { api } from '../support/server.ts';
import { openDashboardSession, RESULTS_DIR as resultsDir, type DashboardSession } from './chromium.ts';
import { at, cityGeoJson, colourShare, DISTRICTS, district, expectedLevel, project, rgb, samplePoints, sleep, type Posted } from './risk-city.ts';

describe('the five-colour risk map in Chromium', { timeout: 120_000 }, () => {
  let session: DashboardSession;
  let server: DashboardSession['server'];
  let page: Page;
  let pageErrors: string[] = [];
  const posted: Posted[] = [];
  let serial = 0;

  const mapElement = () => page.locator('[data-testid="map"]');
  const drawnLevels = async (): Promise<Record<string, RiskLevel>> => JSON.parse((await mapElement().getAttribute('data-risk-levels')) ?? '{}');

  async function serverLevels(atMs?: number): Promise<Record<string, RiskLevel>> {
    const response = await api(server, 'GET', `/api/v1/risk${atMs === undefined ? '' : `?at=${atMs}`}`);
    expect(response.status).toBe(200);
    const snapshot = response.body as RiskSnapshot;
    expect(snapshot.source).toBe(atMs === undefined ? 'live' : 'history');
    return Object.fromEntries(snapshot.regions.map((r) => [r.code, r.level]));
  }

  /** Posts incidents at the given points of one district and waits for the server to rate it `level`. */
  async function post(code: string, items: { severity: Severity; category: Category; fx: number; fy: number }[], level: RiskLevel) {
    const d = district(code);
    const now = Date.now();
    const body = items.map((item) => {
      const [lon, lat] = at(d, item.fx, item.fy);
      posted.push({ code, severity: item.severity, category: item.category, lon, lat, occurredAtMs: now });
      serial++;
      return {
        source: 'risk-browser-test', externalId: `r${serial}`, category: item.category, severity: item.severity,
        lon, lat, occurredAt: new Date(now).toISOString(), title: `[测试] ${d.name} ${item.category} ${serial}`,
      };
    });
    const response = await api(server, 'POST', '/api/v1/incidents', body);
    expect(response.status).toBe(201);
    const result = response.body as IngestResult;
    expect(result.accepted).toBe(items.length);
    expect(result.items.map((i) => i.regionCode)).toEqual(items.map(() => code));
    // Our own reckoning first, then the server must agree with it.
    expect(expectedLevel(posted.filter((p) => p.code === code), d.population, Date.now())).toBe(level);
    await expect.poll(async () => (await serverLevels())[code], { timeout: 10_000, interval: 100 }).toBe(level);
  }

  beforeAll(async () => {
    session = await openDashboardSession({ width: 1600, height: 900 }, { demoData: false });
    ({ server, page, pageErrors } = session);
    const put = await api(server, 'PUT', '/api/v1/regions', cityGeoJson());
    expect(put.status).toBe(200);
    // Every district is rated for the first time (green: no incidents) once the regions are in.
    for (const deadline = Date.now() + 10_000; Object.keys(await serverLevels()).length < DISTRICTS.length; ) {
      if (Date.now() > deadline) throw new Error('the new districts were not rated within 10 s');
      await sleep(100);
    }
  }, 240_000);

  afterAll(async () => {
    await session?.close();
  });

  it('recolours a district live, without a reload, when its level changes, and pulses it briefly', async () => {
    await page.goto(`${server.url}/?token=${encodeURIComponent(server.adminToken)}`);
    await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="map"][data-map-ready="true"]').waitFor({ timeout: 60_000 });
    const allGreen = Object.fromEntries(DISTRICTS.map((d) => [d.code, 'green']));
    await expect.poll(drawnLevels, { timeout: 30_000 }).toEqual(allGreen);
    await expect(mapElement().getAttribute('data-risk-at')).resolves.toBe('live');
    await page.evaluate(() => Object.assign(window, { notReloaded: true }));

    // One minor incident among 12,000 residents: 10,000 × 1 / 12,000 ≈ 0.83 → blue.
    await post('TC04', [{ severity: 'minor', category: 'hotline', fx: 0.55, fy: 0.55 }], 'blue');
    await expect.poll(async () => (await drawnLevels()).TC04, { timeout: 10_000, interval: 100 }).toBe('blue');
    await expect(page.evaluate(() => (window as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);
    expect(await drawnLevels()).toEqual({ ...allGreen, TC04: 'blue' });

    // It pulses for about 3 s, then the animation stops by itself (no timer left running).
    await expect.poll(() => mapElement().getAttribute('data-risk-pulsing'), { timeout: 3_000, interval: 50 }).toBe('TC04');
    await expect.poll(() => mapElement().getAttribute('data-risk-pulsing'), { timeout: 8_000, interval: 200 }).toBe('');
    expect(pageErrors).toEqual([]);
  });

  it('draws every district in its level colour, pixel for pixel, with the legend on screen', async () => {
    // Levels change at distinct instants (≥ 2 s apart), which the playback test below relies on.
    await sleep(2_100);
    // One severe incident among 8,000: 10,000 × 5 / 8,000 = 6.25 → orange.
    await post('TC02', [{ severity: 'severe', category: 'traffic', fx: 0.55, fy: 0.55 }], 'orange');
    await sleep(2_100);
    // Three severe among 6,000: 10,000 × 15 / 6,000 = 25 → red (and a cluster of three within 500 m).
    await post('TC01', [
      { severity: 'severe', category: 'fire', fx: 0.55, fy: 0.55 },
      { severity: 'severe', category: 'fire', fx: 0.56, fy: 0.55 },
      { severity: 'severe', category: 'traffic', fx: 0.55, fy: 0.56 },
    ], 'red');
    await sleep(2_100);
    // One moderate among 8,000: 10,000 × 2 / 8,000 = 2.5 → yellow.
    await post('TC03', [{ severity: 'moderate', category: 'flood', fx: 0.55, fy: 0.55 }], 'yellow');

    const expected: Record<string, RiskLevel> = Object.fromEntries(
      DISTRICTS.map((d) => [d.code, expectedLevel(posted.filter((p) => p.code === d.code), d.population, Date.now())]),
    );
    expect(expected).toEqual({ TC01: 'red', TC02: 'orange', TC03: 'yellow', TC04: 'blue', TC05: 'green', TC06: 'green' });
    expect(await serverLevels()).toEqual(expected);
    await expect.poll(drawnLevels, { timeout: 10_000 }).toEqual(expected);
    // Let the pulses of the last changes end: the colours must be read without the white wash.
    await expect.poll(() => mapElement().getAttribute('data-risk-pulsing'), { timeout: 8_000, interval: 200 }).toBe('');
    await page.waitForTimeout(500);

    const points = new Map(await Promise.all(DISTRICTS.map(async (d) => [d.code, await Promise.all(samplePoints(d).map((p) => project(page, p)))] as const)));
    let png: Buffer = Buffer.alloc(0);
    const shares = new Map<string, number[]>();
    // Software WebGL may take a few frames: look again until every district shows its colour.
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
      png = await page.screenshot();
      for (const d of DISTRICTS) shares.set(d.code, await colourShare(page, png, points.get(d.code) ?? [], rgb(LEVEL_COLOURS[expected[d.code] ?? 'green'])));
      if ([...shares.values()].every((s) => s.filter((x) => x >= 0.9).length >= 3)) break;
      await page.waitForTimeout(1_000);
    }
    await writeFile(path.join(resultsDir, 'risk-map.png'), png);
    for (const d of DISTRICTS) {
      const share = shares.get(d.code) ?? [];
      // At least three of the four points (one may sit under a panel on a small screen) are that exact colour.
      expect(share.filter((x) => x >= 0.9).length, `${d.code} (${expected[d.code]}) at ${JSON.stringify(points.get(d.code))}: ${share}`).toBeGreaterThanOrEqual(3);
    }
    // And the red district has no green in it, the quiet one no red.
    const red = rgb(LEVEL_COLOURS.red), green = rgb(LEVEL_COLOURS.green);
    expect(Math.max(...(await colourShare(page, png, points.get('TC01') ?? [], green)))).toBe(0);
    expect(Math.max(...(await colourShare(page, png, points.get('TC05') ?? [], red)))).toBe(0);

    const legend = page.getByTestId('risk-legend');
    await expect(legend.isVisible()).resolves.toBe(true);
    const entries = await legend.locator('li').evaluateAll((items) =>
      items.map((li) => ({
        level: li.getAttribute('data-level'),
        text: li.textContent,
        colour: getComputedStyle(li.querySelector('.legend-swatch') as Element).backgroundColor,
      })),
    );
    expect(entries).toEqual(
      (['red', 'orange', 'yellow', 'blue', 'green'] as const).map((level) => ({
        level,
        text: LEVEL_NAMES[level]['zh-CN'],
        colour: `rgb(${rgb(LEVEL_COLOURS[level]).join(', ')})`,
      })),
    );
    expect(pageErrors).toEqual([]);
  });

  it('plays back past instants exactly as GET /api/v1/risk?at= answers them', async () => {
    const historyResponse = await api(server, 'GET', '/api/v1/risk/history');
    expect(historyResponse.status).toBe(200);
    const history = historyResponse.body as RiskHistory;
    const times = [...new Set(history.changes.map((c) => Date.parse(c.at)))].sort((a, b) => a - b);
    // First ratings, then blue, orange, red, yellow: five distinct instants.
    expect(times.length).toBeGreaterThanOrEqual(5);
    const between = (i: number) => Math.floor(((times[i] ?? 0) + (times[i + 1] ?? 0)) / 2) + 7; // an odd ms, not a whole minute
    const instants = [between(0), between(2), between(3)];

    const slider = page.getByTestId('risk-slider');
    async function showAt(ms: number) {
      await slider.evaluate((input: HTMLInputElement, value) => {
        // The native setter, so React sees a user's change (as a drag or a key would make it).
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set?.call(input, String(value));
        input.dispatchEvent(new Event('input', { bubbles: true }));
        input.dispatchEvent(new Event('change', { bubbles: true }));
      }, ms);
      await expect.poll(() => mapElement().getAttribute('data-risk-at'), { timeout: 10_000 }).toBe(new Date(ms).toISOString());
    }

    async function checkInstants(label: string) {
      const states: string[] = [];
      for (const ms of instants) {
        await showAt(ms);
        const expected = await serverLevels(ms);
        expect(Object.keys(expected).sort()).toEqual(DISTRICTS.map((d) => d.code));
        expect(await drawnLevels(), `${label}: drawn at ${new Date(ms).toISOString()}`).toEqual(expected);
        await expect(page.getByTestId('risk-time').textContent()).resolves.not.toBe('实时');
        states.push(JSON.stringify(expected));
      }
      // The instants were chosen so that they show different maps.
      expect(new Set(states).size).toBe(instants.length);
    }

    // The history this page fetched at load, grown by the changes it received live since.
    await checkInstants('history grown live');

    // Between the first ratings and the first change everything was green: on screen too.
    await showAt(instants[0] ?? 0);
    await page.waitForTimeout(1_000);
    const redDistrict = await Promise.all(samplePoints(district('TC01')).map((p) => project(page, p)));
    await expect
      .poll(async () => (await colourShare(page, await page.screenshot(), redDistrict, rgb(LEVEL_COLOURS.green))).filter((x) => x >= 0.9).length, { timeout: 20_000 })
      .toBeGreaterThanOrEqual(3);

    // Back to live.
    await page.getByTestId('risk-live').click();
    await expect.poll(() => mapElement().getAttribute('data-risk-at'), { timeout: 10_000 }).toBe('live');
    expect(await drawnLevels()).toEqual(await serverLevels());

    // A fresh page fetches the whole week at once.
    await page.goto(server.url);
    await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout: 60_000 });
    await expect.poll(async () => Object.keys(await drawnLevels()).length, { timeout: 30_000 }).toBe(DISTRICTS.length);
    await expect.poll(() => slider.isEnabled(), { timeout: 10_000 }).toBe(true);
    await checkInstants('history fetched');

    // The keyboard: End goes to the end of the window, ← one minute back from there.
    await page.getByTestId('risk-live').click();
    await slider.focus();
    const max = Number(await slider.getAttribute('max'));
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => mapElement().getAttribute('data-risk-at'), { timeout: 10_000 }).toBe(new Date(max - 60_000).toISOString());
    await page.keyboard.press('End');
    await expect.poll(() => mapElement().getAttribute('data-risk-at'), { timeout: 10_000 }).toBe(new Date(max).toISOString());
    expect(await drawnLevels()).toEqual(await serverLevels(max));
    await page.getByTestId('risk-live').click();
    await expect.poll(() => mapElement().getAttribute('data-risk-at'), { timeout: 10_000 }).toBe('live');
    expect(pageErrors).toEqual([]);
  });

  it('explains a district on hover and click, in Chinese and English, and labels a synthetic population', async () => {
    const snapshot = (await api(server, 'GET', '/api/v1/risk')).body as RiskSnapshot;
    const red = snapshot.regions.find((r) => r.code === 'TC01');
    if (!red) throw new Error('TC01 not rated');
    const card = page.getByTestId('district-card');

    const inRed = await project(page, at(district('TC01'), 0.25, 0.75));
    await page.mouse.move(inRed.x, inRed.y);
    await expect.poll(() => card.getAttribute('data-code'), { timeout: 10_000 }).toBe('TC01');
    await expect(card.getByTestId('district-level').textContent()).resolves.toBe('高风险');
    await expect(card.locator('.district-name').textContent()).resolves.toBe('东城区');
    // The score decays by ~0.0002 a second (25 × ln 2 / 24 h): the card, read a moment apart from
    // our request, may differ in the last digit, never more.
    const scoreText = (await card.getByTestId('district-score').textContent()) ?? '';
    expect(scoreText).toMatch(/^\d+\.\d{2}$/);
    expect(Math.abs(Number(scoreText) - red.score)).toBeLessThanOrEqual(0.015);
    await expect(card.getByTestId('district-population').textContent()).resolves.toBe('6,000');
    await expect(card.getByTestId('district-counts').textContent()).resolves.toBe(`${red.counts.last24h} / ${red.counts.last72h} / ${red.counts.window}`);
    expect(red.counts).toEqual({ last24h: 3, last72h: 3, window: 3 });
    await expect(card.getByTestId('district-clusters').textContent()).resolves.toBe(String(red.clusters));
    const contributions = await card.locator('[data-testid="district-contributions"] li').evaluateAll((items) =>
      items.map((li) => [li.getAttribute('data-category'), li.querySelector('.contribution-name')?.textContent, li.querySelector('.contribution-value')?.textContent]),
    );
    // Two fires (≈ 10) before one traffic accident (≈ 5), with the server's figures to 2 decimals.
    expect(contributions.map(([category, name]) => [category, name])).toEqual([['fire', '火灾'], ['traffic', '交通事故']]);
    const fire = Number(contributions[0]?.[2]), traffic = Number(contributions[1]?.[2]);
    expect(Math.abs(fire - (red.explanation.byCategory.fire ?? 0))).toBeLessThanOrEqual(0.015);
    expect(Math.abs(traffic - (red.explanation.byCategory.traffic ?? 0))).toBeLessThanOrEqual(0.015);
    const rules = card.locator('[data-testid="district-rules"] li');
    await expect(rules.count()).resolves.toBe(red.explanation.rules.length);
    await expect(rules.first().locator('.rule-kind').textContent()).resolves.toBe('指数');
    // The server's sentence as given (its figures may have decayed in the last digit meanwhile).
    const numbersOut = (text: string | null | undefined) => (text ?? '').replace(/\d+(\.\d+)?/g, '#');
    expect(numbersOut(await rules.first().locator('.rule-message').textContent())).toBe(numbersOut(red.explanation.rules[0]?.message));
    await expect(card.getByTestId('risk-synthetic').count()).resolves.toBe(0);

    // The measures red requires (docs/domain.md §16.1), worked out here from the config: the level's
    // own, then fire's and traffic's red entries (fire first: the larger part of the score), an id
    // already listed rewritten in place.
    const measuresConfig = (await api(server, 'GET', '/api/v1/measures/config')).body.config as MeasuresConfig;
    const expectedMeasures = measuresConfig.levels.red.map((m) => m.text);
    const ids = measuresConfig.levels.red.map((m) => m.id);
    for (const category of ['fire', 'traffic'] as const) {
      for (const m of measuresConfig.categories?.[category]?.red ?? []) {
        const at = ids.indexOf(m.id);
        if (at >= 0) expectedMeasures[at] = m.text;
        else (ids.push(m.id), expectedMeasures.push(m.text));
      }
    }
    expect(expectedMeasures.length).toBeGreaterThan(measuresConfig.levels.red.length);
    const measureTexts = () => card.locator('[data-testid="district-measures"] li .measure-text').allTextContents();
    await expect(measureTexts()).resolves.toEqual(expectedMeasures.map((text) => text['zh-CN']));
    await expect(card.locator('[data-testid="district-measures"] li').evaluateAll((items) => items.map((li) => li.getAttribute('data-measure')))).resolves.toEqual(ids);

    // A click pins it: it stays when the pointer leaves the city.
    await page.mouse.click(inRed.x, inRed.y);
    await expect.poll(() => card.getAttribute('data-pinned'), { timeout: 10_000 }).toBe('true');
    await page.mouse.move(5, 450);
    await page.waitForTimeout(500);
    await expect(card.getAttribute('data-code')).resolves.toBe('TC01');
    await page.screenshot({ path: path.join(resultsDir, 'risk-card.png') });
    await card.screenshot({ path: path.join(resultsDir, 'risk-card-measures.png') });

    // English: every label changes; the server's rule sentences stay as given.
    await page.keyboard.press('L');
    await expect.poll(() => card.getByTestId('district-level').textContent(), { timeout: 10_000 }).toBe('High risk');
    await expect(card.locator('[data-category="fire"] .contribution-name').textContent()).resolves.toBe('fire');
    await expect(rules.first().locator('.rule-kind').textContent()).resolves.toBe('Score');
    await expect(page.getByTestId('risk-legend').locator('li').first().textContent()).resolves.toBe('High risk');
    await expect(measureTexts()).resolves.toEqual(expectedMeasures.map((text) => text.en));

    // Esc closes the pinned card (which, long with its measures, may lie over the next district).
    await page.mouse.move(5, 450);
    await page.keyboard.press('Escape');
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(0);

    // The district with a synthetic population says so.
    const inSynthetic = await project(page, at(district('TC06'), 0.25, 0.25));
    await page.mouse.move(inSynthetic.x, inSynthetic.y);
    await expect.poll(() => card.getAttribute('data-code'), { timeout: 10_000 }).toBe('TC06');
    await expect(card.getByTestId('risk-synthetic').textContent()).resolves.toContain('synthetic');
    await expect(card.getByTestId('district-level').textContent()).resolves.toBe('Low risk');
    await page.mouse.move(5, 450);
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(0);
    await page.keyboard.press('L'); // back to Chinese, as the wall starts
    expect(pageErrors).toEqual([]);
  });
});

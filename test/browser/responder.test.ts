/**
 * The responder console at 1024×768 with a responder's sign-in: the queue's order against one
 * computed here from the API's incidents, A + Enter acknowledges the top incident in the store,
 * Esc cancels, the detail names the nearest fire station found here by brute force, an extreme
 * arrival sounds the alert (counted in `data-alerts` and in oscillators started) until M mutes it,
 * and `?lang=en` leaves no Chinese outside proper names.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { IncidentCollection, IncidentFeature, IngestResult } from '../../server/contract/index.ts';
import { api } from '../support/server.ts';
import { openDashboardSession, RESULTS_DIR, type DashboardSession } from './chromium.ts';
import { tables as responderStrings } from '../../client/src/pages/responder/strings.ts';

const SEVERITY_RANK: Record<string, number> = { extreme: 0, severe: 1, moderate: 2, minor: 3, unknown: 4 };

function metres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = 6_371_008.8;
  const toRad = (d: number) => (d * Math.PI) / 180;
  const a = Math.sin(toRad(lat2 - lat1) / 2) ** 2 + Math.cos(toRad(lat1)) * Math.cos(toRad(lat2)) * Math.sin(toRad(lon2 - lon1) / 2) ** 2;
  return 2 * r * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}

describe('the responder console in Chromium', { timeout: 240_000 }, () => {
  let session: DashboardSession;
  let server: DashboardSession['server'];
  let page: Page;
  let responder = '';
  const as = (method: string, route: string, body?: unknown) => api(server, method, route, body, { token: responder });
  async function post(body: Record<string, unknown>): Promise<string> {
    const response = await as('POST', '/api/v1/incidents', body);
    expect(response.status).toBe(201);
    return (response.body as IngestResult).items[0]!.id;
  }
  const queueIds = () => page.locator('[data-testid="responder-queue"] [data-incident-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-incident-id')));
  const statusOf = async (id: string) => ((await as('GET', `/api/v1/incidents/${id}`)).body as IncidentFeature).properties.status;

  beforeAll(async () => {
    session = await openDashboardSession({ width: 1024, height: 768 });
    ({ server, page } = session);
    responder = (await api(server, 'POST', '/api/v1/tokens', { role: 'responder', name: '值班员' })).body.token;
    // Counts the tones the page starts, so the test hears what a person would.
    await page.addInitScript(() => {
      const w = window as unknown as { __tones: number };
      w.__tones = 0;
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function (this: OscillatorNode, ...args: [number?]) {
        w.__tones += 1;
        return start.apply(this, args);
      };
    });
  }, 240_000);
  afterAll(() => session?.close());

  it('orders the queue, acknowledges with A + Enter, cancels with Esc and shows the nearest fire station', async () => {
    await post({ title: '[测试] 拱墅区仓库火灾', category: 'fire', severity: 'extreme', lat: 30.32, lon: 120.14 });
    await post({ title: '[测试] 上城区道路积水', category: 'flood', severity: 'moderate', lat: 30.24, lon: 120.17 });
    await page.goto(`${server.url}/responder?token=${encodeURIComponent(responder)}`);
    await page.locator('[data-testid="responder-queue"] [data-incident-id]').first().waitFor({ timeout: 60_000 });

    const all = ((await as('GET', '/api/v1/incidents')).body as IncidentCollection).features.map((f) => f.properties);
    const expected = all
      .filter((i) => i.status !== 'resolved' && i.status !== 'rejected')
      .sort((a, b) => SEVERITY_RANK[a.severity]! - SEVERITY_RANK[b.severity]! || Date.parse(a.reportedAt) - Date.parse(b.reportedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((i) => i.id);
    expect(expected.length).toBeGreaterThan(2);
    await expect.poll(queueIds, { timeout: 30_000 }).toEqual(expected);
    const top = expected[0]!;
    expect(all.find((i) => i.id === top)!.status).toBe('reported');

    await page.keyboard.press('a');
    await page.locator('[data-testid="confirm-dialog"][data-action="acknowledged"]').waitFor();
    await page.keyboard.press('Enter');
    await expect.poll(() => statusOf(top), { timeout: 30_000 }).toBe('acknowledged');
    await page.locator('[data-testid="confirm-dialog"]').waitFor({ state: 'detached' });
    await expect.poll(() => page.getAttribute('[data-testid="detail-status"]', 'data-status')).toBe('acknowledged');

    await page.keyboard.press('d');
    await page.locator('[data-testid="confirm-dialog"][data-action="dispatched"]').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="confirm-dialog"]').waitFor({ state: 'detached' });
    expect(await statusOf(top)).toBe('acknowledged');

    // ↓ moves to the second incident, ↑ back to the top.
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.getAttribute('[data-testid="responder-detail"]', 'data-incident-id')).toBe(expected[1]);
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.getAttribute('[data-testid="responder-detail"]', 'data-incident-id')).toBe(top);

    const topFeature = (await as('GET', `/api/v1/incidents/${top}`)).body as IncidentFeature;
    expect(topFeature.geometry.type).toBe('Point');
    const [lon, lat] = topFeature.geometry.coordinates as [number, number];
    const stations = await server.server.store.db.query<{ id: string; lon: number; lat: number }>("SELECT id, lon, lat FROM facilities WHERE kind = 'fire_station'");
    const nearest = stations.reduce((best, f) => (metres(lon, lat, f.lon, f.lat) < metres(lon, lat, best.lon, best.lat) ? f : best));
    const firstStation = page.locator('[data-testid="nearby-fire"] li').first();
    await firstStation.waitFor({ timeout: 30_000 });
    expect(await firstStation.getAttribute('data-facility-id')).toBe(nearest.id);
    expect(await firstStation.textContent()).toContain('直线距离');

    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'responder-tablet.png') });
    expect(session.pageErrors).toEqual([]);
  });

  it('sounds the alert for an extreme arrival, and not once muted with M', async () => {
    const root = page.locator('[data-testid="responder"]');
    expect(await root.getAttribute('data-alerts')).toBe('0');
    const tonesBefore = await page.evaluate(() => (window as unknown as { __tones: number }).__tones);
    const blast = await post({ title: '[测试] 滨江区化工厂爆炸', category: 'hazmat', severity: 'extreme', lat: 30.21, lon: 120.21 });
    await expect.poll(() => root.getAttribute('data-alerts'), { timeout: 30_000 }).toBe('1');
    await page.locator('[data-testid="alert-banner"]').waitFor();
    expect(await page.evaluate(() => (window as unknown as { __tones: number }).__tones)).toBeGreaterThan(tonesBefore);
    await page.locator(`[data-testid="responder-queue"] [data-incident-id="${blast}"]`).waitFor();

    await page.keyboard.press('m');
    await expect.poll(() => root.getAttribute('data-muted')).toBe('true');
    const tonesMuted = await page.evaluate(() => (window as unknown as { __tones: number }).__tones);
    const second = await post({ title: '[测试] 西湖区山火', category: 'fire', severity: 'extreme', lat: 30.23, lon: 120.1 });
    // The arrival shows in the queue (so the page has seen it), yet no alert sounded.
    await page.locator(`[data-testid="responder-queue"] [data-incident-id="${second}"]`).waitFor({ timeout: 30_000 });
    expect(await root.getAttribute('data-alerts')).toBe('1');
    expect(await page.evaluate(() => (window as unknown as { __tones: number }).__tones)).toBe(tonesMuted);
    // Muting is remembered across a reload.
    await page.reload();
    await expect.poll(() => root.getAttribute('data-muted'), { timeout: 30_000 }).toBe('true');
    await page.keyboard.press('m');
    await expect.poll(() => root.getAttribute('data-muted')).toBe('false');
  });

  it('shows no Chinese outside proper names with ?lang=en', async () => {
    await page.goto(`${server.url}/responder?lang=en`);
    await page.locator('[data-testid="nearby-fire"] li').first().waitFor({ timeout: 60_000 });
    const text = await page.locator('[data-testid="responder"]').evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('[data-proper-name]').forEach((n) => n.remove());
      return copy.innerText + ' ' + [...copy.querySelectorAll('[aria-label]')].map((n) => n.getAttribute('aria-label')).join(' ');
    });
    expect(text).toContain('Open incidents');
    expect(text).toContain('straight line');
    expect(text.match(/[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/g) ?? []).toEqual([]);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'responder-tablet-en.png') });
    expect(session.pageErrors).toEqual([]);
  });

  it('shows none of its English wording with ?lang=zh-CN', async () => {
    await page.goto(`${server.url}/responder?lang=zh-CN`);
    await page.locator('[data-testid="nearby-fire"] li').first().waitFor({ timeout: 60_000 });
    const text = await page.locator('[data-testid="responder"]').evaluate((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('[data-proper-name]').forEach((n) => n.remove());
      return copy.innerText + ' ' + [...copy.querySelectorAll('[aria-label]')].map((n) => n.getAttribute('aria-label')).join(' ');
    });
    // Every fragment of the English table long enough to be a phrase (placeholders cut out).
    const phrases = Object.values(responderStrings.en)
      .flatMap((s) => s.split(/\{\w+\}/))
      .map((s) => s.trim())
      .filter((s) => /[A-Za-z]{4}/.test(s) && s.length >= 6);
    expect(phrases.length).toBeGreaterThan(20);
    expect(text).toContain('待处置事件');
    expect(phrases.filter((p) => text.includes(p))).toEqual([]);
  });
});

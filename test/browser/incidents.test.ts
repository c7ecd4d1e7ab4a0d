/**
 * The incident list and card in a real browser against a real server: a status change made through
 * the API shows up live, the card's workflow buttons PATCH the incident, a refused step shows the
 * server's 409 message, the keyboard works, viewers see masked reporters and no buttons.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { IncidentCollection, IngestResult, Status } from '../../server/contract/index.ts';
import { api } from '../support/server.ts';
import { openDashboardSession, RESULTS_DIR as resultsDir, type DashboardSession } from './chromium.ts';


describe('the incident list in Chromium', { timeout: 180_000 }, () => {
  let server: DashboardSession['server'];
  let session: DashboardSession;
  let page: Page;
  let pageErrors: string[] = [];
  let fireId = '';

  const item = (id: string): Locator => page.locator(`[data-testid="incident-list"] [data-incident-id="${id}"]`);
  const badgeOf = (id: string) => item(id).locator('[data-testid="status-badge"]');
  const card = () => page.locator('[data-testid="incident-detail"]');
  const patch = (id: string, status: Status, note?: string) =>
    api(server, 'PATCH', `/api/v1/incidents/${id}`, { status, ...(note && { note }) });
  async function post(body: Record<string, unknown>): Promise<string> {
    const response = await api(server, 'POST', '/api/v1/incidents', body);
    expect(response.status).toBe(201);
    const id = (response.body as IngestResult).items[0]?.id;
    if (!id) throw new Error('no id in the ingest answer');
    return id;
  }

  beforeAll(async () => {
    session = await openDashboardSession({ width: 1920, height: 1080 });
    ({ server, page, pageErrors } = session);
  }, 240_000);

  afterAll(async () => {
    await session?.close();
  });

  it('shows a posted incident, then a status change made through the API, within seconds', async () => {
    await page.goto(`${server.url}/?token=${encodeURIComponent(server.adminToken)}`);
    await page.locator('[data-testid="connection"][data-status="live"]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="incident-list"] [data-incident-id]').first().waitFor({ timeout: 30_000 });
    const rowsEvaluated = async () => Number((await page.getAttribute('[data-testid="map"]', 'data-rows-evaluated')) ?? 0);
    // The demo city, drawn once (software WebGL may need a few frames).
    await expect.poll(rowsEvaluated, { timeout: 60_000 }).toBeGreaterThan(1000);
    await page.waitForTimeout(1_000);
    const rowsBefore = await rowsEvaluated();

    fireId = await post({
      title: '[测试] 滨江区化工仓库起火', category: 'hazmat', severity: 'extreme', lat: 30.208, lon: 120.211,
      description: '仓库二层冒出浓烟，现场有危化品储罐，已疏散周边人员。', reporter: { name: '张三丰', phone: '13812345678' },
    });
    await item(fireId).waitFor({ timeout: 30_000 });
    await expect(badgeOf(fireId).getAttribute('data-status')).resolves.toBe('reported');

    expect((await patch(fireId, 'acknowledged', '指挥中心已接警')).status).toBe(200);
    await expect.poll(() => badgeOf(fireId).getAttribute('data-status'), { timeout: 30_000 }).toBe('acknowledged');
    await expect(badgeOf(fireId).textContent()).resolves.toBe('已确认');

    // One new incident and one status change cost the map a couple of rows, not a rebuild of the city.
    await expect.poll(rowsEvaluated, { timeout: 30_000 }).toBeGreaterThan(rowsBefore);
    await page.waitForTimeout(1_000);
    expect((await rowsEvaluated()) - rowsBefore).toBeLessThanOrEqual(4);
    expect(pageErrors).toEqual([]);
  });

  it('opens the card on click and dispatches with its button, as an admin', async () => {
    await item(fireId).click();
    await card().waitFor();
    await expect(card().locator('.detail-title').textContent()).resolves.toBe('[测试] 滨江区化工仓库起火');
    await expect(card().getByTestId('detail-reporter').textContent()).resolves.toBe('张三丰 · 13812345678');
    await expect.poll(() => card().locator('[data-testid="incident-history"] li').count(), { timeout: 30_000 }).toBe(2);
    await expect(card().getByTestId('action-resolved').count()).resolves.toBe(0); // not from acknowledged

    await card().getByTestId('action-dispatched').click();
    await expect.poll(() => badgeOf(fireId).getAttribute('data-status'), { timeout: 30_000 }).toBe('dispatched');
    await expect.poll(() => card().getByTestId('status-badge').getAttribute('data-status')).toBe('dispatched');
    await expect.poll(() => card().locator('[data-testid="incident-history"] li').count(), { timeout: 30_000 }).toBe(3);
    const stored = await api(server, 'GET', `/api/v1/incidents/${fireId}`);
    expect(stored.body.properties.status).toBe('dispatched');
    expect(pageErrors).toEqual([]);
  });

  it('shows the server\'s 409 message when someone else was quicker', async () => {
    const leakId = await post({ title: '[测试] 西湖区燃气泄漏', category: 'hazmat', severity: 'severe', lat: 30.259, lon: 120.13 });
    await item(leakId).click();
    await card().getByTestId('action-acknowledged').waitFor();
    // Hold the card's PATCH at the network edge until a colleague's acknowledgement has gone through.
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route(`**/api/v1/incidents/${leakId}`, async (route) => {
      await released;
      await route.continue();
    });
    await card().getByTestId('action-acknowledged').click();
    expect((await patch(leakId, 'acknowledged')).status).toBe(200);
    release();
    const refusal = card().getByTestId('action-error');
    await refusal.waitFor({ timeout: 30_000 });
    const message = (await refusal.textContent()) ?? '';
    expect(message).toContain('dispatched'); // the server names the steps allowed now
    await expect.poll(() => badgeOf(leakId).getAttribute('data-status'), { timeout: 30_000 }).toBe('acknowledged');
    await page.unroute(`**/api/v1/incidents/${leakId}`);
  });

  it('moves the selection with ↑/↓, opens with Enter and closes with Esc', async () => {
    await page.keyboard.press('Escape');
    await expect(card().count()).resolves.toBe(0);
    await page.keyboard.press('Escape'); // nothing open: clears the selection
    await page.keyboard.press('ArrowDown');
    const first = page.locator('[data-testid="incident-list"] [aria-selected="true"]');
    const firstId = await first.getAttribute('data-incident-id');
    await page.keyboard.press('ArrowDown');
    const secondId = await page.locator('[data-testid="incident-list"] [aria-selected="true"]').getAttribute('data-incident-id');
    expect(secondId).not.toBe(firstId);
    await page.keyboard.press('ArrowUp');
    await expect(page.locator('[data-testid="incident-list"] [aria-selected="true"]').getAttribute('data-incident-id')).resolves.toBe(firstId);
    await page.keyboard.press('Enter');
    await expect(card().getAttribute('data-incident-id')).resolves.toBe(firstId);
    await page.keyboard.press('Escape');
    await expect(card().count()).resolves.toBe(0);
  });

  it('looks like a command-centre console (screenshot)', async () => {
    // Give the demo city a realistic mix of statuses, then open the fire's card.
    const demo = (await api(server, 'GET', '/api/v1/incidents?status=reported')).body as IncidentCollection;
    const newest = demo.features.sort((a, b) => b.properties.occurredAt.localeCompare(a.properties.occurredAt));
    const ids = newest.map((f) => f.id).filter((id) => id !== fireId);
    for (const [i, id] of ids.slice(0, 12).entries()) {
      await patch(id, 'acknowledged');
      if (i % 2 === 0) await patch(id, 'dispatched', '已派出消防救援站');
      if (i % 4 === 0) await patch(id, 'resolved', '现场处置完毕');
    }
    await item(fireId).click();
    await card().locator('[data-testid="incident-history"][data-phase="loaded"]').waitFor();
    await page.mouse.move(700, 500);
    await page.waitForTimeout(2_500); // software WebGL: let the dots and rings settle
    await page.screenshot({ path: path.join(resultsDir, 'incident-list.png') });
    expect(pageErrors).toEqual([]);
  });

  it("follows a feed: a newer version retitles the item, the source's cancellation marks it, an exercise stays out of the list and counts", async () => {
    const base = { source: 'browser-feed', externalId: 'feed-1', category: 'fire', severity: 'moderate', lat: 30.25, lon: 120.16 };
    const id = await post({ ...base, version: 1, title: '[测试] 仓库冒烟' });
    await item(id).waitFor({ timeout: 30_000 });
    const countText = () => page.getByTestId('incident-count').textContent();
    const drillCount = () => page.getByTestId('drill-count').textContent();
    const countBefore = await countText();
    const drillsBefore = Number(await drillCount());

    const update = await api(server, 'POST', '/api/v1/incidents', { ...base, version: 2, title: '[测试] 仓库起火，已确认' });
    expect(update.body.updated).toBe(1);
    await expect.poll(() => item(id).textContent(), { timeout: 30_000 }).toContain('仓库起火，已确认');

    const cancel = await api(server, 'POST', '/api/v1/incidents', { ...base, version: 3, status: 'cancelled', title: '[测试] 仓库起火，已确认' });
    expect(cancel.body.updated).toBe(1);
    // Closed by its source: it leaves the list of open incidents, and the full list shows why.
    await expect.poll(() => item(id).count(), { timeout: 30_000 }).toBe(0);
    await page.getByTestId('filter-all').click();
    await expect.poll(() => badgeOf(id).getAttribute('data-status'), { timeout: 30_000 }).toBe('cancelled');
    await expect(badgeOf(id).textContent()).resolves.toBe('已撤销');
    await page.getByTestId('filter-open').click();

    const drill = await api(server, 'POST', '/api/v1/incidents', { source: 'browser-feed', externalId: 'drill-1', category: 'hazmat', severity: 'extreme', lat: 30.26, lon: 120.17, drill: true, title: '[演练] 化工厂泄漏' });
    const drillId: string = drill.body.items[0].id;
    await expect.poll(async () => Number(await drillCount()), { timeout: 30_000 }).toBe(drillsBefore + 1);
    expect(await item(drillId).count()).toBe(0);
    // The console's count holds every incident it shows: the update and the cancellation added none, the exercise is not one of them.
    expect(await countText()).toBe(countBefore);
    expect(pageErrors).toEqual([]);
  });

  it('shows a viewer the reporter masked and no workflow buttons', async () => {
    const issued = await api(server, 'POST', '/api/v1/tokens', { role: 'viewer', name: 'wall screen' });
    expect(issued.status).toBe(201);
    const context = await session.browser.newContext({ viewport: { width: 1600, height: 900 } });
    const wall = await context.newPage();
    await wall.goto(`${server.url}/console?token=${encodeURIComponent(issued.body.token as string)}`);
    const fire = wall.locator(`[data-testid="incident-list"] [data-incident-id="${fireId}"]`);
    await fire.click({ timeout: 60_000 });
    const viewerCard = wall.locator('[data-testid="incident-detail"]');
    await viewerCard.waitFor();
    await expect(viewerCard.getByTestId('detail-reporter').textContent()).resolves.toBe('张** · 138****5678');
    await expect(viewerCard.locator('[data-testid^="action-"]').count()).resolves.toBe(0);

    // Live, too: the change arrives masked, and the card stays open though "open" now hides the item.
    expect((await patch(fireId, 'resolved', '明火已扑灭')).status).toBe(200);
    await expect.poll(() => viewerCard.getByTestId('status-badge').getAttribute('data-status'), { timeout: 30_000 }).toBe('resolved');
    await expect(viewerCard.getByTestId('detail-reporter').textContent()).resolves.toBe('张** · 138****5678');
    await wall.waitForTimeout(1_500);
    await wall.screenshot({ path: path.join(resultsDir, 'incident-list-viewer.png') });
    await context.close();
  });
});

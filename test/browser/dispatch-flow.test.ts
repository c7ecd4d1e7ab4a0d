/**
 * The dispatch flow across two screens, in one browser and three page loads (each costs ~20
 * CPU-seconds of software WebGL), on a small city of our own with units we place:
 * - the responder console at 1024×768: the chosen incident's map is framed on it, the unit board
 *   lists every unit; U shows the ranking, whose order equals one computed here from the units'
 *   positions (haversine) and the kinds' straight-line speeds; ↓ and Enter send the second unit,
 *   which the API then holds as assigned; the unit's own token accepts, and the incident's progress
 *   on the page follows; N records it en route, as the API then says; a unit another dispatcher
 *   took meanwhile is refused in Chinese, naming its status, and Enter sends the one left; N puts
 *   the first unit on scene; P, ↓ choose the second, which N accepts and C clears with a
 *   disposition typed in the dialog (Enter saves) — each step read back over the API;
 * - a crew's tablet (a token bound to the police car), in a third page load that waits for no map:
 *   its bar names the unit, it opens on the flood its unit was sent to (not the fire heading the
 *   queue) with its own assignment chosen, and N records the acceptance;
 * - the wall at 1920×1080: the unit is drawn where its last two reports put it, and the on-time
 *   tile goes from 0% (the one decided clock, a flood whose target is 1 s, is late) to 50% when the
 *   unit on scene clears, the fire's last active one, which resolves it in time.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { UNIT_STATUS_NAMES, type Assignment, type AssignmentList, type IngestResult, type UnitCollection } from '../../server/contract/index.ts';
import { tables as responderStrings } from '../../client/src/pages/responder/strings.ts';
import { api } from '../support/server.ts';
import { openDashboardSession, RESULTS_DIR, type DashboardSession } from './chromium.ts';

const SIZE = 0.1;
const WEST = 110.0;
const SOUTH = 25.0;
const city = {
  type: 'FeatureCollection',
  features: ['DF01', 'DF02'].map((code, i) => {
    const w = WEST + i * SIZE;
    return {
      type: 'Feature',
      properties: { code, name: i === 0 ? '河东区' : '河西区', population: 20_000, populationSource: 'census 2020 (test)' },
      geometry: { type: 'Polygon', coordinates: [[[w, SOUTH], [w + SIZE, SOUTH], [w + SIZE, SOUTH + SIZE], [w, SOUTH + SIZE], [w, SOUTH]]] },
    };
  }),
};
/** The fire, in the middle of DF01; units are placed around it by their offsets in metres. */
const FIRE = { lon: WEST + SIZE / 2, lat: SOUTH + SIZE / 2 };
const M_PER_DEG = (Math.PI * 6_371_008.8) / 180;
const offset = (east: number, north: number) => ({
  lon: FIRE.lon + east / (M_PER_DEG * Math.cos((FIRE.lat * Math.PI) / 180)),
  lat: FIRE.lat + north / M_PER_DEG,
});
const point = (p: { lon: number; lat: number }, properties: Record<string, unknown>) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [p.lon, p.lat] }, properties });

/** The register we PUT, and where each first reports. A police car a little farther than an engine but faster. */
const UNITS = [
  { id: 'E1', callSign: '河东消防1', kind: 'fire_engine', serves: ['fire'], status: 'available', at: offset(900, 300) },
  { id: 'E2', callSign: '河东消防2', kind: 'fire_engine', serves: ['fire'], status: 'available', at: offset(-1500, -600) },
  { id: 'P1', callSign: '河东警车1', kind: 'police_car', serves: ['fire', 'traffic'], status: 'available', at: offset(0, 1100) },
  { id: 'A1', callSign: '河东急救1', kind: 'ambulance', serves: ['public_health'], status: 'available', at: offset(200, 0) },
  { id: 'X1', callSign: '河东消防3', kind: 'fire_engine', serves: ['fire'], status: 'out_of_service', at: offset(100, 100) },
] as const;
/** Straight-line speeds (km/h) per kind, as the recommendation's rule documents them. */
const SPEED_KMH: Record<string, number> = { police_car: 37, ambulance: 33, fire_engine: 30, utility_crew: 22, department: 18 };

function metres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const toRad = (d: number) => (d * Math.PI) / 180;
  const a = Math.sin(toRad(lat2 - lat1) / 2) ** 2 + Math.cos(toRad(lat1)) * Math.cos(toRad(lat2)) * Math.sin(toRad(lon2 - lon1) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
}

/** `id lon lat;…` as the map marks where it drew each unit. */
const parsePositions = (mark: string | null) =>
  new Map((mark ?? '').split(';').filter(Boolean).map((entry) => {
    const [id, lon, lat] = entry.split(' ');
    return [id!, { lon: Number(lon), lat: Number(lat) }] as const;
  }));

describe('dispatch from the responder console to the wall', { timeout: 240_000 }, () => {
  let session: DashboardSession;
  let page: Page;
  let responder = '';
  let unitToken = '';
  let fireId = '';
  let floodId = '';
  const admin = (method: string, route: string, body?: unknown) => api(session.server, method, route, body);

  beforeAll(async () => {
    session = await openDashboardSession({ width: 1024, height: 768 }, { demoData: false });
    page = session.page;
    expect((await admin('PUT', '/api/v1/regions', city)).status).toBe(200);
    const facilities = { type: 'FeatureCollection', features: [
      point(offset(-2000, 0), { id: 'fs1', kind: 'fire_station', name: '河东消防站', capacity: 4 }),
      point(offset(1500, -800), { id: 'h1', kind: 'hospital', name: '河东医院', capacity: 200 }),
    ] };
    expect((await admin('PUT', '/api/v1/facilities', facilities)).status).toBe(200);
    expect((await admin('PUT', '/api/v1/units', UNITS.map(({ at: _at, ...u }) => ({ ...u, agency: '河东区消防救援大队', stationId: 'fs1' })))).status).toBe(200);
    const at = new Date().toISOString();
    const reported = await admin('POST', '/api/v1/units/positions', UNITS.map((u) => ({ unitId: u.id, ...u.at, at })));
    expect(reported.body).toMatchObject({ accepted: UNITS.length, rejected: 0 });
    // Floods must be resolved within a second: the flood below is late at once, the one decided clock before the fire resolves.
    const sla = (await admin('GET', '/api/v1/sla/config')).body as { config: Record<string, unknown> & { overrides: unknown[] } };
    const { version: _v, ...config } = sla.config;
    const put = await admin('PUT', '/api/v1/sla/config', { ...config, overrides: [...config.overrides.filter((o) => (o as { category?: string }).category !== 'flood'), { category: 'flood', ackWithin: 1, dispatchWithin: 1, resolveWithin: 1 }] });
    expect(put.status).toBe(200);
    responder = (await admin('POST', '/api/v1/tokens', { role: 'responder', name: '值班调度员' })).body.token as string;
    const posted = await admin('POST', '/api/v1/incidents', [
      { source: 'dispatch-test', externalId: 'fire', category: 'fire', severity: 'severe', title: '[测试] 河东仓库火灾', ...FIRE },
      { source: 'dispatch-test', externalId: 'flood', category: 'flood', severity: 'minor', title: '[测试] 河东路面积水', ...offset(-3000, -3000) },
    ]);
    expect(posted.status).toBe(201);
    fireId = (posted.body as IngestResult).items[0]!.id!;
    floodId = (posted.body as IngestResult).items[1]!.id!;
  }, 240_000);

  afterAll(() => session?.close());

  it('ranks, sends and follows a unit on the responder console', async () => {
    await page.goto(`${session.server.url}/responder?token=${encodeURIComponent(responder)}`);
    // The fire is severe, the flood minor: the fire heads the queue and is chosen.
    await page.locator(`[data-testid="responder-detail"][data-incident-id="${fireId}"]`).waitFor({ timeout: 60_000 });
    const map = page.locator('[data-testid="responder-map"] [data-testid="map"]');
    await map.and(page.locator('[data-map-ready="true"]')).waitFor({ timeout: 90_000 });
    // Framed on the fire and its 1 km radius (the frame's 2.5 km fill the map's height), not on the 20 × 11 km city.
    await expect.poll(() => map.evaluate((el) => (el as HTMLElement & { cityBrainMap: { getBounds(): { toArray(): number[][] } } }).cityBrainMap.getBounds().toArray()), { timeout: 15_000 })
      .toSatisfy((b: number[][]) => {
        const [[w, s], [e, n]] = b as [[number, number], [number, number]];
        const ring = [offset(1000, 0), offset(-1000, 0), offset(0, 1000), offset(0, -1000)];
        return ring.every((p) => p.lon > w && p.lon < e && p.lat > s && p.lat < n) && (n - s) * M_PER_DEG < 1.5 * 2500;
      });
    // The board: every unit, the one out of service in its own group.
    await expect.poll(() => page.locator('[data-testid="unit-board"] [data-unit-id]').count(), { timeout: 30_000 }).toBe(UNITS.length);
    expect(await page.locator('[data-board-status="out_of_service"] [data-unit-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit-id')))).toEqual(['X1']);

    // The ranking by hand: free units serving fires, from where the API says they are, at their kind's speed.
    const register = (await admin('GET', '/api/v1/units')).body as UnitCollection;
    const expected = register.features
      .filter((f) => (f.properties.status === 'available' || f.properties.status === 'returning') && f.properties.serves.includes('fire') && f.geometry)
      .map((f) => {
        const [lon, lat] = f.geometry!.coordinates;
        const distance = Math.round(metres(lon!, lat!, FIRE.lon, FIRE.lat));
        return { id: String(f.id), distance, eta: Math.round(metres(lon!, lat!, FIRE.lon, FIRE.lat) / (SPEED_KMH[f.properties.kind]! / 3.6)) };
      })
      .sort((a, b) => a.eta - b.eta || a.distance - b.distance || (a.id < b.id ? -1 : 1));
    // The police car is farther than engine E1 but faster: the order is not simply by distance.
    expect(expected.map((u) => u.id)).toEqual(['P1', 'E1', 'E2']);

    await page.keyboard.press('u');
    const options = page.locator('[data-testid="picker-units"] [data-unit-id]');
    await options.first().waitFor({ timeout: 20_000 });
    expect(await options.evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-unit-id'), Number(r.getAttribute('data-eta'))]))).toEqual(expected.map((u) => [u.id, u.eta]));
    await page.screenshot({ path: path.join(RESULTS_DIR, 'dispatch-responder-picker.png') });

    // ↓ chooses the engine, Enter sends it.
    const chosen = expected[1]!.id;
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.locator('[data-testid="picker-units"] [aria-selected="true"]').getAttribute('data-unit-id')).toBe(chosen);
    await page.keyboard.press('Enter');
    await page.getByTestId('unit-picker').waitFor({ state: 'detached', timeout: 20_000 });
    const list = (await api(session.server, 'GET', `/api/v1/incidents/${fireId}/assignments`, undefined, { token: responder })).body as AssignmentList;
    expect(list.items.map((a) => [a.unitId, a.status])).toEqual([[chosen, 'assigned']]);
    const assignment = list.items[0]!;
    const progress = page.locator(`[data-testid="assignment-progress"] [data-assignment-id="${assignment.id}"]`);
    await expect.poll(() => progress.getAttribute('data-status'), { timeout: 20_000 }).toBe('assigned');

    // The unit's own device accepts.
    unitToken = (await admin('POST', '/api/v1/tokens', { role: 'responder', name: '河东消防1 车载终端', unitId: chosen })).body.token as string;
    const accepted = await api(session.server, 'PATCH', `/api/v1/assignments/${assignment.id}`, { status: 'accepted' }, { token: unitToken });
    expect(accepted.status).toBe(200);
    await expect.poll(() => progress.getAttribute('data-status'), { timeout: 20_000 }).toBe('accepted');
    // The crew says on the radio it is leaving: N records the next step from the console, as the API then holds it.
    const statusOf = async (id: string) => ((await api(session.server, 'GET', `/api/v1/assignments/${id}`, undefined, { token: responder })).body as Assignment);
    // The page says each step it recorded once the answer is in (keys pressed while one is recording do nothing).
    const zh = responderStrings['zh-CN'];
    const recorded = (unit: string, step: 'en_route' | 'on_scene' | 'accepted' | 'cleared') => zh['step.done'].replace('{unit}', unit).replace('{step}', zh[`progress.${step}`]);
    const said = page.getByTestId('action-done');
    expect(await progress.getAttribute('data-chosen')).toBe('true');
    await page.keyboard.press('n');
    await expect.poll(() => said.textContent(), { timeout: 20_000 }).toBe(recorded('河东消防1', 'en_route'));
    expect((await statusOf(assignment.id)).status).toBe('en_route');
    await expect.poll(() => progress.getAttribute('data-status'), { timeout: 20_000 }).toBe('en_route');
    // The board has it on its way to the fire; the incident was dispatched by the acceptance.
    await expect.poll(() => page.locator(`[data-board-status="en_route"] [data-unit-id="${chosen}"]`).getAttribute('data-incident-id'), { timeout: 20_000 }).toBe(fireId);
    await expect.poll(() => page.getAttribute('[data-testid="detail-status"]', 'data-status')).toBe('dispatched');

    // Another dispatcher sends the police car to the flood while this picker still offers it: the
    // refusal is said in Chinese with the status the page now knows, and the ranking is read again.
    await page.keyboard.press('u');
    await expect.poll(() => options.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit-id'))), { timeout: 20_000 }).toEqual(['P1', 'E2']);
    expect((await admin('POST', `/api/v1/incidents/${floodId}/assignments`, { unitId: 'P1' })).status).toBe(201);
    await page.locator('[data-board-status="assigned"] [data-unit-id="P1"]').waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    const refusal = responderStrings['zh-CN']['assign.busy'].replace('{unit}', '河东警车1').replace('{status}', UNIT_STATUS_NAMES.assigned['zh-CN']);
    await expect.poll(() => page.getByTestId('picker-error').textContent(), { timeout: 20_000 }).toBe(refusal);
    await expect.poll(() => options.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit-id'))), { timeout: 20_000 }).toEqual(['E2']);
    // The one left is sent too.
    await page.keyboard.press('Enter');
    await page.getByTestId('unit-picker').waitFor({ state: 'detached', timeout: 20_000 });
    const second = page.locator('[data-testid="assignment-progress"] [data-unit-id="E2"]');
    await expect.poll(() => second.getAttribute('data-status'), { timeout: 20_000 }).toBe('assigned');
    const secondId = (await second.getAttribute('data-assignment-id'))!;

    // The keys still act on the first unit (the first active one): N puts it on scene.
    await page.keyboard.press('n');
    await expect.poll(() => said.textContent(), { timeout: 20_000 }).toBe(recorded('河东消防1', 'on_scene'));
    expect((await statusOf(assignment.id)).status).toBe('on_scene');
    // P enters the list, ↓ chooses the second unit there (the queue stays on the fire), N records its acceptance.
    await page.keyboard.press('p');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => second.getAttribute('data-chosen')).toBe('true');
    expect(await page.getAttribute('[data-testid="responder-detail"]', 'data-incident-id')).toBe(fireId);
    await page.keyboard.press('n');
    await expect.poll(() => said.textContent(), { timeout: 20_000 }).toBe(recorded('河东消防2', 'accepted'));
    expect((await statusOf(secondId)).status).toBe('accepted');
    await expect.poll(() => second.getAttribute('data-status'), { timeout: 20_000 }).toBe('accepted');
    // It is stood down: C asks how it left, Enter saves what was typed.
    await page.keyboard.press('c');
    await page.getByTestId('disposition-input').waitFor();
    const disposition = '增援取消，返回驻地';
    await page.keyboard.type(disposition);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'dispatch-responder-clear.png') });
    await page.keyboard.press('Enter');
    await page.getByTestId('disposition-dialog').waitFor({ state: 'detached', timeout: 20_000 });
    await expect.poll(() => said.textContent(), { timeout: 20_000 }).toBe(recorded('河东消防2', 'cleared'));
    const cleared = await statusOf(secondId);
    expect([cleared.status, cleared.disposition]).toEqual(['cleared', disposition]);
    await expect.poll(() => second.getAttribute('data-status'), { timeout: 20_000 }).toBe('cleared');
    // The first unit is still on scene: the fire stays dispatched.
    expect(await page.getAttribute('[data-testid="detail-status"]', 'data-status')).toBe('dispatched');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'dispatch-responder.png') });
    expect(session.pageErrors).toEqual([]);
  });

  it('opens a crew’s tablet on its own unit’s incident, the next step one key away', async () => {
    // The police car's own tablet: its unit was sent to the flood, which is not the top of the queue (the severe fire is).
    const crewToken = (await admin('POST', '/api/v1/tokens', { role: 'responder', name: '河东警车1 车载终端', unitId: 'P1' })).body.token as string;
    await page.goto(`${session.server.url}/responder?token=${encodeURIComponent(crewToken)}`);
    const crewUnit = page.getByTestId('crew-unit');
    await expect.poll(() => crewUnit.textContent(), { timeout: 60_000 }).toBe(responderStrings['zh-CN']['crew.unit'].replace('{unit}', '河东警车1'));
    await page.locator(`[data-testid="responder-detail"][data-incident-id="${floodId}"]`).waitFor({ timeout: 30_000 });
    const own = page.locator('[data-testid="assignment-progress"] [data-unit-id="P1"]');
    await expect.poll(() => own.getAttribute('data-chosen'), { timeout: 20_000 }).toBe('true');
    const ownId = (await own.getAttribute('data-assignment-id'))!;
    await page.keyboard.press('n');
    await expect.poll(async () => ((await api(session.server, 'GET', `/api/v1/assignments/${ownId}`, undefined, { token: crewToken })).body as Assignment).status, { timeout: 20_000 }).toBe('accepted');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'dispatch-crew-tablet.png') });
    expect(session.pageErrors).toEqual([]);
  });

  it('shows the unit moving and the on-time tile changing on the wall', async () => {
    const chosen = 'E1';
    const viewer = (await admin('POST', '/api/v1/tokens', { role: 'viewer', name: '大屏' })).body.token as string;
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.goto(`${session.server.url}/wall?layers=risk,incidents,units&rotate=0&token=${encodeURIComponent(viewer)}`);
    const map = page.locator('[data-testid="map"]');
    await map.and(page.locator('[data-map-ready="true"]')).waitFor({ timeout: 90_000 });
    const drawnAt = async () => parsePositions(await map.getAttribute('data-unit-positions')).get(chosen);
    await expect.poll(drawnAt, { timeout: 20_000 }).toEqual(UNITS.find((u) => u.id === chosen)!.at);
    // Today: the fire and the flood are counted; only the flood's resolve clock is decided (late): 0 of 1 on time.
    const onTime = page.getByTestId('kpi-on-time');
    const percent = (share: number) => new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 0 }).format(share);
    await expect.poll(() => onTime.textContent(), { timeout: 20_000 }).toBe(percent(0 / 1));

    // Two reports on the way in: the wall draws the unit where the newest puts it.
    const start = Date.now();
    for (const [k, p] of [offset(600, 200), offset(250, 80)].entries()) {
      const sent = await api(session.server, 'POST', '/api/v1/units/positions', [{ unitId: chosen, ...p, at: new Date(start + (k + 1) * 1000).toISOString() }], { token: unitToken });
      expect(sent.body).toMatchObject({ accepted: 1, rejected: 0 });
      await expect.poll(drawnAt, { timeout: 20_000 }).toEqual(p);
    }

    // The unit on scene clears, the fire's last active one: that resolves the fire well within its target.
    const { items } = (await admin('GET', `/api/v1/incidents/${fireId}/assignments`)).body as AssignmentList;
    const onScene = items.find((a) => a.unitId === chosen)!;
    expect(onScene.status).toBe('on_scene');
    expect((await api(session.server, 'PATCH', `/api/v1/assignments/${onScene.id}`, { status: 'cleared', disposition: '明火扑灭' }, { token: unitToken })).status).toBe(200);
    expect(((await admin('GET', `/api/v1/incidents/${fireId}`)).body as { properties: { status: string } }).properties.status).toBe('resolved');
    // Both clocks decided now, the fire's met: 1 of 2 on time.
    await expect.poll(() => onTime.textContent(), { timeout: 20_000 }).toBe(percent(1 / 2));
    await page.screenshot({ path: path.join(RESULTS_DIR, 'dispatch-wall.png') });
    expect(session.pageErrors).toEqual([]);
  });
});

/**
 * The dashboard works under the server's real Content-Security-Policy (docs/reliability.md): every
 * page loads, draws its map and reports no policy violation.
 */
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api } from '../support/server.ts';
import { openDashboardSession, type DashboardSession } from './chromium.ts';

let session: DashboardSession;
const violations: string[] = [];
const cspConsole: string[] = [];

const square = (x: number, y: number) => ({ type: 'Polygon', coordinates: [[[x, y], [x + 0.1, y], [x + 0.1, y + 0.1], [x, y + 0.1], [x, y]]] });

beforeAll(async () => {
  session = await openDashboardSession({ width: 1280, height: 800 }, { demoData: false });
  await api(session.server, 'PUT', '/api/v1/regions', {
    type: 'FeatureCollection',
    features: [0, 1].map((i) => ({ type: 'Feature', geometry: square(120 + i * 0.1, 30), properties: { code: `C${i}`, name: `C${i}`, population: 1000 } })),
  });
  await api(session.server, 'POST', '/api/v1/incidents', { lat: 30.05, lon: 120.05, severity: 'extreme', category: 'fire', title: 'csp check' });
  await session.page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __csp: string[] }).__csp ??= [];
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  session.page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) cspConsole.push(m.text());
  });
  // Sign in once (cookie), then visit each page.
  await session.page.goto(`${session.server.url}/console?token=${session.server.adminToken}`);
}, 240_000);
afterAll(() => session?.close());

describe('pages under the Content-Security-Policy', { timeout: 90_000 }, () => {
  for (const path of ['/console', '/wall', '/planner', '/responder']) {
    it(`${path} loads, draws and violates nothing`, async () => {
      const { page } = session;
      const response = await page.goto(`${session.server.url}${path}?lang=en`);
      expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
      await page.waitForSelector('#root > *', { timeout: 30_000 });
      if (path !== '/responder') {
        // The map's WebGL canvas has drawn something: many colours, not one flat background.
        await page.waitForSelector('canvas.maplibregl-canvas', { timeout: 30_000 });
        await page.waitForTimeout(3000);
        const png = PNG.sync.read(await page.screenshot());
        const colours = new Set<number>();
        for (let p = 0; p < png.data.length; p += 16) colours.add((png.data[p]! << 16) | (png.data[p + 1]! << 8) | png.data[p + 2]!);
        expect(colours.size).toBeGreaterThan(20);
      } else {
        await page.waitForSelector('[data-proper-name]', { timeout: 30_000 });
      }
      const seen = await page.evaluate(() => (window as unknown as { __csp?: string[] }).__csp ?? []);
      violations.push(...seen);
      expect(seen).toEqual([]);
      expect(cspConsole).toEqual([]);
      expect(session.pageErrors).toEqual([]);
    });
  }
});

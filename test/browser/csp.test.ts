/**
 * The dashboard works under the server's real Content-Security-Policy (docs/reliability.md): every
 * page every browser test opens through `openDashboardSession` is watched for violations, and the
 * session's `close()` fails the file on any (test/browser/chromium.ts). This file shows that watch
 * catches one: an inline script on a page the server sent, which `script-src 'self'` refuses.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDashboardSession, type DashboardSession } from './chromium.ts';

let session: DashboardSession;
beforeAll(async () => {
  session = await openDashboardSession({ width: 800, height: 600 }, { demoData: false });
}, 240_000);
afterAll(() => session?.close());

it('a session records what the policy blocks, and its close() would fail the file', async () => {
  const { page, server } = session;
  // A server page without the map (no WebGL to draw): the policy is the same on every answer.
  const response = await page.goto(`${server.url}/api/v1/health`);
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
  expect(session.cspViolations).toEqual([]);
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__ran = true';
    document.body.appendChild(script);
  });
  await expect.poll(() => session.cspViolations.length, { timeout: 10_000 }).toBeGreaterThan(0);
  expect(session.cspViolations.join('\n')).toMatch(/script-src/);
  expect(await page.evaluate(() => (window as unknown as { __ran?: boolean }).__ran ?? false)).toBe(false);
  // Seen on purpose: the session closes clean.
  session.cspViolations.length = 0;
}, 60_000);

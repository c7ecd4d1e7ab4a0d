/** What every browser test starts from: a fresh client build, a server, a Chromium page. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/chromium.ts';
import { ensureClientBuild } from '../../scripts/client-build.mjs';
import { startTestServer, type TestServer } from '../support/server.ts';

export { CHROMIUM_ARGS, launchChromium } from '../../scripts/chromium.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const RESULTS_DIR = path.join(ROOT, 'test-results');

export interface DashboardSession {
  server: TestServer;
  browser: Browser;
  page: Page;
  /** Uncaught errors of the page: a test ends by asserting there were none. */
  pageErrors: string[];
  /**
   * What the server's Content-Security-Policy blocked on the session's page (a
   * `securitypolicyviolation` event or a "Refused to …" console line): `close()` fails the file
   * when there was any, so every page every browser test opens is also a CSP test.
   */
  cspViolations: string[];
  close(): Promise<void>;
}

export interface DashboardSessionOptions {
  /** Load the Hangzhou demo into the fresh store. @default true */
  demoData?: boolean;
  /** The server's clock (epoch ms). @default the real one */
  clock?: () => number;
}

/** What every browser test starts from: a fresh client build, a (demo) server, a Chromium page. */
export async function openDashboardSession(
  viewport: { width: number; height: number },
  options: DashboardSessionOptions = {},
): Promise<DashboardSession> {
  await ensureClientBuild({ root: ROOT });
  const server = await startTestServer({ demoData: options.demoData ?? true, ...(options.clock && { clock: options.clock }) });
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport });
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const cspViolations: string[] = [];
  await page.exposeFunction('__cspViolation', (text: string) => cspViolations.push(`${page.url()}: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      void (window as unknown as { __cspViolation(text: string): Promise<void> }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(`${page.url()}: ${m.text()}`);
  });
  await mkdir(RESULTS_DIR, { recursive: true });
  return {
    server,
    browser,
    page,
    pageErrors,
    cspViolations,
    async close() {
      await browser.close();
      await server.close();
      if (cspViolations.length > 0) throw new Error(`the Content-Security-Policy blocked: ${cspViolations.join('; ')}`);
    },
  };
}

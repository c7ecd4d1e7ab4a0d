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
  await mkdir(RESULTS_DIR, { recursive: true });
  return {
    server,
    browser,
    page,
    pageErrors,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** Launching Debian's Chromium for browser tests (never `playwright install`: no internet here). */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureClientBuild } from '../../scripts/client-build.mjs';
import { startTestServer, type TestServer } from '../support/server.ts';

/** Software WebGL in headless Debian Chromium (FIELD-NOTES). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });

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

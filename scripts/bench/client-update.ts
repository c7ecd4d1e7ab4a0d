/**
 * Bench: client update cost. In real Chromium (software WebGL, as on CI), a page built
 * from `client-update/` draws 100,000 seeded synthetic incidents with the map's own layers twice:
 * "ours" gives deck.gl only the rows a batch added (`_dataDiff` over `IncidentRows`); the baseline,
 * same layers and rows, answers "everything changed", i.e. replaces the layer's data. Batches of
 * 1,000 new incidents go to both, alternating; each is timed on the page's main thread from the
 * batch's arrival to the end of a forced synchronous draw. Targets: ours ≤ 16 ms (one frame at
 * 60 Hz) and ≥ 10× cheaper than the baseline.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { build } from 'vite';
import { launchChromium } from '../chromium.ts';
import type { UpdateTiming } from './client-update/page.ts';
import { median, type BenchCase, type BenchResult } from './bench-case.ts';
import { machineLoad } from './machine-load.ts';

const BASE_INCIDENTS = 100_000;
const BATCH = 1_000;
const WARMUP = 2;
const ROUNDS = 15;
const SEED = 10;
const TARGET_MS = 16;
const TARGET_RATIO = 10;
const PAGE_ROOT = fileURLToPath(new URL('./client-update/', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('../../test-results/bench-client-update/', import.meta.url));

export const clientUpdate: BenchCase = {
  name: 'client-update',
  async run(): Promise<BenchResult> {
    const loadBefore = machineLoad();
    const buildStart = performance.now();
    rmSync(OUT_DIR, { recursive: true, force: true });
    // Production mode: the bench measures what a wall runs, not React/deck.gl development checks.
    await build({ root: PAGE_ROOT, base: './', configFile: false, mode: 'production', logLevel: 'warn', build: { outDir: OUT_DIR, emptyOutDir: true, chunkSizeWarningLimit: 5000 } });
    const buildMs = performance.now() - buildStart;

    const app = express();
    app.use(express.static(OUT_DIR));
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`;
    const browser = await launchChromium();
    const failures: string[] = [];
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1500 } });
      const pageErrors: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      await page.goto(url);
      await page.waitForFunction(() => 'bench' in window);
      const setupStart = performance.now();
      await page.evaluate(([count, seed]) => window.bench.setup(count, seed), [BASE_INCIDENTS, SEED] as const);
      const setupMs = performance.now() - setupStart;

      const ours: UpdateTiming[] = [];
      const baseline: UpdateTiming[] = [];
      for (let round = 0; round < WARMUP + ROUNDS; round++) {
        const seed = SEED * 1000 + round;
        // The same batch to both; which goes first alternates, so neither always meets a warmer cache.
        const order = round % 2 === 0 ? (['ours', 'baseline'] as const) : (['baseline', 'ours'] as const);
        for (const side of order) {
          const timing = await page.evaluate(([s, size, sd]) => window.bench.update(s, size, sd), [side, BATCH, seed] as const);
          if (round >= WARMUP) (side === 'ours' ? ours : baseline).push(timing);
        }
      }
      const oursCounts = await page.evaluate(() => window.bench.rowCounts('ours'));
      const baselineCounts = await page.evaluate(() => window.bench.rowCounts('baseline'));
      await page.close();

      const oursMs = median(ours.map((t) => t.ms));
      const baselineMs = median(baseline.map((t) => t.ms));
      const ratio = baselineMs / oursMs;
      const total = BASE_INCIDENTS + BATCH * (WARMUP + ROUNDS);
      // The accessor counter proves what each side did: ours one position per new row, the baseline every row.
      const oursRows = new Set(ours.map((t) => t.rowsEvaluated));
      if (oursRows.size !== 1 || !oursRows.has(BATCH)) failures.push(`ours evaluated ${[...oursRows].join('/')} rows per batch, expected exactly ${BATCH}`);
      const tooFew = baseline.filter((t) => t.rowsEvaluated < BASE_INCIDENTS);
      if (tooFew.length > 0) failures.push(`the baseline evaluated only ${tooFew[0]?.rowsEvaluated} rows in a batch: it did not replace the data`);
      const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
      if (sum(oursCounts) !== total || sum(baselineCounts) !== total || oursCounts.join() !== baselineCounts.join()) {
        failures.push(`rows drawn differ: ours ${oursCounts.join('/')}, baseline ${baselineCounts.join('/')}, expected ${total} in all`);
      }
      if (pageErrors.length > 0) failures.push(`page errors: ${pageErrors.join('; ')}`);
      if (!(oursMs <= TARGET_MS)) failures.push(`ours takes ${oursMs.toFixed(1)} ms per batch of ${BATCH}; the target is ${TARGET_MS} ms`);
      if (!(ratio >= TARGET_RATIO)) failures.push(`ours is only ${ratio.toFixed(1)}× cheaper than replacing the data; the target is ${TARGET_RATIO}×`);

      const p = (xs: UpdateTiming[]) => `median ${median(xs.map((t) => t.ms)).toFixed(1)} ms, max ${Math.max(...xs.map((t) => t.ms)).toFixed(1)} ms`;
      return {
        name: 'client-update',
        ours: 1000 / oursMs,
        baseline: 1000 / baselineMs,
        unit: 'batches/s',
        ratio,
        targetRatio: TARGET_RATIO,
        notes: [
          `Chromium ${browser.version()} with SwiftShader (software WebGL); page built by Vite in ${(buildMs / 1000).toFixed(1)} s; ${BASE_INCIDENTS.toLocaleString('en-US')} seeded synthetic incidents loaded and drawn on both canvases in ${(setupMs / 1000).toFixed(1)} s`,
          `${ROUNDS} batches of ${BATCH.toLocaleString('en-US')} new incidents each (after ${WARMUP} warm-up batches), ${total.toLocaleString('en-US')} incidents at the end, per severity ${oursCounts.join('/')}`,
          `main thread per batch (rows.apply + setProps + the frame's layer update and draw): ours ${p(ours)}, ${BATCH} positions computed; baseline (layer data replaced) ${p(baseline)}, ${baseline[0]?.rowsEvaluated.toLocaleString('en-US')}+ positions computed`,
          `every batch, ms: ours ${ours.map((t) => t.ms.toFixed(1)).join(' ')}; baseline ${baseline.map((t) => t.ms.toFixed(0)).join(' ')}`,
          `machine: ${loadBefore} before, ${machineLoad()} after`,
          `target: ours <= ${TARGET_MS} ms of main-thread time per batch and >= ${TARGET_RATIO}x cheaper than replacing the layer's data`,
        ],
        failures,
      };
    } finally {
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    }
  },
};

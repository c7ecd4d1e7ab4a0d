/**
 * `npm run bench`: runs every case and prints one table (figure, baseline measured in the same run,
 * ratio, target, pass/fail), writes it to bench/results.json (committed: the project's performance
 * report) and test-results/bench.json, and exits non-zero on a missed target or a broken assertion.
 * `npm run bench -- ingest fanout` runs only the cases named (bench/results.json is then left alone).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BenchCase, BenchResult } from './bench-case.ts';
import { avl } from './avl.ts';
import { clientUpdate } from './client-update.ts';
import { equity } from './equity.ts';
import { equityHealth } from './equity-health.ts';
import { fanout } from './fanout.ts';
import { fanoutCluster } from './fanout-cluster.ts';
import { ingest, ingestPostgres } from './ingest.ts';
import { ingestUpdates } from './ingest-updates.ts';
import { massEvent } from './mass-event.ts';
import { parcelBbox, parcelBboxPostgres } from './parcel-bbox.ts';
import { parcelTiles } from './parcel-tiles.ts';
import { parseStall } from './parse-stall.ts';
import { regionAssignment } from './region-assignment.ts';
import { risk } from './risk.ts';
import { snapshot } from './snapshot.ts';

/** Add a case here; each lives in its own file beside this one. */
const CASES: readonly BenchCase[] = [regionAssignment, ingest, ingestPostgres, ingestUpdates, fanout, fanoutCluster, risk, massEvent, parcelTiles, parcelBbox, parcelBboxPostgres, equity, equityHealth, snapshot, clientUpdate, parseStall, avl];

const OUTPUT = fileURLToPath(new URL('../../test-results/bench.json', import.meta.url));
const REPORT = fileURLToPath(new URL('../../bench/results.json', import.meta.url));

async function runCase(c: BenchCase): Promise<BenchResult> {
  try {
    return await c.run();
  } catch (error) {
    // A crashing case still gets a row, so the other cases' figures are not lost.
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return { name: c.name, ours: NaN, baseline: NaN, unit: '', ratio: NaN, notes: [], failures: [`threw: ${message}`] };
  }
}

function formatRate(value: number, unit: string): string {
  if (!Number.isFinite(value)) return '-';
  // A slow baseline can run less than 10 times a second: keep two digits rather than print 0.
  const figure = Math.abs(value) >= 10 ? Math.round(value).toLocaleString('en-US') : value.toPrecision(2);
  return `${figure} ${unit}`;
}

function printTable(results: readonly BenchResult[]): void {
  const rows = [
    ['name', 'ours', 'baseline', 'ratio', 'target', 'result'],
    ...results.map((r) => [
      r.name,
      formatRate(r.ours, r.unit),
      formatRate(r.baseline, r.unit),
      Number.isFinite(r.ratio) ? `${r.ratio.toFixed(1)}x` : '-',
      r.targetRatio === undefined ? '-' : `>= ${r.targetRatio}x`,
      r.failures.length > 0 ? 'FAIL' : 'pass',
    ]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => (row[col] ?? '').length)));
  for (const row of rows) {
    // Text columns align left, figures right, so digits line up.
    console.log(row.map((cell, col) => (col === 0 || col === 5 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0))).join('  '));
  }
  for (const r of results) {
    for (const note of r.notes) console.log(`  ${r.name}: ${note}`);
    for (const failure of r.failures) console.log(`  ${r.name}: FAILED: ${failure}`);
  }
}

const requested = process.argv.slice(2);
const unknown = requested.filter((name) => !CASES.some((c) => c.name === name));
if (unknown.length > 0) {
  console.error(`no bench case named ${unknown.join(', ')}; the cases are ${CASES.map((c) => c.name).join(', ')}`);
  process.exit(2);
}
const selected = requested.length > 0 ? CASES.filter((c) => requested.includes(c.name)) : CASES;

const results: BenchResult[] = [];
for (const c of selected) results.push(await runCase(c));
printTable(results);

mkdirSync(fileURLToPath(new URL('../../test-results/', import.meta.url)), { recursive: true });
const report = { finishedAt: new Date().toISOString(), node: process.version, cpus: cpus().length, results };
writeFileSync(OUTPUT, `${JSON.stringify(report, null, 2)}\n`);
console.log(`results written to ${OUTPUT}`);
if (requested.length === 0) {
  mkdirSync(fileURLToPath(new URL('../../bench/', import.meta.url)), { recursive: true });
  writeFileSync(REPORT, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`the whole report written to ${REPORT}`);
}

const failed = results.filter((r) => r.failures.length > 0);
if (failed.length > 0) {
  console.error(`bench failed: ${failed.map((r) => r.name).join(', ')}`);
  process.exitCode = 1;
}

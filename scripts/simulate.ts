/**
 * Streams synthetic incidents into a running server, for demos and load checks:
 * `npm run simulate -- --rate 20 [--url http://127.0.0.1:3000] [--token T] [--duration S] [--seed N]`.
 * Every incident says it is synthetic (source `synthetic-sim`, title `[合成] …`) and lies in a
 * Hangzhou district, near where the synthetic population lives.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { positiveNumber, resolveToken } from './cli-options.ts';
import type { IncidentInput, IngestResult } from '../server/contract/incidents.ts';
import { RegionInputCollection } from '../server/contract/regions.ts';
import { prepareRegions } from '../server/demo/demo-regions.ts';
import { incidentTitle, pickCategory, pickSeverity, SYNTHETIC_DESCRIPTION } from '../server/demo/incident-text.ts';
import { generatePopulationGrid, HANGZHOU_CORES, PopulationSampler } from '../server/demo/population.ts';
import { mulberry32 } from '../server/demo/random.ts';

const USAGE =
  'usage: npm run simulate -- --rate 20 [--url http://127.0.0.1:3000] [--token T] [--duration S] [--seed N] [--regions FILE]';
const TICK_MS = 250;
const MAX_BATCH = 5_000;
const REQUEST_TIMEOUT_MS = 10_000;
const MAX_BACKOFF_MS = 10_000;

function fail(message: string): never {
  console.error(message);
  console.error(USAGE);
  process.exit(1);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        rate: { type: 'string' },
        url: { type: 'string' },
        token: { type: 'string' },
        duration: { type: 'string' },
        seed: { type: 'string' },
        regions: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (err) {
    fail((err as Error).message);
  }
})();
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const rate = positiveNumber('rate', values.rate, 20, fail);
const durationS = positiveNumber('duration', values.duration, undefined, fail);
const baseUrl = (values.url ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`).replace(/\/+$/, '');
const endpoint = `${baseUrl}/api/v1/incidents`;
const token = resolveToken(values.token, fail);
const seed = values.seed === undefined ? Date.now() >>> 0 : Number(values.seed) >>> 0;
const rand = mulberry32(seed);
// Unique per run, so a second run never collides with the first one's external ids.
const runTag = `${Date.now().toString(36)}-${process.pid}`;

const regionsFile = resolve(values.regions ?? 'data/regions/hangzhou.geojson');
let regionsParsed;
try {
  regionsParsed = RegionInputCollection.safeParse(JSON.parse(readFileSync(regionsFile, 'utf8')));
} catch (err) {
  fail(`cannot read regions from ${regionsFile} (${(err as Error).message}); run \`npm run prepare-data\` first`);
}
if (!regionsParsed.success) fail(`${regionsFile} is not a region FeatureCollection: ${regionsParsed.error.message}`);
const regions = prepareRegions(regionsParsed.data);
const grid = generatePopulationGrid(regions, mulberry32(seed ^ 0x5eed), { cores: HANGZHOU_CORES, targetPopulation: 11_000_000 });
const places = new PopulationSampler(grid, regions, 1);

let serial = 0;
function nextIncident(): IncidentInput {
  serial += 1;
  const p = places.point(rand);
  const category = pickCategory(rand);
  return {
    source: 'synthetic-sim',
    externalId: `sim-${runTag}-${serial}`,
    category,
    severity: pickSeverity(rand, category),
    geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
    occurredAt: new Date().toISOString(),
    title: incidentTitle(rand, category, regions.byCode.get(p.regionCode)?.name ?? p.regionCode),
    description: SYNTHETIC_DESCRIPTION,
  };
}

const totals = { sent: 0, accepted: 0, duplicates: 0, rejected: 0, errors: 0 };
let second = { ...totals };
let firstRejection: string | null = null;

type Outcome = { kind: 'ok'; result: IngestResult } | { kind: 'http'; status: number; message: string } | { kind: 'down'; message: string };

async function post(batch: IncidentInput[]): Promise<Outcome> {
  try {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(batch),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: reported below
    }
    if (res.ok && body && typeof body === 'object' && 'accepted' in body) return { kind: 'ok', result: body as IngestResult };
    const message = (body as { error?: { message?: string } } | null)?.error?.message ?? text.slice(0, 200);
    return { kind: 'http', status: res.status, message };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { kind: 'down', message: cause ?? (err as Error).message };
  }
}

let stopping = false;
process.on('SIGINT', () => {
  if (stopping) process.exit(130); // a second Ctrl-C: leave at once
  stopping = true;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits up to `ms`, but wakes for Ctrl-C or the end of `--duration`. */
async function pause(ms: number, deadline: number): Promise<void> {
  const until = Math.min(Date.now() + ms, deadline);
  while (!stopping && Date.now() < until) await sleep(Math.min(100, until - Date.now()));
}

function printSummary(elapsedS: number): void {
  const { sent, accepted, duplicates, rejected, errors } = totals;
  console.log(
    `\nstopped after ${elapsedS.toFixed(1)} s: sent ${sent}, accepted ${accepted}, duplicates ${duplicates}, ` +
      `rejected ${rejected}, errors ${errors} (${(accepted / Math.max(elapsedS, 0.001)).toFixed(1)} accepted/s)`,
  );
  if (firstRejection) console.log(`first rejection: ${firstRejection}`);
}

async function main(): Promise<void> {
  console.log(`streaming ~${rate} synthetic incidents/s to ${endpoint} (seed ${seed}); Ctrl-C stops`);
  const started = Date.now();
  const deadline = durationS === undefined ? Infinity : started + durationS * 1000;
  let due = 0; // incidents owed by the clock, fractional
  let lastTick = started;
  let lastPrint = started;
  let backoffMs = 0;
  while (!stopping && Date.now() < deadline) {
    const now = Date.now();
    due = Math.min(MAX_BATCH, due + ((now - lastTick) / 1000) * rate);
    lastTick = now;
    const n = Math.floor(due);
    if (n > 0) {
      const batch = Array.from({ length: n }, nextIncident);
      const outcome = await post(batch);
      if (outcome.kind === 'down') {
        totals.errors += n;
        second.errors += n;
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs === 0 ? 500 : backoffMs * 2);
        console.log(
          `server not reachable at ${baseUrl} (${outcome.message}); ${n} incidents dropped, retrying in ${(backoffMs / 1000).toFixed(1)} s`,
        );
        due = 0; // do not build a backlog while the server is down
        await pause(backoffMs, deadline);
        lastTick = Date.now();
        continue;
      }
      backoffMs = 0;
      due -= n;
      totals.sent += n;
      second.sent += n;
      if (outcome.kind === 'ok') {
        const { accepted, duplicates, rejected, errors } = outcome.result;
        for (const c of [totals, second]) {
          c.accepted += accepted;
          c.duplicates += duplicates;
          c.rejected += rejected;
        }
        if (rejected > 0 && !firstRejection) firstRejection = errors[0]?.message ?? 'no message';
      } else if (outcome.status === 401 || outcome.status === 403) {
        console.error(`the server refused the token (HTTP ${outcome.status}: ${outcome.message}); check --token / ADMIN_TOKEN`);
        process.exitCode = 1;
        stopping = true;
      } else if (outcome.status >= 500) {
        totals.errors += n;
        second.errors += n;
        console.log(`server error HTTP ${outcome.status}: ${outcome.message}`);
      } else {
        totals.rejected += n;
        second.rejected += n;
        firstRejection ??= `HTTP ${outcome.status}: ${outcome.message}`;
      }
    }
    if (Date.now() - lastPrint >= 1000) {
      // Step the print clock by whole seconds so lines stay one second apart; resync after a stall.
      lastPrint = Date.now() - lastPrint > 2000 ? Date.now() : lastPrint + 1000;
      const t = ((Date.now() - started) / 1000).toFixed(0).padStart(4);
      const s = second;
      console.log(
        `${t}s  sent ${s.sent}  accepted ${s.accepted}  duplicates ${s.duplicates}  rejected ${s.rejected}  errors ${s.errors}`,
      );
      second = { sent: 0, accepted: 0, duplicates: 0, rejected: 0, errors: 0 };
    }
    await pause(Math.max(0, TICK_MS - (Date.now() - lastTick)), deadline);
  }
  printSummary((Date.now() - started) / 1000);
}

await main();

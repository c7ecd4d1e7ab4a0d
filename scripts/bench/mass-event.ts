/**
 * Bench: re-rating a district during a mass event, when tens of thousands of incidents land in one
 * street and every pair of them is within the cluster radius. Ours: the risk book's re-rating
 * (put one changed incident, `rate` its district, default config) of a district holding 50,000
 * incidents within a 300 m square over 2 hours. Baseline: the previous cluster finder
 * (pairwise-clusters.ts, which kept every neighbour list) on 5,000 incidents of the same kind; at
 * 50,000 it needs minutes and ran the server out of memory. Both finders must give the same
 * clusters on the 5,000 and on a few smaller random sets.
 */
import { RiskBook } from '../../server/domain/risk/book.ts';
import { findClusters, type ClusterResult } from '../../server/domain/risk/clusters.ts';
import { DEFAULT_RISK_CONFIG, type RiskConfig } from '../../server/domain/risk/config.ts';
import type { RiskIncident } from '../../server/domain/risk/score.ts';
import { mulberry32, type Random } from '../../server/demo/random.ts';
import { EARTH_RADIUS_M } from '../../server/domain/spatial/haversine.ts';
import { median, timed, type BenchCase, type BenchResult } from './bench-case.ts';
import { machineLoad, runQueueWaitMs } from './machine-load.ts';
import { findClustersPairwise } from './pairwise-clusters.ts';

const INCIDENTS = 50_000;
const BASELINE_INCIDENTS = 5_000;
const SQUARE_M = 300;
const SPREAD_HOURS = 2;
/** Untimed re-ratings first, so the JIT has compiled the path. */
const WARMUP = 5;
const SAMPLES = 30;
/** Each baseline run takes seconds: fewer samples, its p99 is then its slowest run. */
const BASELINE_SAMPLES = 7;
const TARGET_MEDIAN_MS = 100;
const TARGET_RATIO = 10;
const NOW_MS = Date.UTC(2026, 2, 2, 12);
const CONFIG = DEFAULT_RISK_CONFIG;
const DISTRICT = { code: 'MASS', name: 'Mass event', population: 80_000 };
const CENTRE = { lon: 120.15, lat: 30.25 };

/** Incidents uniform over a square of `sideM` around (lon, lat), uniform over the last `hours`. */
function square(rand: Random, prefix: string, count: number, lon: number, lat: number, sideM: number, hours: number): RiskIncident[] {
  const degreesPerMetre = 180 / Math.PI / EARTH_RADIUS_M;
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i}`,
    regionCode: DISTRICT.code,
    category: rand() < 0.7 ? 'traffic' : 'fire',
    severity: rand() < 0.8 ? 'minor' : 'moderate',
    status: 'reported',
    occurredAtMs: NOW_MS - rand() * hours * 3_600_000,
    lon: lon + ((rand() - 0.5) * sideM * degreesPerMetre) / Math.cos((lat * Math.PI) / 180),
    lat: lat + (rand() - 0.5) * sideM * degreesPerMetre,
  }));
}

/** Smaller sets of other shapes on which both finders must agree: sparse, blobs, pole, antimeridian, ages. */
function agreementSets(rand: Random): { name: string; incidents: RiskIncident[] }[] {
  const blobs = Array.from({ length: 6 }, (_, b) => square(rand, `b${b}-`, 250, CENTRE.lon + b * 0.015, CENTRE.lat, 150, 2)).flat();
  const aged = square(rand, 'a', 2_000, CENTRE.lon, CENTRE.lat, 12_000, 48).map((x, i) => (i % 10 === 0 ? { ...x, status: 'rejected' as const } : x));
  return [
    { name: 'sparse 3,000 over 40 km', incidents: square(rand, 's', 3_000, CENTRE.lon, CENTRE.lat, 40_000, 2) },
    { name: 'six blobs of 250 within 150 m', incidents: [...blobs, ...square(rand, 'f', 500, CENTRE.lon, CENTRE.lat, 5_000, 2)] },
    { name: '600 near the north pole', incidents: square(rand, 'p', 600, 0, 89.94, 10_000, 2) },
    { name: '800 across the antimeridian', incidents: square(rand, 'm', 800, 180, 10, 12_000, 2).map((x) => ({ ...x, lon: x.lon > 180 ? x.lon - 360 : x.lon })) },
    { name: '2,000 over 48 h, 10% rejected', incidents: aged },
  ];
}

/** The value at or below which `share` of the samples fall (nearest rank). */
function percentile(values: readonly number[], share: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)] ?? NaN;
}

/**
 * Runs `fn`, returning its wall time and its time on a CPU: wall time less the time the thread
 * waited for one (Linux; elsewhere the wall time). On 2 shared cores the first measures the
 * neighbours as much as the code; the target is judged on the second.
 */
function sample(fn: () => unknown): { wallMs: number; onCpuMs: number } {
  const waitedBefore = runQueueWaitMs();
  const { ms } = timed(fn);
  const waited = runQueueWaitMs() - waitedBefore;
  return { wallMs: ms, onCpuMs: Number.isFinite(waited) ? Math.max(0, ms - waited) : ms };
}

function same(a: ClusterResult, b: ClusterResult): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export const massEvent: BenchCase = {
  name: 'mass-event',
  run(): BenchResult {
    const loadBefore = machineLoad();
    const rand = mulberry32(2026);
    const incidents = square(rand, 'x', INCIDENTS, CENTRE.lon, CENTRE.lat, SQUARE_M, SPREAD_HOURS);
    const baselineIncidents = square(rand, 'y', BASELINE_INCIDENTS, CENTRE.lon, CENTRE.lat, SQUARE_M, SPREAD_HOURS);
    const failures: string[] = [];

    // Ours: the district as the service holds it; each sample is one changed incident and the
    // re-rating it triggers, so the book rebuilds the list it hands the rating every time.
    const book = new RiskBook(CONFIG, [DISTRICT]);
    const loaded = timed(() => {
      for (const x of incidents) book.put(x);
    });
    const oursMs: number[] = [];
    const oursOnCpuMs: number[] = [];
    for (let k = 0; k < WARMUP + SAMPLES; k++) {
      const changed = incidents[Math.floor(rand() * INCIDENTS)]!;
      const { wallMs, onCpuMs } = sample(() => book.rate(book.put({ ...changed, status: k % 2 === 0 ? 'acknowledged' : 'reported' }), NOW_MS));
      if (k < WARMUP) continue;
      oursMs.push(wallMs);
      oursOnCpuMs.push(onCpuMs);
    }
    const rated = book.snapshot()[0];
    const clusters = rated?.clusters ?? -1;
    const clusterOnly = timed(() => findClusters(incidents, NOW_MS, CONFIG));

    // Baseline: the previous finder on a tenth of the incidents; its first result is the reference.
    const baselineMs: number[] = [];
    const baselineOnCpuMs: number[] = [];
    let reference: ClusterResult | undefined;
    for (let k = 0; k < BASELINE_SAMPLES; k++) {
      let result: ClusterResult | undefined;
      const { wallMs, onCpuMs } = sample(() => (result = findClustersPairwise(baselineIncidents, NOW_MS, CONFIG)));
      reference ??= result;
      baselineMs.push(wallMs);
      baselineOnCpuMs.push(onCpuMs);
    }
    const ours5k = findClusters(baselineIncidents, NOW_MS, CONFIG);
    if (!reference || !same(ours5k, reference)) failures.push(`on the ${BASELINE_INCIDENTS} incidents the grid finder and the previous one disagree`);

    const configs: [string, RiskConfig][] = [
      ['default', CONFIG],
      ['minCount 5, 200 m', { ...CONFIG, cluster: { ...CONFIG.cluster, minCount: 5, radiusM: 200 } }],
    ];
    const agreed: string[] = [];
    for (const set of agreementSets(rand)) {
      for (const [label, config] of configs) {
        const ours = findClusters(set.incidents, NOW_MS, config);
        if (same(ours, findClustersPairwise(set.incidents, NOW_MS, config))) agreed.push(`${set.name} (${label}): ${ours.count}`);
        else failures.push(`${set.name} (${label}): the grid finder and the previous one disagree`);
      }
    }

    if (clusters !== 1) failures.push(`the mass event should be one cluster, the rating says ${clusters}`);
    if (book.size !== INCIDENTS) failures.push(`the book holds ${book.size} incidents, expected ${INCIDENTS}`);
    const oursMedian = median(oursMs);
    const oursOnCpuMedian = median(oursOnCpuMs);
    const baselineMedian = median(baselineMs);
    const ratio = baselineMedian / oursMedian;
    if (!(oursOnCpuMedian <= TARGET_MEDIAN_MS)) failures.push(`re-rating median ${oursOnCpuMedian.toFixed(1)} ms on CPU is above the target of ${TARGET_MEDIAN_MS} ms`);
    if (!(ratio >= TARGET_RATIO)) failures.push(`ratio ${ratio.toFixed(1)} is below the target of ${TARGET_RATIO}`);

    return {
      name: 'mass-event',
      ours: 1000 / oursMedian,
      baseline: 1000 / baselineMedian,
      unit: 'ratings/s',
      ratio,
      targetRatio: TARGET_RATIO,
      notes: [
        `${INCIDENTS.toLocaleString('en-US')} seeded incidents uniform over a ${SQUARE_M} m square and the last ${SPREAD_HOURS} h (all within 500 m of each other), put into the book in ${loaded.ms.toFixed(0)} ms; rated level ${rated?.level}, ${clusters} cluster`,
        `ours: put one changed incident + rate its district (default config), ${SAMPLES} samples after ${WARMUP} untimed: median ${oursMedian.toFixed(1)} ms, p99 ${percentile(oursMs, 0.99).toFixed(1)} ms (on CPU: median ${oursOnCpuMedian.toFixed(1)} ms, p99 ${percentile(oursOnCpuMs, 0.99).toFixed(1)} ms); findClusters alone once: ${clusterOnly.ms.toFixed(1)} ms`,
        `baseline: the previous finder alone (no scoring) on ${BASELINE_INCIDENTS.toLocaleString('en-US')} incidents of the same kind, ${BASELINE_SAMPLES} samples: median ${baselineMedian.toFixed(0)} ms, p99 ${percentile(baselineMs, 0.99).toFixed(0)} ms (on CPU: median ${median(baselineOnCpuMs).toFixed(0)} ms); ratio = baseline median / ours median, although ours handles ${INCIDENTS / BASELINE_INCIDENTS}× the incidents`,
        `same clusters from both finders: ${failures.some((f) => f.includes('disagree')) ? 'NO' : 'yes'}: the ${BASELINE_INCIDENTS.toLocaleString('en-US')} (${ours5k.count} cluster of ${ours5k.clusters[0]?.size}), ${agreed.join('; ')}`,
        `machine: ${loadBefore} before, ${machineLoad()} after`,
        `target: ours median on CPU <= ${TARGET_MEDIAN_MS} ms, ours >= ${TARGET_RATIO}x baseline, identical clusters`,
      ],
      failures,
    };
  },
};

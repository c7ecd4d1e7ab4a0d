/**
 * A week of synthetic incidents near where people live: hotline appeals most common, a few extreme
 * emergencies, daytime busier than night, and a few tight clusters (≥ 3 within 500 m and 24 h, so
 * the risk map's cluster rule has something to find, one of them in the last 24 hours).
 */
import type { Category, IncidentInput } from '../contract/incidents.ts';
import { type DemoRegions, METRES_PER_DEGREE } from './demo-regions.ts';
import { incidentTitle, pickCategory, pickSeverity, SYNTHETIC_DESCRIPTION } from './incident-text.ts';
import { type PopulationGrid, PopulationSampler, pointNear } from './population.ts';
import { type Random, randomInt, uniform } from './random.ts';

const HOUR_MS = 3_600_000;
const WINDOW_MS = 7 * 24 * HOUR_MS;
/** Relative activity by hour of the day in Beijing time (UTC+8): quiet nights, busy office hours. */
const HOURLY_ACTIVITY = [
  0.2, 0.15, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1, 1, 1, 0.9, 0.8, 0.9, 1, 1, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3,
];
const CLUSTER_CATEGORIES: readonly Category[] = ['flood', 'public_health', 'hotline', 'traffic', 'fire'];
/** Members of a cluster lie within this distance of its centre, so any two are within 2 × 200 m < 500 m. */
const CLUSTER_RADIUS_M = 200;

/** Source of every incident the demo generator makes. */
export const DEMO_SOURCE = 'synthetic-demo';

interface Draft {
  occurredAtMs: number;
  category: Category;
  lon: number;
  lat: number;
  regionCode: string;
}

/** A time in `[now − 7 days, now)`, weighted by the hour of day. */
function sampleTime(rand: Random, nowMs: number): number {
  for (;;) {
    const t = nowMs - (1 - rand()) * WINDOW_MS;
    const hourBeijing = Math.floor(((t / HOUR_MS + 8) % 24 + 24) % 24);
    if (rand() < (HOURLY_ACTIVITY[hourBeijing] ?? 1)) return t;
  }
}

export function generateIncidents(
  grid: PopulationGrid,
  regions: DemoRegions,
  rand: Random,
  options: { count: number; now: Date },
): IncidentInput[] {
  const nowMs = options.now.getTime();
  const sampler = new PopulationSampler(grid, regions, 1);
  const drafts: Draft[] = [];

  const clusterCount = Math.min(CLUSTER_CATEGORIES.length, Math.floor(options.count / 100));
  for (let c = 0; c < clusterCount; c++) {
    const category = CLUSTER_CATEGORIES[c] ?? 'other';
    const centre = sampler.point(rand);
    // The first cluster is fresh (the last 24 h), so the live map shows the escalation rule at work.
    // The others start between 6.5 days and 1 day ago; members follow within 6 hours.
    const startMs = nowMs - (c === 0 ? randomInt(rand, 6, 20) : uniform(rand, 24, 156)) * HOUR_MS;
    const size = randomInt(rand, 4, 7);
    const halfLat = CLUSTER_RADIUS_M / Math.SQRT2 / METRES_PER_DEGREE;
    const halfLon = halfLat / Math.cos((centre.lat * Math.PI) / 180);
    for (let i = 0; i < size && drafts.length < options.count; i++) {
      const p = pointNear(centre, halfLon, halfLat, regions, rand);
      const occurredAtMs = Math.min(nowMs - 60_000, startMs + rand() * 6 * HOUR_MS);
      drafts.push({ occurredAtMs, category, ...p });
    }
  }
  while (drafts.length < options.count) {
    const p = sampler.point(rand);
    drafts.push({ occurredAtMs: sampleTime(rand, nowMs), category: pickCategory(rand), ...p });
  }

  // Stable order by time; external ids follow it, so `demo-1` is the oldest.
  const ordered = drafts
    .map((d, i) => ({ d, i }))
    .sort((a, b) => a.d.occurredAtMs - b.d.occurredAtMs || a.i - b.i)
    .map(({ d }) => d);

  return ordered.map((d, i): IncidentInput => {
    const n = i + 1;
    const occurredMs = Math.floor(d.occurredAtMs / 1000) * 1000;
    const reportedMs = Math.min(nowMs, occurredMs + randomInt(rand, 1, 30) * 60_000);
    const place = regions.byCode.get(d.regionCode)?.name ?? d.regionCode;
    const incident: IncidentInput = {
      source: DEMO_SOURCE,
      externalId: `demo-${n}`,
      category: d.category,
      severity: pickSeverity(rand, d.category),
      geometry: { type: 'Point', coordinates: [d.lon, d.lat] },
      occurredAt: new Date(occurredMs).toISOString(),
      reportedAt: new Date(reportedMs).toISOString(),
      title: incidentTitle(rand, d.category, place),
      description: SYNTHETIC_DESCRIPTION,
    };
    if (d.category === 'hotline') {
      const tag = String(n).padStart(4, '0');
      // Obviously fictitious: a name saying "synthetic citizen" and a number no phone can have.
      incident.reporter = { name: `合成市民 ${tag}`, phone: `000-0000-${tag.slice(-4)}` };
    }
    return incident;
  });
}

/** Seeded synthetic incidents shaped like the demo's, for the store and live-stream benches. */
import type { NewIncident } from '../../server/store/incident-rows.ts';
import { incidentTitle, pickCategory, pickSeverity, SYNTHETIC_DESCRIPTION } from '../../server/demo/incident-text.ts';
import type { Random } from '../../server/demo/random.ts';

/** Source of every bench incident. */
export const BENCH_SOURCE = 'bench';
/** About the Hangzhou extent, so rows look like the city's. */
const EXTENT = { minLon: 119.9, minLat: 30.0, maxLon: 120.5, maxLat: 30.5 } as const;
const PLACES = ['上城区', '拱墅区', '西湖区', '滨江区', '萧山区', '余杭区', '临平区', '钱塘区'] as const;
const START_MS = Date.UTC(2026, 0, 1);

/** A UUID-shaped id drawn from `rand`, so ids repeat with the seed (randomUUID would not). */
function seededUuid(rand: Random): string {
  let hex = '';
  for (let i = 0; i < 4; i++) hex += Math.floor(rand() * 2 ** 32).toString(16).padStart(8, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * `count` incidents with external ids `bench-0000001`…: zero-padded, so ordering by external id is
 * input order. Hotline appeals carry a (fictitious) reporter, as in the demo, so masking has work.
 */
export function syntheticIncidents(rand: Random, count: number): NewIncident[] {
  const width = String(count).length;
  const rows: NewIncident[] = [];
  for (let i = 0; i < count; i++) {
    const n = i + 1;
    const category = pickCategory(rand);
    const lon = EXTENT.minLon + rand() * (EXTENT.maxLon - EXTENT.minLon);
    const lat = EXTENT.minLat + rand() * (EXTENT.maxLat - EXTENT.minLat);
    const placeIndex = Math.floor(rand() * PLACES.length);
    const occurredMs = START_MS + i * 1000 + Math.floor(rand() * 1000);
    const tag = String(n).padStart(4, '0');
    rows.push({
      id: seededUuid(rand),
      source: BENCH_SOURCE,
      externalId: `bench-${String(n).padStart(width, '0')}`,
      category,
      severity: pickSeverity(rand, category),
      status: 'reported',
      drill: false,
      geometry: { type: 'Point', coordinates: [lon, lat] },
      occurredAt: new Date(occurredMs).toISOString(),
      reportedAt: new Date(occurredMs + 60_000).toISOString(),
      title: incidentTitle(rand, category, PLACES[placeIndex] ?? '杭州'),
      description: SYNTHETIC_DESCRIPTION,
      reporter: category === 'hotline' ? { name: `合成市民 ${tag}`, phone: `000-0000-${tag.slice(-4)}` } : null,
      // One in ten outside every region, as points beyond the city edge are.
      regionCode: rand() < 0.1 ? null : `3301${String(placeIndex + 2).padStart(2, '0')}`,
      attributes: {},
      lon,
      lat,
    });
  }
  return rows;
}

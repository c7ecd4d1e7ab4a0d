import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_CONFIG } from './config.ts';
import { EARTH_RADIUS_M, findClusters, haversineM } from './clusters.ts';
import type { RiskIncident } from './score.ts';

const HOUR = 3_600_000;
const nowMs = Date.parse('2026-11-23T08:00:00Z');
const config = DEFAULT_RISK_CONFIG;
const LAT = 30.25;
/** Longitude `m` metres east of 120.15° E on latitude 30.25° (exact on the sphere's parallel). */
const eastM = (m: number) => 120.15 + (m / (EARTH_RADIUS_M * Math.cos((LAT * Math.PI) / 180))) * (180 / Math.PI);
function at(id: string, metresEast: number, ageHours = 1, over: Partial<RiskIncident> = {}): RiskIncident {
  return { id, regionCode: 'R', category: 'fire', severity: 'minor', status: 'reported', occurredAtMs: nowMs - ageHours * HOUR, lon: eastM(metresEast), lat: LAT, ...over };
}

describe('haversineM', () => {
  it('measures one degree of latitude as R·π/180', () => {
    expect(haversineM(0, 0, 0, 1)).toBeCloseTo((EARTH_RADIUS_M * Math.PI) / 180, 6);
  });
});

describe('findClusters on hand-made geometry', () => {
  it('finds one cluster in three points 100 m apart, centred on the middle one', () => {
    const r = findClusters([at('a', 0), at('b', 100), at('c', 200)], nowMs, config);
    expect(r.count).toBe(1);
    expect(r.clusters[0]?.incidentIds).toEqual(['a', 'b', 'c']);
    expect(r.clusters[0]?.center[0]).toBeCloseTo(eastM(100), 9);
  });
  it('finds none in three points 600 m apart', () => {
    expect(findClusters([at('a', 0), at('b', 600), at('c', 1200)], nowMs, config).count).toBe(0);
  });
  it('finds none when one of the three is 25 h old, or rejected', () => {
    expect(findClusters([at('a', 0), at('b', 100), at('c', 200, 25)], nowMs, config).count).toBe(0);
    expect(findClusters([at('a', 0), at('b', 100), at('c', 200, 1, { status: 'rejected' })], nowMs, config).count).toBe(0);
  });
  it('includes a point just inside 500 m, not one just outside', () => {
    expect(findClusters([at('a', 0), at('b', 499.9), at('c', -499.9)], nowMs, config).count).toBe(1);
    expect(findClusters([at('a', 0), at('b', 500.1), at('c', -500.1)], nowMs, config).count).toBe(0);
  });
  it('keeps two groups 5 km apart as two clusters, and chains cores 400 m apart into one', () => {
    const two = findClusters([at('a', 0), at('b', 50), at('c', 100), at('d', 5000), at('e', 5050), at('f', 5100)], nowMs, config);
    expect(two.clusters.map((c) => c.incidentIds)).toEqual([['a', 'b', 'c'], ['d', 'e', 'f']]);
    const chain = findClusters([0, 400, 800, 1200, 1600].map((m, i) => at(`p${i}`, m)), nowMs, config);
    expect(chain.clusters.map((c) => c.size)).toEqual([5]);
  });
  it('handles no incidents and the antimeridian', () => {
    expect(findClusters([], nowMs, config)).toEqual({ count: 0, clusters: [] });
    const date = [179.999, -179.999, 179.9995].map((lon, i) => ({ ...at(`x${i}`, 0), lon, lat: 0 }));
    expect(findClusters(date, nowMs, config).count).toBe(1);
  });
});

/** Naive all-pairs core test: the second implementation the indexed one is checked against. */
function naiveCoreIds(points: RiskIncident[]): Set<string> {
  const cores = new Set<string>();
  for (const p of points) {
    const n = points.filter((q) => haversineM(p.lon, p.lat, q.lon, q.lat) <= 500).length;
    if (n >= 3) cores.add(p.id);
  }
  return cores;
}

describe('findClusters on random input', () => {
  it('agrees with the all-pairs definition on 1,500 points', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const points = Array.from({ length: 1500 }, (_, i) => ({ ...at(`r${i}`, 0), lon: 120 + random() * 0.3, lat: 30 + random() * 0.3 }));
    const r = findClusters(points, nowMs, config);
    const cores = naiveCoreIds(points);
    const clustered = new Set(r.clusters.flatMap((c) => c.incidentIds));
    for (const id of cores) expect(clustered.has(id)).toBe(true);
    // Every clustered non-core lies within 500 m of a core of its cluster.
    for (const c of r.clusters) {
      const members = points.filter((p) => c.incidentIds.includes(p.id));
      for (const p of members) {
        if (cores.has(p.id)) continue;
        expect(members.some((q) => cores.has(q.id) && haversineM(p.lon, p.lat, q.lon, q.lat) <= 500)).toBe(true);
      }
    }
    expect(r.count).toBeGreaterThan(0);
  });
});

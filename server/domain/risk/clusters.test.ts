import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_CONFIG, type RiskConfig } from './config.ts';
import { EARTH_RADIUS_M, findClusters, haversineM, type ClusterResult, type RiskCluster } from './clusters.ts';
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
  it('gives a point between two clusters to the one whose core comes first in input order', () => {
    // With minCount 4 the point at 500 m has 3 within reach (itself, 1 m and 999 m): not a core.
    const four = { ...config, cluster: { ...config.cluster, minCount: 4 } };
    const west = [-30, -20, -10, 1].map((m, i) => at(`w${i}`, m));
    const east = [999, 1010, 1020, 1030].map((m, i) => at(`e${i}`, m));
    const between = at('x', 500);
    const ids = (r: ClusterResult) => r.clusters.map((c) => c.incidentIds);
    expect(ids(findClusters([...west, ...east, between], nowMs, four))).toEqual([['w0', 'w1', 'w2', 'w3', 'x'], ['e0', 'e1', 'e2', 'e3']]);
    expect(ids(findClusters([...east, ...west, between], nowMs, four))).toEqual([['e0', 'e1', 'e2', 'e3', 'x'], ['w0', 'w1', 'w2', 'w3']]);
    // What counts is the first core within reach (w3 before e0), not the cluster listed first.
    expect(ids(findClusters([east[3]!, ...west, ...east.slice(0, 3), between], nowMs, four))).toEqual([['e3', 'e0', 'e1', 'e2'], ['w0', 'w1', 'w2', 'w3', 'x']]);
  });
  it('handles no incidents and the antimeridian', () => {
    expect(findClusters([], nowMs, config)).toEqual({ count: 0, clusters: [] });
    const date = [179.999, -179.999, 179.9995].map((lon, i) => ({ ...at(`x${i}`, 0), lon, lat: 0 }));
    expect(findClusters(date, nowMs, config).count).toBe(1);
  });
});

/**
 * The definition written out the obvious way: every pair measured, cores by count, components by
 * breadth-first search, each border point to its lowest-index core. The second implementation the
 * grid one is checked against; O(n²), fine for a few thousand points.
 */
function naiveClusters(incidents: readonly RiskIncident[], now: number, cfg: RiskConfig): ClusterResult {
  const { minCount, radiusM, windowHours } = cfg.cluster;
  const points = incidents.filter(
    (x) => x.status !== 'rejected' && Math.max(0, now - x.occurredAtMs) <= windowHours * HOUR && Number.isFinite(x.lon) && Number.isFinite(x.lat),
  );
  const near = (i: number, j: number) => haversineM(points[i]!.lon, points[i]!.lat, points[j]!.lon, points[j]!.lat) <= radiusM;
  const isCore = points.map((_, i) => points.filter((_, j) => near(i, j)).length >= minCount);
  const component: number[] = points.map(() => -1);
  let components = 0;
  points.forEach((_, start) => {
    if (!isCore[start] || component[start]! >= 0) return;
    component[start] = components;
    const queue = [start];
    while (queue.length > 0) {
      const i = queue.shift()!;
      points.forEach((_, j) => {
        if (isCore[j] && component[j] === -1 && near(i, j)) {
          component[j] = components;
          queue.push(j);
        }
      });
    }
    components++;
  });
  // Components are numbered in order of their first core, which is the required cluster order.
  const members: number[][] = Array.from({ length: components }, () => []);
  points.forEach((_, i) => {
    const core = isCore[i] ? i : points.findIndex((_, j) => isCore[j] && near(i, j));
    if (core >= 0) members[component[core]!]!.push(i);
  });
  const clusters = members.map((m): RiskCluster => ({
    center: [m.reduce((sum, i) => sum + points[i]!.lon, 0) / m.length, m.reduce((sum, i) => sum + points[i]!.lat, 0) / m.length],
    size: m.length,
    incidentIds: m.map((i) => points[i]!.id),
  }));
  return { count: clusters.length, clusters };
}

/** Seeded uniform [0, 1) (a small LCG: the fixtures must not change when other code does). */
function seeded(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

/** The point `distanceM` from (lon, lat) along `bearingDeg`, on the sphere (exact, any latitude). */
function destination(lon: number, lat: number, distanceM: number, bearingDeg: number): [number, number] {
  const rad = Math.PI / 180;
  const d = distanceM / EARTH_RADIUS_M;
  const [phi, theta] = [lat * rad, bearingDeg * rad];
  const phi2 = Math.asin(Math.sin(phi) * Math.cos(d) + Math.cos(phi) * Math.sin(d) * Math.cos(theta));
  const lambda = Math.atan2(Math.sin(theta) * Math.sin(d) * Math.cos(phi), Math.cos(d) - Math.sin(phi) * Math.sin(phi2));
  const lon2 = ((((lon + lambda / rad + 180) % 360) + 360) % 360) - 180;
  return [lon2, phi2 / rad];
}

type Random = () => number;
/** An incident at a random distance up to `withinM` (uniform over the disc) from a centre, 0–2 h old. */
function around(random: Random, id: string, lon: number, lat: number, withinM: number): RiskIncident {
  const [x, y] = destination(lon, lat, withinM * Math.sqrt(random()), random() * 360);
  return { ...at(id, 0, random() * 2), lon: x, lat: y };
}

const fixtures: Record<string, (random: Random) => RiskIncident[]> = {
  'uniform sparse': (random) => Array.from({ length: 2500 }, (_, i) => ({ ...at(`u${i}`, 0), lon: 120 + random() * 0.15, lat: 30 + random() * 0.15 })),
  'dense blobs in a sparse field': (random) => [
    ...Array.from({ length: 1200 }, (_, i) => around(random, `b${i}`, 120.15 + (i % 4) * 0.008, 30.25, 100)),
    ...Array.from({ length: 300 }, (_, i) => around(random, `f${i}`, 120.16, 30.25, 3000)),
  ],
  'distances a hair either side of the radius': (random) =>
    Array.from({ length: 400 }, (_, i) => {
      // Rings, chains and stars of points 500 m ± 1 mm, ± 1 µm from each other.
      const [lon, lat] = destination(120.15, 30.25, 500 * Math.floor(i / 8) * (1 + (random() - 0.5) * 4e-9), 90);
      const [x, y] = i % 8 === 0 ? [lon, lat] : destination(lon, lat, 500 + (random() - 0.5) * (i % 2 ? 2e-3 : 2e-6), random() * 360);
      return { ...at(`h${i}`, 0), lon: x, lat: y };
    }),
  'near the poles': (random) => [
    ...Array.from({ length: 600 }, (_, i) => around(random, `n${i}`, random() * 360 - 180, 90, 3000)),
    ...Array.from({ length: 600 }, (_, i) => around(random, `s${i}`, random() * 360 - 180, -89.99, 2500)),
    { ...at('pole', 0), lon: 0, lat: 90 },
    { ...at('pole2', 0), lon: 180, lat: 90 },
  ],
  'across the antimeridian': (random) => [
    ...Array.from({ length: 700 }, (_, i) => around(random, `e${i}`, 180, 0, 2000)),
    ...Array.from({ length: 500 }, (_, i) => around(random, `w${i}`, -180, 65, 1500)),
  ],
  'duplicates': (random) =>
    Array.from({ length: 900 }, (_, i) => {
      // Stacks of 1–60 incidents at the very same spot, some stacks near each other.
      const spot = Math.floor(Math.sqrt(i * 4));
      const [lon, lat] = destination(120.15, 30.25, spot * 173, spot * 37);
      return { ...at(`d${i}`, 0, random() * 2), lon, lat };
    }),
  'ages, future dates and rejections': (random) =>
    Array.from({ length: 1500 }, (_, i) => ({
      ...around(random, `a${i}`, 120.15, 30.25, 2500),
      occurredAtMs: nowMs - (random() * 50 - 2) * HOUR,
      status: random() < 0.1 ? ('rejected' as const) : ('reported' as const),
    })),
};

const configs: Record<string, RiskConfig> = {
  default: config,
  'minCount 5, 200 m': { ...config, cluster: { ...config.cluster, minCount: 5, radiusM: 200 } },
  'minCount 2, 1.5 km, 36 h': { ...config, cluster: { ...config.cluster, minCount: 2, radiusM: 1500, windowHours: 36 } },
};

describe('findClusters agrees with the naive all-pairs definition', () => {
  for (const [name, make] of Object.entries(fixtures)) {
    it.each(Object.entries(configs))(`${name}, %s`, (_label, cfg) => {
      const incidents = make(seeded(name.length * 7919));
      const expected = naiveClusters(incidents, nowMs, cfg);
      expect(findClusters(incidents, nowMs, cfg)).toEqual(expected);
      // A fixture that clusters nothing or everything would prove little.
      expect(expected.count).toBeGreaterThan(0);
    });
  }

  it('follows the input order when the order decides (reversed input)', () => {
    const reversed = fixtures['dense blobs in a sparse field']!(seeded(3)).reverse();
    expect(findClusters(reversed, nowMs, config)).toEqual(naiveClusters(reversed, nowMs, config));
  });

  it('stays exact for a radius below the grid\'s rounding margins (1 µm)', () => {
    const micro = { ...config, cluster: { ...config.cluster, radiusM: 1e-6 } };
    const random = seeded(4);
    const incidents: RiskIncident[] = [];
    // Stacks of 1–3 incidents scattered over a disc 20 µm across: chains, gaps and borders at µm
    // scale, with cells holding cores of different clusters (this seed has such a cell).
    for (let stack = 0; stack < 600; stack++) {
      const [lon, lat] = destination(120.15, 30.25, 10e-6 * Math.sqrt(random()), random() * 360);
      for (let k = Math.floor(random() * 3); k >= 0; k--) incidents.push({ ...at(`m${incidents.length}`, 0), lon, lat });
    }
    const expected = naiveClusters(incidents, nowMs, micro);
    expect(findClusters(incidents, nowMs, micro)).toEqual(expected);
    expect(expected.count).toBeGreaterThan(0);
  });
});

describe('findClusters on dense groups', () => {
  it('joins two dense groups 540 m apart through their one pair of cores within 500 m, whatever the bearing', () => {
    // A and B: 150 points within 30 m of points 600 m apart; a* at 60 m and b* at 555 m on the line
    // between them are 495 m apart, and every other A–B pair is over 500 m.
    for (const bearing of [0, 45, 90, 135, 180, 225, 270, 315]) {
      const random = seeded(bearing + 1);
      const [lon, lat] = [120.15, LAT];
      const [bLon, bLat] = destination(lon, lat, 600, bearing);
      const a = Array.from({ length: 150 }, (_, i) => around(random, `a${i}`, lon, lat, 30));
      const b = Array.from({ length: 150 }, (_, i) => around(random, `b${i}`, bLon, bLat, 30));
      const aStar = { ...at('a*', 0), lon: destination(lon, lat, 60, bearing)[0], lat: destination(lon, lat, 60, bearing)[1] };
      const bStar = { ...at('b*', 0), lon: destination(lon, lat, 555, bearing)[0], lat: destination(lon, lat, 555, bearing)[1] };
      const joined = findClusters([...a, aStar, ...b, bStar], nowMs, config);
      expect(joined.clusters.map((c) => c.size)).toEqual([302]);
      expect(findClusters([...a, aStar, ...b], nowMs, config).clusters.map((c) => c.size)).toEqual([151, 150]);
    }
  });
});

describe('findClusters on a mass event', () => {
  it('puts 50,000 incidents within a 300 m square in one cluster centred on their mean', () => {
    const random = seeded(50_000);
    const metre = 180 / Math.PI / EARTH_RADIUS_M;
    const incidents = Array.from({ length: 50_000 }, (_, i) => ({
      ...at(`m${i}`, 0, random() * 2),
      lon: 120.15 + ((random() - 0.5) * 300 * metre) / Math.cos((LAT * Math.PI) / 180),
      lat: LAT + (random() - 0.5) * 300 * metre,
    }));
    // Every two points are at most 300·√2 ≈ 424 m apart, so all are cores of one cluster.
    const r = findClusters(incidents, nowMs, config);
    expect(r.count).toBe(1);
    expect(r.clusters[0]!.incidentIds).toEqual(incidents.map((x) => x.id));
    const meanLon = incidents.reduce((sum, x) => sum + x.lon, 0) / incidents.length;
    const meanLat = incidents.reduce((sum, x) => sum + x.lat, 0) / incidents.length;
    expect(r.clusters[0]!.center[0]).toBeCloseTo(meanLon, 9);
    expect(r.clusters[0]!.center[1]).toBeCloseTo(meanLat, 9);
    // The mean of a uniform square is its middle, to within a metre or so at this size.
    expect(haversineM(meanLon, meanLat, 120.15, LAT)).toBeLessThan(3);
  });
});

/**
 * Finds spatial clusters of recent incidents (DOMAIN §4: "≥ 3 incidents within 500 m and 24 h").
 *
 * Definition (density-based, as DBSCAN with eps = radiusM and minPts = minCount):
 * - only incidents that are not rejected and at most `cluster.windowHours` old take part
 *   (future-dated ones count as now, as in the score);
 * - two incidents are neighbours when their great-circle (haversine, R = 6,371,008.8 m) distance
 *   is ≤ radiusM;
 * - an incident is a core when at least minCount incidents, itself included, lie within radiusM
 *   of it (so "≥ 3 within 500 m" means: some incident has 2 others within 500 m of it);
 * - a cluster is a maximal set of cores connected through neighbouring cores, plus every non-core
 *   neighbour of those cores. A non-core neighbour of cores in two clusters joins the cluster of
 *   the core that comes first in input order, so each incident is in at most one cluster and the
 *   result does not depend on hash or index order.
 * Neighbours come from a Flatbush index queried with the radius as a lon/lat box, so the cost is
 * about n log n for city-scale data, not n² pairs.
 */
import Flatbush from 'flatbush';
import type { RiskConfig } from './config.ts';
import { EARTH_RADIUS_M, haversineM } from '../spatial/haversine.ts';
import { withinHours, type RiskIncident } from './score.ts';

export { EARTH_RADIUS_M, haversineM } from '../spatial/haversine.ts';

/** One cluster: mean position of its incidents, their number and ids (input order). */
export interface RiskCluster {
  center: [number, number];
  size: number;
  incidentIds: string[];
}

/** The clusters found in a set of incidents. */
export interface ClusterResult {
  count: number;
  clusters: RiskCluster[];
}

/**
 * Indices of points within `radiusM` of point i (i included), in no particular order: the callers
 * need the count and the smallest core index, not a sorted list, so no Set, spread or sort per point.
 */
function neighbours(tree: Flatbush, points: readonly RiskIncident[], i: number, radiusM: number): number[] {
  const p = points[i]!;
  const dLat = (radiusM / EARTH_RADIUS_M) * (180 / Math.PI);
  const cosLat = Math.cos((Math.min(90, Math.abs(p.lat) + dLat) * Math.PI) / 180);
  // Near a pole the lon span of the circle is the whole world; search every longitude.
  const dLon = cosLat > 1e-9 ? dLat / cosLat : 360;
  const within = (j: number): boolean => {
    const q = points[j]!;
    return haversineM(p.lon, p.lat, q.lon, q.lat) <= radiusM;
  };
  const found = tree.search(p.lon - dLon, p.lat - dLat, p.lon + dLon, p.lat + dLat, within);
  // Only a circle crossing the antimeridian needs a second box, and only then can a point repeat.
  const extra: number[] = [];
  if (p.lon - dLon < -180) extra.push(...tree.search(p.lon - dLon + 360, p.lat - dLat, 180, p.lat + dLat, within));
  if (p.lon + dLon > 180) extra.push(...tree.search(-180, p.lat - dLat, p.lon + dLon - 360, p.lat + dLat, within));
  return extra.length === 0 ? found : [...new Set([...found, ...extra])];
}

/** Finds the clusters among `incidents` at `nowMs` with `config.cluster` (ignores `enabled`). */
export function findClusters(incidents: readonly RiskIncident[], nowMs: number, config: RiskConfig): ClusterResult {
  const { minCount, radiusM, windowHours } = config.cluster;
  const points = incidents.filter(
    (x) => withinHours(x, nowMs, windowHours) && Number.isFinite(x.lon) && Number.isFinite(x.lat),
  );
  if (points.length < minCount || points.length === 0) return { count: 0, clusters: [] };

  const tree = new Flatbush(points.length);
  for (const p of points) tree.add(p.lon, p.lat, p.lon, p.lat);
  tree.finish();

  const near = points.map((_, i) => neighbours(tree, points, i, radiusM));
  const isCore = near.map((n) => n.length >= minCount);

  // Union-find over cores: neighbouring cores share a cluster.
  const parent = points.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  near.forEach((n, i) => {
    if (!isCore[i]) return;
    for (const j of n) if (isCore[j]) parent[Math.max(root(i), root(j))] = Math.min(root(i), root(j));
  });

  // Each incident joins the cluster of its first core (itself when it is one).
  const clusterOf = new Map<number, number[]>();
  points.forEach((_, i) => {
    let core = isCore[i] ? i : -1;
    if (core < 0) for (const j of near[i]!) if (isCore[j] && (core < 0 || j < core)) core = j;
    if (core < 0) return;
    const r = root(core);
    const members = clusterOf.get(r) ?? [];
    members.push(i);
    clusterOf.set(r, members);
  });

  const clusters = [...clusterOf.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, members]): RiskCluster => {
      let lon = 0;
      let lat = 0;
      for (const i of members) {
        lon += points[i]!.lon;
        lat += points[i]!.lat;
      }
      // A plain mean is fine at 500 m scale; clusters never span the antimeridian in practice.
      return {
        center: [lon / members.length, lat / members.length],
        size: members.length,
        incidentIds: members.map((i) => points[i]!.id),
      };
    });
  return { count: clusters.length, clusters };
}

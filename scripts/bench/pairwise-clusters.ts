/**
 * The previous cluster finder, kept as the bench baseline of `mass-event`: the body below is the
 * `findClusters` that server/domain/risk/clusters.ts held before the grid rewrite, copied verbatim
 * (only the name and imports differ). It keeps every neighbour list, so its time and memory grow
 * with the square of the number of incidents near each other. Do not use it outside the bench.
 */
import Flatbush from 'flatbush';
import type { RiskConfig } from '../../server/domain/risk/config.ts';
import type { ClusterResult, RiskCluster } from '../../server/domain/risk/clusters.ts';
import { withinHours, type RiskIncident } from '../../server/domain/risk/score.ts';
import { EARTH_RADIUS_M, haversineM } from '../../server/domain/spatial/haversine.ts';

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
export function findClustersPairwise(incidents: readonly RiskIncident[], nowMs: number, config: RiskConfig): ClusterResult {
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

/**
 * Finds spatial clusters of recent incidents (docs/domain.md §5.3: at least 3 incidents within 500 m and 24 h).
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
 *   result does not depend on hash or index order;
 * - clusters are listed by their first core in input order, members in input order, the centre
 *   being the plain mean of the members' lon and lat summed in that order.
 *
 * Method: the points go into a 3D grid on the unit sphere (sphere-grid.ts) whose cells are small
 * enough that any two points of one cell are neighbours, and whose ±2 cells hold every neighbour
 * (for radii under ~10 µm rounding forbids the first, and cells are measured like their neighbours).
 * The work then stays bounded however many incidents share a street:
 * - cores: a cell holding ≥ minCount points is all cores, unmeasured; any other point counts
 *   neighbours only until it reaches minCount;
 * - connection: the cores of one cell are connected (they are neighbours); two cells connect at
 *   the first pair of neighbouring cores found, searched by halving boxes (hasPairWithin) so that
 *   groups facing each other across a gap cost about n log n, not n²; cells already connected or
 *   out of reach are not searched; union-find keeps each component's smallest core index as root;
 * - borders: a non-core joins the smallest core index among its neighbours; cells keep points in
 *   input order, so each candidate cell is read only up to its first neighbouring core.
 * No neighbour list is kept, so memory is linear. A dense cell is read whole only by the few
 * points of sparse cells around it (fewer than minCount per cell) that find no neighbour in it.
 *
 * Why the result is exactly the definition's: every "are these two neighbours" decision is
 * `haversineM(...) <= radiusM`, the distance the definition names. The grid only skips pairs it
 * proves too far apart and asserts "neighbours" only inside a cell, both with margins far above
 * rounding (see sphere-grid.ts); and cores, components, the smallest core per border point and the
 * output order are facts of the neighbour relation, whatever order the search visits pairs in.
 */
import type { RiskConfig } from './config.ts';
import { EARTH_RADIUS_M, haversineM } from '../spatial/haversine.ts';
import { withinHours, type RiskIncident } from './score.ts';
import { buildSphereGrid, chordSquared, hasPairWithin, pointToBoxSquared, type SphereGrid } from './sphere-grid.ts';

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

/** The grid plus the one pair test every decision goes through. */
interface Search {
  grid: SphereGrid;
  reachSquared: number;
  within(i: number, j: number): boolean;
}

/**
 * First position in `grid.near` to read for cell c: when a cell is not a clique its own points
 * must be measured too, and position `nearStart[c] - 1` stands for the cell itself.
 */
function firstCandidate(grid: SphereGrid, c: number): number {
  return grid.clique ? grid.nearStart[c]! : grid.nearStart[c]! - 1;
}

function candidateCell(grid: SphereGrid, c: number, at: number): number {
  return at < grid.nearStart[c]! ? c : grid.near[at]!;
}

/** 1 for each core: ≥ minCount neighbours, itself included, counted only up to minCount. */
function findCores({ grid, reachSquared, within }: Search, minCount: number): Uint8Array {
  const isCore = new Uint8Array(grid.cellItems.length);
  for (let c = 0; c < grid.cellCount; c++) {
    const from = grid.cellStart[c]!;
    const to = grid.cellStart[c + 1]!;
    if (grid.clique && to - from >= minCount) {
      for (let k = from; k < to; k++) isCore[grid.cellItems[k]!] = 1;
      continue;
    }
    for (let k = from; k < to; k++) {
      const p = grid.cellItems[k]!;
      let count = grid.clique ? to - from : 0;
      scan: for (let at = firstCandidate(grid, c); at < grid.nearStart[c + 1]!; at++) {
        const b = candidateCell(grid, c, at);
        if (pointToBoxSquared(grid, p, b) > reachSquared) continue;
        for (let m = grid.cellStart[b]!; m < grid.cellStart[b + 1]!; m++) {
          if (within(p, grid.cellItems[m]!) && ++count >= minCount) break scan;
        }
      }
      if (count >= minCount) isCore[p] = 1;
    }
  }
  return isCore;
}

/** Each cell's cores, in input order: `coreItems[coreStart[c] … coreStart[c + 1])`. */
function coresByCell(grid: SphereGrid, isCore: Uint8Array): { coreStart: Int32Array; coreItems: Int32Array } {
  const coreStart = new Int32Array(grid.cellCount + 1);
  const coreItems = new Int32Array(grid.cellItems.length);
  let count = 0;
  for (let c = 0; c < grid.cellCount; c++) {
    for (let k = grid.cellStart[c]!; k < grid.cellStart[c + 1]!; k++) if (isCore[grid.cellItems[k]!]) coreItems[count++] = grid.cellItems[k]!;
    coreStart[c + 1] = count;
  }
  return { coreStart, coreItems: coreItems.subarray(0, count) };
}

/** Union-find over points whose root is always the smallest index of its set. */
class SmallestRoot {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]!]!;
      i = this.parent[i]!;
    }
    return i;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra < rb) this.parent[rb] = ra;
    else if (rb < ra) this.parent[ra] = rb;
  }
}

/** Connects neighbouring cores; a core's cluster is then identified by `find(core)`. */
function connectCores({ grid, within }: Search, coreStart: Int32Array, coreItems: Int32Array): SmallestRoot {
  const sets = new SmallestRoot(grid.cellItems.length);
  // Copies of two cells' cores for hasPairWithin, which reorders them (coreItems stays in input order).
  const left = new Int32Array(coreItems.length);
  const right = new Int32Array(coreItems.length);
  for (let c = 0; c < grid.cellCount; c++) {
    const from = coreStart[c]!;
    const to = coreStart[c + 1]!;
    if (from === to) continue;
    if (grid.clique) {
      for (let k = from + 1; k < to; k++) sets.union(coreItems[from]!, coreItems[k]!);
    } else {
      for (let k = from; k < to; k++) for (let m = k + 1; m < to; m++) if (within(coreItems[k]!, coreItems[m]!)) sets.union(coreItems[k]!, coreItems[m]!);
    }
    for (let at = grid.nearStart[c]!; at < grid.nearStart[c + 1]!; at++) {
      const b = grid.near[at]!;
      // Each pair of cells once, and only cells that have cores.
      if (b < c || coreStart[b] === coreStart[b + 1]) continue;
      if (grid.clique) {
        // Each cell's cores are one set already: one neighbouring pair connects the two cells.
        if (sets.find(coreItems[from]!) === sets.find(coreItems[coreStart[b]!]!)) continue;
        left.set(coreItems.subarray(from, to));
        right.set(coreItems.subarray(coreStart[b]!, coreStart[b + 1]!));
        const found = hasPairWithin(grid, left.subarray(0, to - from), right.subarray(0, coreStart[b + 1]! - coreStart[b]!), within);
        if (found) sets.union(coreItems[from]!, coreItems[coreStart[b]!]!);
        continue;
      }
      // Below the clique radius, cores of one cell may be in different sets: every pair counts.
      for (let k = from; k < to; k++) {
        for (let m = coreStart[b]!; m < coreStart[b + 1]!; m++) {
          const [p, q] = [coreItems[k]!, coreItems[m]!];
          if (sets.find(p) !== sets.find(q) && within(p, q)) sets.union(p, q);
        }
      }
    }
  }
  return sets;
}

/** For each non-core point, the smallest index of a core within the radius, or -1. */
function nearestCoreByIndex({ grid, reachSquared, within }: Search, isCore: Uint8Array, coreStart: Int32Array, coreItems: Int32Array): Int32Array {
  const home = new Int32Array(grid.cellItems.length).fill(-1);
  for (let c = 0; c < grid.cellCount; c++) {
    for (let k = grid.cellStart[c]!; k < grid.cellStart[c + 1]!; k++) {
      const p = grid.cellItems[k]!;
      if (isCore[p]) continue;
      // In a clique grid every core of p's own cell is a neighbour, and the first is the smallest.
      let best = grid.clique && coreStart[c]! < coreStart[c + 1]! ? coreItems[coreStart[c]!]! : -1;
      for (let at = firstCandidate(grid, c); at < grid.nearStart[c + 1]!; at++) {
        const b = candidateCell(grid, c, at);
        if (pointToBoxSquared(grid, p, b) > reachSquared) continue;
        for (let m = coreStart[b]!; m < coreStart[b + 1]!; m++) {
          const q = coreItems[m]!;
          if (best >= 0 && q >= best) break;
          if (within(p, q)) {
            best = q;
            break;
          }
        }
      }
      home[p] = best;
    }
  }
  return home;
}

/** Finds the clusters among `incidents` at `nowMs` with `config.cluster` (ignores `enabled`). */
export function findClusters(incidents: readonly RiskIncident[], nowMs: number, config: RiskConfig): ClusterResult {
  const { minCount, radiusM, windowHours } = config.cluster;
  const points = incidents.filter(
    (x) => withinHours(x, nowMs, windowHours) && Number.isFinite(x.lon) && Number.isFinite(x.lat),
  );
  if (points.length < minCount || points.length === 0) return { count: 0, clusters: [] };

  const lon = new Float64Array(points.length);
  const lat = new Float64Array(points.length);
  points.forEach((p, i) => {
    lon[i] = p.lon;
    lat[i] = p.lat;
  });
  const grid = buildSphereGrid(lon, lat, radiusM, EARTH_RADIUS_M);
  const reachSquared = grid.reach * grid.reach;
  const search: Search = {
    grid,
    reachSquared,
    // The chord test only spares haversine's trigonometry for pairs it proves apart.
    within: (i, j) => chordSquared(grid, i, j) <= reachSquared && haversineM(lon[i]!, lat[i]!, lon[j]!, lat[j]!) <= radiusM,
  };
  const isCore = findCores(search, minCount);
  const { coreStart, coreItems } = coresByCell(grid, isCore);
  const sets = connectCores(search, coreStart, coreItems);
  const home = nearestCoreByIndex(search, isCore, coreStart, coreItems);

  // Each incident joins the cluster of its first core (itself when it is one). A cluster is known
  // by its root, its smallest core index, which is also the order clusters are listed in.
  const rootOf = new Int32Array(points.length).fill(-1);
  const slotOf = new Int32Array(points.length).fill(-1);
  const roots: number[] = [];
  for (let i = 0; i < points.length; i++) {
    const core = isCore[i] ? i : home[i]!;
    if (core < 0) continue;
    const root = sets.find(core);
    rootOf[i] = root;
    if (slotOf[root] === -1) {
      slotOf[root] = 0;
      roots.push(root);
    }
  }
  roots.sort((a, b) => a - b);
  roots.forEach((root, slot) => (slotOf[root] = slot));
  const found = roots.map(() => ({ ids: [] as string[], sumLon: 0, sumLat: 0 }));
  // Members in input order, and the sums in that order too, so the centre is the same float.
  for (let i = 0; i < points.length; i++) {
    if (rootOf[i] === -1) continue;
    const cluster = found[slotOf[rootOf[i]!]!]!;
    cluster.ids.push(points[i]!.id);
    cluster.sumLon += points[i]!.lon;
    cluster.sumLat += points[i]!.lat;
  }
  // A plain mean is fine at 500 m scale; clusters never span the antimeridian in practice.
  const clusters = found.map(({ ids, sumLon, sumLat }): RiskCluster => ({
    center: [sumLon / ids.length, sumLat / ids.length],
    size: ids.length,
    incidentIds: ids,
  }));
  return { count: clusters.length, clusters };
}

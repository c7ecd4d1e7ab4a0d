/** Bench: point → region with our flatbush index against turf point-in-polygon over every region. */
import { booleanPointInPolygon } from '@turf/turf';
import { assignRegion, createRegionIndex, type RegionShape } from '../../server/domain/spatial/region-index.ts';
import type { Position } from '../../server/contract/common.ts';
import { median, timed, type BenchCase, type BenchResult } from './bench-case.ts';
import { jitteredGrid, mulberry32, randomPoints, type Extent } from './synthetic-polygons.ts';

const POINTS = 100_000;
/** turf is ~100× slower: it runs on a prefix of the points and its rate is extrapolated. */
const BASELINE_POINTS = 20_000;
/** Rounds of measurement; ours assigns all points in each, the baseline one slice of its prefix. */
const ROUNDS = 5;
const TARGET_RATIO = 50;
/** About 58 km × 55 km around Hangzhou: a city-sized extent. */
const EXTENT: Extent = [119.9, 30.0, 120.5, 30.5];

function assignAll(regions: readonly RegionShape[], points: readonly Position[]): (string | null)[] {
  const index = createRegionIndex(regions);
  const codes = new Array<string | null>(points.length);
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as Position;
    codes[i] = assignRegion(index, p[0], p[1]);
  }
  return codes;
}

/** What a naive service does: test every region in order, take the first that contains the point. */
function bruteForce(regions: readonly RegionShape[], points: readonly Position[]): (string | null)[] {
  return points.map((p) => {
    for (const r of regions) if (booleanPointInPolygon(p, r.geometry)) return r.code;
    return null;
  });
}

export const regionAssignment: BenchCase = {
  name: 'region-assignment',
  run(): BenchResult {
    const random = mulberry32(42);
    const regions = jitteredGrid(random, { cols: 20, rows: 20, verticesPerCell: 60, extent: EXTENT, holeEvery: 7 });
    const points = randomPoints(random, POINTS, EXTENT, 0.1);

    // Warm both up so the JIT compares optimised code with optimised code.
    assignAll(regions, points.slice(0, 5_000));
    bruteForce(regions, points.slice(0, 300));

    // Rounds interleave ours and a slice of the baseline, so a burst of load from another process
    // hits both sides alike; each side's figure is the median of its rounds.
    const sliceSize = BASELINE_POINTS / ROUNDS;
    const ourRuns: number[] = [];
    const baselineRuns: number[] = [];
    const builds: number[] = [];
    let ours: (string | null)[] = [];
    const turf: (string | null)[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const run = timed(() => assignAll(regions, points));
      ourRuns.push(run.ms);
      ours = run.result;
      builds.push(timed(() => createRegionIndex(regions)).ms);
      const slice = timed(() => bruteForce(regions, points.slice(round * sliceSize, (round + 1) * sliceSize)));
      baselineRuns.push(slice.ms);
      turf.push(...slice.result);
    }
    const ourMs = median(ourRuns);
    const baselineMs = median(baselineRuns);
    const baselinePoints = points.slice(0, BASELINE_POINTS);

    const mismatches = baselinePoints.flatMap((p, i) => (ours[i] === turf[i] ? [] : [{ p, ours: ours[i], turf: turf[i] }]));
    const outside = ours.filter((c) => c === null).length;
    const oursRate = POINTS / (ourMs / 1000);
    const baselineRate = sliceSize / (baselineMs / 1000);
    const ratio = oursRate / baselineRate;
    const vertices = regions.reduce((n, r) => n + (r.geometry.type === 'Polygon' ? r.geometry.coordinates.flat() : r.geometry.coordinates.flat(2)).length, 0);

    const failures: string[] = [];
    if (mismatches.length > 0) {
      const first = mismatches.slice(0, 3).map((m) => `${JSON.stringify(m.p)}: ours ${m.ours}, turf ${m.turf}`);
      failures.push(`${mismatches.length} of ${BASELINE_POINTS} assignments differ from the baseline, e.g. ${first.join('; ')}`);
    }
    if (ratio < TARGET_RATIO) failures.push(`ratio ${ratio.toFixed(1)} is below the target of ${TARGET_RATIO}`);

    return {
      name: 'region-assignment',
      ours: oursRate,
      baseline: baselineRate,
      unit: 'points/s',
      ratio,
      targetRatio: TARGET_RATIO,
      notes: [
        `${regions.length} jittered grid polygons (${vertices} vertices, every 7th with a hole), ${POINTS} seeded points, ${outside} outside every region`,
        `ours includes building the index: median of ${ROUNDS} runs of build + ${POINTS} assignments = ${ourMs.toFixed(1)} ms (build alone ${median(builds).toFixed(2)} ms)`,
        `baseline: turf booleanPointInPolygon over all ${regions.length} polygons in order, on the first ${BASELINE_POINTS} points only, in ${ROUNDS} slices of ${sliceSize} interleaved with ours (median slice ${baselineMs.toFixed(0)} ms); rate extrapolated`,
        `identical assignments on those ${BASELINE_POINTS} points: ${mismatches.length} mismatches`,
        `target: ours >= ${TARGET_RATIO}x baseline`,
      ],
      failures,
    };
  },
};

/**
 * Every district boundary edge in a box index. A box that no edge comes near lies wholly inside one
 * district (or outside all): the district of any point in it. That spares the parcel generator four
 * point-in-polygon tests per city block away from the borders, which is nearly every block.
 */
import Flatbush from 'flatbush';
import type { DemoRegions } from './demo-regions.ts';

export class DistrictBorders {
  private readonly index: Flatbush | null;

  constructor(regions: DemoRegions) {
    const edges: [number, number, number, number][] = [];
    for (const { feature } of regions.list) {
      const parts = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
      for (const ring of parts.flat()) {
        for (let i = 1; i < ring.length; i++) {
          const [x1 = 0, y1 = 0] = ring[i - 1] ?? [];
          const [x2 = 0, y2 = 0] = ring[i] ?? [];
          edges.push([Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2)]);
        }
      }
    }
    if (edges.length === 0) {
      this.index = null;
      return;
    }
    const index = new Flatbush(edges.length);
    for (const [minX, minY, maxX, maxY] of edges) index.add(minX, minY, maxX, maxY);
    index.finish();
    this.index = index;
  }

  /** True when no boundary edge's box meets `[minLon, minLat, maxLon, maxLat]`: no border crosses it. */
  clear([minLon, minLat, maxLon, maxLat]: readonly [number, number, number, number]): boolean {
    return this.index === null || this.index.search(minLon, minLat, maxLon, maxLat).length === 0;
  }
}

/** The districts the demo is generated for: codes and names read as the server reads them, plus a point → district lookup. */
import type { RegionInputCollection, RegionInputFeature } from '../contract/regions.ts';
import { assignRegion, createRegionIndex, type RegionIndex } from '../domain/spatial/region-index.ts';

export type Bbox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export interface DemoRegion {
  code: string;
  name: string;
  bbox: Bbox;
  feature: RegionInputFeature;
}

export interface DemoRegions {
  list: DemoRegion[];
  byCode: Map<string, DemoRegion>;
  /** Box around every region. */
  bbox: Bbox;
  /** Code of the region containing the point (the server's own assignment), or null. */
  regionAt(lon: number, lat: number): string | null;
}

/** `properties.code`, else `properties.adcode`, else the feature `id`: the order the regions import uses. */
export function regionCodeOf(feature: RegionInputFeature, position: number): string {
  const raw = feature.properties?.code ?? feature.properties?.adcode ?? feature.id;
  return raw === undefined ? `region-${position + 1}` : String(raw);
}

function bboxOfFeature(feature: RegionInputFeature): Bbox {
  const box: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
  const parts = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
  for (const rings of parts) {
    for (const pos of rings[0] ?? []) {
      box[0] = Math.min(box[0], pos[0]);
      box[1] = Math.min(box[1], pos[1]);
      box[2] = Math.max(box[2], pos[0]);
      box[3] = Math.max(box[3], pos[1]);
    }
  }
  return box;
}

export function prepareRegions(collection: RegionInputCollection): DemoRegions {
  const list = collection.features.map((feature, i): DemoRegion => {
    const code = regionCodeOf(feature, i);
    const name = feature.properties?.name ?? code;
    return { code, name, bbox: bboxOfFeature(feature), feature };
  });
  const byCode = new Map(list.map((r) => [r.code, r]));
  if (byCode.size !== list.length) throw new Error('region codes must be unique to generate a demo');
  const index: RegionIndex = createRegionIndex(list.map((r) => ({ code: r.code, geometry: r.feature.geometry })));
  const bbox: Bbox = [
    Math.min(...list.map((r) => r.bbox[0])),
    Math.min(...list.map((r) => r.bbox[1])),
    Math.max(...list.map((r) => r.bbox[2])),
    Math.max(...list.map((r) => r.bbox[3])),
  ];
  return { list, byCode, bbox, regionAt: (lon, lat) => assignRegion(index, lon, lat) };
}

/** Rounds a coordinate to 6 decimals (about 0.1 m): what the demo files store. */
export function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** Metres per degree of latitude (and of longitude at the equator), close enough for synthetic data. */
export const METRES_PER_DEGREE = 111_320;

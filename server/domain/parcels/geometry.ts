/**
 * Parcel geometry checks and measures. A parcel boundary drawn wrong (unclosed ring, a bow-tie,
 * too few corners) is refused with the place where it goes wrong, so the surveyor can fix it.
 */
import { area, booleanPointInPolygon, centroid, kinks, pointOnFeature } from '@turf/turf';
import type { ErrorDetail } from '../../contract/common.ts';
import type { ParcelFeature } from '../../contract/parcels.ts';

export type ParcelGeometry = ParcelFeature['geometry'];

/** Most vertices a parcel boundary may have: surveyed parcels have tens, not millions. */
export const MAX_PARCEL_VERTICES = 10_000;

const samePosition = (a: readonly number[], b: readonly number[]): boolean => a[0] === b[0] && a[1] === b[1];

function polygonsOf(geometry: ParcelGeometry): { rings: number[][][]; path: string }[] {
  return geometry.type === 'Polygon'
    ? [{ rings: geometry.coordinates as number[][][], path: 'geometry.coordinates' }]
    : (geometry.coordinates as number[][][][]).map((rings, i) => ({ rings, path: `geometry.coordinates.${i}` }));
}

/**
 * Problems of a parcel boundary, each naming where (`path`) and what; empty when it is fine.
 * Coordinates are already range-checked by the contract's schema.
 */
export function parcelGeometryErrors(geometry: ParcelGeometry): ErrorDetail[] {
  const errors: ErrorDetail[] = [];
  let vertices = 0;
  for (const { rings, path } of polygonsOf(geometry)) {
    rings.forEach((ring, r) => {
      vertices += ring.length;
      const at = `${path}.${r}`;
      if (ring.length < 4) errors.push({ path: at, message: `ring ${r} has ${ring.length} positions; a closed ring needs at least 4 (the first repeated at the end)` });
      else if (!samePosition(ring[0]!, ring.at(-1)!)) {
        errors.push({ path: at, message: `ring ${r} is not closed: it starts at [${ring[0]!.join(', ')}] but ends at [${ring.at(-1)!.join(', ')}]` });
      }
    });
  }
  if (vertices > MAX_PARCEL_VERTICES) errors.push({ path: 'geometry.coordinates', message: `the boundary has ${vertices} vertices; at most ${MAX_PARCEL_VERTICES} are accepted` });
  if (errors.length > 0) return errors;
  for (const { rings, path } of polygonsOf(geometry)) {
    rings.forEach((ring, r) => {
      const crossing = kinks({ type: 'Polygon', coordinates: [ring] }).features[0];
      if (crossing) {
        const [lon, lat] = crossing.geometry.coordinates;
        errors.push({ path: `${path}.${r}`, message: `ring ${r} crosses itself near [${lon}, ${lat}] (a bow-tie or a loop): draw the boundary without crossings` });
      }
    });
  }
  if (errors.length === 0 && area({ type: 'Feature', geometry, properties: {} }) <= 0) {
    errors.push({ path: 'geometry.coordinates', message: 'the parcel has no area' });
  }
  return errors;
}

/** Geodesic area (m²), a point inside the parcel and its bounding box. */
export function measureParcel(geometry: ParcelGeometry): { areaM2: number; center: [number, number]; bbox: [number, number, number, number] } {
  const feature = { type: 'Feature' as const, geometry, properties: {} };
  let center = centroid(feature).geometry.coordinates as [number, number];
  // A C- or L-shaped parcel's centroid can lie outside it; a point on the surface cannot.
  if (!booleanPointInPolygon(center, feature)) center = pointOnFeature(feature).geometry.coordinates as [number, number];
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const { rings } of polygonsOf(geometry)) {
    for (const [lon = 0, lat = 0] of rings[0] ?? []) {
      minLon = Math.min(minLon, lon);
      minLat = Math.min(minLat, lat);
      maxLon = Math.max(maxLon, lon);
      maxLat = Math.max(maxLat, lat);
    }
  }
  return { areaM2: area(feature), center: [center[0]!, center[1]!], bbox: [minLon, minLat, maxLon, maxLat] };
}

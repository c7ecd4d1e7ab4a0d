/** Small planar geometry helpers for placing things on the map (labels, dots, the initial view). */
import type { IncidentGeometry, RegionCollection, RegionGeometry } from '#contract/index.ts';
import { representativePoint } from '#contract/representative-point.ts';

type Ring = readonly (readonly number[])[];
export type LonLat = [number, number];

/** `[[west, south], [east, north]]` of every region, or `null` when there are none. */
export function regionsBounds(regions: RegionCollection): [LonLat, LonLat] | null {
  let west = Infinity, south = Infinity, east = -Infinity, north = -Infinity;
  for (const feature of regions.features) {
    for (const ring of outerRings(feature.geometry)) {
      for (const [lon = NaN, lat = NaN] of ring) {
        if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
        west = Math.min(west, lon); east = Math.max(east, lon);
        south = Math.min(south, lat); north = Math.max(north, lat);
      }
    }
  }
  return Number.isFinite(west) ? [[west, south], [east, north]] : null;
}

function outerRings(geometry: RegionGeometry): Ring[] {
  if (geometry.type === 'Polygon') return geometry.coordinates[0] ? [geometry.coordinates[0]] : [];
  return geometry.coordinates.flatMap((polygon) => (polygon[0] ? [polygon[0]] : []));
}

/** Signed planar area (shoelace); only its magnitude and centroid matter here. */
function ringAreaAndCentroid(ring: Ring): { area: number; centroid: LonLat } {
  let twiceArea = 0, cx = 0, cy = 0;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [x0 = 0, y0 = 0] = ring[i] ?? [];
    const [x1 = 0, y1 = 0] = ring[i + 1] ?? [];
    const cross = x0 * y1 - x1 * y0;
    twiceArea += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  if (twiceArea === 0) {
    const [x = 0, y = 0] = ring[0] ?? [];
    return { area: 0, centroid: [x, y] };
  }
  return { area: Math.abs(twiceArea / 2), centroid: [cx / (3 * twiceArea), cy / (3 * twiceArea)] };
}

function insideRing([x, y]: LonLat, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i] ?? [];
    const [xj = 0, yj = 0] = ring[j] ?? [];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Midpoint of the widest stretch of a horizontal line at `y` that lies inside the ring. */
function scanlinePoint(ring: Ring, y: number): LonLat | null {
  const crossings: number[] = [];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi = 0, yi = 0] = ring[i] ?? [];
    const [xj = 0, yj = 0] = ring[j] ?? [];
    if (yi > y !== yj > y) crossings.push(((xj - xi) * (y - yi)) / (yj - yi) + xi);
  }
  crossings.sort((a, b) => a - b);
  let best: LonLat | null = null;
  let bestWidth = -1;
  for (let k = 0; k + 1 < crossings.length; k += 2) {
    const a = crossings[k] ?? 0, b = crossings[k + 1] ?? 0;
    if (b - a > bestWidth) { bestWidth = b - a; best = [(a + b) / 2, y]; }
  }
  return best;
}

/** Metres per degree of latitude (and of longitude at the equator), for rough planar areas. */
const METRES_PER_DEGREE = 111_320;

export interface LabelAnchor {
  position: LonLat;
  /** Approximate area (m²) of the region's largest part: big parts get big names. */
  areaM2: number;
}

/**
 * Where a region's name goes: the centroid of its largest part, or, when that falls outside a
 * concave shape, the middle of the widest horizontal stretch through it.
 */
export function labelAnchor(geometry: RegionGeometry): LabelAnchor | null {
  let largest: { ring: Ring; area: number; centroid: LonLat } | null = null;
  for (const ring of outerRings(geometry)) {
    const measured = ringAreaAndCentroid(ring);
    if (!largest || measured.area > largest.area) largest = { ring, ...measured };
  }
  if (!largest) return null;
  const { ring, area, centroid } = largest;
  const position = insideRing(centroid, ring) ? centroid : (scanlinePoint(ring, centroid[1]) ?? centroid);
  const metresPerDegreeLon = METRES_PER_DEGREE * Math.cos((position[1] * Math.PI) / 180);
  return { position, areaM2: area * METRES_PER_DEGREE * metresPerDegreeLon };
}

/**
 * Where an incident's dot goes: its point, or the area centroid of its polygon or of the parts of
 * its MultiPolygon (a CAP area of several shapes) weighted by area. The server's own function, so
 * the dot sits at the very point that put the incident in its district.
 */
export function incidentPosition(geometry: IncidentGeometry): LonLat {
  return representativePoint(geometry);
}

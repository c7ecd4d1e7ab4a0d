/** Reduces an incident geometry to the one lon/lat point used to assign it to a region. */
import type { IncidentGeometry } from './incidents.ts';
import type { Position } from './common.ts';

// Below this area, relative to the squared bounding-box diagonal, a polygon is a sliver or a line and
// its area centroid is dominated by rounding noise; the vertex mean is the sensible point then.
const DEGENERATE_AREA_RATIO = 1e-12;

/**
 * `[lon, lat]` of a Point (altitude dropped), or the area centroid of a Polygon: outer ring minus holes,
 * whatever the winding of each ring, computed in the plane of lon/lat degrees. A zero-area polygon
 * (all vertices on a line or a point) gives the mean of its outer ring's distinct vertices. A
 * MultiPolygon (a CAP area of several shapes) gives the area-weighted centroid of its parts.
 */
export function representativePoint(geometry: IncidentGeometry): [number, number] {
  if (geometry.type === 'Point') return [geometry.coordinates[0], geometry.coordinates[1]];
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const origin = polygons[0]?.[0]?.[0];
  if (!origin) throw new Error(`a ${geometry.type} needs a non-empty outer ring to have a representative point`);
  // Moments are taken about the first vertex: coordinates near lon 120 would otherwise lose digits in the cross products.
  const [ox, oy] = origin;
  let area = 0;
  let mx = 0;
  let my = 0;
  for (const polygon of polygons) {
    const m = polygonMoments(polygon, ox, oy);
    area += m.area;
    mx += m.mx;
    my += m.my;
  }
  const outers = polygons.flatMap((p) => p.slice(0, 1));
  const [minX, minY, maxX, maxY] = bounds(outers.flat());
  const diagonal2 = (maxX - minX) ** 2 + (maxY - minY) ** 2;
  if (!(area > DEGENERATE_AREA_RATIO * diagonal2)) return vertexMean(outers[0]!);
  return [ox + mx / area, oy + my / area];
}

/** Area (outer ring minus holes, whatever their winding) and first moments of one polygon about (ox, oy). */
function polygonMoments(rings: readonly (readonly Position[])[], ox: number, oy: number): { area: number; mx: number; my: number } {
  const [outer, ...holes] = rings;
  if (!outer || outer.length === 0) return { area: 0, mx: 0, my: 0 };
  const outerMoments = ringMoments(outer, ox, oy);
  const sign = Math.sign(outerMoments.area);
  let area = Math.abs(outerMoments.area);
  let mx = sign * outerMoments.mx;
  let my = sign * outerMoments.my;
  for (const hole of holes) {
    const m = ringMoments(hole, ox, oy);
    const holeSign = Math.sign(m.area);
    area -= Math.abs(m.area);
    mx -= holeSign * m.mx;
    my -= holeSign * m.my;
  }
  return { area, mx, my };
}

/** Signed area and first moments (area × centroid) of a ring, relative to (ox, oy); closes the ring if needed. */
function ringMoments(ring: readonly Position[], ox: number, oy: number): { area: number; mx: number; my: number } {
  let twiceArea = 0;
  let sx = 0;
  let sy = 0;
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const a = ring[i] as Position;
    const b = ring[(i + 1) % n] as Position; // the wrap-around edge is zero-length when the ring is closed
    const ax = a[0] - ox;
    const ay = a[1] - oy;
    const bx = b[0] - ox;
    const by = b[1] - oy;
    const cross = ax * by - bx * ay;
    twiceArea += cross;
    sx += (ax + bx) * cross;
    sy += (ay + by) * cross;
  }
  return { area: twiceArea / 2, mx: sx / 6, my: sy / 6 };
}

function bounds(ring: readonly Position[]): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of ring) {
    minX = Math.min(minX, p[0]);
    minY = Math.min(minY, p[1]);
    maxX = Math.max(maxX, p[0]);
    maxY = Math.max(maxY, p[1]);
  }
  return [minX, minY, maxX, maxY];
}

/** Mean of the ring's vertices, counting the closing repeat of the first vertex once. */
function vertexMean(ring: readonly Position[]): [number, number] {
  const first = ring[0] as Position;
  const last = ring[ring.length - 1] as Position;
  const n = ring.length > 1 && first[0] === last[0] && first[1] === last[1] ? ring.length - 1 : ring.length;
  let x = 0;
  let y = 0;
  for (let i = 0; i < n; i++) {
    const p = ring[i] as Position;
    x += p[0];
    y += p[1];
  }
  return [x / n, y / n];
}

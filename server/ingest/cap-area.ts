/**
 * CAP areas as geometry: polygons and circles (CAP writes "lat,lon", latitude first) read into
 * GeoJSON, several shapes into one MultiPolygon, or an area placed by its geocodes alone.
 *
 * Areas. One `<polygon>` → Polygon; one `<circle>` → Point at its centre with `attributes.radiusKm`;
 * more shapes → MultiPolygon of every polygon, then every circle (the parser does not keep the order
 * between the two kinds), each circle approximated by a 64-gon on the sphere, with
 * `attributes.circles: [{center: [lon, lat], radiusKm}]`. An area given by `<geocode>`s alone →
 * `geometry: null`, `geocodes` and `placePath` (the intake resolves them against stored regions);
 * geocodes of an area that has shapes are not used. An area with neither is an error.
 */
import type { ErrorDetail } from '../contract/common.ts';
import type { IncidentGeometry } from '../contract/incidents.ts';
import { children, text, textsByPosition, type Node } from './cap-document.ts';

export const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

type LonLat = [number, number];

/** "lat,lon" (CAP writes latitude first) → GeoJSON [lon, lat], or what is wrong with it. */
function position(pair: string, what: string): LonLat | string {
  const parts = pair.split(',');
  if (parts.length !== 2 || !parts.every((p) => DECIMAL.test(p))) return `${what} "${pair}" is not "lat,lon" in decimal degrees`;
  const [lat, lon] = parts.map(Number) as [number, number];
  if (Math.abs(lat) > 90) return `${what} has latitude ${lat}, outside [-90, 90]; CAP writes latitude first ("lat,lon")`;
  if (Math.abs(lon) > 180) return `${what} has longitude ${lon}, outside [-180, 180]`;
  return [lon, lat];
}

// Producers sometimes write "30.1, 120.2": a space after the comma is not a new point.
export const tidy = (raw: string): string => raw.trim().replace(/\s*,\s*/g, ',');

/** A closed GeoJSON ring of at least 4 positions from a CAP polygon, or what is wrong with it. */
function polygonRing(raw: string): LonLat[] | string {
  const ring: LonLat[] = [];
  for (const [k, pair] of tidy(raw).split(/\s+/).entries()) {
    const p = position(pair, `point ${k + 1}`);
    if (typeof p === 'string') return p;
    ring.push(p);
  }
  const first = ring[0];
  const last = ring[ring.length - 1];
  // CAP requires the first point repeated at the end; close an open ring rather than lose the alert.
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) ring.push(first);
  if (ring.length < 4) return `has ${ring.length} point(s) once closed; a polygon needs at least 3 corners and the first repeated at the end`;
  return ring;
}

interface Circle {
  center: LonLat;
  radiusKm: number;
}

function circle(raw: string): Circle | string {
  const parts = tidy(raw).split(/\s+/);
  const [centre, radius] = parts;
  if (parts.length !== 2 || centre === undefined || radius === undefined) return `"${raw.trim()}" is not "lat,lon radius_km"`;
  const p = position(centre, 'the centre');
  if (typeof p === 'string') return p;
  // A decimal of hundreds of digits is Infinity as a number: no distance, and no ring around it.
  const km = Number(radius);
  if (!DECIMAL.test(radius) || km < 0 || !Number.isFinite(km)) return `the radius "${radius}" is not a distance in kilometres`;
  return { center: p, radiusKm: km };
}

/** Mean Earth radius (IUGG), the sphere CAP circles are drawn on here. */
const EARTH_RADIUS_KM = 6371.0088;
/** Corners of the polygon standing for a circle: its sides stray at most 0.12 % of the radius inside the circle (12 m on 10 km). */
const CIRCLE_SIDES = 64;
const round7 = (x: number): number => Math.round(x * 1e7) / 1e7; // 1e-7 degree is about 1 cm

/**
 * A circle as a closed ring of CIRCLE_SIDES corners on the sphere, each at the great-circle distance
 * `radiusKm` from the centre (the destination-point formula), counter-clockwise on a lon/lat map as
 * GeoJSON asks of an outer ring. A zero radius (CAP's way to give a point) has no area: its ring is
 * the centre four times, the fewest positions a GeoJSON ring may hold.
 */
function circleRing({ center, radiusKm }: Circle): LonLat[] {
  if (radiusKm === 0) return Array.from({ length: 4 }, (): LonLat => [center[0], center[1]]);
  const rad = Math.PI / 180;
  const d = radiusKm / EARTH_RADIUS_KM;
  const lat1 = center[1] * rad;
  const lon1 = center[0] * rad;
  const ring: LonLat[] = [];
  for (let k = 0; k < CIRCLE_SIDES; k++) {
    const bearing = (-2 * Math.PI * k) / CIRCLE_SIDES; // north, then west: counter-clockwise
    const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(bearing));
    const lon2 = lon1 + Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
    ring.push([round7((((lon2 / rad + 540) % 360) + 360) % 360 - 180), round7(lat2 / rad)]);
  }
  ring.push(ring[0] as LonLat);
  return ring;
}

export type Geocode = { valueName: string; value: string };
export type Place = { geometry: IncidentGeometry | null; geocodes?: Geocode[]; attributes: Record<string, unknown> };

/** The area's geometry from all its shapes, else its geocodes, and the attributes it adds; or what is wrong. */
export function readArea(area: Node, at: string): Place | ErrorDetail[] {
  const areaDesc = text(area, 'areaDesc');
  const attributes: Record<string, unknown> = areaDesc === undefined ? {} : { areaDesc };
  const errors: ErrorDetail[] = [];
  // One element of a kind is named plainly (`polygon`), as before areas could hold several.
  const pathOf = (name: string, k: number, of: number) => (of === 1 ? `${at}/${name}` : `${at}/${name}[${k + 1}]`);
  const rings: LonLat[][] = [];
  const polygonTexts = textsByPosition(area, 'polygon');
  polygonTexts.forEach((raw, k) => {
    if (raw === undefined) return;
    const ring = polygonRing(raw);
    if (typeof ring === 'string') errors.push({ path: pathOf('polygon', k, polygonTexts.length), message: ring });
    else rings.push(ring);
  });
  const circles: Circle[] = [];
  const circleTexts = textsByPosition(area, 'circle');
  circleTexts.forEach((raw, k) => {
    if (raw === undefined) return;
    const c = circle(raw);
    if (typeof c === 'string') errors.push({ path: pathOf('circle', k, circleTexts.length), message: c });
    else circles.push(c);
  });
  if (errors.length > 0) return errors;
  const [ring] = rings;
  const [only] = circles;
  if (rings.length + circles.length > 1) {
    const geometry: IncidentGeometry = { type: 'MultiPolygon', coordinates: [...rings.map((r) => [r]), ...circles.map((c) => [circleRing(c)])] };
    return { geometry, attributes: circles.length === 0 ? attributes : { ...attributes, circles } };
  }
  if (ring) return { geometry: { type: 'Polygon', coordinates: [ring] }, attributes };
  if (only) return { geometry: { type: 'Point', coordinates: only.center }, attributes: { ...attributes, radiusKm: only.radiusKm } };
  const geocodeNodes = children(area, 'geocode');
  if (geocodeNodes.length === 0) return [{ path: at, message: 'this area has no <polygon>, <circle> or <geocode>, so it cannot be placed on the map' }];
  // A pair missing its name or value names no place; the others still do.
  const geocodes = geocodeNodes.flatMap((g): Geocode[] => {
    const valueName = text(g, 'valueName');
    const value = text(g, 'value');
    return valueName === undefined || value === undefined ? [] : [{ valueName, value }];
  });
  if (geocodes.length === 0) return [{ path: geocodeNodes.length === 1 ? `${at}/geocode` : at, message: 'no <geocode> of this area has both a <valueName> and a <value>, so it cannot be placed on the map' }];
  return { geometry: null, geocodes, attributes };
}

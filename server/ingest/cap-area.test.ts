/** CAP areas: polygons and circles to GeoJSON, several shapes to one MultiPolygon, areas given by geocode. */
import { describe, expect, it } from 'vitest';
import { alert, batch, circleArea, first, info, polygonArea } from '../../test/support/cap-alerts.ts';
import { parseCapIncidents } from './cap.ts';

describe('parseCapIncidents: geometry', () => {
  it('turns a lat-first polygon into a GeoJSON [lon, lat] ring', () => {
    expect(first(alert(info(polygonArea('30.1,120.1 30.2,120.1 30.2,120.3 30.1,120.1'))))?.geometry).toEqual({
      type: 'Polygon', coordinates: [[[120.1, 30.1], [120.1, 30.2], [120.3, 30.2], [120.1, 30.1]]],
    });
  });

  it('closes an open ring, and refuses fewer than three corners', () => {
    expect(first(alert(info(polygonArea('30.1,120.1 30.2,120.1 30.2,120.3'))))?.geometry).toEqual({
      type: 'Polygon', coordinates: [[[120.1, 30.1], [120.1, 30.2], [120.3, 30.2], [120.1, 30.1]]],
    });
    expect(batch(alert(info(polygonArea('30.1,120.1 30.2,120.1 30.1,120.1')))).errors[0]?.details[0]?.path).toBe('alert/info[1]/area[1]/polygon');
  });

  it('reads "lat, lon" with a space after the comma', () => {
    expect(first(alert(info(circleArea('30.25, 120.15 2'))))?.geometry).toEqual({ type: 'Point', coordinates: [120.15, 30.25] });
  });

  it('tells the sender that CAP writes latitude first when the polygon is lon-first', () => {
    const b = batch(alert(info(polygonArea('120.1,30.1 120.1,30.2 120.3,30.2 120.1,30.1'))));
    expect(b.errors[0]?.details[0]?.message).toMatch(/latitude 120.1, outside \[-90, 90\]; CAP writes latitude first/);
  });

  it('turns a circle into its centre with the radius in km in attributes', () => {
    const d = first(alert(info(circleArea('30.25,120.15 2.5'))));
    expect(d?.geometry).toEqual({ type: 'Point', coordinates: [120.15, 30.25] });
    expect(d?.attributes.radiusKm).toBe(2.5);
  });


  it.each(['30.25,120.15', '30.25,120.15 -1', '30.25,120.15 NaN', 'x,y 1', '30.25,200 1', `30.25,120.15 ${'9'.repeat(400)}`])('refuses the circle %j', (text) => {
    expect(batch(alert(info(circleArea(text)))).errors[0]?.details[0]?.path).toBe('alert/info[1]/area[1]/circle');
  });

  it('refuses an area with no polygon, circle or geocode, naming the area', () => {
    expect(batch(alert(info('<area><areaDesc>x</areaDesc></area>'))).errors).toEqual([
      { index: 0, details: [{ path: 'alert/info[1]/area[1]', message: 'this area has no <polygon>, <circle> or <geocode>, so it cannot be placed on the map' }] },
    ]);
  });
});

/** Great-circle distance in km on the sphere of mean radius 6371.0088 km, by the haversine formula. */
function haversineKm([lon1, lat1]: readonly number[], [lon2, lat2]: readonly number[]): number {
  const rad = Math.PI / 180;
  const a = Math.sin(((lat2! - lat1!) * rad) / 2) ** 2 + Math.cos(lat1! * rad) * Math.cos(lat2! * rad) * Math.sin(((lon2! - lon1!) * rad) / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.sqrt(a));
}
/** Twice the signed area of a ring in the lon/lat plane: positive when counter-clockwise. */
const shoelace = (ring: readonly (readonly number[])[]) => ring.slice(1).reduce((sum, p, k) => sum + ring[k]![0]! * p[1]! - p[0]! * ring[k]![1]!, 0);

describe('parseCapIncidents: areas of several shapes', () => {
  const square = '30.1,120.1 30.2,120.1 30.2,120.2 30.1,120.2 30.1,120.1';
  const triangle = '31,121 31.5,121 31,121.5 31,121';

  it('keeps two polygons and a circle as a MultiPolygon of three parts, and the circle in attributes', () => {
    const d = first(alert(info(`<area><areaDesc>d</areaDesc><polygon>${square}</polygon><circle>30.25,120.15 2</circle><polygon>${triangle}</polygon></area>`)));
    expect(d?.geometry?.type).toBe('MultiPolygon');
    const parts = d?.geometry?.type === 'MultiPolygon' ? d.geometry.coordinates : [];
    expect(parts).toHaveLength(3);
    // Polygons first, in document order, then circles.
    expect(parts[0]).toEqual([[[120.1, 30.1], [120.1, 30.2], [120.2, 30.2], [120.2, 30.1], [120.1, 30.1]]]);
    expect(parts[1]).toEqual([[[121, 31], [121, 31.5], [121.5, 31], [121, 31]]]);
    expect(d?.attributes.circles).toEqual([{ center: [120.15, 30.25], radiusKm: 2 }]);
    expect(d?.attributes).not.toHaveProperty('radiusKm');
    expect(d?.attributes.areaDesc).toBe('d');
  });

  it('draws a circle as a closed, counter-clockwise 64-gon whose corners lie at the radius', () => {
    const d = first(alert(info(`<area><polygon>${square}</polygon><circle>30.25,120.15 2</circle></area>`)));
    const ring = d?.geometry?.type === 'MultiPolygon' ? (d.geometry.coordinates[1]?.[0] ?? []) : [];
    expect(ring).toHaveLength(65);
    expect(ring[64]).toEqual(ring[0]);
    for (const p of ring) expect(haversineKm([120.15, 30.25], p)).toBeCloseTo(2, 4);
    // The first corner is due north: 2 km is 2 / 6371.0088 rad = 0.0179864° of latitude.
    expect(ring[0]?.[0]).toBeCloseTo(120.15, 7);
    expect(ring[0]?.[1]).toBeCloseTo(30.2679864, 6);
    // A quarter of the way round (16 corners) it is due west, on the same side as GeoJSON's right-hand rule puts it.
    expect(ring[16]?.[0]).toBeLessThan(120.15);
    expect(ring[16]?.[1]).toBeCloseTo(30.25, 4);
    expect(shoelace(ring)).toBeGreaterThan(0);
  });

  it('draws two circles as two 64-gons; a zero radius as its centre four times', () => {
    const d = first(alert(info('<area><circle>30,120 1</circle><circle>31,121 0</circle></area>')));
    const parts = d?.geometry?.type === 'MultiPolygon' ? d.geometry.coordinates : [];
    expect(parts.map((p) => p[0]?.length)).toEqual([65, 4]);
    expect(parts[1]).toEqual([[[121, 31], [121, 31], [121, 31], [121, 31]]]);
    expect(d?.attributes.circles).toEqual([{ center: [120, 30], radiusKm: 1 }, { center: [121, 31], radiusKm: 0 }]);
  });

  it('keeps a circle that reaches over the antimeridian inside [-180, 180]', () => {
    const d = first(alert(info('<area><circle>0,179.99 5</circle><circle>0,0 1</circle></area>')));
    const ring = d?.geometry?.type === 'MultiPolygon' ? (d.geometry.coordinates[0]?.[0] ?? []) : [];
    expect(ring.every((p) => Math.abs(p[0]!) <= 180)).toBe(true);
    expect(ring.some((p) => p[0]! < 0)).toBe(true);
  });

  it('names the broken shape by its position when an area has several of a kind', () => {
    const b = batch(alert(info(`<area><polygon>${square}</polygon><polygon>30.1,120.1 30.2,120.1</polygon><circle>30,120 -1</circle></area>`)));
    expect(b.drafts).toEqual([]);
    expect(b.errors[0]?.details.map((e) => e.path)).toEqual(['alert/info[1]/area[1]/polygon[2]', 'alert/info[1]/area[1]/circle']);
  });
});

describe('parseCapIncidents: areas given by geocode', () => {
  const geocode = (name: string, value: string) => `<geocode><valueName>${name}</valueName><value>${value}</value></geocode>`;

  it('places an area of geocodes only by null geometry, its geocodes and its path', () => {
    const xml = alert(info(circleArea() + `<area><areaDesc>Los Angeles County</areaDesc>${geocode('SAME', '006037')}${geocode('FIPS6', '006037')}</area>`));
    const d = batch(xml).drafts[1]?.draft;
    expect(d?.geometry).toBeNull();
    expect(d?.geocodes).toEqual([{ valueName: 'SAME', value: '006037' }, { valueName: 'FIPS6', value: '006037' }]);
    expect(d?.placePath).toBe('alert/info[1]/area[2]');
    expect(d?.attributes.areaDesc).toBe('Los Angeles County');
  });

  it('keeps the geometry, and leaves geocodes aside, when an area also has a shape', () => {
    const d = first(alert(info(`<area><circle>30,120 1</circle>${geocode('SAME', '006037')}</area>`)));
    expect(d?.geometry).toEqual({ type: 'Point', coordinates: [120, 30] });
    expect(d?.geocodes).toBeUndefined();
    expect(d?.placePath).toBeUndefined();
  });

  it('skips a geocode without name or value, and refuses an area whose geocodes all lack one', () => {
    const half = '<geocode><valueName>SAME</valueName></geocode>';
    expect(first(alert(info(`<area>${half}${geocode('UGC', 'CAZ041')}</area>`)))?.geocodes).toEqual([{ valueName: 'UGC', value: 'CAZ041' }]);
    expect(batch(alert(info(`<area>${half}</area>`))).errors).toEqual([
      { index: 0, details: [{ path: 'alert/info[1]/area[1]/geocode', message: 'no <geocode> of this area has both a <valueName> and a <value>, so it cannot be placed on the map' }] },
    ]);
  });
});

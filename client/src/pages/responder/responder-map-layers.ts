/**
 * What the responder's map draws besides the units: the affected radius (a circle in metres, so it
 * is the radius the surroundings were counted in), the incident as a dot in its severity's colour,
 * and the nearest fire stations (S) and hospitals (H) as rings with their letter; plus the frame
 * the map is held on.
 */
import { ScatterplotLayer, TextLayer } from '@deck.gl/layers';
import type { Layer } from '@deck.gl/core';
import type { Severity } from '#contract/index.ts';
import type { NearbyFacility } from '#contract/incident-nearby.ts';
import { SEVERITY_COLOURS } from '../../map/severity.ts';

/** Metres per degree of latitude (and of longitude at the equator), on the sphere the server measures with. */
const METRES_PER_DEGREE = (Math.PI * 6_371_008.8) / 180;

/**
 * What the map frames: the incident's radius and a quarter as much again around it, so the circle
 * is whole and units just outside it show. `[[west, south], [east, north]]`.
 */
export function radiusFrame(lon: number, lat: number, radiusM: number): [[number, number], [number, number]] {
  const reach = radiusM * 1.25;
  const dLat = reach / METRES_PER_DEGREE;
  const dLon = reach / (METRES_PER_DEGREE * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
  return [[lon - dLon, lat - dLat], [lon + dLon, lat + dLat]];
}

export type Rgb = [number, number, number];
export const FACILITY_COLOURS: Readonly<Record<'fire' | 'hospital', Rgb>> = { fire: [231, 76, 60], hospital: [236, 240, 241] };
export const RADIUS_COLOUR: Rgb = [255, 209, 102];

interface Place {
  id: string;
  lon: number;
  lat: number;
  letter: 'S' | 'H';
  colour: Rgb;
}

export interface ResponderMapInput {
  center: [number, number];
  severity: Severity;
  radiusM: number;
  fireStations: readonly NearbyFacility[];
  hospitals: readonly NearbyFacility[];
}

/** Radius and facilities go under the units; the incident's dot over them (`incidentOnTop`). */
export function responderMapLayers(input: ResponderMapInput): { under: Layer[]; incidentOnTop: Layer } {
  const places: Place[] = [
    ...input.fireStations.map((f) => ({ id: f.id, lon: f.lon, lat: f.lat, letter: 'S' as const, colour: FACILITY_COLOURS.fire })),
    ...input.hospitals.map((f) => ({ id: f.id, lon: f.lon, lat: f.lat, letter: 'H' as const, colour: FACILITY_COLOURS.hospital })),
  ];
  const center = { position: input.center };
  return {
    under: [
      new ScatterplotLayer<typeof center>({
        id: 'responder-radius',
        data: [center],
        getPosition: (d) => d.position,
        radiusUnits: 'meters',
        getRadius: input.radiusM,
        filled: true,
        getFillColor: [...RADIUS_COLOUR, 28],
        stroked: true,
        lineWidthUnits: 'pixels',
        getLineWidth: 2,
        getLineColor: [...RADIUS_COLOUR, 220],
        updateTriggers: { getRadius: input.radiusM },
      }),
      new ScatterplotLayer<Place>({
        id: 'responder-facilities',
        data: places,
        getPosition: (d) => [d.lon, d.lat],
        radiusUnits: 'pixels',
        getRadius: 10,
        filled: true,
        getFillColor: [10, 18, 32, 230],
        stroked: true,
        lineWidthUnits: 'pixels',
        getLineWidth: 3,
        getLineColor: (d) => [...d.colour, 255],
      }),
      new TextLayer<Place>({
        id: 'responder-facility-letters',
        data: places,
        getPosition: (d) => [d.lon, d.lat],
        getText: (d) => d.letter,
        getSize: 12,
        getColor: (d) => [...d.colour, 255],
        fontWeight: 700,
        characterSet: ['S', 'H'],
      }),
    ],
    incidentOnTop: new ScatterplotLayer<typeof center>({
      id: 'responder-incident',
      data: [center],
      getPosition: (d) => d.position,
      radiusUnits: 'pixels',
      getRadius: 11,
      getFillColor: [...SEVERITY_COLOURS[input.severity], 255],
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 3,
      getLineColor: [255, 255, 255, 255],
    }),
  };
}

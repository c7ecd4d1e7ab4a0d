import { describe, expect, it } from 'vitest';
import { LAND_USES } from '#contract/index.ts';
import { HAZARDOUS_OUTLINE, LAND_USE_COLOURS } from './land-use-colours.ts';
import { landUseFillColour, PARCEL_MIN_ZOOM, PARCEL_SOURCE_ID, PARCEL_SOURCE_LAYER, parcelLayers, parcelTilesUrl } from './parcel-layer.ts';

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
/** Euclidean RGB distance: crude, but enough to say two swatches are not near-twins. */
const distance = (a: string, b: string) => Math.hypot(...rgb(a).map((v, i) => v - (rgb(b)[i] ?? 0)));

describe('parcel layers', () => {
  it('colour each GB/T 21010 class by the legend table, anything else white', () => {
    const [op, input, ...cases] = landUseFillColour as unknown as [string, unknown, ...string[]];
    expect(op).toBe('match');
    expect(input).toEqual(['get', 'landUse']);
    const fallback = cases.pop();
    expect(fallback).toBe('#ffffff');
    const table = Object.fromEntries(Array.from({ length: cases.length / 2 }, (_, i) => [cases[2 * i], cases[2 * i + 1]]));
    expect(table).toEqual(LAND_USE_COLOURS);
    expect(Object.keys(table).sort()).toEqual([...LAND_USES]);
  });

  it('use twelve colours far enough apart to tell at a glance, none near the hazard outline', () => {
    const colours = Object.values(LAND_USE_COLOURS);
    for (let i = 0; i < colours.length; i++) {
      for (let j = i + 1; j < colours.length; j++) expect(distance(colours[i]!, colours[j]!), `${colours[i]} vs ${colours[j]}`).toBeGreaterThan(40);
      expect(distance(colours[i]!, HAZARDOUS_OUTLINE)).toBeGreaterThan(40);
    }
  });

  it('draw from the parcels tiles of this server, from zoom 12, hazardous outline only for hazardous parcels', () => {
    expect(parcelTilesUrl('https://wall.example')).toBe('https://wall.example/tiles/parcels/{z}/{x}/{y}.pbf');
    const layers = parcelLayers();
    expect(layers.map((l) => l.type)).toEqual(['fill', 'line', 'line']);
    for (const layer of layers) {
      expect(layer.source).toBe(PARCEL_SOURCE_ID);
      expect(layer['source-layer']).toBe(PARCEL_SOURCE_LAYER);
      expect(layer.minzoom).toBe(PARCEL_MIN_ZOOM);
    }
    expect(layers[2].filter).toEqual(['==', ['get', 'hazardous'], true]);
  });
});

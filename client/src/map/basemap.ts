/**
 * The offline basemap: a maplibre style with no network tiles and no glyphs, only a background and
 * the districts from `GET /api/v1/regions` (command centres are often air-gapped). Names are drawn
 * by deck.gl (`layers/district-label-layer.ts`), which needs no glyph server.
 */
import type { StyleSpecification } from 'maplibre-gl';
import type { RegionCollection } from '#contract/index.ts';

/** Opaque colours, so a screenshot test can find them pixel for pixel. */
export const BASEMAP_COLOURS = {
  background: '#0a1220',
  districtFill: '#16273f',
  districtOutline: '#6cb4e4',
  districtGlow: '#2b5f86',
} as const;

export const REGIONS_SOURCE_ID = 'regions';

export function createBasemapStyle(regions: RegionCollection): StyleSpecification {
  return {
    version: 8,
    name: 'city-brain-offline',
    sources: {
      [REGIONS_SOURCE_ID]: { type: 'geojson', data: regions as GeoJSON.FeatureCollection },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': BASEMAP_COLOURS.background } },
      {
        id: 'district-fill',
        type: 'fill',
        source: REGIONS_SOURCE_ID,
        paint: { 'fill-color': BASEMAP_COLOURS.districtFill, 'fill-antialias': true },
      },
      {
        // A wide, dim line under the sharp one: outlines read from across the room on a wall screen.
        id: 'district-glow',
        type: 'line',
        source: REGIONS_SOURCE_ID,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': BASEMAP_COLOURS.districtGlow, 'line-width': 5, 'line-blur': 2, 'line-opacity': 0.6 },
      },
      {
        id: 'district-outline',
        type: 'line',
        source: REGIONS_SOURCE_ID,
        layout: { 'line-join': 'round' },
        paint: { 'line-color': BASEMAP_COLOURS.districtOutline, 'line-width': 1.5 },
      },
    ],
  };
}

/**
 * Land-code parcels on the map, drawn by maplibre from the server's vector tiles
 * (`/tiles/parcels/{z}/{x}/{y}.pbf`, layer `parcels`): a fill coloured by land use, thin edges
 * between neighbouring parcels, a warning outline around hazardous ones. Tiles are asked for from
 * zoom 12 only, so the city-wide wall view loads none; beyond zoom 16 maplibre over-zooms.
 */
import type { ExpressionSpecification, FillLayerSpecification, LineLayerSpecification, Map as MaplibreMap, VectorTileSource } from 'maplibre-gl';
import { LAND_USES } from '#contract/index.ts';
import { BASEMAP_COLOURS } from './basemap.ts';
import { HAZARDOUS_OUTLINE, LAND_USE_COLOURS, UNKNOWN_LAND_USE } from './land-use-colours.ts';

export const PARCEL_SOURCE_ID = 'parcels';
/** The tiles' layer name (server `PARCEL_TILE_LAYER`). */
export const PARCEL_SOURCE_LAYER = 'parcels';
export const PARCEL_FILL_LAYER_ID = 'parcel-fill';
export const PARCEL_EDGE_LAYER_ID = 'parcel-edge';
export const PARCEL_HAZARD_LAYER_ID = 'parcel-hazard';
/** Parcels appear from this zoom (a district fills the screen); the wall's city view stays light. */
export const PARCEL_MIN_ZOOM = 12;
/** Deepest tiles the server cuts (server `PARCEL_TILE_MAX_ZOOM`). */
export const PARCEL_TILE_MAX_ZOOM = 16;

/** Tile URL template on this page's own server: its sign-in cookie goes with the requests. */
export const parcelTilesUrl = (origin: string): string => `${origin}/tiles/parcels/{z}/{x}/{y}.pbf`;

/** `landUse` → its colour. */
export const landUseFillColour: ExpressionSpecification = [
  'match',
  ['get', 'landUse'],
  ...LAND_USES.flatMap((use) => [use, LAND_USE_COLOURS[use]]),
  UNKNOWN_LAND_USE,
] as unknown as ExpressionSpecification;

/** The three parcel layers, bottom first. */
export function parcelLayers(): [FillLayerSpecification, LineLayerSpecification, LineLayerSpecification] {
  const common = { source: PARCEL_SOURCE_ID, 'source-layer': PARCEL_SOURCE_LAYER, minzoom: PARCEL_MIN_ZOOM } as const;
  return [
    // Opaque, so the colour on screen is the legend's exactly.
    { id: PARCEL_FILL_LAYER_ID, type: 'fill', ...common, paint: { 'fill-color': landUseFillColour, 'fill-antialias': false } },
    {
      // Parcels of one block share edges: a hairline in the background colour tells them apart.
      id: PARCEL_EDGE_LAYER_ID,
      type: 'line',
      ...common,
      paint: { 'line-color': BASEMAP_COLOURS.background, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 0.3, 16, 1.2] },
    },
    {
      id: PARCEL_HAZARD_LAYER_ID,
      type: 'line',
      ...common,
      filter: ['==', ['get', 'hazardous'], true],
      layout: { 'line-join': 'miter' },
      paint: { 'line-color': HAZARDOUS_OUTLINE, 'line-width': ['interpolate', ['linear'], ['zoom'], 12, 1.2, 16, 3] },
    },
  ];
}

/**
 * Adds the parcel tiles and layers under the district outlines (`beforeId`), once; a second call
 * does nothing. Call after the style has loaded.
 */
export function addParcelLayers(map: MaplibreMap, options: { origin: string; beforeId?: string }): void {
  if (map.getSource(PARCEL_SOURCE_ID)) return;
  map.addSource(PARCEL_SOURCE_ID, {
    type: 'vector',
    tiles: [parcelTilesUrl(options.origin)],
    minzoom: PARCEL_MIN_ZOOM,
    maxzoom: PARCEL_TILE_MAX_ZOOM,
  });
  const before = options.beforeId && map.getLayer(options.beforeId) ? options.beforeId : undefined;
  for (const layer of parcelLayers()) map.addLayer(layer, before);
}

/** Takes the parcels off the map again (signed out: the tiles would answer 401). */
export function removeParcelLayers(map: MaplibreMap): void {
  for (const layer of parcelLayers().reverse()) if (map.getLayer(layer.id)) map.removeLayer(layer.id);
  if (map.getSource(PARCEL_SOURCE_ID)) map.removeSource(PARCEL_SOURCE_ID);
}

/**
 * Whether parcels are drawn in the view now: zoomed in far enough, and some parcel in sight (a
 * city without parcels, or a view of the hills, has none). The land-use legend shows then.
 */
export function parcelsOnScreen(map: MaplibreMap): boolean {
  if (map.getZoom() < PARCEL_MIN_ZOOM || !map.getLayer(PARCEL_FILL_LAYER_ID)) return false;
  return map.queryRenderedFeatures({ layers: [PARCEL_FILL_LAYER_ID] }).length > 0;
}

/**
 * Fetches the parcel tiles on screen again (after `parcel:created`, `parcel:stepped` or
 * `parcels:imported`): the server revalidates each by ETag, so unchanged tiles cost a bodiless 304.
 */
export function refreshParcelTiles(map: MaplibreMap, origin: string): void {
  const source = map.getSource<VectorTileSource>(PARCEL_SOURCE_ID);
  source?.setTiles([parcelTilesUrl(origin)]);
}

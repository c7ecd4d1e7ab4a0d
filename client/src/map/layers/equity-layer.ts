/**
 * The equity heatmap: access per population cell on a stepped viridis ramp, districts by mean
 * access, facilities as dots, and the pure colour scale and cell size behind them.
 *
 * Why viridis, stepped: it is perceptually uniform and reads in greyscale and for colour-blind
 * planners; steps let the legend give numbers and let a photo of the screen be read back. Why
 * quantile steps over the cells with some access: access is skewed (a few cells by a big hospital
 * dwarf the rest), and equal intervals would paint almost the whole city in one colour. Zero access
 * is grey, outside the ramp: "nothing in reach" is a different statement from "little".
 */
import type { Layer } from '@deck.gl/core';
import { GeoJsonLayer, GridCellLayer, PolygonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Feature, Geometry } from 'geojson';
import type { EquityCell, EquityHotspot, EquityRegion, FacilityFeature } from '#contract/equity.ts';
import type { RegionCollection, RegionProperties } from '#contract/index.ts';
import type { MapLayerGroup } from '../map-layers.ts';
import { hexToRgb } from '../risk-colours.ts';
import type { Rgba } from './risk-layer.ts';

type Rgb = [number, number, number];

/** matplotlib's viridis at 0, 0.1, …, 1 (the same 11 values d3 and ColorBrewer tools print). */
export const VIRIDIS_STOPS = [
  '#440154', '#482475', '#414487', '#355f8d', '#2a788e', '#21918c',
  '#22a884', '#44bf70', '#7ad151', '#bddf26', '#fde725',
] as const;
const VIRIDIS_RGB: readonly Rgb[] = VIRIDIS_STOPS.map(hexToRgb);

/** Cells nobody can reach a facility from: a neutral grey that no step of viridis comes near. */
export const NO_ACCESS_HEX = '#808080';

/** viridis at `t` (0–1, clamped), interpolated linearly between the stops. */
export function viridis(t: number): Rgb {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS_RGB.length - 1);
  const i = Math.min(VIRIDIS_RGB.length - 2, Math.floor(x));
  const f = x - i;
  const a = VIRIDIS_RGB[i] ?? [0, 0, 0];
  const b = VIRIDIS_RGB[i + 1] ?? a;
  return [0, 1, 2].map((k) => Math.round((a[k] ?? 0) + ((b[k] ?? 0) - (a[k] ?? 0)) * f)) as Rgb;
}

/** A number rounded to `digits` significant digits (legend breaks that read as numbers). */
export function roundSignificant(value: number, digits = 2): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  return Number(value.toPrecision(digits));
}

/** The stepped ramp: class `k` holds access from `breaks[k]` up to `breaks[k + 1]` (the last is open). */
export interface AccessScale {
  /** Lower bound of each class, increasing; `breaks[0]` is the smallest access above 0. */
  breaks: number[];
  colours: Rgb[];
  /** Changes whenever the classes do: deck.gl's update trigger for the colours. */
  key: string;
}

export const ACCESS_CLASSES = 7;

/**
 * Quantile classes over the cells with access above 0, their inner breaks rounded to 2 significant
 * digits; the lowest class always holds the smallest access, the top class the largest. Colours run
 * from viridis(0) to viridis(1); a single class is drawn in viridis(1).
 */
export function accessScale(accesses: Iterable<number>, classes = ACCESS_CLASSES): AccessScale {
  const positive = [...accesses].filter((a) => Number.isFinite(a) && a > 0).sort((a, b) => a - b);
  const first = positive[0];
  if (first === undefined) return { breaks: [], colours: [], key: 'none' };
  const breaks = [first];
  for (let k = 1; k < classes; k++) {
    const at = roundSignificant(positive[Math.floor((k * positive.length) / classes)] ?? first);
    if (at > (breaks.at(-1) ?? first)) breaks.push(at);
  }
  const colours = breaks.map((_, k) => viridis(breaks.length === 1 ? 1 : k / (breaks.length - 1)));
  return { breaks, colours, key: breaks.join(',') };
}

/** Index of the class `access` falls in, or −1 for no access (0, or not a number). */
export function accessClass(scale: AccessScale, access: number): number {
  if (!(access > 0) || scale.breaks.length === 0) return -1;
  let k = 0;
  while (k + 1 < scale.breaks.length && access >= (scale.breaks[k + 1] ?? Infinity)) k++;
  return k;
}

export function accessColour(scale: AccessScale, access: number, alpha = 255): Rgba {
  const colour = scale.colours[accessClass(scale, access)];
  return colour ? [...colour, alpha] : [...hexToRgb(NO_ACCESS_HEX), alpha];
}

/**
 * Typical distance between neighbouring cells in metres: the median nearest-neighbour distance of
 * up to `sample` cells (spread evenly through the list) to all the others, equirectangular (exact
 * enough at a kilometre). The cells are drawn as squares of this side, so a regular grid tiles.
 */
export function medianSpacingM(points: readonly { lon: number; lat: number }[], sample = 200): number | null {
  if (points.length < 2) return null;
  const metresPerDegree = 111_195;
  const step = Math.max(1, Math.floor(points.length / sample));
  const nearest: number[] = [];
  for (let i = 0; i < points.length; i += step) {
    const a = points[i];
    if (!a) continue;
    const cos = Math.cos((a.lat * Math.PI) / 180);
    let best = Infinity;
    for (let j = 0; j < points.length; j++) {
      const b = points[j];
      if (j === i || !b) continue;
      const d2 = ((b.lon - a.lon) * cos) ** 2 + (b.lat - a.lat) ** 2;
      if (d2 > 0 && d2 < best) best = d2;
    }
    if (Number.isFinite(best)) nearest.push(Math.sqrt(best) * metresPerDegree);
  }
  nearest.sort((x, y) => x - y);
  return nearest.length > 0 ? (nearest[Math.floor(nearest.length / 2)] ?? null) : null;
}

/** When the cells are too few to say (one cell, or all in one place), a square of this side. */
export const DEFAULT_CELL_SIZE_M = 1000;

/**
 * Squares are drawn this much larger than the spacing: a grid laid out in degrees is a little wider
 * in metres at its southern rows than the median, and the hairline gaps would show as a moiré
 * lattice when zoomed out. Overlapping by 3 % is invisible.
 */
const CELL_OVERLAP = 1.03;

/**
 * One flat square per cell, centred on it (`offset: [0, 0]`; GridCellLayer's default puts the
 * corner there). `cells` keeps its identity while the answer does; colours follow `scale.key`.
 */
export function createEquityCellLayer(cells: readonly EquityCell[], scale: AccessScale, cellSizeM: number, visible = true) {
  return new GridCellLayer<EquityCell>({
    id: 'equity-cells',
    data: cells as EquityCell[],
    visible,
    extruded: false,
    cellSize: cellSizeM * CELL_OVERLAP,
    offset: [0, 0],
    coverage: 1,
    getPosition: (cell) => [cell.lon, cell.lat],
    getFillColor: (cell) => accessColour(scale, cell.access),
    pickable: false,
    updateTriggers: { getFillColor: scale.key },
  });
}

type RegionFeature = Feature<Geometry, RegionProperties>;

export interface DistrictAccessOptions {
  /** Fill each district with its mean access colour; otherwise only outlines. */
  filled: boolean;
  /** Districts flagged silent get a thick amber outline. */
  silentCodes: ReadonlySet<string>;
}

const OUTLINE: Rgba = [226, 236, 248, 200];
const SILENT_OUTLINE: Rgba = [242, 193, 78, 255];

/** Districts filled (opaque, like the five-colour map) by their population-weighted mean access. */
export function createDistrictAccessLayer(regions: RegionCollection, byCode: ReadonlyMap<string, EquityRegion>, scale: AccessScale, options: DistrictAccessOptions) {
  const colourKey = `${scale.key}|${[...byCode.values()].map((r) => r.meanAccess).join(',')}`;
  const silentKey = [...options.silentCodes].sort().join(',');
  const silent = (feature: RegionFeature) => options.silentCodes.has(feature.properties.code);
  return new GeoJsonLayer<RegionProperties>({
    id: 'equity-districts',
    data: regions as unknown as GeoJSON.FeatureCollection<Geometry, RegionProperties>,
    filled: options.filled,
    stroked: true,
    getFillColor: (feature) => {
      const region = byCode.get(feature.properties.code);
      return region && region.population > 0 ? accessColour(scale, region.meanAccess) : [0, 0, 0, 0];
    },
    getLineColor: (feature) => (silent(feature) ? SILENT_OUTLINE : OUTLINE),
    getLineWidth: (feature) => (silent(feature) ? 4 : 1.2),
    lineWidthUnits: 'pixels',
    lineJointRounded: true,
    pickable: false,
    updateTriggers: { getFillColor: colourKey, getLineColor: silentKey, getLineWidth: silentKey },
  });
}

/**
 * Hotspots: their cells' bounding boxes, outlined. The box runs through the outer cells' centres:
 * it is widened by half a cell (`cellSizeM`), so the outline follows the cells' edges instead of
 * cutting them in two.
 */
export function createHotspotLayer(hotspots: readonly EquityHotspot[], focusedId: string | null, cellSizeM: number) {
  const halfLat = cellSizeM / 2 / 111_195;
  return new PolygonLayer<EquityHotspot>({
    id: 'equity-hotspots',
    data: hotspots as EquityHotspot[],
    filled: false,
    stroked: true,
    getPolygon: ({ bbox: [w0, s0, e0, n0] }) => {
      const halfLon = halfLat / Math.max(0.01, Math.cos((((s0 + n0) / 2) * Math.PI) / 180));
      const [w, s, e, n] = [w0 - halfLon, s0 - halfLat, e0 + halfLon, n0 + halfLat];
      return [[w, s], [e, s], [e, n], [w, n], [w, s]];
    },
    getLineColor: (h) => (h.id === focusedId ? [255, 255, 255, 255] : [255, 96, 96, 220]),
    getLineWidth: (h) => (h.id === focusedId ? 3 : 1.5),
    lineWidthUnits: 'pixels',
    pickable: false,
    updateTriggers: { getLineColor: focusedId, getLineWidth: focusedId },
  });
}

/** A facility on the map: stored ones white, hypothetical ones magenta and larger. */
export interface FacilityDot {
  lon: number;
  lat: number;
  hypothetical: boolean;
}

export const facilityDots = (features: readonly FacilityFeature[]): FacilityDot[] =>
  features.map((f) => ({ lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1], hypothetical: false }));

export function createFacilityLayer(dots: readonly FacilityDot[]) {
  return new ScatterplotLayer<FacilityDot>({
    id: 'equity-facilities',
    data: dots as FacilityDot[],
    getPosition: (d) => [d.lon, d.lat],
    getRadius: (d) => (d.hypothetical ? 8 : 4),
    radiusUnits: 'pixels',
    getFillColor: (d) => (d.hypothetical ? [255, 64, 200, 255] : [255, 255, 255, 235]),
    getLineColor: [10, 18, 32, 255],
    lineWidthUnits: 'pixels',
    getLineWidth: (d) => (d.hypothetical ? 2.5 : 1),
    stroked: true,
    pickable: false,
  });
}

/**
 * The equity view's layers as one entry of the map's list. `key` says what they show (kind, radius,
 * method, stored or hypothetical, Gini): the map writes it as `data-equity-drawn` once drawn.
 */
export function equityMapLayers(layers: readonly Layer[], key: string): MapLayerGroup {
  return { layers, marks: { 'data-equity-drawn': key } };
}

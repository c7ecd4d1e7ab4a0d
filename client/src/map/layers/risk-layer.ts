/**
 * The five-colour map (五色图): every district filled with its risk level's colour, plus two small
 * layers on top of it for the district in focus (hovered or pinned) and the districts pulsing after
 * a live level change.
 *
 * Why opaque: the colour on screen is then exactly the contract's (a photo of the wall, a printed
 * screenshot and a pixel test all read #D7263D as "red"), and the level is the one thing the wall
 * must say from five metres. Why the outlines are drawn again here: the deck.gl canvas lies over
 * maplibre's, so the basemap's own outlines end up under the fill.
 *
 * Levels change colour only: `data` (the regions) keeps its identity and `updateTriggers` tells
 * deck.gl to re-read just the fill colours, never to re-tessellate the polygons.
 */
import { GeoJsonLayer } from '@deck.gl/layers';
import type { PickingInfo } from '@deck.gl/core';
import type { Feature, Geometry } from 'geojson';
import type { RegionCollection, RegionFeature as Region, RegionProperties, RiskLevel } from '#contract/index.ts';
import { BASEMAP_COLOURS } from '../basemap.ts';
import { hexToRgb, LEVEL_RGB } from '../risk-colours.ts';

export type Rgba = [number, number, number, number];
type RegionFeature = Feature<Geometry, RegionProperties>;

/** No rating known (signed out, still loading): draw nothing, so the basemap shows through. */
const NO_RATING: Rgba = [0, 0, 0, 0];
const OUTLINE: Rgba = [...hexToRgb(BASEMAP_COLOURS.districtOutline), 255];
const FOCUS: Rgba = [255, 255, 255, 255];

export function riskFillColour(level: RiskLevel | undefined): Rgba {
  return level ? [...LEVEL_RGB[level], 255] : NO_RATING;
}

export interface RiskLayerOptions {
  /** The district under the pointer, or `null` when it left every district; `x`: the pointer, in map pixels. */
  onHover?: (code: string | null, x: number) => void;
  /** A click on a district (not on an incident dot above it). */
  onClick?: (code: string, x: number) => void;
  /** @default 'risk-fill' */
  id?: string;
}

const codeOf = (info: PickingInfo): string | null => (info.object as RegionFeature | undefined)?.properties?.code ?? null;

/**
 * The fill: one polygon per region coloured by `levels` (by code). `levelsKey` must change whenever
 * `levels` does (e.g. its JSON): it is the update trigger of the colours.
 */
export function createRiskLayer(
  regions: RegionCollection,
  levels: ReadonlyMap<string, RiskLevel>,
  levelsKey: string,
  options: RiskLayerOptions = {},
): GeoJsonLayer<RegionProperties> {
  const { onHover, onClick } = options;
  return new GeoJsonLayer<RegionProperties>({
    id: options.id ?? 'risk-fill',
    data: regions as unknown as GeoJSON.FeatureCollection<Geometry, RegionProperties>,
    filled: true,
    stroked: true,
    getFillColor: (feature) => riskFillColour(levels.get(feature.properties.code)),
    getLineColor: OUTLINE,
    getLineWidth: 1.5,
    lineWidthUnits: 'pixels',
    lineJointRounded: true,
    pickable: Boolean(onHover ?? onClick),
    onHover: (info) => {
      onHover?.(codeOf(info), info.x);
    },
    onClick: (info) => {
      const code = codeOf(info);
      if (code) onClick?.(code, info.x);
      return Boolean(code);
    },
    updateTriggers: { getFillColor: levelsKey },
  });
}

/** A white outline around the district the card describes, so the eye finds it on the map. */
export function createDistrictFocusLayer(regions: RegionCollection, code: string | null): GeoJsonLayer<RegionProperties> {
  const feature = code ? regions.features.find((f) => f.properties.code === code) : undefined;
  return new GeoJsonLayer<RegionProperties>({
    id: 'risk-focus',
    data: (feature ? [feature] : []) as unknown as RegionFeature[],
    filled: false,
    stroked: true,
    getLineColor: FOCUS,
    getLineWidth: 3,
    lineWidthUnits: 'pixels',
    lineJointRounded: true,
    pickable: false,
  });
}

/**
 * Districts that just changed level: a white wash and a thick outline, both as strong as
 * `strengths` says (0–1, by code). `features` should keep its identity while the same districts
 * pulse; `frame` changes every animation frame and only the colours and widths are re-read.
 */
export function createRiskPulseLayer(
  features: readonly Region[],
  strengths: ReadonlyMap<string, number>,
  frame: number,
): GeoJsonLayer<RegionProperties> {
  const strength = (feature: RegionFeature) => strengths.get(feature.properties.code) ?? 0;
  return new GeoJsonLayer<RegionProperties>({
    id: 'risk-pulse',
    data: features as unknown as RegionFeature[],
    filled: true,
    stroked: true,
    getFillColor: (feature) => [255, 255, 255, Math.round(110 * strength(feature))],
    getLineColor: (feature) => [255, 255, 255, Math.round(255 * strength(feature))],
    getLineWidth: (feature) => 2 + 6 * strength(feature),
    lineWidthUnits: 'pixels',
    lineJointRounded: true,
    pickable: false,
    updateTriggers: { getFillColor: frame, getLineColor: frame, getLineWidth: frame },
  });
}

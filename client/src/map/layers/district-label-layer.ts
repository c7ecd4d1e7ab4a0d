/** District names, drawn by deck.gl so the offline basemap needs no glyph server. */
import { TextLayer } from '@deck.gl/layers';
import type { RegionCollection } from '#contract/index.ts';
import { labelAnchor, type LonLat } from '../geometry.ts';
import { LABEL_FONT_FAMILY, LABEL_FONT_WEIGHT } from '../label-font.ts';

export interface DistrictLabel {
  code: string;
  name: string;
  position: LonLat;
  /** Label height in metres on the ground, from the district's size, so names grow as the map zooms in. */
  sizeM: number;
  /** Area of the district's largest part (the one the name sits in): where names collide, the bigger district's is kept. */
  areaM2: number;
}

/** A name placed for the current view (label-placement.ts): its size on screen is fixed until the camera next comes to rest. */
export interface PlacedDistrictLabel extends DistrictLabel {
  sizePx: number;
}

/** Smallest and largest name on screen, in pixels, where the map's owner does not say. */
export const DEFAULT_LABEL_SIZE_PX = { min: 12, max: 22 } as const;

/** Room around the text on its plate, horizontal and vertical, in pixels: part of the box a name takes up. */
export const LABEL_BACKGROUND_PADDING_PX = [5, 2] as const;

/** Size deck.gl rasterises glyphs at; measuring at it gives the advances the layer lays text out with. */
export const LABEL_ATLAS_FONT_SIZE = 64;

export interface DistrictLabelLayerOptions {
  /** @default 'district-labels' */
  id?: string;
  /** A new family draws a new font atlas (label-font.ts). @default LABEL_FONT_FAMILY */
  fontFamily?: string;
}

const LABEL_SIZE_PER_WIDTH = 0.1;

/** One label per region, at a point inside it. */
export function districtLabels(regions: RegionCollection): DistrictLabel[] {
  return regions.features.flatMap((feature) => {
    const anchor = labelAnchor(feature.geometry);
    if (!anchor) return [];
    // A name about a tenth as tall as the district is wide fits inside it at any zoom.
    const sizeM = Math.sqrt(anchor.areaM2) * LABEL_SIZE_PER_WIDTH;
    return [{ code: feature.properties.code, name: feature.properties.name, position: anchor.position, sizeM, areaM2: anchor.areaM2 }];
  });
}

/** The names kept by the placement, each at the pixel size it was placed at. */
export function createDistrictLabelLayer(
  labels: readonly PlacedDistrictLabel[],
  options: DistrictLabelLayerOptions = {},
): TextLayer<PlacedDistrictLabel> {
  return new TextLayer<PlacedDistrictLabel>({
    id: options.id ?? 'district-labels',
    data: labels,
    // Chinese names: build the font atlas from the characters actually present.
    characterSet: 'auto',
    fontFamily: options.fontFamily ?? LABEL_FONT_FAMILY,
    fontWeight: LABEL_FONT_WEIGHT,
    fontSettings: { sdf: true, fontSize: LABEL_ATLAS_FONT_SIZE, buffer: 6 },
    outlineWidth: 0.3,
    outlineColor: [10, 18, 32, 255],
    // A dark plate behind each name keeps it readable on top of a crowd of incident dots.
    background: true,
    getBackgroundColor: [10, 18, 32, 170],
    backgroundPadding: [...LABEL_BACKGROUND_PADDING_PX],
    getPosition: (label) => label.position,
    getText: (label) => label.name,
    // In pixels, as placed: a size deck.gl worked out from metres on each frame could outgrow the
    // box the placement kept clear for it.
    getSize: (label) => label.sizePx,
    sizeUnits: 'pixels',
    getColor: [226, 236, 248, 235],
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
  });
}

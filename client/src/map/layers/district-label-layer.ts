/** District names, drawn by deck.gl so the offline basemap needs no glyph server. */
import { TextLayer } from '@deck.gl/layers';
import type { RegionCollection } from '../../../../server/contract/index.ts';
import { labelAnchor, type LonLat } from '../geometry.ts';
import { LABEL_FONT_FAMILY, LABEL_FONT_WEIGHT } from '../label-font.ts';

export interface DistrictLabel {
  code: string;
  name: string;
  position: LonLat;
  /** Label height in metres on the ground, from the district's size, so names zoom with the map. */
  sizeM: number;
}

export interface DistrictLabelLayerOptions {
  /** Smallest label on screen, in pixels. @default 12 */
  minSizePx?: number;
  /** Largest label on screen, in pixels. @default 22 */
  maxSizePx?: number;
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
    return [{ code: feature.properties.code, name: feature.properties.name, position: anchor.position, sizeM }];
  });
}

export function createDistrictLabelLayer(
  labels: readonly DistrictLabel[],
  options: DistrictLabelLayerOptions = {},
): TextLayer<DistrictLabel> {
  return new TextLayer<DistrictLabel>({
    id: options.id ?? 'district-labels',
    data: labels,
    // Chinese names: build the font atlas from the characters actually present.
    characterSet: 'auto',
    fontFamily: options.fontFamily ?? LABEL_FONT_FAMILY,
    fontWeight: LABEL_FONT_WEIGHT,
    fontSettings: { sdf: true, fontSize: 64, buffer: 6 },
    outlineWidth: 0.3,
    outlineColor: [10, 18, 32, 255],
    // A dark plate behind each name keeps it readable on top of a crowd of incident dots.
    background: true,
    getBackgroundColor: [10, 18, 32, 170],
    backgroundPadding: [5, 2],
    getPosition: (label) => label.position,
    getText: (label) => label.name,
    getSize: (label) => label.sizeM,
    sizeUnits: 'meters',
    sizeMinPixels: options.minSizePx ?? 12,
    sizeMaxPixels: options.maxSizePx ?? 22,
    getColor: [226, 236, 248, 235],
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
  });
}

/**
 * Places the district names each time the map comes to rest (label-placement.ts decides which are
 * drawn), and keeps a record of what was placed that the map writes onto its element once deck.gl
 * has drawn it: `data-district-labels`, JSON of the view and of every name, drawn or not, with
 * its anchor and size on screen. Tests and wall monitors read it.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { Map as MaplibreMap } from 'maplibre-gl';
import { LABEL_FONT_WEIGHT } from './label-font.ts';
import { placeLabels, labelBox, type LabelCandidate } from './label-placement.ts';
import {
  DEFAULT_LABEL_SIZE_PX,
  LABEL_ATLAS_FONT_SIZE,
  LABEL_BACKGROUND_PADDING_PX,
  type DistrictLabel,
  type PlacedDistrictLabel,
} from './layers/district-label-layer.ts';

/** Clear space between two names' plates, and between a plate and the map's edge. */
const LABEL_GAP_PX = 4;
const LABEL_EDGE_PX = 2;
/** Metres north of a name's anchor used to read the map's scale there. */
const SCALE_PROBE_M = 100;
const METRES_PER_DEGREE_LAT = 111_320;

/** What `data-district-labels` holds. */
export interface LabelPlacementRecord {
  view: { zoom: number; center: [number, number]; width: number; height: number };
  fontFamily: string;
  fontWeight: number;
  labels: { code: string; text: string; position: [number, number]; sizePx: number; drawn: boolean }[];
}

export interface LabelPlacement {
  /** The names to draw. The same array while the names drawn and their sizes stay the same. */
  labels: readonly PlacedDistrictLabel[];
  /** The record (JSON) of what has been handed to deck.gl; `null` before any placement. */
  recordRef: RefObject<string | null>;
}

interface Placed {
  key: string;
  labels: readonly PlacedDistrictLabel[];
  record: string;
}

const NO_LABELS: readonly PlacedDistrictLabel[] = [];

/** Sum of each character's advance, as deck.gl lays a name out: it draws character by character, without kerning. */
function textWidthAt64(context: CanvasRenderingContext2D, cache: Map<string, number>, text: string): number {
  let width = 0;
  for (const char of text) {
    let advance = cache.get(char);
    if (advance === undefined) {
      advance = context.measureText(char).width;
      cache.set(char, advance);
    }
    width += advance;
  }
  return width;
}

/** Pixels per metre on the ground at `position`, read from the map's own projection. */
function pixelsPerMetre(map: MaplibreMap, position: [number, number]): number {
  const a = map.project(position);
  const b = map.project([position[0], position[1] + SCALE_PROBE_M / METRES_PER_DEGREE_LAT]);
  return Math.hypot(b.x - a.x, b.y - a.y) / SCALE_PROBE_M;
}

function place(map: MaplibreMap, labels: readonly DistrictLabel[], sizePx: { min: number; max: number }, fontFamily: string, context: CanvasRenderingContext2D, widths: Map<string, number>): Omit<Placed, 'labels'> & { placed: PlacedDistrictLabel[] } {
  const canvas = map.getCanvas();
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  const sized = labels.map((label) => {
    const size = Math.min(sizePx.max, Math.max(sizePx.min, label.sizeM * pixelsPerMetre(map, label.position)));
    return { ...label, sizePx: Math.round(size * 100) / 100 };
  });
  const candidates: LabelCandidate[] = sized.map((label) => {
    const { x, y } = map.project(label.position);
    const textWidth = (textWidthAt64(context, widths, label.name) * label.sizePx) / LABEL_ATLAS_FONT_SIZE;
    return { code: label.code, areaM2: label.areaM2, box: labelBox(x, y, textWidth, label.sizePx, LABEL_BACKGROUND_PADDING_PX) };
  });
  const kept = new Set(placeLabels(candidates, { width, height, gapPx: LABEL_GAP_PX, edgePx: LABEL_EDGE_PX }));
  const placed = sized.filter((label) => kept.has(label.code));
  const center = map.getCenter();
  const record: LabelPlacementRecord = {
    view: { zoom: map.getZoom(), center: [center.lng, center.lat], width, height },
    fontFamily,
    fontWeight: LABEL_FONT_WEIGHT,
    labels: sized.map((label) => ({ code: label.code, text: label.name, position: label.position, sizePx: label.sizePx, drawn: kept.has(label.code) })),
  };
  const key = `${fontFamily}\n${placed.map((label) => `${label.code}:${label.sizePx}`).join(',')}`;
  return { key, placed, record: JSON.stringify(record) };
}

export interface LabelPlacementOptions {
  /** The family the layer draws with; `null` while it is still loading: no names then. */
  fontFamily: string | null;
  /** Smallest and largest name, in pixels. @default DEFAULT_LABEL_SIZE_PX */
  sizePx?: { min: number; max: number } | undefined;
}

/** The names to draw on `mapRef`'s map, placed again whenever it stops moving, is resized or a font arrives. */
export function useLabelPlacement(mapRef: RefObject<MaplibreMap | null>, labels: readonly DistrictLabel[], options: LabelPlacementOptions): LabelPlacement {
  const { fontFamily, sizePx = DEFAULT_LABEL_SIZE_PX } = options;
  const [placed, setPlaced] = useState<Placed | null>(null);
  const recordRef = useRef<string | null>(null);
  // The key of the placement last asked for and of the one handed over (committed): while they are
  // equal, a placement with that key again changes only the view, and its record can stand at once.
  const askedKeyRef = useRef<string | null>(null);
  const committedKeyRef = useRef<string | null>(null);
  const { min, max } = sizePx;

  useEffect(() => {
    committedKeyRef.current = placed?.key ?? null;
    recordRef.current = placed?.record ?? null;
  }, [placed]);

  useEffect(() => {
    const map = mapRef.current;
    if (!map || fontFamily === null) {
      askedKeyRef.current = null;
      setPlaced(null);
      return;
    }
    const context = document.createElement('canvas').getContext('2d');
    if (!context) return;
    context.font = `${LABEL_FONT_WEIGHT} ${LABEL_ATLAS_FONT_SIZE}px ${fontFamily}`;
    const widths = new Map<string, number>();
    const run = () => {
      const next = place(map, labels, { min, max }, fontFamily, context, widths);
      if (next.key === askedKeyRef.current && next.key === committedKeyRef.current) {
        recordRef.current = next.record;
        return;
      }
      askedKeyRef.current = next.key;
      setPlaced((held) => ({ key: next.key, record: next.record, labels: held?.key === next.key ? held.labels : next.placed }));
    };
    // A face that finishes loading changes the widths measured with it.
    const fontsLoaded = () => {
      widths.clear();
      run();
    };
    run();
    map.on('moveend', run);
    map.on('resize', run);
    document.fonts.addEventListener('loadingdone', fontsLoaded);
    return () => {
      map.off('moveend', run);
      map.off('resize', run);
      document.fonts.removeEventListener('loadingdone', fontsLoaded);
    };
  }, [mapRef, labels, min, max, fontFamily]);

  return { labels: placed?.labels ?? NO_LABELS, recordRef };
}

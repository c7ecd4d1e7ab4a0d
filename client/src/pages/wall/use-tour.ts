/**
 * Drives the tour: every `rotateS` seconds the map flies to the next red or orange district, and
 * after the last one back to the whole city. The page hands it its map (MapView's `onMap`), so
 * the shared map core needs no tour code of its own.
 */
import { useEffect, useRef, useState } from 'react';
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { RegionCollection, RegionRisk } from '#contract/index.ts';
import { resolvePadding, shrinkPadding, type PaddingSource } from '../../map/fit-regions.ts';
import { regionsBounds } from '../../map/geometry.ts';
import { CITY, nextStop, tourStops, type TourStop } from './rotation.ts';

/** Long enough to follow from across the room, short enough to leave most of the stop to reading. */
const FLY_MS = 2_500;

export function useTour(options: {
  map: MaplibreMap | null;
  regions: RegionCollection | null;
  ratings: ReadonlyMap<string, RegionRisk>;
  rotateS: number;
  paused: boolean;
  padding: PaddingSource;
}): TourStop {
  const { map, regions, ratings, rotateS, paused, padding } = options;
  const [stop, setStop] = useState<TourStop>(CITY);
  const ratingsRef = useRef(ratings);
  ratingsRef.current = ratings;
  const paddingRef = useRef(padding);
  paddingRef.current = padding;

  useEffect(() => {
    if (rotateS <= 0 || paused) {
      setStop(CITY);
      return;
    }
    const timer = setInterval(() => setStop((current) => nextStop(current, tourStops(ratingsRef.current.values()))), rotateS * 1000);
    return () => clearInterval(timer);
  }, [rotateS, paused]);

  useEffect(() => {
    if (!map || !regions) return;
    const feature = stop.code === null ? null : regions.features.find((f) => f.properties.code === stop.code);
    const bounds = regionsBounds(feature ? { ...regions, features: [feature] } : regions);
    if (!bounds) return;
    // A district is shown with a margin of its neighbours around it: where it lies matters too.
    const margin = feature ? 0.15 : 0;
    const { clientWidth: w, clientHeight: h } = map.getCanvas();
    const p = resolvePadding(paddingRef.current);
    const padding = { top: p.top + h * margin, bottom: p.bottom + h * margin, left: p.left + w * margin, right: p.right + w * margin };
    // Shrunk as the map's own fit shrinks it, so the whole city lands where that fit put it.
    map.fitBounds(bounds, { padding: shrinkPadding(w, h, padding), duration: FLY_MS, maxZoom: 16 });
  }, [map, stop, regions]);

  return stop;
}

/**
 * Everything the app needs to show the equity view: the data, the map layers, and the panel's own
 * choices (districts filled or not, the hotspot in focus), in one hook so app.tsx only places them.
 */
import { useCallback, useMemo, useState } from 'react';
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { RegionCollection } from '#contract/index.ts';
import { shrinkPadding } from '../../map/fit-regions.ts';
import { equityMapLayers } from '../../map/layers/equity-layer.ts';
import type { MapLayerGroup } from '../../map/map-layers.ts';
import type { EquityPanelProps } from './equity-panel.tsx';
import { useEquity, type EquityState } from './use-equity.ts';
import { useEquityLayers, type EquityLayers } from './use-equity-layers.ts';

export interface EquityView {
  state: EquityState;
  layers: EquityLayers;
  /** What the page's map draws instead of the five colours; `null` when the view is off. */
  mapLayers: MapLayerGroup | null;
  panel: EquityPanelProps;
}

/** The panel's width on the right and the top bar / legends, so a hotspot lands in the free middle. */
function freePadding() {
  const side = document.querySelector('.side')?.getBoundingClientRect();
  const right = side ? Math.max(40, window.innerWidth - side.left + 24) : 40;
  return shrinkPadding(window.innerWidth, window.innerHeight, { top: 90, bottom: 160, left: 40, right });
}

/** `map`: the page's map, which a hotspot picked in the panel is flown to. */
export function useEquityView(enabled: boolean, liveVersion: number, regions: RegionCollection | null, map: MaplibreMap | null): EquityView {
  const state = useEquity(enabled, liveVersion);
  const [districtsFilled, setDistrictsFilled] = useState(false);
  const [focusedHotspot, setFocusedHotspot] = useState<string | null>(null);
  const layers = useEquityLayers(state, regions, districtsFilled, focusedHotspot);
  const focusHotspot = useCallback((id: string, [w, s, e, n]: [number, number, number, number]) => {
    setFocusedHotspot(id);
    // A hotspot of one cell has a zero-size box: pad it to about a kilometre around.
    const pad = 0.006;
    map?.fitBounds([[w - pad, s - pad], [e + pad, n + pad]], { padding: freePadding(), maxZoom: 12, duration: 800 });
  }, [map]);
  const mapLayers = useMemo(() => (enabled ? equityMapLayers(layers.layers, layers.key) : null), [enabled, layers.layers, layers.key]);
  const panel: EquityPanelProps = { state, districtsFilled, onDistrictsFilled: setDistrictsFilled, focusedHotspot, onFocusHotspot: focusHotspot };
  return { state, layers, mapLayers, panel };
}

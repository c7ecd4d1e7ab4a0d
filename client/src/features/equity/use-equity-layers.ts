/**
 * The deck.gl layers of the equity view, rebuilt only when what they draw changes. The colour
 * classes come from the stored answer and stay put during a what-if, so a hypothetical facility
 * shows as cells changing colour, not as the whole legend shifting under them.
 */
import { useMemo } from 'react';
import type { Layer } from '@deck.gl/core';
import type { RegionCollection } from '#contract/index.ts';
import {
  accessScale,
  createDistrictAccessLayer,
  createEquityCellLayer,
  createFacilityLayer,
  createHotspotLayer,
  DEFAULT_CELL_SIZE_M,
  facilityDots,
  medianSpacingM,
  type AccessScale,
} from '../../map/layers/equity-layer.ts';
import type { EquityState } from './use-equity.ts';

export interface EquityLayers {
  layers: Layer[];
  /** Says what is drawn (kind, radius, method, stored or hypothetical, Gini): written on the map once drawn. */
  key: string;
  scale: AccessScale;
}

export function useEquityLayers(state: EquityState, regions: RegionCollection | null, districtsFilled: boolean, focusedHotspot: string | null): EquityLayers {
  const stored = state.base.phase === 'loaded' ? state.base.value : state.base.phase === 'loading' ? state.base.previous : null;
  const storedCells = stored?.cells;
  const scale = useMemo(() => accessScale((storedCells ?? []).map((c) => c.access)), [storedCells]);
  const cellSizeM = useMemo(() => medianSpacingM(storedCells ?? []) ?? DEFAULT_CELL_SIZE_M, [storedCells]);

  const { shown } = state;
  const cellLayer = useMemo(
    () => createEquityCellLayer(shown?.cells ?? [], scale, cellSizeM, !districtsFilled),
    [shown, scale, cellSizeM, districtsFilled],
  );
  const districtLayer = useMemo(() => {
    if (!regions) return null;
    const byCode = new Map((shown?.regions ?? []).map((r) => [r.code, r]));
    const silentCodes = new Set((shown?.regions ?? []).filter((r) => r.silent).map((r) => r.code));
    return createDistrictAccessLayer(regions, byCode, scale, { filled: districtsFilled, silentCodes });
  }, [regions, shown, scale, districtsFilled]);
  const hotspotLayer = useMemo(() => createHotspotLayer(shown?.hotspots ?? [], focusedHotspot, cellSizeM), [shown, focusedHotspot, cellSizeM]);
  const { facilities, additions } = state;
  const facilityLayer = useMemo(
    () => createFacilityLayer([...facilityDots(facilities?.features ?? []), ...additions.map((a) => ({ lon: a.lon, lat: a.lat, hypothetical: true }))]),
    [facilities, additions],
  );

  const key = shown
    ? `${shown.kind}|${shown.radius}|${shown.method}|${state.additions.length > 0 && shown !== stored ? `what-if:${state.additions.length}` : 'stored'}|${shown.gini}`
    : 'none';
  const layers = useMemo(
    () => [cellLayer, ...(districtLayer ? [districtLayer] : []), hotspotLayer, facilityLayer] as Layer[],
    [cellLayer, districtLayer, hotspotLayer, facilityLayer],
  );
  return { layers, key, scale };
}

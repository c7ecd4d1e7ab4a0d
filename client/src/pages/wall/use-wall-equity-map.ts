/**
 * The wall's equity layer (`?layers=equity` without `risk`): districts filled by their residents'
 * mean access to hospitals (default view), silent districts outlined in amber. Read once and again
 * on every `equity:updated`; only the district figures are kept, never the cells.
 */
import { useEffect, useMemo, useState } from 'react';
import { defaultRadiusM, type EquityRegion, type RegionCollection } from '#contract/index.ts';
import { fetchEquity } from '../../api/equity-api.ts';
import { accessScale, createDistrictAccessLayer, equityMapLayers, type AccessScale } from '../../map/layers/equity-layer.ts';
import type { MapLayerGroup } from '../../map/map-layers.ts';

export const WALL_EQUITY_KIND = 'hospital';

export interface WallEquityMap {
  /** An entry of the map's layer list; `null` while off or not loaded. */
  mapLayers: MapLayerGroup | null;
  scale: AccessScale | null;
  synthetic: boolean;
}

export function useWallEquityMap(enabled: boolean, version: number, regions: RegionCollection | null): WallEquityMap {
  const [answer, setAnswer] = useState<{ regions: EquityRegion[]; gini: number; synthetic: boolean } | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    fetchEquity({ kind: WALL_EQUITY_KIND, radiusM: defaultRadiusM(WALL_EQUITY_KIND), method: '2sfca' }, abort.signal)
      // Only what the districts need: the cells (up to 100k) are dropped at once.
      .then((r) => setAnswer({ regions: r.regions, gini: r.gini, synthetic: r.synthetic === true }))
      .catch(() => {});
    return () => abort.abort();
  }, [enabled, version]);

  return useMemo(() => {
    if (!enabled || !answer || !regions) return { mapLayers: null, scale: null, synthetic: false };
    const byCode = new Map(answer.regions.map((r) => [r.code, r]));
    const scale = accessScale(answer.regions.filter((r) => r.population > 0).map((r) => r.meanAccess));
    const silentCodes = new Set(answer.regions.filter((r) => r.silent).map((r) => r.code));
    const layer = createDistrictAccessLayer(regions, byCode, scale, { filled: true, silentCodes });
    return { mapLayers: equityMapLayers([layer], `${WALL_EQUITY_KIND}|${answer.gini}|${scale.key}`), scale, synthetic: answer.synthetic };
  }, [enabled, answer, regions]);
}

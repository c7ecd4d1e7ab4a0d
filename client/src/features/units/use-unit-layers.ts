/**
 * The units for a page's map: reads the register (`GET /api/v1/units`) into the page's unit store
 * once signed in and after every reconnect the session reports (positions are not replayed), and
 * hands the map the units layer with `data-unit-count` / `data-units-placed` marks for tests, and
 * `data-unit-positions` (`id lon lat` of each placed unit, `;`-separated): where each unit is drawn.
 */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { UnitCollection } from '#contract/index.ts';
import { requestJson } from '../../api/city-api.ts';
import { createUnitLayers } from '../../map/layers/unit-layer.ts';
import type { MapLayerGroup } from '../../map/map-layers.ts';
import type { UnitSnapshot, UnitStore } from '../../session/unit-store.ts';

/** `generation`: moves when the page should read the register again (a retry, a gap in the stream). */
export function useUnitLayers(store: UnitStore, enabled: boolean, generation: number): { group: MapLayerGroup; snapshot: UnitSnapshot } {
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    requestJson<UnitCollection>('/units', abort.signal)
      .then((collection) => store.load(collection))
      .catch(() => {});
    return () => abort.abort();
  }, [store, enabled, generation]);
  const group = useMemo<MapLayerGroup>(() => {
    const placed = snapshot.units.filter((d) => d.position !== null);
    return {
      layers: enabled ? createUnitLayers(snapshot) : [],
      marks: {
        'data-unit-count': String(snapshot.units.length),
        'data-units-placed': String(placed.length),
        'data-unit-positions': placed.map((d) => `${d.unit.id} ${d.position!.lon} ${d.position!.lat}`).join(';'),
      },
    };
  }, [snapshot, enabled]);
  return { group, snapshot };
}

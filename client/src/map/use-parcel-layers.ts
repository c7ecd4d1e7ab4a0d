/**
 * The land-code parcels on a page's map: maplibre layers under the district outlines from zoom 12
 * (parcel-layer.ts), put on while `enabled` (their tiles need a signed-in user, so signed out they
 * are taken off: they would answer 401). Says whether any are on screen, for the land-use legend and
 * for the five-colour fill, whose opaque colours would hide them.
 */
import { useEffect, useState } from 'react';
import type { Map as MaplibreMap } from 'maplibre-gl';
import { addParcelLayers, parcelsOnScreen, refreshParcelTiles, removeParcelLayers } from './parcel-layer.ts';

export interface ParcelLayerOptions {
  enabled: boolean;
  /**
   * Subscribes to "a parcel changed" (created, stepped, imported): the tiles on screen are fetched
   * again (unchanged ones come back as bodiless 304s). Returns the unsubscribe. Keep it stable.
   */
  subscribeToChanges?: (onChange: () => void) => () => void;
}

/** Whether parcels are drawn on screen now (zoomed in past 12 with some in sight). */
export function useParcelLayers(map: MaplibreMap | null, { enabled, subscribeToChanges }: ParcelLayerOptions): { shown: boolean } {
  const [onScreen, setOnScreen] = useState(false);

  useEffect(() => {
    if (!map) return;
    const apply = () => (enabled ? addParcelLayers(map, { origin: window.location.origin, beforeId: 'district-glow' }) : removeParcelLayers(map));
    if (map.isStyleLoaded()) apply();
    else map.once('load', apply);
    return () => {
      map.off('load', apply);
    };
  }, [map, enabled]);

  // Checked once the map has settled (and on every zoom): are parcels in the view now?
  useEffect(() => {
    if (!map) return;
    const check = () => setOnScreen(parcelsOnScreen(map));
    map.on('idle', check);
    map.on('zoomend', check);
    return () => {
      map.off('idle', check);
      map.off('zoomend', check);
    };
  }, [map]);

  useEffect(() => {
    if (!map || !enabled || !subscribeToChanges) return;
    return subscribeToChanges(() => {
      if (map.isStyleLoaded()) refreshParcelTiles(map, window.location.origin);
    });
  }, [map, enabled, subscribeToChanges]);

  return { shown: enabled && onScreen };
}

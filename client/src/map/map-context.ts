/**
 * How a page's features reach its map: the page keeps the map `MapView` hands out (`onMap`) and
 * provides it here; a panel deep inside (the parcel drawer, the what-if placement) reads it with
 * `useMap()`. Nothing looks the map up in the document.
 */
import { createContext, useContext } from 'react';
import type { Map as MaplibreMap } from 'maplibre-gl';

/** The page's map; `null` before it is made (no regions yet) and after it is removed. */
export const MapContext = createContext<MaplibreMap | null>(null);

export const useMap = (): MaplibreMap | null => useContext(MapContext);

/**
 * The full-screen map of a page: maplibre draws the offline basemap (the districts it is given), a
 * deck.gl overlay draws the layers the page lists, and the district names sit above them.
 *
 * How to add a layer to a page: write the layer in `layers/` (a deck.gl layer, or a factory
 * returning a `MapLayerGroup` when the map should record something once it is drawn; see
 * `layers/risk-layer.ts`), then list it in the page's `layers` (or `overlays`, for marks that must
 * never hide under a name). Nothing here changes: the map knows no feature.
 *
 * ```tsx
 * const [map, setMap] = useState<MaplibreMap | null>(null);
 * const risk = useMemo(() => riskMapLayers({ data: regions, levels, changedAt, atIso: null }), [regions, levels, changedAt]);
 * const incidents = useIncidentLayers(rows, count);
 * <MapContext.Provider value={map}>
 *   <MapView regions={regions} padding={PADDING} layers={[risk, incidents.dots]} overlays={[incidents.rings]} onMap={setMap} />
 *   <ParcelPanel />
 * </MapContext.Provider>
 * ```
 * (the panel reads the map with `useMap()`).
 *
 * The camera starts on the regions' bounds and follows them (fit-regions.ts): no city is built in.
 */
import { useEffect, useMemo, useRef } from 'react';
import { Map as MaplibreMap, setWorkerUrl, type GeoJSONSource } from 'maplibre-gl';
import { MapboxOverlay } from '@deck.gl/mapbox';
import 'maplibre-gl/dist/maplibre-gl.css';
// Under Vite, maplibre 6 cannot find its worker by itself and the map stays blank: its worker URL is set explicitly.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { RegionCollection } from '#contract/index.ts';
import { useI18n } from '../i18n/i18n.ts';
import { createBasemapStyle, REGIONS_SOURCE_ID } from './basemap.ts';
import { RegionFit, type Frame, type PaddingSource } from './fit-regions.ts';
import { createDistrictLabelLayer, districtLabels } from './layers/district-label-layer.ts';
import { useLabelFontFamily } from './label-font.ts';
import { applyMarks, layersOf, marksOf, type MapLayerEntry, type MapLayerGroup } from './map-layers.ts';
import { useLabelPlacement } from './use-label-placement.ts';

setWorkerUrl(workerUrl);

export interface MapViewProps {
  /** The districts: drawn by the basemap, named, and what the view fits. */
  regions: RegionCollection;
  /**
   * Screen space the panels cover, so fitting to the city keeps districts out from under them; a
   * function is read at each fit (sizes in rem of a font that follows the screen). Shrunk where it
   * would leave no map.
   */
  padding: PaddingSource;
  /** The page's layers, bottom to top, under the district names. Keep the array's identity while nothing changes. */
  layers: readonly MapLayerEntry[];
  /** Layers above the names: marks that must never hide under a label (the selected incident's ring). */
  overlays?: readonly MapLayerEntry[];
  /** Hands out the map once made, and `null` once it is removed: how a page's features reach it. */
  onMap?: (map: MaplibreMap | null) => void;
  /** District names' smallest and largest size on screen (px); a 4K wall read from 5 m wants them larger. @default 12–22 */
  labelSizePx?: { min: number; max: number };
  /**
   * What to frame instead of the whole city (the responder's incident and its radius), kept framed
   * through resizes like the city is; a new frame is fitted at once. Keep its identity while it is the same.
   */
  frame?: Frame | null;
  /** The map region's accessible name. @default the application's name */
  label?: string;
}

const NO_LAYERS: readonly MapLayerEntry[] = [];

export function MapView({ regions, padding, layers, overlays = NO_LAYERS, onMap, labelSizePx, frame = null, label }: MapViewProps) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MaplibreMap | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const fitRef = useRef<RegionFit | null>(null);
  const paddingRef = useRef(padding);
  paddingRef.current = padding;
  const onMapRef = useRef(onMap);
  onMapRef.current = onMap;
  const frameRef = useRef(frame);
  frameRef.current = frame;
  /** The entries last handed to deck.gl: their marks are written once it has drawn them. */
  const entriesRef = useRef<readonly MapLayerEntry[]>(NO_LAYERS);

  // The map is made once, with the first regions; later region sets only replace the source data.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const map = new MaplibreMap({
      container,
      style: createBasemapStyle(regions),
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
    });
    // On the city (or the page's frame) from the first frame (the style loads later): no other place is ever shown first.
    const fit = new RegionFit(map, () => paddingRef.current);
    fit.setFrame(frameRef.current);
    fit.show(regions);
    fitRef.current = fit;
    let written = new Map<string, string>();
    const overlay = new MapboxOverlay({
      layers: [],
      // What is on screen, once deck.gl has drawn it: each group's marks (map-layers.ts).
      onAfterRender: () => {
        written = applyMarks(container, written, marksOf(entriesRef.current));
      },
    });
    map.addControl(overlay);
    mapRef.current = map;
    overlayRef.current = overlay;
    // Automation only (browser tests, a wall's monitoring script): they find where a district is
    // drawn with `element.cityBrainMap.project([lon, lat])`. The application never reads it: its
    // features get the map from `onMap` (map-context.ts).
    Object.defineProperty(container, 'cityBrainMap', { value: map, configurable: true });
    onMapRef.current?.(map);
    return () => {
      onMapRef.current?.(null);
      Reflect.deleteProperty(container, 'cityBrainMap');
      fit.remove();
      map.removeControl(overlay);
      map.remove();
      mapRef.current = null;
      overlayRef.current = null;
      fitRef.current = null;
    };
    // Created once; the effect below follows `regions`.
  }, []);

  // Another region set is fitted at once (fit-regions.ts decides); the outlines follow once the style has its source.
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    fitRef.current?.show(regions);
    const apply = () => {
      (map.getSource(REGIONS_SOURCE_ID) as GeoJSONSource | undefined)?.setData(regions as GeoJSON.FeatureCollection);
      // Tests and wall monitors can tell a settled map from one still drawing.
      map.once('idle', () => containerRef.current?.setAttribute('data-map-ready', 'true'));
    };
    // Not isStyleLoaded(): it is false while any source is loading, and 'load' never fires again.
    if (map.getSource(REGIONS_SOURCE_ID)) apply();
    else map.once('load', apply);
  }, [regions]);

  useEffect(() => fitRef.current?.setFrame(frame), [frame]);

  // Names above the page's layers: a district must stay readable however many incidents it has.
  const labels = useMemo(() => districtLabels(regions), [regions]);
  // Not drawn until the served font is loaded for these names (or given up on): deck.gl would keep
  // whatever glyphs it rasterised first.
  const labelFamily = useLabelFontFamily(labels.map((label) => label.name).join(''));
  // Where names would collide, only the bigger district's is drawn (label-placement.ts).
  const labelPlacement = useLabelPlacement(mapRef, labels, { fontFamily: labelFamily, sizePx: labelSizePx });
  const { recordRef } = labelPlacement;
  const names = useMemo<MapLayerGroup>(
    () => ({
      layers: [labelFamily === null ? null : createDistrictLabelLayer(labelPlacement.labels, { fontFamily: labelFamily })],
      // Which district names are drawn, where and how large (use-label-placement.ts).
      marks: () => ({ 'data-district-labels': recordRef.current }),
    }),
    [labelPlacement.labels, labelFamily, recordRef],
  );

  useEffect(() => {
    const entries = [...layers, names, ...overlays];
    entriesRef.current = entries;
    overlayRef.current?.setProps({ layers: layersOf(entries) });
  }, [layers, names, overlays]);

  return (
    <div
      ref={containerRef}
      className="map"
      data-testid="map"
      data-label-font={labelFamily ?? undefined}
      role="region"
      aria-label={label ?? t('title')}
    />
  );
}

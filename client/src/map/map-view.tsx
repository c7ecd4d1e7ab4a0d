/** The full-screen map: maplibre draws the offline basemap, a deck.gl overlay draws names and incidents. */
import { useEffect, useMemo, useRef } from 'react';
import { Map as MaplibreMap, setWorkerUrl, type GeoJSONSource } from 'maplibre-gl';
import { MapboxOverlay } from '@deck.gl/mapbox';
import 'maplibre-gl/dist/maplibre-gl.css';
// Under Vite, maplibre 6 cannot find its worker by itself and the map stays blank (FIELD-NOTES).
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { Incident, RegionCollection } from '../../../server/contract/index.ts';
import { useI18n } from '../i18n.ts';
import { createBasemapStyle, REGIONS_SOURCE_ID } from './basemap.ts';
import { regionsBounds } from './geometry.ts';
import { createDistrictLabelLayer, districtLabels } from './layers/district-label-layer.ts';
import { createIncidentLayer, inDrawingOrder } from './layers/incident-layer.ts';

setWorkerUrl(workerUrl);

export interface MapViewProps {
  regions: RegionCollection;
  incidents: readonly Incident[];
  highlightId: string | null;
  /** Screen space the panels cover, so fitting to the city keeps districts out from under them. */
  padding: { top: number; right: number; bottom: number; left: number };
}

export function MapView({ regions, incidents, highlightId, padding }: MapViewProps) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MaplibreMap | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const paddingRef = useRef(padding);
  paddingRef.current = padding;

  // The map is made once, with the first regions; later region sets only replace the source data.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const map = new MaplibreMap({
      container,
      style: createBasemapStyle(regions),
      center: [120.17, 30.25],
      zoom: 9,
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
    });
    const overlay = new MapboxOverlay({ layers: [] });
    map.addControl(overlay);
    mapRef.current = map;
    overlayRef.current = overlay;
    return () => {
      map.removeControl(overlay);
      map.remove();
      mapRef.current = null;
      overlayRef.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- created once; the effect below follows `regions`.
  }, []);

  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const apply = () => {
      (map.getSource(REGIONS_SOURCE_ID) as GeoJSONSource | undefined)?.setData(regions as GeoJSON.FeatureCollection);
      const bounds = regionsBounds(regions);
      if (bounds) map.fitBounds(bounds, { padding: paddingRef.current, animate: false });
      // Tests and wall monitors can tell a settled map from one still drawing.
      map.once('idle', () => containerRef.current?.setAttribute('data-map-ready', 'true'));
    };
    if (map.isStyleLoaded()) apply();
    else map.once('load', apply);
  }, [regions]);

  // Names above the dots: a district must stay readable however many incidents it has.
  const labelLayer = useMemo(() => createDistrictLabelLayer(districtLabels(regions)), [regions]);
  const ordered = useMemo(() => inDrawingOrder(incidents), [incidents]);
  useEffect(() => {
    overlayRef.current?.setProps({ layers: [createIncidentLayer(ordered, { highlightId }), labelLayer] });
  }, [labelLayer, ordered, highlightId]);

  return (
    <div
      ref={containerRef}
      className="map"
      data-testid="map"
      data-incident-count={incidents.length}
      role="region"
      aria-label={t('title')}
    />
  );
}

/** The full-screen map: maplibre draws the offline basemap, a deck.gl overlay draws names and incidents. */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Map as MaplibreMap, setWorkerUrl, type GeoJSONSource } from 'maplibre-gl';
import { MapboxOverlay } from '@deck.gl/mapbox';
import 'maplibre-gl/dist/maplibre-gl.css';
// Under Vite, maplibre 6 cannot find its worker by itself and the map stays blank (FIELD-NOTES).
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { Incident, RegionCollection } from '../../../server/contract/index.ts';
import type { IncidentRowsSnapshot } from './layers/incident-rows.ts';
import { useI18n } from '../i18n.ts';
import { createBasemapStyle, REGIONS_SOURCE_ID } from './basemap.ts';
import { regionsBounds } from './geometry.ts';
import { createDistrictLabelLayer, districtLabels } from './layers/district-label-layer.ts';
import { createHighlightLayer, createIncidentLayers } from './layers/incident-layer.ts';

setWorkerUrl(workerUrl);

export interface MapViewProps {
  regions: RegionCollection;
  /** The incidents as rows that change incrementally (see `layers/incident-rows.ts`). */
  rows: IncidentRowsSnapshot;
  incidentCount: number;
  hovered: Incident | null;
  selected: Incident | null;
  /** A click on an incident's dot. */
  onPick: (incident: Incident) => void;
  /** Screen space the panels cover, so fitting to the city keeps districts out from under them. */
  padding: { top: number; right: number; bottom: number; left: number };
}

export function MapView({ regions, rows, incidentCount, hovered, selected, onPick, padding }: MapViewProps) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MaplibreMap | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const paddingRef = useRef(padding);
  paddingRef.current = padding;
  const onPickRef = useRef(onPick);
  onPickRef.current = onPick;
  const [counter] = useState(() => ({ rowsEvaluated: 0 }));

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
    let shown = -1;
    const overlay = new MapboxOverlay({
      layers: [],
      // How many incident rows deck.gl has computed so far: one per new or changed incident, not
      // the whole city per event. Written only when it changes; tests and operators can read it.
      onAfterRender: () => {
        if (counter.rowsEvaluated === shown) return;
        shown = counter.rowsEvaluated;
        container.setAttribute('data-rows-evaluated', String(shown));
      },
    });
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
  const incidentLayers = useMemo(
    () => createIncidentLayers(rows, incidentCount, { counter, onPick: (incident) => onPickRef.current(incident) }),
    [rows, incidentCount, counter],
  );
  const highlightLayer = useMemo(() => createHighlightLayer(hovered, selected), [hovered, selected]);
  useEffect(() => {
    // The rings go above the names: the selected incident must never hide under a label.
    overlayRef.current?.setProps({ layers: [...incidentLayers, labelLayer, highlightLayer] });
  }, [incidentLayers, highlightLayer, labelLayer]);

  return (
    <div
      ref={containerRef}
      className="map"
      data-testid="map"
      data-incident-count={incidentCount}
      role="region"
      aria-label={t('title')}
    />
  );
}

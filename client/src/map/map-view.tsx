/**
 * The full-screen map: maplibre draws the offline basemap, a deck.gl overlay draws the five-colour
 * districts, names and incidents.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { Map as MaplibreMap, setWorkerUrl, type GeoJSONSource } from 'maplibre-gl';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer } from '@deck.gl/core';
import 'maplibre-gl/dist/maplibre-gl.css';
// Under Vite, maplibre 6 cannot find its worker by itself and the map stays blank: its worker URL is set explicitly.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { Incident, RegionCollection, RiskLevel } from '#contract/index.ts';
import type { IncidentRowsSnapshot } from './layers/incident-rows.ts';
import { useI18n } from '../i18n/i18n.ts';
import { createBasemapStyle, REGIONS_SOURCE_ID } from './basemap.ts';
import { RegionFit, type PaddingSource } from './fit-regions.ts';
import { createDistrictLabelLayer, districtLabels } from './layers/district-label-layer.ts';
import { useLabelFontFamily } from './label-font.ts';
import { useLabelPlacement } from './use-label-placement.ts';
import { createHighlightLayer, createIncidentLayers } from './layers/incident-layer.ts';
import { createDistrictFocusLayer, createRiskLayer, createRiskPulseLayer } from './layers/risk-layer.ts';
import { addParcelLayers, parcelsOnScreen, refreshParcelTiles, removeParcelLayers } from './parcel-layer.ts';
import { parcelEvents } from '../session/parcel-events.ts';
import { usePulseStrengths } from './use-pulse-strengths.ts';

setWorkerUrl(workerUrl);

/** The five-colour layer's input. */
export interface MapRisk {
  /** Level of each region shown, by code; a region without one is not filled. */
  levels: ReadonlyMap<string, RiskLevel>;
  /** ISO time of the state shown; `null` when live. */
  atIso: string | null;
  /** When each region changed level live (ms since epoch): it pulses for a few seconds. */
  pulses: ReadonlyMap<string, number>;
  /** The district the card describes: outlined. */
  focused: string | null;
  /** `x`: where the pointer is, in map pixels (a card can then open on the other side). */
  onHover: (code: string | null, x: number) => void;
  onClick: (code: string, x: number) => void;
}

/** What was last handed to deck.gl, written onto the container once drawn (tests and wall monitors read it). */
interface Drawn {
  at: string;
  levels: string;
  pulsing: string;
}

export interface MapViewProps {
  regions: RegionCollection;
  /** The incidents as rows that change incrementally (see `layers/incident-rows.ts`). */
  rows: IncidentRowsSnapshot;
  incidentCount: number;
  hovered: Incident | null;
  selected: Incident | null;
  /** A click on an incident's dot. */
  onPick: (incident: Incident) => void;
  /**
   * Screen space the panels cover, so fitting to the city keeps districts out from under them; a
   * function is read at each fit (sizes in rem of a font that follows the screen). Shrunk where it
   * would leave no map.
   */
  padding: PaddingSource;
  risk: MapRisk;
  /** Draw the land-code parcels from zoom 12 (their tiles need a signed-in user). */
  parcels?: boolean;
  /** Called when parcels come into view or leave it (zoomed in past 12 with some in sight), e.g. to show their legend. */
  onParcelsShown?: (shown: boolean) => void;
  /**
   * The equity view: its layers replace the five colours and the incidents (district names stay on
   * top). `key` says what they show; it is written as `data-equity-drawn` once deck.gl has drawn it.
   */
  equity?: { layers: Layer[]; key: string } | null;
  /** District names' smallest and largest size on screen (px); a 4K wall read from 5 m wants them larger. @default 12–22 */
  labelSizePx?: { min: number; max: number };
}

export function MapView({ regions, rows, incidentCount, hovered, selected, onPick, padding, risk, parcels = false, onParcelsShown, equity = null, labelSizePx }: MapViewProps) {
  const { t } = useI18n();
  const containerRef = useRef<HTMLDivElement>(null);
  const mapRef = useRef<MaplibreMap | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const fitRef = useRef<RegionFit | null>(null);
  const paddingRef = useRef(padding);
  paddingRef.current = padding;
  const onPickRef = useRef(onPick);
  onPickRef.current = onPick;
  const [counter] = useState(() => ({ rowsEvaluated: 0 }));
  const riskRef = useRef(risk);
  riskRef.current = risk;
  const drawnRef = useRef<Drawn | null>(null);
  const equityKeyRef = useRef<string | null>(null);
  const [parcelsDrawn, setParcelsDrawn] = useState(false);
  const parcelsShown = parcels && parcelsDrawn;

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
    // On the city from the first frame (the style loads later): no other place is ever shown first.
    const fit = new RegionFit(map, () => paddingRef.current);
    fit.show(regions);
    fitRef.current = fit;
    let shown = -1;
    let shownRisk: Drawn | null = null;
    let shownEquity: string | null = null;
    let shownLabels: string | null = null;
    const overlay = new MapboxOverlay({
      layers: [],
      onAfterRender: () => {
        // The risk state on screen, once deck.gl has drawn it: `data-risk-at` (ISO or "live") and
        // `data-risk-levels` (JSON, code → level) say what the wall shows, not what is on its way.
        const drawn = drawnRef.current;
        if (drawn && drawn !== shownRisk) {
          shownRisk = drawn;
          container.setAttribute('data-risk-at', drawn.at);
          container.setAttribute('data-risk-levels', drawn.levels);
          container.setAttribute('data-risk-pulsing', drawn.pulsing);
        }
        if (equityKeyRef.current !== shownEquity) {
          shownEquity = equityKeyRef.current;
          if (shownEquity === null) container.removeAttribute('data-equity-drawn');
          else container.setAttribute('data-equity-drawn', shownEquity);
        }
        // Which district names are drawn, where and how large (use-label-placement.ts).
        const labelRecord = labelPlacement.recordRef.current;
        if (labelRecord !== shownLabels) {
          shownLabels = labelRecord;
          if (labelRecord === null) container.removeAttribute('data-district-labels');
          else container.setAttribute('data-district-labels', labelRecord);
        }
        // How many incident rows deck.gl has computed so far: one per new or changed incident, not
        // the whole city per event. Written only when it changes; tests and operators can read it.
        if (counter.rowsEvaluated === shown) return;
        shown = counter.rowsEvaluated;
        container.setAttribute('data-rows-evaluated', String(shown));
      },
    });
    map.addControl(overlay);
    // Checked once the map has settled (and on every zoom): are parcels in the view now?
    const checkParcels = () => setParcelsDrawn(parcelsOnScreen(map));
    map.on('idle', checkParcels);
    map.on('zoomend', checkParcels);
    mapRef.current = map;
    overlayRef.current = overlay;
    // Automation on the page (browser tests, a wall's monitoring script) reads the map from its
    // element, e.g. to find where a district is drawn: `element.cityBrainMap.project([lon, lat])`.
    Object.defineProperty(container, 'cityBrainMap', { value: map, configurable: true });
    return () => {
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

  // Parcels under the district outlines; taken off when signed out (their tiles would answer 401).
  useEffect(() => {
    const map = mapRef.current;
    if (!map) return;
    const apply = () => (parcels ? addParcelLayers(map, { origin: window.location.origin, beforeId: 'district-glow' }) : removeParcelLayers(map));
    if (map.isStyleLoaded()) apply();
    else map.once('load', apply);
  }, [parcels]);
  useEffect(() => onParcelsShown?.(parcelsShown), [parcelsShown, onParcelsShown]);
  // A parcel created, stepped or imported changes its tile: fetch the tiles on screen again
  // (unchanged ones come back as bodiless 304s).
  useEffect(() => {
    if (!parcels) return;
    return parcelEvents.subscribe(() => {
      const map = mapRef.current;
      if (map?.isStyleLoaded()) refreshParcelTiles(map, window.location.origin);
    });
  }, [parcels]);

  // Only regions on the map count: a rating of a region since removed is not drawn.
  const levelsJson = useMemo(() => {
    const drawn: Record<string, RiskLevel> = {};
    for (const feature of regions.features) {
      const level = risk.levels.get(feature.properties.code);
      if (level) drawn[feature.properties.code] = level;
    }
    return JSON.stringify(drawn);
  }, [regions, risk.levels]);
  const riskLayer = useMemo(
    () =>
      createRiskLayer(regions, risk.levels, levelsJson, {
        onHover: (code, x) => riskRef.current.onHover(code, x),
        onClick: (code, x) => riskRef.current.onClick(code, x),
      }),
    [regions, risk.levels, levelsJson],
  );
  const focusLayer = useMemo(() => createDistrictFocusLayer(regions, risk.focused), [regions, risk.focused]);
  const { frame, strengths } = usePulseStrengths(risk.pulses);
  const pulsing = useMemo(() => [...strengths.keys()].sort().join(','), [strengths]);
  const pulsingFeatures = useMemo(() => {
    const codes = new Set(pulsing.split(','));
    return regions.features.filter((f) => codes.has(f.properties.code));
  }, [regions, pulsing]);
  const pulseLayer = useMemo(
    () => createRiskPulseLayer(pulsingFeatures, strengths, frame),
    [pulsingFeatures, strengths, frame],
  );

  // Names above the dots: a district must stay readable however many incidents it has.
  const labels = useMemo(() => districtLabels(regions), [regions]);
  // Not drawn until the served font is loaded for these names (or given up on): deck.gl would keep
  // whatever glyphs it rasterised first.
  const labelFamily = useLabelFontFamily(labels.map((label) => label.name).join(''));
  // Where names would collide, only the bigger district's is drawn (label-placement.ts).
  const labelPlacement = useLabelPlacement(mapRef, labels, { fontFamily: labelFamily, sizePx: labelSizePx });
  const labelLayer = useMemo(
    () => (labelFamily === null ? null : createDistrictLabelLayer(labelPlacement.labels, { fontFamily: labelFamily })),
    [labelPlacement.labels, labelFamily],
  );
  const incidentLayers = useMemo(
    () => createIncidentLayers(rows, incidentCount, { counter, onPick: (incident) => onPickRef.current(incident) }),
    [rows, incidentCount, counter],
  );
  const highlightLayer = useMemo(() => createHighlightLayer(hovered, selected), [hovered, selected]);
  const atLabel = risk.atIso ?? 'live';
  useEffect(() => {
    const held = drawnRef.current;
    if (!held || held.at !== atLabel || held.levels !== levelsJson || held.pulsing !== pulsing) {
      drawnRef.current = { at: atLabel, levels: levelsJson, pulsing };
    }
    // The five colours at the bottom, everything else above them; the rings go above the names:
    // the selected incident must never hide under a label. With parcels in view, the opaque fill
    // (on deck.gl's canvas, above maplibre's) would hide them: it steps aside for their land uses.
    equityKeyRef.current = equity?.key ?? null;
    overlayRef.current?.setProps({
      layers: equity
        ? [...equity.layers, labelLayer]
        : [parcelsShown ? riskLayer.clone({ visible: false }) : riskLayer, focusLayer, pulseLayer, ...incidentLayers, labelLayer, highlightLayer],
    });
  }, [riskLayer, focusLayer, pulseLayer, incidentLayers, highlightLayer, labelLayer, atLabel, levelsJson, pulsing, parcelsShown, equity]);

  return (
    <div
      ref={containerRef}
      className="map"
      data-testid="map"
      data-incident-count={incidentCount}
      data-label-font={labelFamily ?? undefined}
      role="region"
      aria-label={t('title')}
    />
  );
}

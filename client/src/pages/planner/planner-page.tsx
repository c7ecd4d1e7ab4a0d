/**
 * The planner desk (`/planner`): a 1920×1080 screen and a mouse. The map (land-use parcels
 * on, five-colour risk or the equity heatmap with what-if) with the parcel search and drawer over its
 * left edge; on the right the district comparison table and, with the heatmap, the equity panel.
 * The table exports as CSV, the map as PNG.
 */
import { useCallback, useMemo, useState } from 'react';
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { RegionCollection } from '#contract/index.ts';
import { I18nContext, levelName } from '../../i18n/i18n.ts';
import { LandUseLegend } from '../../map/landuse-legend.tsx';
import { riskMapLayers } from '../../map/layers/risk-layer.ts';
import { useIncidentLayers } from '../../map/layers/use-incident-layers.ts';
import { MapContext } from '../../map/map-context.ts';
import type { MapLayerEntry } from '../../map/map-layers.ts';
import { MapView } from '../../map/map-view.tsx';
import { useParcelLayers } from '../../map/use-parcel-layers.ts';
import { RiskLegend } from '../../map/risk-legend.tsx';
import { currentTimeZone } from '../../time/time-zone.ts';
import { useLanguage } from '../../shell/use-language.ts';
import { EquityLegend } from '../../features/equity/equity-legend.tsx';
import { EquityPanel } from '../../features/equity/equity-panel.tsx';
import { kindName } from '../../features/equity/equity-view-model.ts';
import { useEquityView } from '../../features/equity/use-equity-view.ts';
import { useViewMode } from '../../features/equity/use-view-mode.ts';
import { PlannerPanel } from '../../features/parcels/parcel-panel.tsx';
import { messageOf } from '../../api/error-message.ts';
import { useIncidentRows } from '../../features/incidents/use-incident-rows.ts';
import { IncidentStore } from '../../session/incident-store.ts';
import { parcelEvents } from '../../session/parcel-events.ts';
import { useCitySession } from '../../session/use-city-session.ts';
import { PageOverlay } from '../../shell/page-overlay.tsx';

import { DeskBar } from './desk-bar.tsx';
import { comparisonCsv, comparisonRows, exportFileName, sortRows, type SortKey, type SortOrder } from './district-comparison.ts';
import { DistrictTable } from './district-table.tsx';
import { download, mapPng } from './exports.ts';
import { deskText } from './strings.ts';
import './planner-page.css';

/**
 * Room the search box (top left) and the legends (bottom right) take over the map. The drawer below
 * the search box is left out: it opens with a parcel, and then the map flies to that parcel beside it.
 */
const MAP_PADDING = { top: 96, right: 160, bottom: 40, left: 40 };
/** The page background, painted under the basemap in the PNG as it is on screen. */
const MAP_BACKGROUND = '#0a1220';
const EMPTY_REGIONS: RegionCollection = { type: 'FeatureCollection', features: [] };

/** A parcel created, stepped or imported: the parcel tiles on screen are fetched again. */
const subscribeToParcelChanges = (onChange: () => void) => parcelEvents.subscribe(() => onChange());

export function PlannerPage() {
  const i18n = useLanguage();
  const { t, lang } = i18n;
  // Every incident (the table counts open ones per district and the map draws them all), no playback.
  const data = useCitySession(() => ({ incidents: new IncidentStore(), risk: true, equity: true, parcels: true }));
  const mapRows = useIncidentRows(data.city.incidents);
  const signedIn = data.phase === 'signed-in';
  const { view, toggleView } = useViewMode();
  const equityOn = signedIn && view === 'equity';
  // The table shows access whichever layer is drawn, so the equity answer loads whenever signed in.
  const [map, setMap] = useState<MaplibreMap | null>(null);
  const equity = useEquityView(signedIn, data.equityVersion, data.regions, map);
  const parcelsShown = useParcelLayers(map, { enabled: signedIn, subscribeToChanges: subscribeToParcelChanges }).shown;
  const [focused, setFocused] = useState<string | null>(null);

  const regionNames = useMemo(() => new Map((data.regions?.features ?? []).map((f) => [f.properties.code, f.properties.name])), [data.regions]);
  const synthetic = useMemo(() => (data.regions?.features ?? []).some((f) => f.properties.populationSource === 'synthetic'), [data.regions]);
  // A district clicked on the map is outlined and its row picked out in the table.
  const toggleFocus = useCallback((code: string) => setFocused((held) => (held === code ? null : code)), []);
  const riskLayers = useMemo(
    () =>
      data.regions &&
      riskMapLayers({
        data: data.regions,
        levels: new Map([...data.risk.ratings].map(([code, rating]) => [code, rating.level])),
        atIso: null,
        changedAt: data.risk.changedAt,
        focusedCode: focused,
        // The opaque colours step aside while parcels are in view: they would hide the land uses.
        filled: !parcelsShown,
        onDistrictClick: toggleFocus,
      }),
    [data.regions, data.risk, focused, parcelsShown, toggleFocus],
  );
  const incidentLayers = useIncidentLayers(mapRows, data.incidents.incidents.length);
  const equityLayers = equityOn ? equity.mapLayers : null;
  const mapLayers = useMemo<MapLayerEntry[]>(
    // The heatmap instead of the five colours and the dots; the incident count is still recorded.
    () => (equityLayers ? [equityLayers, { layers: [], marks: incidentLayers.dots.marks }] : [riskLayers, incidentLayers.dots]),
    [equityLayers, riskLayers, incidentLayers.dots],
  );
  const mapOverlays = useMemo<MapLayerEntry[]>(() => (equityLayers ? [] : [incidentLayers.rings]), [equityLayers, incidentLayers.rings]);

  const [order, setOrder] = useState<SortOrder>({ key: 'risk', descending: true });
  // A new column starts with its most telling end on top (largest first), names from A.
  const sortBy = useCallback((key: SortKey) => setOrder((held) => (held.key === key ? { key, descending: !held.descending } : { key, descending: key !== 'name' })), []);
  const { shown } = equity.state;
  const rows = useMemo(
    () => sortRows(comparisonRows(data.regions ?? EMPTY_REGIONS, data.risk.ratings, data.incidents.incidents, shown?.regions ?? null), order, lang),
    [data.regions, data.risk.ratings, data.incidents.incidents, shown, order, lang],
  );
  const ready = data.regions !== null && data.incidents.loaded && data.risk.loaded && equity.state.base.phase === 'loaded';

  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const exportCsv = useCallback(() => {
    const d = deskText(lang);
    const kind = kindName(equity.state.request.kind, lang);
    const csv = comparisonCsv(rows, {
      headers: [d('col.code'), d('col.name'), d('col.population'), d('col.level'), d('col.score'), d('col.open'), d('col.access', { kind }), d('col.zero'), d('col.silent')],
      levelName: (level) => levelName(level, lang),
      yes: d('value.yes'),
      no: d('value.no'),
    });
    download(new Blob([csv], { type: 'text/csv;charset=utf-8' }), exportFileName('districts', 'csv', Date.now(), currentTimeZone()));
  }, [rows, lang, equity.state.request.kind]);
  const exportPng = useCallback(() => {
    if (!map) return;
    setExporting(true);
    setExportError(null);
    mapPng(map, MAP_BACKGROUND)
      .then((blob) => download(blob, exportFileName('map', 'png', Date.now(), currentTimeZone())))
      .catch((error: unknown) => setExportError(messageOf(error)))
      .finally(() => setExporting(false));
  }, [map]);

  return (
    <I18nContext.Provider value={i18n}>
      <MapContext.Provider value={map}>
      <div className="desk" data-testid="planner-desk">
        <DeskBar
          connection={signedIn ? data.connection : null}
          storeDown={signedIn && data.storeDown}
          layer={view === 'equity' ? 'equity' : 'risk'}
          onLayer={(layer) => {
            if (layer !== (view === 'equity' ? 'equity' : 'risk')) toggleView();
          }}
          canExport={signedIn && data.regions !== null}
          exporting={exporting}
          exportError={exportError}
          onExportCsv={exportCsv}
          onExportPng={exportPng}
        />
        <main className="desk-map">
          {data.regions ? (
            <MapView regions={data.regions} padding={MAP_PADDING} layers={mapLayers} overlays={mapOverlays} onMap={setMap} />
          ) : (
            <div className="map map-placeholder" data-testid="map" />
          )}
          {signedIn && <PlannerPanel regionNames={regionNames} />}
          {signedIn && (
            <div className="desk-legends">
              {parcelsShown && <LandUseLegend synthetic={synthetic} />}
              {equityOn ? (
                <EquityLegend scale={equity.layers.scale} kind={equity.state.request.kind} synthetic={equity.state.shown?.synthetic === true} />
              ) : (
                <RiskLegend syntheticPopulation={synthetic} />
              )}
            </div>
          )}
        </main>
        <aside className="desk-side">
          {signedIn && (
            <DistrictTable
              rows={rows}
              ready={ready}
              order={order}
              onSort={sortBy}
              kind={equity.state.request.kind}
              onKind={equity.state.setKind}
              focused={focused}
              onFocus={setFocused}
            />
          )}
          {equityOn && <EquityPanel {...equity.panel} />}
        </aside>
        <PageOverlay session={data} t={t} />
      </div>
      </MapContext.Provider>
    </I18nContext.Provider>
  );
}

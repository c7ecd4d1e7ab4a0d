/**
 * `/console`, the operations console: full-screen live five-colour map with top bar, legends, risk
 * playback, incident list and cards, the drill list, the parcel panel and the equity view; the
 * sign-in card when needed. Its city session holds every incident and the 7-day risk playback.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { Incident } from '#contract/index.ts';
import { I18nContext } from '../../i18n/i18n.ts';
import { useLanguage } from '../../shell/use-language.ts';
import { LandUseLegend } from '../../map/landuse-legend.tsx';
import { Legend } from '../../map/legend.tsx';
import { riskMapLayers } from '../../map/layers/risk-layer.ts';
import { useIncidentLayers } from '../../map/layers/use-incident-layers.ts';
import { MapContext } from '../../map/map-context.ts';
import type { MapLayerEntry } from '../../map/map-layers.ts';
import { MapView } from '../../map/map-view.tsx';
import { useParcelLayers } from '../../map/use-parcel-layers.ts';
import { useMapAfterStream } from '../../map/use-map-after-stream.ts';
import { RiskLegend } from '../../map/risk-legend.tsx';
import { EquityLegend } from '../../features/equity/equity-legend.tsx';
import { EquityPanel } from '../../features/equity/equity-panel.tsx';
import { useEquityView } from '../../features/equity/use-equity-view.ts';
import { useViewMode } from '../../features/equity/use-view-mode.ts';
import { PlannerPanel } from '../../features/parcels/parcel-panel.tsx';
import { PageOverlay } from '../../shell/page-overlay.tsx';
import { DistrictCard } from './district-card.tsx';
import { DrillPanel } from './drill-panel.tsx';
import { KpiPanel } from './kpi-panel.tsx';
import { IncidentPanel } from '../../features/incidents/incident-panel.tsx';
import { RiskPlaybackBar } from '../../features/risk/risk-playback-bar.tsx';
import { TopBar } from './top-bar.tsx';
import { useRiskPlayback, useShownRisk } from '../../features/risk/use-risk-playback.ts';
import { useIncidentRows } from '../../features/incidents/use-incident-rows.ts';
import { IncidentStore } from '../../session/incident-store.ts';
import { parcelEvents } from '../../session/parcel-events.ts';
import { useCitySession } from '../../session/use-city-session.ts';

/** A district picked on the map, and where the pointer was (map pixels). */
interface DistrictPick {
  code: string;
  x: number;
}

/** Room the panels take on screen, so the city is fitted into what stays visible. */
const MAP_PADDING = { top: 72, right: 500, bottom: 120, left: 32 };

/** A parcel created, stepped or imported: the parcel tiles on screen are fetched again. */
const subscribeToParcelChanges = (onChange: () => void) => parcelEvents.subscribe(() => onChange());


export function ConsolePage() {
  const i18n = useLanguage();
  const { t } = i18n;
  const data = useCitySession(() => ({ incidents: new IncidentStore(), risk: true, drills: true, equity: true, parcels: true, health: true }));
  const { city } = data;
  const rows = useIncidentRows(city.incidents);
  const drills = useSyncExternalStore(city.drills.subscribe, city.drills.getSnapshot);
  const playback = useRiskPlayback({ enabled: data.riskReady, store: city.risk, generation: data.riskGeneration });
  const incidentById = useCallback((id: string) => city.incidents.get(id), [city]);
  const applyLocal = useCallback((incident: Incident) => city.incidents.applyLocal(incident), [city]);
  const [hoveredId, setHoveredId] = useState<string | null>(null);
  const [selection, setSelection] = useState<{ id: string | null; open: boolean }>({ id: null, open: false });
  const select = useCallback((id: string | null, open: boolean) => setSelection({ id, open: id !== null && open }), []);
  const { incidents } = data.incidents;
  // Looked up per store version, so the card and the rings follow live status changes.
  const version = data.incidents.version;
  // `version` is the store's change signal: both lookups re-run when it moves.
  const selected = useMemo(() => (selection.id ? (incidentById(selection.id) ?? null) : null), [selection.id, version, incidentById]);
  const hovered = useMemo(() => (hoveredId ? (incidentById(hoveredId) ?? null) : null), [hoveredId, version, incidentById]);

  const regionNames = useMemo(
    () => new Map((data.regions?.features ?? []).map((f) => [f.properties.code, f.properties.name])),
    [data.regions],
  );
  const regionByCode = useMemo(
    () => new Map((data.regions?.features ?? []).map((f) => [f.properties.code, f.properties])),
    [data.regions],
  );
  const syntheticPopulation = useMemo(
    () => (data.regions?.features ?? []).some((f) => f.properties.populationSource === 'synthetic'),
    [data.regions],
  );

  // The district card: the hovered district, else the one pinned by a click.
  const risk = useShownRisk(data.risk, playback);
  const [hoveredDistrict, setHoveredDistrict] = useState<DistrictPick | null>(null);
  const [pinnedDistrict, setPinnedDistrict] = useState<DistrictPick | null>(null);
  // A new object only when the district changes: moving within one must not re-render the wall.
  const hoverDistrict = useCallback(
    (code: string | null, x: number) => setHoveredDistrict((held) => (held?.code === code ? held : code ? { code, x } : null)),
    [],
  );
  const pinDistrict = useCallback((code: string, x: number) => setPinnedDistrict({ code, x }), []);
  const unpin = useCallback(() => setPinnedDistrict(null), []);
  useLayoutEffect(() => {
    // Layout effect: listening from the moment the pinned card is on screen.
    if (!pinnedDistrict) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') unpin();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pinnedDistrict, unpin]);
  const cardPick = hoveredDistrict ?? pinnedDistrict;
  const cardCode = cardPick?.code ?? null;
  const cardRegion = cardCode ? regionByCode.get(cardCode) : undefined;
  const cardPinned = cardCode !== null && cardCode === pinnedDistrict?.code;
  // On the other half of the map from the pointer, so the card never hides the district it describes.
  const cardSide = cardPick && cardPick.x < (MAP_PADDING.left + window.innerWidth - MAP_PADDING.right) / 2 ? 'right' : 'left';
  // Scores decay between level changes, which alone are streamed: a card opened live reads fresh numbers.
  const { refreshRisk } = data;
  const liveCard = cardRegion !== undefined && risk.atIso === null;
  useEffect(() => {
    if (liveCard) refreshRisk();
  }, [liveCard, cardCode, refreshRisk]);
  const synthetic = useMemo(
    () => data.health?.demo === true || incidents.some((incident) => incident.source.startsWith('synthetic')),
    [data.health, incidents],
  );
  const signedIn = data.phase === 'signed-in';
  const mapMayStart = useMapAfterStream(data.phase, data.connection.status);
  const [map, setMap] = useState<MaplibreMap | null>(null);
  const parcelsShown = useParcelLayers(map, { enabled: signedIn, subscribeToChanges: subscribeToParcelChanges }).shown;
  // The equity view replaces the five colours, the incidents and their panel; the planner stays.
  const { view, toggleView } = useViewMode();
  const equityOn = signedIn && view === 'equity';
  const equity = useEquityView(equityOn, data.equityVersion, data.regions, map);

  // The map's layers: the five colours at the bottom (stepping aside for the parcels' land uses),
  // the incidents above them; the rings of the hovered and selected incident above the names.
  const riskLayers = useMemo(
    () =>
      data.regions &&
      riskMapLayers({
        data: data.regions,
        levels: risk.levels,
        atIso: risk.atIso,
        changedAt: risk.pulses,
        focusedCode: cardRegion ? cardRegion.code : null,
        filled: !parcelsShown,
        onDistrictHover: hoverDistrict,
        onDistrictClick: pinDistrict,
      }),
    [data.regions, risk.levels, risk.atIso, risk.pulses, cardRegion, parcelsShown, hoverDistrict, pinDistrict],
  );
  const incidentLayers = useIncidentLayers(rows, incidents.length, { hovered, selected, onPick: (incident) => select(incident.id, true) });
  const equityLayers = equity.mapLayers;
  const mapLayers = useMemo<MapLayerEntry[]>(
    // The equity view instead of the five colours and the dots; the incident count is still recorded.
    () => (equityLayers ? [equityLayers, { layers: [], marks: incidentLayers.dots.marks }] : [riskLayers, incidentLayers.dots]),
    [equityLayers, riskLayers, incidentLayers.dots],
  );
  const mapOverlays = useMemo<MapLayerEntry[]>(() => (equityLayers ? [] : [incidentLayers.rings]), [equityLayers, incidentLayers.rings]);
  // The drill list sits above the incidents, in its own frame: it is never merged into them.
  const [drillsOpen, setDrillsOpen] = useState(false);
  const toggleDrills = useCallback(() => setDrillsOpen((open) => !open), []);
  const closeDrills = useCallback(() => setDrillsOpen(false), []);
  // The KPI table opens over the map on demand: the console's default view stays the live picture.
  const [kpisOpen, setKpisOpen] = useState(false);
  const toggleKpis = useCallback(() => setKpisOpen((open) => !open), []);
  const closeKpis = useCallback(() => setKpisOpen(false), []);

  return (
    <I18nContext.Provider value={i18n}>
      <MapContext.Provider value={map}>
      <div className="app">
        {data.regions && mapMayStart ? (
          <MapView regions={data.regions} padding={MAP_PADDING} layers={mapLayers} overlays={mapOverlays} onMap={setMap} />
        ) : (
          <div className="map map-placeholder" data-testid="map" data-incident-count={incidents.length} />
        )}
        <TopBar
          connection={signedIn ? data.connection : null}
          storeDown={signedIn && data.storeDown}
          incidentCount={signedIn && data.incidents.loaded ? incidents.length : null}
          synthetic={synthetic}
          view={signedIn ? view : null}
          onToggleView={toggleView}
          drills={signedIn && !equityOn ? { drills, open: drillsOpen, onToggle: toggleDrills } : null}
          kpis={signedIn ? { open: kpisOpen, onToggle: toggleKpis } : null}
        />
        {signedIn && kpisOpen && <KpiPanel regionNames={regionNames} onClose={closeKpis} />}
        {equityOn && (
          <aside className="side">
            <EquityPanel {...equity.panel} />
          </aside>
        )}
        {signedIn && !equityOn && (
          <aside className="side">
            {drillsOpen && <DrillPanel drills={drills} error={data.drillsError} regionNames={regionNames} onClose={closeDrills} />}
            <IncidentPanel
              incidents={incidents}
              regionNames={regionNames}
              loading={!data.incidents.loaded}
              role={data.role}
              selected={selected}
              detailOpen={selection.open}
              onSelect={select}
              onHover={setHoveredId}
              onChanged={applyLocal}
            />
          </aside>
        )}
        {signedIn && <PlannerPanel regionNames={regionNames} />}
        {signedIn && !equityOn && cardRegion && (
          <div className={`district-card-slot ${cardSide}${cardPinned ? ' pinned' : ''}`}>
            <DistrictCard
              region={cardRegion}
              detail={risk.detail(cardRegion.code)}
              atIso={risk.atIso}
              pinned={cardPinned}
              onClose={unpin}
            />
          </div>
        )}
        <div className="bottom-dock">
          <div className="legends">
            {signedIn && parcelsShown && <LandUseLegend synthetic={synthetic} />}
            {equityOn ? (
              <EquityLegend scale={equity.layers.scale} kind={equity.state.request.kind} synthetic={equity.state.shown?.synthetic === true} />
            ) : (
              <>
                {signedIn && <RiskLegend syntheticPopulation={syntheticPopulation} />}
                <Legend />
              </>
            )}
          </div>
          {signedIn && !equityOn && <RiskPlaybackBar playback={playback} />}
        </div>
        <PageOverlay session={data} t={t} />

      </div>
      </MapContext.Provider>
    </I18nContext.Provider>
  );
}

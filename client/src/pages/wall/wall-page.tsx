/**
 * `/wall`: the command-centre wall. Nobody touches it: dark, no cursor, no controls; the five-colour
 * map with its legend, the figures, the newest incidents, a clock and how old the data is; a tour
 * through the hot districts, each shown with the measures its level requires. Configured by its address (`?layers=`, `?rotate=`, `?lang=`).
 * Keys for whoever stands at it anyway: `P` pauses the tour, `L` switches the language.
 */
import { useEffect, useMemo, useState } from 'react';
import type { Map as MaplibreMap } from 'maplibre-gl';
import type { Incident, RiskLevel } from '#contract/index.ts';
import { I18nContext, levelName } from '../../i18n/i18n.ts';
import { IncidentRows } from '../../map/layers/incident-rows.ts';
import { Legend } from '../../map/legend.tsx';
import type { ScreenPadding } from '../../map/fit-regions.ts';
import { riskMapLayers } from '../../map/layers/risk-layer.ts';
import { useIncidentLayers } from '../../map/layers/use-incident-layers.ts';
import type { MapLayerEntry } from '../../map/map-layers.ts';
import { MapView } from '../../map/map-view.tsx';
import { RiskLegend } from '../../map/risk-legend.tsx';
import { useLanguage } from '../../shell/use-language.ts';
import { useShortcut } from '../../shell/use-shortcut.ts';
import { EquityLegend } from '../../features/equity/equity-legend.tsx';
import { UnitLegend } from '../../features/units/unit-legend.tsx';
import { useUnitLayers } from '../../features/units/use-unit-layers.ts';
import { PageOverlay } from '../../shell/page-overlay.tsx';

import { WallClock } from './clock.tsx';
import { DataAge } from './data-age.tsx';
import { KpiTiles } from './kpi-tiles.tsx';
import { useWallText } from './strings.ts';
import { Ticker } from './ticker.tsx';
import { useNow } from './use-now.ts';
import { TourMeasures } from './tour-measures.tsx';
import { useTour } from './use-tour.ts';
import { useWallDisplayData } from './use-wall-display-data.ts';
import { useWallEquityMap, WALL_EQUITY_KIND } from './use-wall-equity-map.ts';
import { parseWallParams } from './wall-params.ts';
import './wall-page.css';

const NO_PULSES: ReadonlyMap<string, number> = new Map();
const NO_DOTS: readonly Incident[] = [];

const rootRem = () => parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;

/**
 * Room in map pixels around what is fitted: the legends sit in the lower left corner. Read at each
 * fit, not once: the kiosk font (and so the legends) only grows once the wall is on screen.
 */
function mapPadding(): ScreenPadding {
  const rem = rootRem();
  return { top: 4 * rem, right: 2 * rem, bottom: 2 * rem, left: 17 * rem };
}

/** District names as large as the wall's body text, and up to half again as large. */
const labelSize = () => ({ min: Math.round(rootRem()), max: Math.round(1.6 * rootRem()) });

/** The kiosk look is the whole document's (no cursor, font scaled to the screen) while the wall is shown. */
function useKioskDocument(): void {
  useEffect(() => {
    document.documentElement.classList.add('wall-kiosk');
    return () => document.documentElement.classList.remove('wall-kiosk');
  }, []);
}

export function WallPage() {
  const i18n = useLanguage();
  useKioskDocument();
  return (
    <I18nContext.Provider value={i18n}>
      <WallScreen />
    </I18nContext.Provider>
  );
}

function WallScreen() {
  const { t, lang } = useWallText();
  const [params] = useState(() => parseWallParams(window.location.search));
  const data = useWallDisplayData();
  const [paused, setPaused] = useState(false);
  useShortcut(['p', 'P'], () => setPaused((p) => !p));
  const [labelSizePx] = useState(labelSize);
  const nowMinute = useNow(60_000);

  const showRisk = params.layers.has('risk');
  const showIncidents = params.layers.has('incidents');
  const ratings = data.risk.ratings;
  const [map, setMap] = useState<MaplibreMap | null>(null);
  const tour = useTour({ map, regions: data.regions, ratings, rotateS: params.rotateS, paused, padding: mapPadding });

  const [rows] = useState(() => new IncidentRows());
  const [rowsSnapshot, setRowsSnapshot] = useState(() => rows.getSnapshot());
  const dots: readonly Incident[] = showIncidents ? data.incidents.dots : NO_DOTS;
  // The dots are few (at most 1,000): rebuilding them on each update keeps the rows bounded too.
  useEffect(() => {
    rows.apply({ reset: true, changed: dots });
    setRowsSnapshot(rows.getSnapshot());
  }, [rows, dots]);

  const levels = useMemo(() => {
    const held = new Map<string, RiskLevel>();
    if (showRisk) for (const [code, rating] of ratings) held.set(code, rating.level);
    return held;
  }, [ratings, showRisk]);
  // Nobody points at the wall: its districts answer no hover or click.
  const riskLayers = useMemo(
    () =>
      data.regions &&
      riskMapLayers({ data: data.regions, levels, atIso: null, changedAt: showRisk ? data.risk.changedAt : NO_PULSES, focusedCode: tour.code }),
    [data.regions, levels, showRisk, data.risk.changedAt, tour.code],
  );
  const incidentLayers = useIncidentLayers(rowsSnapshot, dots.length);
  const showUnits = params.layers.has('units');
  const unitLayers = useUnitLayers(data.units, showUnits && data.phase === 'signed-in', data.riskGeneration).group;
  const regionNames = useMemo(() => new Map((data.regions?.features ?? []).map((f) => [f.properties.code, f.properties.name])), [data.regions]);
  const syntheticPopulation = useMemo(() => (data.regions?.features ?? []).some((f) => f.properties.populationSource === 'synthetic'), [data.regions]);
  const signedIn = data.phase === 'signed-in';
  // The equity layer replaces the five colours on the shared map, so it is drawn only when they are not asked for.
  const showEquityMap = params.layers.has('equity') && !showRisk;
  const equityMap = useWallEquityMap(showEquityMap && signedIn, data.equityVersion, data.regions);
  const tourRating = tour.code ? ratings.get(tour.code) : undefined;
  const equityLayers = equityMap.mapLayers;
  const mapLayers = useMemo<MapLayerEntry[]>(
    // The equity layer instead of the five colours and the dots; the dot count is still recorded.
    () => (equityLayers ? [equityLayers, { layers: [], marks: incidentLayers.dots.marks }] : [riskLayers, incidentLayers.dots]),
    [equityLayers, riskLayers, incidentLayers.dots],
  );
  // Units above the district names and incident rings: they move, and a dispatcher looks for them.
  const mapOverlays = useMemo<MapLayerEntry[]>(
    () => (equityLayers ? [unitLayers] : [incidentLayers.rings, unitLayers]),
    [equityLayers, incidentLayers.rings, unitLayers],
  );

  return (
    <div className="wall-display" data-testid="wall-display" data-tour={tour.code ?? 'city'}>
      <header className="wall-header">
        <h1>
          <span className="wall-brand">{t('brand')}</span>
          <span className="wall-title">{t('title')}</span>
        </h1>
        {data.demo && <span className="wall-demo">{t('synthetic')}</span>}
        {signedIn && <DataAge lastSignalAt={data.lastSignalAt} storeDown={data.storeDown} />}
        <WallClock />
      </header>
      <main className="wall-map-area" aria-label={t('map.label')}>
        {data.regions && (
          <MapView regions={data.regions} padding={mapPadding} layers={mapLayers} overlays={mapOverlays} onMap={setMap} labelSizePx={labelSizePx} />
        )}
        {signedIn && params.rotateS > 0 && (
          <div className="wall-tour" data-testid="wall-tour">
            {paused
              ? t('rotate.paused')
              : tour.code === null
                ? t('rotate.city')
                : `${t('rotate.touring', { n: tour.index + 1, total: tour.round.length })} · ${regionNames.get(tour.code) ?? tour.code}${tourRating ? ` · ${levelName(tourRating.level, lang)}` : ''}`}
          </div>
        )}
        {signedIn && showRisk && !paused && tourRating && <TourMeasures rating={tourRating} />}
        <div className="wall-legends">
          {showRisk && <RiskLegend syntheticPopulation={syntheticPopulation} />}
          {equityMap.scale && <EquityLegend scale={equityMap.scale} kind={WALL_EQUITY_KIND} synthetic={equityMap.synthetic} />}
          {showIncidents && !equityMap.mapLayers && <Legend />}
          {showUnits && <UnitLegend />}
        </div>
      </main>
      <aside className="wall-side">
        {signedIn && (
          <>
            <KpiTiles incidents={data.incidents} ratings={ratings} equity={data.equity} clocks={data.clocks} />
            <Ticker items={data.incidents.ticker} regionNames={regionNames} nowMs={nowMinute} />
          </>
        )}
      </aside>
      <PageOverlay session={data} t={t} />
    </div>
  );
}

/**
 * The chosen incident on a map: framed on it and its affected radius (not the whole city), with
 * the responding units (the wall's units layer, live), the nearest fire stations and hospitals,
 * and a one-line legend. Small enough on a 1024×768 tablet to leave the facts and the queue room.
 */
import { useMemo } from 'react';
import type { Incident, RegionCollection, UnitStatus } from '#contract/index.ts';
import { UNIT_KIND_NAMES, UNIT_KINDS, UNIT_STATUS_NAMES } from '#contract/index.ts';
import type { IncidentNearby } from '#contract/incident-nearby.ts';
import { incidentPosition } from '../../map/geometry.ts';
import { UNIT_STATUS_COLOURS, kindLetter } from '../../map/layers/unit-layer.ts';
import type { MapLayerEntry, MapLayerGroup } from '../../map/map-layers.ts';
import { MapView } from '../../map/map-view.tsx';
import { severityCss } from '../../map/severity.ts';
import { FACILITY_COLOURS, RADIUS_COLOUR, radiusFrame, responderMapLayers } from './responder-map-layers.ts';
import { useResponderText } from './strings.ts';

const PADDING = { top: 8, right: 8, bottom: 8, left: 8 };
const NO_FACILITIES: IncidentNearby['fireStations'] = [];
/** The statuses the legend shows a swatch for: a unit in any other is said on the board. */
const LEGEND_STATUSES: readonly UnitStatus[] = ['available', 'assigned', 'en_route', 'on_scene'];
const css = ([r, g, b]: readonly number[]) => `rgb(${r}, ${g}, ${b})`;

export function ResponderMap({ regions, incident, radiusM, nearby, units }: {
  regions: RegionCollection;
  incident: Incident;
  radiusM: number;
  /** The surroundings as read for this incident and radius, `null` while they load. */
  nearby: IncidentNearby | null;
  units: MapLayerGroup;
}) {
  const { t, lang } = useResponderText();
  const [lon, lat] = incidentPosition(incident.geometry);
  const frame = useMemo(() => radiusFrame(lon, lat, radiusM), [lon, lat, radiusM]);
  const fireStations = nearby?.fireStations ?? NO_FACILITIES;
  const hospitals = nearby?.hospitals ?? NO_FACILITIES;
  const drawn = useMemo(
    () => responderMapLayers({ center: [lon, lat], severity: incident.severity, radiusM, fireStations, hospitals }),
    [lon, lat, incident.severity, radiusM, fireStations, hospitals],
  );
  const layers = useMemo<MapLayerEntry[]>(
    () => [{ layers: drawn.under, marks: { 'data-frame': frame.flat().map((v) => v.toFixed(6)).join(','), 'data-facilities': String(fireStations.length + hospitals.length) } }],
    [drawn.under, frame, fireStations.length, hospitals.length],
  );
  const overlays = useMemo<MapLayerEntry[]>(() => [units, drawn.incidentOnTop], [units, drawn.incidentOnTop]);
  return (
    <section className="responder-map" data-testid="responder-map">
      <div className="responder-map-frame">
        <MapView regions={regions} padding={PADDING} layers={layers} overlays={overlays} frame={frame} label={t('map.label')} />
      </div>
      <p className="responder-legend" data-testid="responder-map-legend">
        <span><i className="responder-swatch" style={{ background: severityCss(incident.severity) }} />{t('map.incident')}</span>
        <span><i className="responder-swatch is-ring" style={{ borderColor: css(RADIUS_COLOUR) }} />{t('map.radius')}</span>
        <span>
          {t('map.units')}{' '}
          {LEGEND_STATUSES.map((s) => (
            <span key={s} className="legend-item"><i className="responder-swatch" style={{ background: css(UNIT_STATUS_COLOURS[s]) }} />{UNIT_STATUS_NAMES[s][lang]}</span>
          ))}
        </span>
        <span>{UNIT_KINDS.map((k) => `${kindLetter(k)} ${UNIT_KIND_NAMES[k][lang]}`).join(' · ')}</span>
        <span><i className="responder-swatch is-ring" style={{ borderColor: css(FACILITY_COLOURS.fire) }} />{t('map.fire')}</span>
        <span><i className="responder-swatch is-ring" style={{ borderColor: css(FACILITY_COLOURS.hospital) }} />{t('map.hospital')}</span>
      </p>
    </section>
  );
}

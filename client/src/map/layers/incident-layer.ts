/** Incidents as dots coloured and sized by severity. */
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Incident } from '../../../../server/contract/index.ts';
import { incidentPosition } from '../geometry.ts';
import { SEVERITY_COLOURS, SEVERITY_RADIUS_PX, type Rgb } from '../severity.ts';

export interface IncidentLayerOptions {
  /** Incident to ring and enlarge (e.g. hovered in the ticker). @default null */
  highlightId?: string | null;
  /** Whether the dots can be picked (hover, click). @default true */
  pickable?: boolean;
  /** @default 'incidents' */
  id?: string;
}

const OUTLINE: Rgb = [10, 18, 32];
const HIGHLIGHT_OUTLINE: Rgb = [255, 255, 255];
/** Resolved and rejected incidents stay on the map, faded. */
const CLOSED_ALPHA = 90;

const SEVERITY_RANK: Record<Incident['severity'], number> = { unknown: 0, minor: 1, moderate: 2, severe: 3, extreme: 4 };
const isClosed = (incident: Incident) => incident.status === 'resolved' || incident.status === 'rejected';

/**
 * The incidents in the order to draw them: closed first, then by severity, so the worst open
 * incidents are drawn last and stay on top in a crowded city centre. Memoise the result.
 */
export function inDrawingOrder(incidents: readonly Incident[]): Incident[] {
  const rank = (incident: Incident) => (isClosed(incident) ? -1 : SEVERITY_RANK[incident.severity]);
  return [...incidents].sort((a, b) => rank(a) - rank(b));
}

/** Shrinks every dot as incidents multiply (1 up to 200, 0.6 from 5,000), so a busy city stays legible. */
export function densityRadiusScale(count: number): number {
  if (count <= 200) return 1;
  return Math.max(0.6, 1 - (0.4 * Math.log10(count / 200)) / Math.log10(25));
}

/**
 * Returns the layer for `incidents`. Pass the array the store hands out unchanged: deck.gl rebuilds
 * positions only when its identity changes, and colours/sizes only when an `updateTriggers` entry does.
 */
export function createIncidentLayer(
  incidents: readonly Incident[],
  options: IncidentLayerOptions = {},
): ScatterplotLayer<Incident> {
  const highlightId = options.highlightId ?? null;
  return new ScatterplotLayer<Incident>({
    id: options.id ?? 'incidents',
    data: incidents,
    pickable: options.pickable ?? true,
    stroked: true,
    filled: true,
    radiusUnits: 'pixels',
    radiusScale: densityRadiusScale(incidents.length),
    lineWidthUnits: 'pixels',
    getPosition: (incident) => incidentPosition(incident.geometry),
    getFillColor: (incident) => {
      return [...SEVERITY_COLOURS[incident.severity], isClosed(incident) ? CLOSED_ALPHA : 235];
    },
    getRadius: (incident) => SEVERITY_RADIUS_PX[incident.severity] * (incident.id === highlightId ? 1.8 : 1),
    getLineColor: (incident) => (incident.id === highlightId ? HIGHLIGHT_OUTLINE : OUTLINE),
    getLineWidth: (incident) => (incident.id === highlightId ? 3 : 1),
    updateTriggers: {
      getRadius: highlightId,
      getLineColor: highlightId,
      getLineWidth: highlightId,
    },
  });
}

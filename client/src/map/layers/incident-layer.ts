/**
 * Incidents as dots coloured and sized by severity, one ScatterplotLayer per severity (worst on
 * top), plus a small layer that rings the hovered and the selected incident.
 *
 * Why `_dataDiff` over stable rows rather than binary attributes: in deck.gl 9.4 a binary attribute
 * (`data: {length, attributes}`) is re-uploaded whole whenever its object changes
 * (`Attribute.setExternalBuffer` compares identity only) and the picking colours are regenerated for
 * every row. The accessor path instead honours row ranges: `_dataDiff` answers which rows changed,
 * deck.gl runs the accessors for those rows only and writes only that sub-range of each GPU buffer
 * (`Attribute.updateBuffer` → `updateSubBuffer`), growing its arrays with 2× headroom and copying
 * the old values. So an append of k incidents costs O(k) and a status change O(1). Hover and
 * selection never touch these layers at all.
 */
import { ScatterplotLayer } from '@deck.gl/layers';
import type { AccessorContext, LayerProps, PickingInfo } from '@deck.gl/core';
import type { Incident } from '#contract/index.ts';
import { isClosed } from '../../session/incident-status.ts';
import { incidentPosition, type LonLat } from '../geometry.ts';
import { SEVERITY_COLOURS, SEVERITY_RADIUS_PX, type Rgb } from '../severity.ts';
import type { IncidentRowsSnapshot, RowsView } from './incident-rows.ts';

export interface IncidentLayerOptions {
  /** Whether the dots can be picked (click selects). @default true */
  pickable?: boolean;
  /** Called with the incident whose dot was clicked. */
  onPick?: (incident: Incident) => void;
  /**
   * Counts accessor work (rows whose position was computed): the map exposes it so a test can see
   * that one new incident costs one row, not the whole city.
   */
  counter?: { rowsEvaluated: number };
}

export type Rgba = [number, number, number, number];

const OUTLINE: Rgba = [10, 18, 32, 255];
const OPEN_ALPHA = 235;
/** Closed incidents (resolved, rejected, cancelled) stay on the map, faded: the wall should see what is still open. */
export const CLOSED_ALPHA = 70;
const HIDDEN: Rgba = [0, 0, 0, 0];

export function incidentFillColour(incident: Incident): Rgba {
  return [...SEVERITY_COLOURS[incident.severity], isClosed(incident) ? CLOSED_ALPHA : OPEN_ALPHA];
}

/** Shrinks every dot as incidents multiply (1 up to 200, 0.6 from 5,000), so a busy city stays legible. */
export function densityRadiusScale(count: number): number {
  if (count <= 200) return 1;
  return Math.max(0.6, 1 - (0.4 * Math.log10(count / 200)) / Math.log10(25));
}

/** Reads row `index` of the view deck.gl was given; an empty row (`null`) draws as `empty`. */
function byRow<T>(read: (incident: Incident) => T, empty: T) {
  return (_: unknown, { index, data }: AccessorContext<unknown>): T => {
    const incident = (data as RowsView).rows[index];
    return incident ? read(incident) : empty;
  };
}

/**
 * The heart of the incremental update: deck.gl asks which rows changed between the view it drew
 * and this one. `null` (another generation after a reset) makes it rebuild everything; deck.gl's
 * type says "array" but its `diffDataProps` treats a falsy answer exactly so.
 */
const rowsDiff = ((next: RowsView, previous?: RowsView) =>
  previous ? next.changesSince(previous) : null) as unknown as NonNullable<LayerProps['_dataDiff']>;

/**
 * The layers for `snapshot`, lowest severity first. Give deck.gl the views the snapshot holds,
 * unchanged: a view that did not change keeps its identity and costs nothing.
 */
export function createIncidentLayers(
  snapshot: IncidentRowsSnapshot,
  totalCount: number,
  options: IncidentLayerOptions = {},
): ScatterplotLayer<unknown>[] {
  const { counter, onPick } = options;
  const radiusScale = densityRadiusScale(totalCount);
  return snapshot.views.map(
    (view) =>
      new ScatterplotLayer<unknown>({
        id: `incidents-${view.severity}`,
        data: view,
        _dataDiff: rowsDiff,
        pickable: options.pickable ?? true,
        onClick: (info: PickingInfo) => {
          const incident = view.rows[info.index];
          if (incident && onPick) onPick(incident);
          return Boolean(incident);
        },
        stroked: true,
        filled: true,
        radiusUnits: 'pixels',
        // A uniform, not an attribute: the whole set scales without touching a buffer.
        radiusScale,
        lineWidthUnits: 'pixels',
        getPosition: byRow<LonLat>((incident) => {
          if (counter) counter.rowsEvaluated++;
          return incidentPosition(incident.geometry);
        }, [0, 0]),
        getFillColor: byRow<Rgba>(incidentFillColour, HIDDEN),
        getLineColor: byRow<Rgba>((incident) => (isClosed(incident) ? HIDDEN : OUTLINE), HIDDEN),
        getRadius: byRow((incident) => SEVERITY_RADIUS_PX[incident.severity], 0),
        // A 2 px dark ring: on the five-colour fill a dot may have its district's own colour
        // (a severe, orange dot in an orange district) and is then seen by its ring alone.
        getLineWidth: 2,
      }),
  );
}

interface Marked {
  incident: Incident;
  selected: boolean;
}

const HOVER_RING: Rgb = [255, 255, 255];
const SELECTED_RING: Rgb = [108, 220, 255];

/** Rings around the hovered and the selected incident: two rows, redrawn freely. */
export function createHighlightLayer(hovered: Incident | null, selected: Incident | null): ScatterplotLayer<Marked> {
  const marked: Marked[] = [];
  if (selected) marked.push({ incident: selected, selected: true });
  if (hovered && hovered.id !== selected?.id) marked.push({ incident: hovered, selected: false });
  return new ScatterplotLayer<Marked>({
    id: 'incident-highlight',
    data: marked,
    pickable: false,
    stroked: true,
    filled: true,
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    getPosition: (m) => incidentPosition(m.incident.geometry),
    // A faint halo inside the ring: in a crowded centre the ring alone is lost among the dots.
    getFillColor: (m) => [...(m.selected ? SELECTED_RING : HOVER_RING), 45],
    getRadius: (m) => SEVERITY_RADIUS_PX[m.incident.severity] + (m.selected ? 9 : 6),
    getLineColor: (m) => (m.selected ? SELECTED_RING : HOVER_RING),
    getLineWidth: (m) => (m.selected ? 4 : 3),
  });
}

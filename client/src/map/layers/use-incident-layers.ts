/**
 * Incidents for a page's map: the dots (incident-layer.ts) as a layer group that records, once
 * drawn, how many incidents the page holds (`data-incident-count`) and how many rows deck.gl has
 * computed so far (`data-rows-evaluated`: one per new or changed incident, not the whole city per
 * event; tests and operators read it). The rings of the hovered and selected incident are separate,
 * as they go above the district names.
 */
import { useMemo, useRef, useState } from 'react';
import type { Incident } from '#contract/index.ts';
import type { MapLayerGroup } from '../map-layers.ts';
import { createHighlightLayer, createIncidentLayers } from './incident-layer.ts';
import type { IncidentRowsSnapshot } from './incident-rows.ts';

export interface IncidentMapLayers {
  dots: MapLayerGroup;
  rings: MapLayerGroup;
}

export function useIncidentLayers(
  rows: IncidentRowsSnapshot,
  incidentCount: number,
  options: { hovered?: Incident | null; selected?: Incident | null; onPick?: (incident: Incident) => void } = {},
): IncidentMapLayers {
  const { hovered = null, selected = null, onPick } = options;
  const [counter] = useState(() => ({ rowsEvaluated: 0 }));
  // Read at click time: a new handler on each render must not rebuild the dots.
  const onPickRef = useRef(onPick);
  onPickRef.current = onPick;
  const dots = useMemo<MapLayerGroup>(
    () => ({
      layers: createIncidentLayers(rows, incidentCount, { counter, onPick: (incident) => onPickRef.current?.(incident) }),
      marks: () => ({ 'data-incident-count': String(incidentCount), 'data-rows-evaluated': String(counter.rowsEvaluated) }),
    }),
    [rows, incidentCount, counter],
  );
  const rings = useMemo<MapLayerGroup>(() => ({ layers: [createHighlightLayer(hovered, selected)] }), [hovered, selected]);
  return { dots, rings };
}

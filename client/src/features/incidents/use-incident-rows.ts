/**
 * The incidents of a full store as the map's incrementally updated rows: every store update reaches
 * the rows as a delta; on (re)subscribing the rows start from what the store holds, so nothing is
 * missed whenever this runs.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { IncidentRows, type IncidentRowsSnapshot } from '../../map/layers/incident-rows.ts';
import type { IncidentStore } from '../../session/incident-store.ts';

export function useIncidentRows(store: IncidentStore): IncidentRowsSnapshot {
  const [rows] = useState(() => new IncidentRows());
  useEffect(() => {
    rows.apply({ reset: true, changed: store.getSnapshot().incidents });
    return store.onDelta((delta) => rows.apply(delta));
  }, [store, rows]);
  return useSyncExternalStore(rows.subscribe, rows.getSnapshot);
}

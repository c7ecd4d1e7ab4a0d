/** Reads what lies around the selected incident, again whenever the incident or the radius changes. */
import { useEffect, useState } from 'react';
import type { IncidentNearby } from '#contract/incident-nearby.ts';
import { requestJson } from '../../api/city-api.ts';

export type NearbyState = { kind: 'idle' } | { kind: 'loading' } | { kind: 'ready'; nearby: IncidentNearby } | { kind: 'error' };

export function useNearby(id: string | null, radiusM: number): NearbyState {
  const [state, setState] = useState<NearbyState>({ kind: 'idle' });
  useEffect(() => {
    if (id === null) {
      setState({ kind: 'idle' });
      return;
    }
    const abort = new AbortController();
    setState({ kind: 'loading' });
    requestJson<IncidentNearby>(`/incidents/${encodeURIComponent(id)}/nearby?radius=${radiusM}`, abort.signal)
      .then((nearby) => setState({ kind: 'ready', nearby }))
      .catch(() => abort.signal.aborted || setState({ kind: 'error' }));
    return () => abort.abort();
  }, [id, radiusM]);
  return state;
}

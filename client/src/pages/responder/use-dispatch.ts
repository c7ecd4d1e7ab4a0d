/**
 * The assignments the console shows: every active one (the unit board says which incident each
 * unit is on) and all of the chosen incident's (its progress, cleared and declined ones too), read
 * once signed in, again when the stream had a gap, and kept live by the assignment events.
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { AssignmentList } from '#contract/index.ts';
import { requestJson } from '../../api/city-api.ts';
import type { AssignmentSnapshot, AssignmentStore } from '../../session/assignment-store.ts';

/** More active assignments than units a centre runs; a unit is on one at most. */
const ACTIVE_LIMIT = 10_000;

export function useAssignments(store: AssignmentStore, incidentId: string | null, enabled: boolean, generation: number): AssignmentSnapshot {
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    requestJson<{ items: AssignmentList['items'] }>(`/assignments?state=active&limit=${ACTIVE_LIMIT}`, abort.signal)
      .then((answer) => store.load(answer.items))
      .catch(() => {});
    return () => abort.abort();
  }, [store, enabled, generation]);
  useEffect(() => {
    if (!enabled || incidentId === null) return;
    const abort = new AbortController();
    requestJson<AssignmentList>(`/incidents/${encodeURIComponent(incidentId)}/assignments`, abort.signal)
      .then((answer) => store.load(answer.items))
      .catch(() => {});
    return () => abort.abort();
  }, [store, enabled, incidentId, generation]);
  return snapshot;
}

/**
 * The equity view's data: the stored answer for the chosen kind, radius and method, the facilities
 * of that kind, and the what-if answer for the hypothetical facilities placed so far. Reloads when
 * the server says the inputs changed (`equity:updated`), what-if included; nothing is ever stored.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { defaultRadiusM, type EquityMethod, type EquityResult, type FacilityCollection, type WhatIfAddition, type WhatIfResult } from '#contract/equity.ts';
import { fetchEquity, fetchFacilities, postWhatIf, type EquityRequest } from '../../api/equity-api.ts';
import { median } from './equity-view-model.ts';
import { messageOf } from '../../api/error-message.ts';

export type Loadable<T> =
  | { phase: 'idle' }
  | { phase: 'loading'; previous: T | null }
  | { phase: 'loaded'; value: T }
  | { phase: 'failed'; message: string };

/** Capacity offered for a hypothetical facility when the kind has none to take a median of. */
export const FALLBACK_CAPACITY = 100;

export interface EquityState {
  request: EquityRequest;
  setKind: (kind: string) => void;
  setMethod: (method: EquityMethod) => void;
  setRadiusM: (radiusM: number) => void;
  base: Loadable<EquityResult>;
  /** Asks again after a failure. */
  reload: () => void;
  facilities: FacilityCollection | null;
  /** Hypothetical facilities placed so far (empty: the stored state is shown). */
  additions: readonly WhatIfAddition[];
  whatIf: Loadable<WhatIfResult>;
  /** Capacity the next hypothetical facility gets; defaults to the median of the kind's facilities. */
  capacity: number;
  setCapacity: (capacity: number) => void;
  place: (lonLat: { lon: number; lat: number }) => void;
  clear: () => void;
  /** The answer on screen: the what-if's `after` while there is one, else the stored one. */
  shown: EquityResult | null;
}

/** `enabled`: the view is open and someone is signed in; `liveVersion` changes on every `equity:updated`. */
export function useEquity(enabled: boolean, liveVersion: number): EquityState {
  const [request, setRequest] = useState<EquityRequest>({ kind: 'hospital', radiusM: defaultRadiusM('hospital'), method: '2sfca' });
  const [base, setBase] = useState<Loadable<EquityResult>>({ phase: 'idle' });
  const [facilities, setFacilities] = useState<FacilityCollection | null>(null);
  const [additions, setAdditions] = useState<WhatIfAddition[]>([]);
  const [whatIf, setWhatIf] = useState<Loadable<WhatIfResult>>({ phase: 'idle' });
  const [capacityByKind, setCapacityByKind] = useState<Record<string, number>>({});
  const [attempt, setAttempt] = useState(0);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);

  // A new kind, radius or method starts from the stored state: placed facilities belonged to the old one.
  const setKind = useCallback((kind: string) => setRequest((r) => ({ ...r, kind, radiusM: defaultRadiusM(kind) })), []);
  const setMethod = useCallback((method: EquityMethod) => setRequest((r) => ({ ...r, method })), []);
  const setRadiusM = useCallback((radiusM: number) => setRequest((r) => ({ ...r, radiusM })), []);
  useEffect(() => setAdditions([]), [request]);

  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    setBase((held) => ({ phase: 'loading', previous: held.phase === 'loaded' ? held.value : held.phase === 'loading' ? held.previous : null }));
    fetchEquity(request, abort.signal)
      .then((value) => setBase({ phase: 'loaded', value }))
      .catch((e: unknown) => abort.signal.aborted || setBase({ phase: 'failed', message: messageOf(e) }));
    return () => abort.abort();
  }, [enabled, request, liveVersion, attempt]);

  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    fetchFacilities(request.kind, abort.signal)
      .then(setFacilities)
      // The dots are a help, not the answer: without them the heatmap still says everything.
      .catch(() => abort.signal.aborted || setFacilities(null));
    return () => abort.abort();
  }, [enabled, request.kind, liveVersion]);

  useEffect(() => {
    if (!enabled || additions.length === 0) {
      setWhatIf({ phase: 'idle' });
      return;
    }
    const abort = new AbortController();
    setWhatIf((held) => ({ phase: 'loading', previous: held.phase === 'loaded' ? held.value : null }));
    postWhatIf(request, additions, abort.signal)
      .then((value) => setWhatIf({ phase: 'loaded', value }))
      .catch((e: unknown) => abort.signal.aborted || setWhatIf({ phase: 'failed', message: messageOf(e) }));
    return () => abort.abort();
    // `request` is read, not watched: a new request clears `additions`, which re-runs this.
  }, [enabled, additions, liveVersion]);

  const medianCapacity = useMemo(() => {
    const capacities = (facilities?.features ?? []).filter((f) => f.properties.kind === request.kind).map((f) => f.properties.capacity);
    return median(capacities) ?? FALLBACK_CAPACITY;
  }, [facilities, request.kind]);
  const capacity = capacityByKind[request.kind] ?? medianCapacity;
  const setCapacity = useCallback((value: number) => setCapacityByKind((held) => ({ ...held, [request.kind]: value })), [request.kind]);
  const place = useCallback(({ lon, lat }: { lon: number; lat: number }) => setAdditions((held) => [...held, { lon, lat, capacity }]), [capacity]);
  const clear = useCallback(() => setAdditions([]), []);

  const stored = base.phase === 'loaded' ? base.value : base.phase === 'loading' ? base.previous : null;
  // While a second facility is being computed, the first one's answer stays on screen.
  const hypothetical = whatIf.phase === 'loaded' ? whatIf.value : whatIf.phase === 'loading' ? whatIf.previous : null;
  const shown = additions.length > 0 && hypothetical ? hypothetical.after : stored;

  return { request, setKind, setMethod, setRadiusM, base, reload, facilities, additions, whatIf, capacity, setCapacity, place, clear, shown };
}

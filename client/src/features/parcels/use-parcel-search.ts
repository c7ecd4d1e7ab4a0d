/** Debounced search of parcels by part of a code, a name or an address, as the person types. */
import { useEffect, useState } from 'react';
import type { ParcelFeature } from '#contract/index.ts';
import { searchParcels } from '../../api/parcels-api.ts';
import { messageOf } from '../../api/error-message.ts';

/** Results listed under the box: enough to pick from, few enough to read. */
export const SEARCH_LIMIT = 8;
/** Typing pauses shorter than this send no request. */
export const SEARCH_DEBOUNCE_MS = 250;

export type SearchState =
  | { phase: 'idle' }
  | { phase: 'searching'; q: string }
  | { phase: 'done'; q: string; items: ParcelFeature[]; truncated: boolean }
  | { phase: 'failed'; q: string; message: string };

/** Searches for `q` once typing pauses; `null` (a code, a mistyped code, nothing) asks nothing. */
export function useParcelSearch(q: string | null): SearchState {
  const [state, setState] = useState<SearchState>({ phase: 'idle' });
  useEffect(() => {
    if (q === null) {
      setState({ phase: 'idle' });
      return;
    }
    const abort = new AbortController();
    // The previous results stay listed while the next ones come, marked as searching.
    setState((held) => (held.phase === 'done' && held.q === q ? held : { phase: 'searching', q }));
    const timer = setTimeout(() => {
      searchParcels(q, SEARCH_LIMIT, abort.signal)
        .then((found) => setState({ phase: 'done', q, items: found.features, truncated: found.truncated === true }))
        .catch((error: unknown) => abort.signal.aborted || setState({ phase: 'failed', q, message: messageOf(error) }));
    }, SEARCH_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [q]);
  return state;
}

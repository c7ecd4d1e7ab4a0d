/**
 * The open parcel: its detail and surroundings, read when it opens and again whenever the live
 * stream says it moved on (`parcel:stepped`), keeping what is shown until the new answer is in.
 */
import { useEffect, useState } from 'react';
import type { ParcelDetail, ParcelSurroundings } from '#contract/index.ts';
import { ApiError } from '../../api/city-api.ts';
import { fetchParcel, fetchParcelSurroundings } from '../../api/parcels-api.ts';
import { parcelEvents, type ParcelEventHub } from '../../session/parcel-events.ts';
import { messageOf } from '../../api/error-message.ts';

/** The drawer's neighbourhood (docs/domain.md §6.5): what a planner checks around a site. */
export const SURROUNDINGS_RADIUS_M = 500;

export type DetailState =
  | { phase: 'idle' }
  | { phase: 'loading'; code: string }
  /** `version` counts the reads of this parcel: 0 when opened, +1 per live refresh. */
  | { phase: 'loaded'; code: string; detail: ParcelDetail; version: number }
  | { phase: 'failed'; code: string; status: number | null; message: string };

export type SurroundingsState =
  | { phase: 'loading' }
  | { phase: 'loaded'; surroundings: ParcelSurroundings }
  | { phase: 'failed'; message: string };

export function useParcelDetail(code: string | null, hub: ParcelEventHub = parcelEvents): { detail: DetailState; surroundings: SurroundingsState } {
  const [detail, setDetail] = useState<DetailState>({ phase: 'idle' });
  const [surroundings, setSurroundings] = useState<SurroundingsState>({ phase: 'loading' });
  // Live refreshes counted per code, so opening another parcel starts again at 0 without a second read.
  const [refreshes, setRefreshes] = useState<{ code: string | null; n: number }>({ code: null, n: 0 });
  const version = refreshes.code === code ? refreshes.n : 0;

  useEffect(() => {
    if (code === null) return;
    return hub.onStepped(code, () => setRefreshes((held) => ({ code, n: held.code === code ? held.n + 1 : 1 })));
  }, [code, hub]);

  useEffect(() => {
    if (code === null) {
      setDetail({ phase: 'idle' });
      return;
    }
    const abort = new AbortController();
    setDetail((held) => (held.phase === 'loaded' && held.code === code ? held : { phase: 'loading', code }));
    fetchParcel(code, abort.signal)
      .then((parcel) => setDetail({ phase: 'loaded', code, detail: parcel, version }))
      .catch(
        (error: unknown) =>
          abort.signal.aborted ||
          setDetail({ phase: 'failed', code, status: error instanceof ApiError ? error.status : null, message: messageOf(error) }),
      );
    return () => abort.abort();
  }, [code, version]);

  useEffect(() => {
    if (code === null) return;
    const abort = new AbortController();
    setSurroundings((held) => (version > 0 && held.phase === 'loaded' && held.surroundings.code === code ? held : { phase: 'loading' }));
    fetchParcelSurroundings(code, SURROUNDINGS_RADIUS_M, abort.signal)
      .then((found) => setSurroundings({ phase: 'loaded', surroundings: found }))
      .catch((error: unknown) => abort.signal.aborted || setSurroundings({ phase: 'failed', message: messageOf(error) }));
    return () => abort.abort();
  }, [code, version]);

  return { detail, surroundings };
}

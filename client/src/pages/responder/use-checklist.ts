/**
 * The selected incident's checklist of measures: read when the incident is chosen, again when it
 * changes (a tick from another screen bumps its seq) or the ratings do (a new level, a new measures
 * config), and ticked through the server, whose answer is the checklist as stored.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { IncidentChecklist, MeasureTickResult } from '#contract/index.ts';
import { ApiError, requestJson } from '../../api/city-api.ts';

export type ChecklistState = { kind: 'idle' } | { kind: 'loading' } | { kind: 'ready'; checklist: IncidentChecklist } | { kind: 'error' };

export interface Checklist {
  state: ChecklistState;
  /** The tick being saved, if any: shown at once, undone if the server refuses it. */
  saving: { measureId: string; done: boolean } | null;
  /** Why the last tick was not recorded (the server's words), until the next one. */
  failed: { measureId: string; message: string } | null;
  tick: (measureId: string, done: boolean) => void;
}

const path = (id: string) => `/incidents/${encodeURIComponent(id)}/measures`;

/**
 * `seq` (the incident's) and `riskVersion` (the page's ratings: a level changed, a new measures
 * config, the minute's re-read): when either changes, the checklist is read again, kept on screen meanwhile.
 */
export function useChecklist(id: string | null, seq: number | null, riskVersion: number): Checklist {
  const [state, setState] = useState<ChecklistState>({ kind: 'idle' });
  const [saving, setSaving] = useState<Checklist['saving']>(null);
  const [failed, setFailed] = useState<Checklist['failed']>(null);
  const shownId = useRef<string | null>(null);

  useEffect(() => {
    if (id === null) {
      shownId.current = null;
      setState({ kind: 'idle' });
      return;
    }
    const abort = new AbortController();
    // Another incident starts from nothing; the same one keeps its list on screen while it is read again.
    if (shownId.current !== id) {
      shownId.current = id;
      setState({ kind: 'loading' });
      setFailed(null);
    }
    requestJson<IncidentChecklist>(path(id), abort.signal)
      .then((checklist) => setState({ kind: 'ready', checklist }))
      .catch(() => abort.signal.aborted || setState({ kind: 'error' }));
    return () => abort.abort();
  }, [id, seq, riskVersion]);

  const tick = useCallback(
    (measureId: string, done: boolean) => {
      if (id === null) return;
      setSaving({ measureId, done });
      setFailed(null);
      requestJson<MeasureTickResult>(`${path(id)}/${encodeURIComponent(measureId)}`, undefined, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ done }),
      })
        .then((result) => {
          if (shownId.current === id) setState({ kind: 'ready', checklist: result.checklist });
        })
        .catch((error: unknown) => setFailed({ measureId, message: error instanceof ApiError ? error.message : String(error) }))
        .finally(() => setSaving(null));
    },
    [id],
  );

  return { state, saving, failed, tick };
}

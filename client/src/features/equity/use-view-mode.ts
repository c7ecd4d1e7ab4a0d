/**
 * Which map the page shows: the five colours or the equity view. Chosen by the top-bar
 * switch, the `E` key or `?view=equity` in the address (kept there, so a reload or a shared link
 * opens the same view).
 */
import { useCallback, useEffect, useState } from 'react';
import { useShortcut } from '../../shell/use-shortcut.ts';

export type ViewMode = 'wall' | 'equity';

export function viewFromUrl(search: string): ViewMode {
  return new URLSearchParams(search).get('view') === 'equity' ? 'equity' : 'wall';
}

/** The address with `view` set for `mode` (the wall is the default and needs none). */
export function urlWithView(href: string, mode: ViewMode): string {
  const url = new URL(href);
  if (mode === 'equity') url.searchParams.set('view', 'equity');
  else url.searchParams.delete('view');
  return url.pathname + url.search + url.hash;
}

export function useViewMode(): { view: ViewMode; toggleView: () => void } {
  const [view, setView] = useState<ViewMode>(() => viewFromUrl(window.location.search));
  const toggleView = useCallback(() => setView((v) => (v === 'equity' ? 'wall' : 'equity')), []);
  useEffect(() => {
    const next = urlWithView(window.location.href, view);
    if (next !== window.location.pathname + window.location.search + window.location.hash) window.history.replaceState(window.history.state, '', next);
  }, [view]);
  useShortcut(['e', 'E'], toggleView);
  return { view, toggleView };
}

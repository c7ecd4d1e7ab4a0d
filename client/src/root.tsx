/**
 * Picks the page for the address. `/` asks who is signed in and moves to that role's page (the
 * address changes, so a reload or a bookmark stays there); nobody signed in sees the console's
 * sign-in card. No page shows before the server has named its time zone (or a moment has passed
 * without an answer), so no time is first drawn in the browser's zone and then redrawn.
 */
import { useEffect, useState, type ComponentType } from 'react';
import { fetchSession } from './api/city-api.ts';
import { ConsolePage } from './pages/console/console-page.tsx';
import { PlannerPage } from './pages/planner/planner-page.tsx';
import { ResponderPage } from './pages/responder/responder-page.tsx';
import { homeFor, pageHref, routeFromPath, type Page } from './routes.ts';
import { useTimeZoneReady } from './time/time-zone.ts';
import { WallPage } from './pages/wall/wall-page.tsx';

/** The component of each page. Pages not built yet show the operations console. */
const PAGES: Readonly<Record<Page, ComponentType>> = {
  console: ConsolePage,
  wall: WallPage,
  planner: PlannerPage,
  responder: ResponderPage,
};

function useRoutedPage(): Page | null {
  const [page, setPage] = useState<Page | null>(() => {
    const route = routeFromPath(window.location.pathname);
    return route === 'home' ? null : route;
  });
  useEffect(() => {
    if (page !== null) return;
    const controller = new AbortController();
    fetchSession(controller.signal)
      .then((session) => {
        if (controller.signal.aborted) return;
        const next = session ? homeFor(session.role) : 'console';
        if (session) window.history.replaceState(window.history.state, '', pageHref(next, window.location.search, window.location.hash));
        setPage(next);
      })
      // The server is unreachable: the console shows the connection problem and retries. An
      // aborted request (the effect cleaned up, e.g. StrictMode's second run) decides nothing.
      .catch(() => {
        if (!controller.signal.aborted) setPage('console');
      });
    return () => controller.abort();
  }, [page]);
  return page;
}

/**
 * How long a page waits for the server's time zone: health answers in milliseconds; past this the
 * server is struggling, and the page shows with the browser's zone (named in its header) meanwhile.
 */
const ZONE_WAIT_MS = 3_000;

export function Root() {
  const page = useRoutedPage();
  const zoneReady = useTimeZoneReady(ZONE_WAIT_MS);
  if (page === null || !zoneReady) return <div className="app app-loading" aria-busy="true" />;
  const Page = PAGES[page];
  return <Page />;
}

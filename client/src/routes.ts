/**
 * The dashboard's pages. One map core, four products: the wall display (kiosk, read from 5 m),
 * the planner's desk, the responder's console, and the operations console that holds every layer
 * (administrators). `/` sends each role to its own page.
 */
import type { Role } from '#contract/index.ts';

export type Page = 'console' | 'wall' | 'planner' | 'responder';
export type Route = Page | 'home';

export const PAGE_PATHS: Readonly<Record<Page, string>> = {
  console: '/console',
  wall: '/wall',
  planner: '/planner',
  responder: '/responder',
};

/** The route of a path; an unknown path is home (the server answers every page path with the app). */
export function routeFromPath(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  for (const [page, pagePath] of Object.entries(PAGE_PATHS) as Array<[Page, string]>) {
    if (path === pagePath) return page;
  }
  return 'home';
}

/** Where `/` takes someone signed in with `role`. */
export function homeFor(role: Role): Page {
  switch (role) {
    case 'viewer':
      return 'wall';
    case 'responder':
      return 'responder';
    case 'planner':
      return 'planner';
    case 'admin':
      return 'console';
  }
}

/** The address of `page`, keeping the query (`?lang=`, `?layers=`, …) and the hash. */
export function pageHref(page: Page, search: string, hash: string): string {
  return PAGE_PATHS[page] + search + hash;
}

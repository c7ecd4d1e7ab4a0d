/**
 * The HTTP routes the server declares, read from the source: tests that must cover every route
 * (the authorisation matrix, the malformed-request sweep) fail when a new route has no row.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../server/config.ts';

/** Files that declare routes, relative to the repository root: `server/http/*.ts` and the tile router. */
function routeFiles(): [name: string, file: string][] {
  const http = path.join(PROJECT_ROOT, 'server/http');
  return [
    ...fs.readdirSync(http).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f): [string, string] => [f, path.join(http, f)]),
    ['tiles/router.ts', path.join(PROJECT_ROOT, 'server/tiles/router.ts')],
  ];
}

/** Every `router.METHOD(path` the server declares, as `file METHOD path` (path as written: `'/:id'` or a regex). */
export function declaredRoutes(): string[] {
  const routes: string[] = [];
  for (const [name, file] of routeFiles()) {
    const source = fs.readFileSync(file, 'utf8');
    for (const m of source.matchAll(/router\.(get|post|put|patch|delete|all)\(\s*('[^']*'|\/(?:\\\/|[^/\n])+\/)/g)) routes.push(`${name} ${m[1]!.toUpperCase()} ${m[2]}`);
  }
  return routes;
}

export interface MountedRoute {
  /** `file METHOD path`, as {@link declaredRoutes} names it. */
  route: string;
  method: string;
  /** The full path as served: the router's mount prefix and the route's path (`:name` placeholders kept). */
  path: string;
}

const API_PREFIX_IN_SOURCE = /\$\{API_PREFIX\}/g;

/**
 * Where `server/app.ts` mounts each router factory (`fooRouter`): `app.use('/p', fooRouter(…))`,
 * `api.use('/x', fooRouter(…))` under the API prefix, and `name = fooRouter(…)` … `app.use('/x', name.router)`.
 */
function routerMounts(apiPrefix: string): Map<string, string[]> {
  const app = fs.readFileSync(path.join(PROJECT_ROOT, 'server/app.ts'), 'utf8');
  const mounts = new Map<string, string[]>();
  const add = (factory: string, prefix: string) => mounts.set(factory, [...(mounts.get(factory) ?? []), prefix.replace(API_PREFIX_IN_SOURCE, apiPrefix)]);
  for (const m of app.matchAll(/\b(app|api)\.use\(\s*(?:(['`])([^'`]*)\2\s*,\s*)?(\w+Router)\(/g)) add(m[4]!, `${m[1] === 'api' ? apiPrefix : ''}${m[3] ?? ''}`);
  for (const m of app.matchAll(/\b(\w+) = (\w+Router)\(/g)) {
    for (const use of app.matchAll(new RegExp(`\\b(app|api)\\.use\\(\\s*(['\`])([^'\`]*)\\2\\s*,\\s*${m[1]}\\.router\\)`, 'g'))) add(m[2]!, `${use[1] === 'api' ? apiPrefix : ''}${use[3]}`);
  }
  return mounts;
}

/**
 * Every declared route with the full path it is served at, from the source: the router factory
 * that declares it (the last `export function` above it) and where app.ts mounts that factory.
 * A regex route is given one `:rest` placeholder for whatever its pattern matches.
 */
export function mountedRoutes(apiPrefix: string): MountedRoute[] {
  const mounts = routerMounts(apiPrefix);
  const out: MountedRoute[] = [];
  for (const [name, file] of routeFiles()) {
    const source = fs.readFileSync(file, 'utf8');
    const factories = [...source.matchAll(/export function (\w+)\(/g)].map((m) => ({ at: m.index, name: m[1]! }));
    for (const m of source.matchAll(/router\.(get|post|put|patch|delete|all)\(\s*('[^']*'|\/(?:\\\/|[^/\n])+\/)/g)) {
      const factory = factories.filter((f) => f.at < m.index).at(-1)?.name ?? '';
      const prefixes = mounts.get(factory);
      const route = `${name} ${m[1]!.toUpperCase()} ${m[2]}`;
      if (!prefixes) throw new Error(`${route}: server/app.ts does not mount ${factory || 'its router'} in a way this reader knows`);
      const written = m[2]!;
      const tail = written.startsWith("'") ? written.slice(1, -1) : written.slice(2, -1).replace(/\\\//g, '/').replace('.*', ':rest');
      for (const prefix of prefixes) out.push({ route, method: m[1]!.toUpperCase(), path: `${prefix}${tail === '/' ? '' : tail}` });
    }
  }
  return out;
}

/**
 * Starts a real City Brain server for tests on 127.0.0.1, port 0: real PGlite in a temp folder, or
 * in the `api-postgres` project a real PostgreSQL database of its own (test/support/database.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { SAFE_LOG_OPTIONS } from '../../server/logger.ts';
import { startServer, type RunningServer } from '../../server/app.ts';
import { configFromEnv, PROJECT_ROOT } from '../../server/config.ts';
import { openStore } from '../../server/store/index.ts';
import { openPglite, type Database } from '../../server/store/database.ts';
import { migrate } from '../../server/store/migrations.ts';
import { dropTestDatabase, ensureTestDatabase, testPostgresUrl } from './database.ts';
import { copyStoreTemplate } from './store-templates.ts';

export interface TestServer {
  url: string;
  adminToken: string;
  dataDir: string;
  server: RunningServer;
  /** Stops the server; the data folder is removed unless `keepData` was set. */
  close(): Promise<void>;
}

export interface TestServerOptions {
  demoData?: boolean;
  /** Reuse a data folder (restart tests); default: a new temp folder. */
  dataDir?: string;
  keepData?: boolean;
  adminToken?: string;
  clock?: () => number;
  /** Extra environment variables (docs/domain.md §11), e.g. `RISK_TICK_SECONDS`. */
  env?: Record<string, string>;
  /** Where the server's log lines go (tests that read the log); default: silent unless TEST_LOG_LEVEL. */
  logger?: Logger;
  /** Built dashboard to serve; default `dist/client` (absent until a browser test or `npm start` builds it). */
  clientDir?: string;
}

/** Settings that change only what a running server does, not what the demo load stores: the demo template still fits. */
const RUNTIME_ONLY_ENV: ReadonlySet<string> = new Set(['DEMO_UNITS_TICK_MS']);

export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'citybrain-test-'));
}

const quietLogger = () => pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent', ...SAFE_LOG_OPTIONS });

/** Loads the demo into `dir` with a server of its own, then stops it (the shared demo store). */
async function buildDemoStore(dir: string): Promise<void> {
  const config = configFromEnv({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, DEMO_DATA: 'on', DEMO_UNITS_TICK_MS: '0' }, 'test');
  const server = await startServer(config, { logger: quietLogger() });
  await server.close();
}

/** A new PGlite cluster in `dir`'s store folder with every migration applied (the shared empty store). */
async function buildEmptyStore(dir: string): Promise<void> {
  const store = await openStore({ dataDir: dir });
  await store.close();
}

/**
 * A new data folder holding a copy of the run's migrated empty PGlite store (initdb in WASM takes
 * 8–25 s): for a test that starts servers on one folder in turn, or opens the store itself. Left
 * as it is outside a run, and when the tests' store is PostgreSQL.
 */
export async function emptyStoreDir(dataDir = tempDataDir()): Promise<string> {
  if (!testPostgresUrl()) await copyStoreTemplate('empty', dataDir, buildEmptyStore);
  return dataDir;
}

/**
 * A migrated PGlite database of its own, for store tests that need no server: a copy of the run's
 * empty store when there is a run to share it with (initdb in WASM takes 8–25 s), else a new one.
 * `close()` also removes its folder.
 */
export async function openTestDatabase(): Promise<{ db: Database; close(): Promise<void> }> {
  const dataDir = tempDataDir();
  if (!(await copyStoreTemplate('empty', dataDir, buildEmptyStore))) await buildEmptyStore(dataDir);
  const db = await openPglite(path.join(dataDir, 'pglite'));
  await migrate(db);
  return {
    db,
    async close() {
      await db.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const database = await ensureTestDatabase(dataDir);
  // A fresh PGlite store: copy the run's shared one. With the demo on the real clock the server
  // then finds the demo loaded and loads nothing; otherwise it starts from an empty, migrated store
  // (and loads the demo itself when asked, e.g. on its own clock).
  if (!options.dataDir && !database.DATABASE_URL) {
    if (options.demoData && !options.clock && Object.keys(options.env ?? {}).every((k) => RUNTIME_ONLY_ENV.has(k))) await copyStoreTemplate('demo', dataDir, buildDemoStore);
    else await copyStoreTemplate('empty', dataDir, buildEmptyStore);
  }
  const config = {
    ...configFromEnv(
      // The demo's units stay parked unless a test asks them to move: a map that changes every few
      // seconds would never settle for a screenshot, and the ticks cost every demo test CPU.
      { PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DEMO_DATA: options.demoData ? 'on' : 'off', DEMO_UNITS_TICK_MS: '0', ...(options.adminToken && { ADMIN_TOKEN: options.adminToken }), ...database, ...options.env },
      'test',
    ),
    clientDir: options.clientDir ?? path.join(PROJECT_ROOT, 'dist', 'client'),
  };
  const server = await startServer(config, {
    logger: options.logger ?? quietLogger(),
    ...(options.clock && { clock: options.clock }),
  });
  return {
    url: server.url,
    adminToken: server.adminToken,
    dataDir,
    server,
    async close() {
      await server.close();
      if (!options.keepData && !options.dataDir) {
        fs.rmSync(dataDir, { recursive: true, force: true });
        await dropTestDatabase(dataDir);
      }
    },
  };
}

/** fetch with the admin (or given) bearer token and a JSON body. */
export async function api(
  s: { url: string; adminToken: string },
  method: string,
  route: string,
  body?: unknown,
  init: { token?: string | null; contentType?: string; rawBody?: string } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = {};
  const token = init.token === undefined ? s.adminToken : init.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let payload: string | undefined = init.rawBody;
  if (body !== undefined) payload = JSON.stringify(body);
  if (payload !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
  else if (init.contentType) headers['content-type'] = init.contentType;
  const res = await fetch(`${s.url}${route}`, { method, headers, ...(payload !== undefined && { body: payload }) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

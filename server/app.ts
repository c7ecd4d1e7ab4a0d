/**
 * The composition root: wires store, domain services, HTTP routes and the live stream. Tests and
 * `main.ts` both start the server through here, on a real store and a real port.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import compression from 'compression';
import express, { type RequestHandler } from 'express';
import { pino, type Logger } from 'pino';
import { API_PREFIX } from './contract/common.ts';
import type { Config } from './config.ts';
import { loadDemoIfEmpty } from './demo/load.ts';
import { startDemoUnitDriver, type DemoUnitDriver } from './demo/unit-driver.ts';
import { DEFAULT_DEMO_SEED } from './demo/generate.ts';
import { authenticate, signInFromQuery } from './http/auth.ts';
import { staticClient } from './http/client.ts';
import { declaredBodyLimit, limitPerIp, limitPerToken } from './http/rate-limit.ts';
import { cors, hstsWhenHttps, securityHeaders } from './http/security.ts';
import { refuseMalformedRequests } from './http/request-guard.ts';
import { apiNotFound, errorHandler } from './http/errors.ts';
import { auditRouter } from './http/audit.ts';
import { incidentsRouter } from './http/incidents.ts';
import { incidentNearbyRouter } from './http/incident-nearby.ts';
import { regionsRouter } from './http/regions.ts';
import { systemRouter } from './http/system.ts';
import { tokensRouter } from './http/tokens.ts';
import { createLiveHub, type LiveHub } from './live/hub.ts';
import { adminTokenFor, createTokenResolver } from './auth/token-resolver.ts';
import { createIncidentService } from './services/incidents.ts';
import { createIntakeParser } from './ingest/parse-pool.ts';
import { createRegionService } from './services/regions.ts';
import { createRiskService, type RiskService } from './services/risk.ts';
import { createEquityService, type EquityService } from './services/equity.ts';
import { equityRouter, facilitiesRouter, populationRouter } from './http/equity.ts';
import { riskRouter } from './http/risk.ts';
import { slaRouter } from './http/sla.ts';
import { kpisRouter } from './http/kpis.ts';
import { createSlaService, type SlaService } from './services/sla.ts';
import { createOverdueWatch, type OverdueWatch } from './services/overdue.ts';
import { unitsRouter } from './http/units.ts';
import { createUnitService } from './services/units.ts';
import { assignmentsRouter, incidentDispatchRouter } from './http/dispatch.ts';
import { createDispatchService } from './services/dispatch.ts';
import { measuresRouter } from './http/measures.ts';
import { incidentMeasuresRouter } from './http/incident-measures.ts';
import { createMeasuresService, type MeasuresService } from './services/measures.ts';
import { parcelsRouter } from './http/parcels.ts';
import { parcelQrRouter } from './http/parcel-qr.ts';
import { publicBaseUrl } from './http/public-url.ts';
import { parcelPageRouter } from './http/parcel-page.ts';
import { parcelTilesRouter } from './tiles/router.ts';
import { SAFE_LOG_OPTIONS } from './logger.ts';
import { parcelShapes } from './store/parcels.ts';
import { createParcelService } from './services/parcels.ts';
import type { Publish } from './services/publish.ts';
import { createTokenService } from './services/tokens.ts';
import { openStore, type Store } from './store/index.ts';
import { eventLogReader, LOG_CHANNEL } from './store/event-log.ts';
import { SOLE_LEADER } from './cluster/leadership.ts';
import { advisoryLockLeadership } from './cluster/advisory-lock-leadership.ts';
import { outageLog } from './store/outage.ts';
import { catchUpWithin, createLogFollower } from './live/log-follower.ts';
import { createAdapter } from '@socket.io/postgres-adapter';
import type { LogEvent } from './contract/events.ts';

export interface ApplicationOptions {
  store: Store;
  config: Config;
  logger: Logger;
  /** Current time in epoch ms; injected so tests control it. */
  clock?: () => number;
  /** Replaces static serving of the built client (e.g. Vite's dev middleware). */
  clientHandler?: RequestHandler;
}

export interface Application {
  readonly app: express.Express;
  readonly adminToken: string;
  /** Attaches the live stream to the HTTP server that serves `app`. */
  attach(server: http.Server): LiveHub;
  close(): Promise<void>;
}

export async function createApplication(options: ApplicationOptions): Promise<Application> {
  const { store, config, logger } = options;
  const clock = options.clock ?? Date.now;
  const db = store.db;
  const { token: adminToken } = adminTokenFor(config.dataDir, config.adminToken);
  const resolveToken = createTokenResolver(db, adminToken);
  const log = eventLogReader(db);
  // Read before any state is loaded: on several nodes everything after it is delivered again from
  // the log (every consumer takes an event twice harmlessly), so nothing falls in between.
  const startSeq = await log.head();
  // Replacing regions publishes through `publish`, which is made below: it hands events to `regions.follow`.
  const regions = await createRegionService(db, { loadedAfterSeq: startSeq, publish: (events) => publish(events) });
  const shared = store.shared;
  const leaderOutage = outageLog(logger, 'leadership');
  const leadership = shared ? await advisoryLockLeadership(shared.url, { onError: leaderOutage.failed, onOk: leaderOutage.recovered }) : SOLE_LEADER;
  if (shared) leadership.onChange((leader) => logger.info(leader ? 'cluster: this node is now the leader (stores risk changes)' : 'cluster: this node is no longer the leader'));
  let live: LiveHub | undefined;
  let risk: RiskService | undefined;
  let equity: EquityService | undefined;
  let sla: SlaService | undefined;
  let overdue: OverdueWatch | undefined;
  let measures: MeasuresService | undefined;
  let tiles: ReturnType<typeof parcelTilesRouter> | undefined;
  /**
   * Highest seq handed on. Events committed before the hub exists (the demo load, the first risk
   * rating) reach no socket, but a socket's replay reads them from the log: the hub must start from
   * here, or every first connection waits for a publish that already happened.
   */
  let handedSeq = startSeq;
  /** Committed events, in seq order, to everything that follows the log. */
  const hand = (events: readonly LogEvent[]): void => {
    const last = events.at(-1);
    if (last && last.seq > handedSeq) handedSeq = last.seq;
    live?.publish(events);
    // The risk map may store more (risk:changed), equity too (equity:updated).
    risk?.observe(events);
    equity?.observe(events);
    // A config saved on another node; incidents opened or closed change what may fall overdue.
    sla?.observe(events);
    overdue?.observe(events);
    measures?.observe(events);
    // Parcel tiles are cut from an index of every parcel: any parcel change makes it stale.
    if (events.some((e) => e.type === 'parcel:created' || e.type === 'parcel:stepped' || e.type === 'parcels:imported')) tiles?.invalidate();
  };
  const deliver = (events: readonly LogEvent[]): Promise<void> | void => {
    // New boundaries from another node are read before anything assigns with them.
    const reloading = regions.follow(events);
    if (!reloading) return hand(events);
    return reloading.then(() => hand(events));
  };
  // One node: writers hand what they committed straight on. Several nodes on one PostgreSQL: every
  // node reads the log (its own commits and everyone else's) and hands it on in seq order.
  const follower = shared
    ? await createLogFollower({
        log,
        fromSeq: startSeq,
        deliver,
        logger,
        listen: (onNotify, onError) => shared.db.listen(LOG_CHANNEL, onNotify, onError),
      })
    : undefined;
  // Reads of in-memory state (equity inputs, tile index) wait for the log, at most 2 s (several nodes).
  const readCaughtUp = follower ? catchUpWithin(follower) : undefined;
  const publish: Publish = follower
    ? () => follower.poke()
    : (events) => void deliver(events)?.catch((err: unknown) => logger.error({ err }, 'reading new regions failed; restart the server if districts look wrong'));
  const incidents = createIncidentService({ db, regions, publish });
  // Positions are not logged: they go straight to this node's live hub (which relays them to other nodes).
  const units = createUnitService({ db, publish, publishPositions: (positions) => live?.publishPositions(positions), logger });
  const dispatch = createDispatchService({ db, publish });
  // Request bodies are parsed in worker threads, so one large or hostile body never stalls the server.
  const intakeParser = createIntakeParser({ logger, timeoutMs: config.limits.intake.parseTimeoutMs, resourceLimits: { maxOldGenerationSizeMb: 1024 } });

  if (config.demoData) {
    // Nodes starting together on one PostgreSQL: one loads the demo, the others then see it.
    await db.exclusive(async () => {
      await regions.reload();
      await loadDemoIfEmpty({ db, regions, intake: incidents, units, clock, logger });
    });
  }
  measures = await createMeasuresService({ db, clock, publish, logger });
  const measuresService = measures;
  // Started after the demo load: its first rating sees the demo's incidents.
  risk = await createRiskService({
    db,
    regions,
    clock,
    logger,
    timeZone: config.timeZone,
    tickMs: config.riskTickMs,
    publish,
    leadership,
    ...(follower && { caughtUp: () => follower.caughtUp() }),
    measuresFor: (rating) => measuresService.forDistrict(rating),
  });
  const riskService = risk;
  // After the demo load too: it reads the population and facilities the demo stored.
  equity = await createEquityService({ db, regions, clock, logger, publish, leadership, ...(readCaughtUp && { caughtUp: readCaughtUp }) });
  const equityService = equity;
  // Arrivals are the assignment steps kept in each incident's history.
  sla = await createSlaService({ db, clock, publish, logger, timeZone: config.timeZone, arrivals: true });
  const slaService = sla;
  // Only the leader announces overdue clocks; the store keeps each announcement once.
  overdue = createOverdueWatch({ db, rules: () => slaService.rules(), configSettled: () => slaService.idle(), clock, publish, logger, leadership, tickMs: config.overdueTickMs, arrivals: true });
  const overdueWatch = overdue;
  const parcels = createParcelService({ db, regions, clock, publish, timeZone: config.timeZone, logger });
  // The demo's synthetic units drive to their calls and home again (leader only: one driver per fleet).
  const demoUnits: DemoUnitDriver | undefined =
    config.demoData && config.demoUnitsTickMs > 0 ? startDemoUnitDriver({ db, units, clock, leadership, tickMs: config.demoUnitsTickMs, logger, seed: DEFAULT_DEMO_SEED }) : undefined;
  const measured = await parcels.backfill();
  if (measured > 0) logger.info({ parcels: measured }, 'parcels: measured the centers and areas of parcels stored before they were kept');

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // Before anything reads a body or a token: headers, an address that can mean something, who may
  // call from elsewhere, how often, how much.
  app.use(securityHeaders(), hstsWhenHttps, refuseMalformedRequests, cors(config.corsOrigins));
  app.use(limitPerIp(config.limits.perIpPerMinute), declaredBodyLimit(config.limits.maxBodyBytes));
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      if (!req.path.startsWith(API_PREFIX)) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10, role: req.principal?.role }, 'http');
    });
    next();
  });

  // Responses over 1 kB are compressed for clients that accept it (brotli, else gzip): the incident
  // snapshot a wall reloads after a long gap is GeoJSON, several times smaller compressed, and the
  // client bundle too. zlib runs off the event loop; tiles arrive already gzipped and are left alone.
  app.use(compression({ threshold: 1024 }));

  // Public by design, before authentication: a QR code and the page it leads to carry no personal
  // data, and a stale cookie on a phone must not stop a planner on site from opening them.
  app.use(`${API_PREFIX}/parcels`, parcelQrRouter({ db, publicBaseUrl: publicBaseUrl(config) }));
  app.use('/p', parcelPageRouter({ db, timeZone: config.timeZone }));
  tiles = parcelTilesRouter({ resolveToken, load: () => parcelShapes(db), logger, ...(readCaughtUp && { caughtUp: readCaughtUp }) });
  app.use('/tiles', tiles.router);

  const api = express.Router();
  api.use(authenticate(resolveToken));
  api.use(limitPerToken(config.limits.perTokenPerMinute));
  api.use(systemRouter({ db, version: config.version, timeZone: config.timeZone }));
  const tokens = createTokenService({ db, resolver: resolveToken, onRevoked: (id) => live?.endSessions(id, 'revoked') });
  api.use('/tokens', tokensRouter({ tokens }));
  api.use('/regions', regionsRouter({ regions }));
  api.use('/units', unitsRouter({ db, units, clock }));
  api.use('/incidents', incidentNearbyRouter({ db }));
  api.use('/incidents', incidentDispatchRouter({ db, dispatch, clock }));
  api.use('/incidents', incidentMeasuresRouter({ db, incidents, measures: measuresService, risk: riskService, clock }));
  api.use('/incidents', incidentsRouter({ db, incidents, clock, parser: intakeParser, limits: config.limits.intake }, { clocksOf: (id) => slaService.clocksOf(id) }));
  api.use('/assignments', assignmentsRouter({ db, dispatch, clock }));
  api.use('/risk', riskRouter({ risk: riskService, clock, timeZone: config.timeZone }));
  api.use('/sla', slaRouter({ sla: slaService }));
  api.use('/kpis', kpisRouter({ sla: slaService, clock }));
  api.use('/measures', measuresRouter({ measures: measuresService }));
  api.use('/parcels', parcelsRouter({ db, parcels }));
  api.use('/population', populationRouter({ equity: equityService }));
  api.use('/facilities', facilitiesRouter({ equity: equityService }));
  api.use('/equity', equityRouter({ equity: equityService }));
  api.use('/audit', auditRouter({ db }));
  api.use(apiNotFound);
  app.use(API_PREFIX, api);

  app.use(signInFromQuery(resolveToken, false));
  if (options.clientHandler) app.use(options.clientHandler);
  else if (config.clientDir) app.use(staticClient(config.clientDir));
  app.use(errorHandler(logger));

  return {
    app,
    adminToken,
    attach(server) {
      live = createLiveHub({
        httpServer: server,
        resolveToken,
        log,
        logger,
        version: config.version,
        timeZone: config.timeZone,
        corsOrigins: config.corsOrigins,
        startSeq: handedSeq,
        sendBufferBytes: config.live.sendBufferBytes,
        replayConcurrency: config.live.replayConcurrency,
        ...(shared && { adapter: createAdapter(shared.db.pool, { errorHandler: outageLog(logger, 'live (socket.io adapter)').failed }) }),
      });
      return live;
    },
    async close() {
      await follower?.close();
      await leadership.close();
      tiles?.close();
      await riskService.close();
      await equityService.close();
      await overdueWatch.close();
      await demoUnits?.close();
      await intakeParser.close();
      await live?.close();
    },
  };
}

export interface RunningServer {
  readonly url: string;
  readonly adminToken: string;
  readonly store: Store;
  close(): Promise<void>;
}

/** Opens the store and serves the application on `config.host:config.port` (0 picks a free port). */
export async function startServer(
  config: Config,
  options: { logger?: Logger; clock?: () => number; clientHandler?: RequestHandler } = {},
): Promise<RunningServer> {
  const logger = options.logger ?? pino({ level: config.logLevel, ...SAFE_LOG_OPTIONS });
  const store = await openStore({ dataDir: config.dataDir, ...(config.databaseUrl && { databaseUrl: config.databaseUrl }) });
  let application: Application;
  try {
    application = await createApplication({ store, config, logger, ...options });
  } catch (err) {
    await store.close();
    throw err;
  }
  // Node checks request timeouts every `connectionsCheckingInterval`: 30 s by default, far too coarse
  // for a slow-body (slow loris) client to be cut at REQUEST_TIMEOUT_SECONDS.
  const server = http.createServer({ connectionsCheckingInterval: Math.min(1000, config.limits.requestTimeoutMs) }, application.app);
  server.requestTimeout = config.limits.requestTimeoutMs;
  server.headersTimeout = Math.min(config.limits.requestTimeoutMs, 30_000);
  // socket.io hooks the server's upgrade and request events: attach before listening.
  application.attach(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  // Requests being served right now: a graceful stop lets them finish (up to the grace period).
  let inFlight = 0;
  server.on('request', (req, res) => {
    // socket.io's long polls wait for events, not for an answer to finish: the hub closes them.
    if (req.url?.startsWith('/socket.io/')) return;
    inFlight++;
    res.once('close', () => inFlight--);
  });
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${address.port}`,
    adminToken: application.adminToken,
    store,
    close() {
      closing ??= (async () => {
        const started = Date.now();
        // 1. No new connections; idle keep-alive ones go now, busy ones when their answer is sent.
        server.close();
        server.closeIdleConnections();
        const draining = inFlight;
        const deadline = started + config.limits.shutdownGraceMs;
        while (inFlight > 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 20));
          server.closeIdleConnections();
        }
        const cut = inFlight;
        // 2. Tell live clients we are going (they come back, resuming), stop the services.
        await application.close();
        // 3. Whatever is still open after the grace period is cut; then the store closes and unlocks.
        server.closeAllConnections();
        await store.close();
        logger.info(
          { drained: draining - cut, cut, ms: Date.now() - started },
          cut > 0 ? `stopped: ${cut} request(s) cut after the ${config.limits.shutdownGraceMs} ms grace period` : `stopped: ${draining} open request(s) finished first`,
        );
      })();
      return closing;
    },
  };
}

/** Runtime configuration (docs/domain.md §11), read from the environment in one place. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTimeZone } from './domain/time/zoned-day.ts';
import { DEFAULT_INTAKE_LIMITS, type IntakeLimits } from './ingest/limits.ts';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  adminToken: string | undefined;
  demoData: boolean;
  /** Built dashboard to serve; `undefined` serves no client (API-only). */
  clientDir: string | undefined;
  logLevel: string;
  version: string;
  /** IANA zone of the city: its calendar days bound the daily risk bulletin. */
  timeZone: string;
  /** How often risk decay is re-evaluated, in ms. */
  riskTickMs: number;
  /** How often the leader looks for accountability clocks that just passed their due time, in ms (`OVERDUE_TICK_SECONDS`). */
  overdueTickMs: number;
  /** With the demo on: how often its synthetic units report a position, in ms (`DEMO_UNITS_TICK_MS`; 0 keeps them parked). */
  demoUnitsTickMs: number;
  /** Address the public sees (QR codes point here), e.g. `https://citybrain.example.gov.cn`; default: the request's host. */
  publicUrl: string | undefined;
  /** Other origins whose pages may call the API and open sockets (`CORS_ORIGINS`, comma-separated); the server's own origin always may. */
  corsOrigins: string[];
  /** With no `PUBLIC_URL`: other hosts (`host` or `host:port`, `PUBLIC_HOSTS`) that absolute URLs may name besides this server's own address and localhost; any other `Host` header is ignored. */
  publicHosts: string[];
  /** Limits that keep one client from starving the rest (README "Limits"). */
  limits: LimitsConfig;
  /** The live stream's limits: one slow or resuming screen must not hold memory or the event loop. */
  live: LiveLimitsConfig;
}

export interface LiveLimitsConfig {
  /**
   * Bytes queued for one socket and not yet written before it is dropped as a slow consumer and
   * resumes from the log (`LIVE_SEND_BUFFER_MB`, default 8). 8 MB holds a city-wide burst of ~10,000
   * incidents for a 4K wall (which shows everything) and ~30 s of backlog on a 2 Mbit/s link; 100
   * screens at the ceiling at once hold 800 MB, not unbounded.
   */
  sendBufferBytes: number;
  /** Replays (clients catching up from the log) that read and send at once (`LIVE_REPLAY_CONCURRENCY`, default 2). */
  replayConcurrency: number;
}

export interface LimitsConfig {
  /** Largest request body any route accepts, in bytes (`MAX_BODY_MB`); routes may accept less. */
  maxBodyBytes: number;
  /** Requests per minute one token may make (`RATE_LIMIT_PER_TOKEN`); 0 turns the limit off. */
  perTokenPerMinute: number;
  /** Requests per minute one client address may make (`RATE_LIMIT_PER_IP`); 0 turns the limit off. */
  perIpPerMinute: number;
  /** A request whose headers and body have not arrived within this many ms is answered 408 (`REQUEST_TIMEOUT_SECONDS`). */
  requestTimeoutMs: number;
  /** How long a graceful stop (SIGTERM) waits for open requests before it gives up (`SHUTDOWN_GRACE_SECONDS`). */
  shutdownGraceMs: number;
  /** What one `POST /incidents` may hold (`INTAKE_*`; defaults and reasons in ingest/limits.ts). */
  intake: IntakeLimits;
}

export class ConfigError extends Error {}

function publicUrl(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute http(s) address such as "https://citybrain.example.org", not "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`PUBLIC_URL must start with http:// or https://, not "${raw}"`);
  return value.replace(/\/+$/, '');
}

function publicHosts(raw: string | undefined): string[] {
  const hosts: string[] = [];
  for (const part of (raw ?? '').split(',')) {
    const value = part.trim().toLowerCase();
    if (!value) continue;
    let host = '';
    try {
      host = new URL(`http://${value}`).host;
    } catch {
      // reported below
    }
    // `new URL` drops a default port (:80) and accepts paths or credentials: only a bare host[:port] passes.
    if (host !== value && `${host}:80` !== value) throw new ConfigError(`PUBLIC_HOSTS must list host names such as "city.example.org" or "10.0.0.5:3000", separated by commas; "${part.trim()}" is not one`);
    hosts.push(value);
  }
  return hosts;
}

/** A whole number from the environment within [min, max], or the default when unset. */
function bounded(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, unit: string): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new ConfigError(`${name} must be ${unit} from ${min} to ${max}, not "${env[name]}"`);
  return value;
}

function corsOrigins(raw: string | undefined): string[] {
  const origins: string[] = [];
  for (const part of (raw ?? '').split(',')) {
    const value = part.trim();
    if (!value) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new ConfigError(`CORS_ORIGINS must list origins such as "https://wall.example.org", separated by commas; "${value}" is not one`);
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== value.replace(/\/+$/, '')) {
      throw new ConfigError(`CORS_ORIGINS must list bare origins (scheme://host[:port], no path) such as "https://wall.example.org", not "${value}"`);
    }
    origins.push(url.origin);
  }
  return origins;
}

export function limitsFromEnv(env: NodeJS.ProcessEnv): LimitsConfig {
  return {
    maxBodyBytes: Math.round(bounded(env, 'MAX_BODY_MB', 100, 0.001, 1024, 'a number of megabytes') * 1024 * 1024),
    perTokenPerMinute: bounded(env, 'RATE_LIMIT_PER_TOKEN', 6000, 0, 1e7, 'a number of requests per minute'),
    perIpPerMinute: bounded(env, 'RATE_LIMIT_PER_IP', 12000, 0, 1e7, 'a number of requests per minute'),
    requestTimeoutMs: bounded(env, 'REQUEST_TIMEOUT_SECONDS', 120, 1, 3600, 'a number of seconds') * 1000,
    shutdownGraceMs: bounded(env, 'SHUTDOWN_GRACE_SECONDS', 10, 0, 600, 'a number of seconds') * 1000,
    intake: intakeLimitsFromEnv(env),
  };
}

function intakeLimitsFromEnv(env: NodeJS.ProcessEnv): IntakeLimits {
  const d = DEFAULT_INTAKE_LIMITS;
  const count = (name: string, fallback: number, max: number) => Math.round(bounded(env, name, fallback, 1, max, 'a whole number'));
  return {
    maxRecords: count('INTAKE_MAX_RECORDS', d.maxRecords, 10_000_000),
    maxFields: count('INTAKE_MAX_FIELDS', d.maxFields, 1_000_000),
    maxRecordBytes: Math.round(bounded(env, 'INTAKE_MAX_RECORD_KB', d.maxRecordBytes / 1024, 1, 1024 * 1024, 'a number of kilobytes') * 1024),
    maxPositions: count('INTAKE_MAX_POSITIONS', d.maxPositions, 100_000_000),
    capMaxInfos: count('INTAKE_CAP_MAX_INFOS', d.capMaxInfos, 1_000_000),
    capMaxAreas: count('INTAKE_CAP_MAX_AREAS', d.capMaxAreas, 10_000_000),
    capMaxShapes: count('INTAKE_CAP_MAX_SHAPES', d.capMaxShapes, 10_000_000),
    capMaxElements: count('INTAKE_CAP_MAX_ELEMENTS', d.capMaxElements, 100_000_000),
    parseTimeoutMs: Math.round(bounded(env, 'INTAKE_PARSE_SECONDS', d.parseTimeoutMs / 1000, 0.1, 600, 'a number of seconds') * 1000),
  };
}

export function configFromEnv(env: NodeJS.ProcessEnv, version: string): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 3000 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number 0–65535, not "${env.PORT}"`);
  const demo = (env.DEMO_DATA ?? 'on').toLowerCase();
  if (!['on', 'off'].includes(demo)) throw new ConfigError(`DEMO_DATA must be "on" or "off", not "${env.DEMO_DATA}"`);
  const adminToken = env.ADMIN_TOKEN?.trim() || undefined;
  if (adminToken !== undefined && adminToken.length < 8) throw new ConfigError('ADMIN_TOKEN must be at least 8 characters long');
  const timeZone = env.TIME_ZONE?.trim() || 'Asia/Shanghai';
  if (!isTimeZone(timeZone)) throw new ConfigError(`TIME_ZONE must be an IANA time zone such as "Asia/Shanghai", not "${env.TIME_ZONE}"`);
  const tickSeconds = env.RISK_TICK_SECONDS === undefined || env.RISK_TICK_SECONDS === '' ? 60 : Number(env.RISK_TICK_SECONDS);
  if (!Number.isFinite(tickSeconds) || tickSeconds < 1 || tickSeconds > 3600) {
    throw new ConfigError(`RISK_TICK_SECONDS must be a number of seconds from 1 to 3600, not "${env.RISK_TICK_SECONDS}"`);
  }
  const overdueSeconds = env.OVERDUE_TICK_SECONDS === undefined || env.OVERDUE_TICK_SECONDS === '' ? 15 : Number(env.OVERDUE_TICK_SECONDS);
  if (!Number.isFinite(overdueSeconds) || overdueSeconds < 1 || overdueSeconds > 3600) {
    throw new ConfigError(`OVERDUE_TICK_SECONDS must be a number of seconds from 1 to 3600, not "${env.OVERDUE_TICK_SECONDS}"`);
  }
  return {
    port,
    host: env.HOST?.trim() || '127.0.0.1',
    dataDir: path.resolve(env.DATA_DIR?.trim() || path.join(PROJECT_ROOT, 'data', 'db')),
    databaseUrl: env.DATABASE_URL?.trim() || undefined,
    adminToken,
    demoData: demo === 'on',
    clientDir: path.join(PROJECT_ROOT, 'dist', 'client'),
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    version,
    timeZone,
    riskTickMs: tickSeconds * 1000,
    overdueTickMs: overdueSeconds * 1000,
    demoUnitsTickMs: Math.round(bounded(env, 'DEMO_UNITS_TICK_MS', 5000, 0, 3_600_000, 'a number of milliseconds')),
    publicUrl: publicUrl(env.PUBLIC_URL),
    corsOrigins: corsOrigins(env.CORS_ORIGINS),
    publicHosts: publicHosts(env.PUBLIC_HOSTS),
    limits: limitsFromEnv(env),
    live: {
      sendBufferBytes: Math.round(bounded(env, 'LIVE_SEND_BUFFER_MB', 8, 0.064, 1024, 'a number of megabytes') * 1024 * 1024),
      replayConcurrency: Math.floor(bounded(env, 'LIVE_REPLAY_CONCURRENCY', 2, 1, 64, 'a whole number')),
    },
  };
}

/** Runtime configuration (DOMAIN §8), read from the environment in one place. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isTimeZone } from './domain/time/zoned-day.ts';

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
  /** Address the public sees (QR codes point here), e.g. `https://citybrain.example.gov.cn`; default: the request's host. */
  publicUrl: string | undefined;
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
    publicUrl: publicUrl(env.PUBLIC_URL),
  };
}

/**
 * Whether an error means "the database cannot be reached right now" (PostgreSQL stopped,
 * restarting, out of connections, the network gone), as opposed to a bug or a bad request. Such
 * errors answer 503 with Retry-After: nothing was stored, and sending again later will work.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** SQLSTATEs: admin_shutdown, crash_shutdown, cannot_connect_now, too_many_connections, database_dropped-ish. */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end/i;

export function isStoreUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || SERVER_CODES.has(code)) return true;
    // Class 08: connection exceptions.
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  if (typeof message === 'string' && MESSAGES.test(message)) return true;
  const cause = (err as { cause?: unknown }).cause;
  if (cause && cause !== err) return isStoreUnavailable(cause);
  // node-postgres reports a refused connection as an AggregateError of per-address attempts.
  const errors = (err as { errors?: unknown }).errors;
  return Array.isArray(errors) && errors.length > 0 && errors.every(isStoreUnavailable);
}

/** Seconds a client should wait before trying again while the store is out. */
export const STORE_RETRY_AFTER_S = 5;

/**
 * Log lines for a component that keeps retrying while the store is out: the first failure, then
 * at most one "still unreachable" line every `everyMs`, then one line when it works again, so an
 * outage is three readable lines, not one per retry.
 */
export interface OutageLog {
  failed(err: unknown): void;
  recovered(): void;
}

export function outageLog(logger: { warn(obj: object, msg: string): void; info(msg: string): void }, component: string, everyMs = 30_000): OutageLog {
  let since: number | null = null;
  let lastLine = 0;
  let attempts = 0;
  const brief = (err: unknown) => {
    const e = err as { message?: unknown; code?: unknown };
    return { message: typeof e?.message === 'string' ? e.message : String(err), ...(typeof e?.code === 'string' && { code: e.code }) };
  };
  return {
    failed(err) {
      const now = Date.now();
      attempts++;
      if (since === null) {
        since = now;
        lastLine = now;
        logger.warn({ err: brief(err) }, `${component}: the database cannot be reached; retrying`);
      } else if (now - lastLine >= everyMs) {
        lastLine = now;
        logger.warn({ err: brief(err), attempts, downForS: Math.round((now - since) / 1000) }, `${component}: the database is still unreachable`);
      }
    },
    recovered() {
      if (since === null) return;
      logger.info(`${component}: the database is reachable again after ${Math.round((Date.now() - since) / 1000)} s (${attempts} failed attempts)`);
      since = null;
      attempts = 0;
    },
  };
}

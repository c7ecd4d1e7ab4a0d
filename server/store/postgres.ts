/**
 * The same `Database` on a real PostgreSQL server (node-postgres pool), for several server nodes
 * sharing one store. Two things keep it interchangeable with PGlite:
 * - values come back as PGlite returns them (bigint as a number when safe, dates as `Date`), so no
 *   query needs to know which engine answered;
 * - write transactions are serialised across every node by one advisory lock, as PGlite's single
 *   connection serialises them: the store's read-then-write steps (idempotency keys, land-code
 *   sequences, the audit chain head) stay correct without each being rewritten for concurrency.
 *   Reads do not take the lock and run in parallel on the pool.
 */
import pg from 'pg';
import type { Database, Sql } from './database.ts';

/** Key of the advisory lock every write transaction takes (any fixed bigint: "citybrain"). */
const WRITE_LOCK = 0x63697479;
/** Key of the lock held while one node migrates or loads the demo, so nodes starting together wait. */
const STARTUP_LOCK = 0x63697480;

const INT8 = 20;
const INT8_ARRAY = 1016;
const DATE = 1082;
const TIMESTAMP = 1114;
const TIMESTAMPTZ = 1184;

/** bigint → number when it fits exactly (PGlite's rule); otherwise a BigInt. */
const parseInt8 = (text: string): number | bigint => {
  const n = BigInt(text);
  return n < BigInt(Number.MIN_SAFE_INTEGER) || n > BigInt(Number.MAX_SAFE_INTEGER) ? n : Number(n);
};
const parseDate = (text: string): Date | number => (text === 'infinity' ? Infinity : text === '-infinity' ? -Infinity : new Date(text));

/** A private parser table: the process-wide `pg.types` stays untouched for other pg users (the adapter). */
function typeParsers(): pg.CustomTypesConfig {
  const own = new Map<number, (text: string) => unknown>([
    [INT8, parseInt8],
    [INT8_ARRAY, (text) => ((pg.types.getTypeParser as (oid: number) => (t: string) => (string | null)[])(INT8_ARRAY))(text).map((s) => (s === null ? null : parseInt8(s)))],
    [DATE, parseDate],
    [TIMESTAMP, parseDate],
    [TIMESTAMPTZ, parseDate],
  ]);
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') => own.get(oid) ?? pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
  };
}

export interface PostgresDatabase extends Database {
  readonly kind: 'postgres';
  readonly pool: pg.Pool;
  /** A dedicated connection for LISTEN (released by `close`). */
  listen(channel: string, onNotify: (payload: string | undefined) => void, onError: (err: Error) => void): Promise<() => Promise<void>>;
}

export async function openPostgres(url: string, options: { max?: number } = {}): Promise<PostgresDatabase> {
  const types = typeParsers();
  // A connection attempt that hangs (a network gone quiet) fails after 5 s instead of holding the
  // request forever: the request is answered 503 and the client tries again.
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10, types, application_name: 'citybrain', connectionTimeoutMillis: 5000 });
  // A client that loses its server emits 'error': on the pool when idle, on the client itself when
  // checked out (the socket.io adapter keeps one checked out for LISTEN and listens only for 'end').
  // Unheard, either is a process crash; heard, the query in flight fails (503) and the pool
  // replaces the client.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  // Fail now, with the server's own message, rather than at the first request.
  const probe = await pool.connect();
  probe.release();

  const asSql = (runner: pg.Pool | pg.PoolClient): Sql => ({
    async query<T>(text: string, params: readonly unknown[] = []) {
      const result = await runner.query(text, params as unknown[]);
      return result.rows as T[];
    },
  });

  const listeners: pg.Client[] = [];
  return {
    kind: 'postgres',
    pool,
    ...asSql(pool),
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
        const result = await fn(asSql(client));
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    async exclusive(fn) {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK]);
        try {
          return await fn();
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK]).catch(() => undefined);
        }
      } finally {
        client.release();
      }
    },
    async listen(channel, onNotify, onError) {
      const client = new pg.Client({ connectionString: url, types, application_name: 'citybrain-listen' });
      client.on('error', onError);
      client.on('notification', (n) => {
        if (n.channel === channel) onNotify(n.payload);
      });
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      listeners.push(client);
      return async () => {
        listeners.splice(listeners.indexOf(client), 1);
        await client.end().catch(() => undefined);
      };
    },
    async close() {
      await Promise.all(listeners.splice(0).map((c) => c.end().catch(() => undefined)));
      // pool.end() waits for every checked-out client to be released. The socket.io adapter never
      // releases a LISTEN client whose connection died (an outage), so that wait would never end;
      // the connections that matter are closed by then: stop waiting after 2 s.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([pool.end(), new Promise((r) => (timer = setTimeout(r, 2000)))]);
      clearTimeout(timer);
    },
  };
}

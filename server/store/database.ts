/**
 * The SQL connection the store uses: embedded PGlite (Postgres in WASM) by default, or a
 * PostgreSQL server (`postgres.ts`) when DATABASE_URL is set. Queries are plain PostgreSQL and run
 * unchanged on both.
 */
import { PGlite } from '@electric-sql/pglite';

/** Anything that runs a parameterised SQL statement. */
export interface Sql {
  query<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface Database extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `fn` in one transaction: all its statements commit together or none do. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` while no other server node sharing this database runs its own `exclusive` step
   * (migrations, the demo load). PGlite has one node by construction.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Opens (creating on first use) a PGlite database in `dir`; `undefined` keeps it in memory. */
export async function openPglite(dir: string | undefined): Promise<Database> {
  const pg = await PGlite.create(dir === undefined ? {} : { dataDir: dir });
  const asSql = (runner: Pick<PGlite, 'query'>): Sql => ({
    async query<T>(text: string, params: readonly unknown[] = []) {
      const result = await runner.query<T>(text, params as unknown[]);
      return result.rows;
    },
  });
  // PGlite runs one statement at a time, first come first served, on this thread. Write
  // transactions take turns here, and each turn starts after a pass of the event loop, so at most
  // one transaction is ever queued inside PGlite: a read that arrives meanwhile (a health check, a
  // wall's snapshot) waits for the transaction in progress, not for every writer lined up behind it.
  let writers: Promise<unknown> = Promise.resolve();
  const transaction: Database['transaction'] = (fn) => {
    const turn = writers.then(() => new Promise((resolve) => setImmediate(resolve))).then(() => pg.transaction((tx) => fn(asSql(tx))));
    writers = turn.catch(() => undefined);
    return turn;
  };
  return {
    kind: 'pglite',
    ...asSql(pg),
    transaction,
    exec: async (sql) => {
      await pg.exec(sql);
    },
    exclusive: (fn) => fn(),
    close: () => pg.close(),
  };
}

/** Opens the store: takes the data-folder lock, opens the database, applies migrations. */
import path from 'node:path';
import type { Database } from './database.ts';
import { openPglite } from './database.ts';
import { openPostgres, type PostgresDatabase } from './postgres.ts';
import { acquireDataDirLock, type DataDirLock } from './lock.ts';
import { migrate } from './migrations.ts';

export interface Store {
  readonly db: Database;
  readonly kind: Database['kind'];
  readonly dataDir: string;
  /** Set on PostgreSQL: the store other server nodes may share (notifications, leadership). */
  readonly shared?: { db: PostgresDatabase; url: string };
  close(): Promise<void>;
}

export interface StoreOptions {
  dataDir: string;
  databaseUrl?: string;
}

export async function openStore(options: StoreOptions): Promise<Store> {
  // One node per data folder, on either store: the folder also holds the admin token.
  const lock: DataDirLock = acquireDataDirLock(options.dataDir);
  let db: Database | undefined;
  let postgres: PostgresDatabase | undefined;
  try {
    if (options.databaseUrl) db = postgres = await openPostgres(options.databaseUrl);
    else db = await openPglite(path.join(options.dataDir, 'pglite'));
    const opened = db;
    // Nodes starting together against one PostgreSQL migrate one after the other.
    await opened.exclusive(async () => {
      await migrate(opened);
      // Where the socket.io adapter puts messages over NOTIFY's 8,000-byte limit (its documented table).
      if (postgres) await opened.exec('CREATE TABLE IF NOT EXISTS socket_io_attachments (id bigserial UNIQUE, created_at timestamptz DEFAULT NOW(), payload bytea)');
    });
  } catch (err) {
    await db?.close().catch(() => undefined);
    lock.release();
    throw err;
  }
  return {
    db,
    kind: db.kind,
    dataDir: options.dataDir,
    ...(postgres && options.databaseUrl && { shared: { db: postgres, url: options.databaseUrl } }),
    async close() {
      try {
        await db.close();
      } finally {
        lock.release();
      }
    },
  };
}

export { DataDirInUseError } from './lock.ts';

/** Opens the store: takes the data-folder lock, opens the database, applies migrations. */
import path from 'node:path';
import type { Database } from './database.ts';
import { openPglite } from './database.ts';
import { openPostgres } from './postgres.ts';
import { acquireDataDirLock, type DataDirLock } from './lock.ts';
import { migrate } from './migrations.ts';

export interface Store {
  readonly db: Database;
  readonly kind: Database['kind'];
  readonly dataDir: string;
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
  try {
    db = options.databaseUrl ? await openPostgres(options.databaseUrl) : await openPglite(path.join(options.dataDir, 'pglite'));
    const opened = db;
    // Nodes starting together against one PostgreSQL migrate one after the other.
    await opened.exclusive(() => migrate(opened));
  } catch (err) {
    await db?.close().catch(() => undefined);
    lock.release();
    throw err;
  }
  return {
    db,
    kind: db.kind,
    dataDir: options.dataDir,
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

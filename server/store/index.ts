/** Opens the store: takes the data-folder lock, opens the database, applies migrations. */
import path from 'node:path';
import type { Database } from './database.ts';
import { openPglite } from './database.ts';
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
  if (options.databaseUrl) {
    throw new Error('DATABASE_URL (PostgreSQL) is not supported yet: unset it to use the embedded store');
  }
  const lock: DataDirLock = acquireDataDirLock(options.dataDir);
  let db: Database;
  try {
    db = await openPglite(path.join(options.dataDir, 'pglite'));
    await migrate(db);
  } catch (err) {
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

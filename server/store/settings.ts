/** Small key/value settings kept with the data (e.g. whether the store holds the synthetic demo). */
import type { Sql } from './database.ts';

export async function getSetting<T>(db: Sql, key: string): Promise<T | undefined> {
  const [row] = await db.query<{ value: T }>('SELECT value FROM settings WHERE key = $1', [key]);
  return row?.value;
}

export async function setSetting(db: Sql, key: string, value: unknown): Promise<void> {
  await db.query(
    `INSERT INTO settings (key, value) VALUES ($1, $2::jsonb)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [key, JSON.stringify(value)],
  );
}

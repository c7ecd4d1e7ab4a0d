/**
 * Which store a test server uses. In the `api-postgres` project every data folder gets its own
 * database on the test cluster, named from the folder, so a restart on the same folder finds the
 * same data; elsewhere the server uses PGlite in the folder, as in production's default.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

/** The test cluster's admin URL, or undefined when these tests run on PGlite. */
export function testPostgresUrl(): string | undefined {
  try {
    return inject('postgresUrl');
  } catch {
    return undefined; // not inside a vitest worker
  }
}

const databaseName = (dataDir: string) => `cb_${createHash('sha1').update(dataDir).digest('hex').slice(0, 24)}`;

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** `{ DATABASE_URL }` for a server on `dataDir` (the database need not exist yet), or `{}` on PGlite. */
export function databaseEnv(dataDir: string): { DATABASE_URL?: string } {
  const admin = testPostgresUrl();
  return admin ? { DATABASE_URL: withDatabase(admin, databaseName(dataDir)) } : {};
}

async function onAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T | undefined> {
  const admin = testPostgresUrl();
  if (!admin) return undefined;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates the database for `dataDir` if it is missing (template0: nobody is ever connected to it). */
export async function ensureTestDatabase(dataDir: string): Promise<{ DATABASE_URL?: string }> {
  await onAdmin(async (client) => {
    const name = databaseName(dataDir);
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE template0 ENCODING 'UTF8'`);
  });
  return databaseEnv(dataDir);
}

export async function dropTestDatabase(dataDir: string): Promise<void> {
  await onAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(databaseName(dataDir))} WITH (FORCE)`));
}

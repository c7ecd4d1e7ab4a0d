/**
 * Schema migrations, applied in order once each; plain PostgreSQL that PGlite also runs. Each
 * version is its own file under `migrations/` (never edited once released: a change is a new
 * version); this file lists them and applies the ones a database has not seen.
 */
import type { Database } from './database.ts';
import { migration as v01 } from './migrations/v01-event-log-regions-incidents.ts';
import { migration as v02 } from './migrations/v02-incident-audit-trail-idempotency.ts';
import { migration as v03 } from './migrations/v03-risk-config-and-level-history.ts';
import { migration as v04 } from './migrations/v04-land-code-parcels-lifecycle.ts';
import { migration as v05 } from './migrations/v05-equity-inputs-audit.ts';
import { migration as v06 } from './migrations/v06-audit-chain.ts';
import { migration as v07 } from './migrations/v07-tokens-public-id-expiry.ts';
import { migration as v08 } from './migrations/v08-parcel-box-index.ts';
import { migration as v09 } from './migrations/v09-feed-versions-and-cancels.ts';
import { migration as v10 } from './migrations/v10-units-register-last-positions.ts';
import { migration as v11 } from './migrations/v11-dispatch-assignments-of-units.ts';
import { migration as v12 } from './migrations/v12-accountability-clocks-config-versions.ts';
import { migration as v13 } from './migrations/v13-measures-per-risk-level.ts';

/** One schema change: its version (the order), a name for `schema_migrations`, and its SQL. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const MIGRATIONS: readonly Migration[] = [v01, v02, v03, v04, v05, v06, v07, v08, v09, v10, v11, v12, v13];

/** Applies every migration the database has not seen yet; returns how many ran. */
export async function migrate(db: Database): Promise<number> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const done = new Set(
    (await db.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version),
  );
  let ran = 0;
  for (const m of MIGRATIONS) {
    if (done.has(m.version)) continue;
    await db.transaction(async (tx) => {
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
    });
    ran++;
  }
  return ran;
}

/** Splits on `;` at line ends: migrations hold no semicolons inside literals or functions. */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}

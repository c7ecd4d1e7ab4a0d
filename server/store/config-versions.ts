/**
 * Saving an administrator's versioned config (risk, clocks, measures): every save appends the next
 * version, never updates one, and is one logged and audited `…:configured` event.
 */
import type { Actor } from '../contract/auth.ts';
import type { Database } from './database.ts';
import { appendEvents, lockLog, logEvent, reserveSeqs } from './event-log.ts';

/** Each config's event and the table of its versions. */
const TABLE = {
  'risk:configured': 'risk_configs',
  'sla:configured': 'sla_configs',
  'measures:configured': 'measures_configs',
} as const;

export type ConfiguredEvent = keyof typeof TABLE;

/** What a save stored: the config with its version, when and by whom. */
export interface SavedConfig<C> {
  config: C;
  savedAt: string;
  savedBy: Actor;
}

export type SaveConfigOutcome<C> = { ok: true; seq: number; record: SavedConfig<C> } | { ok: false; currentVersion: number };

/**
 * Saves `draft` as the next version. A `version` given must be the stored one + 1 (else nothing is
 * written and the current version is returned: someone saved in between); left out, it is the
 * next one, decided here, in the save's turn, rather than from a copy in memory that a save on
 * another node (or a request just ahead) may have overtaken. The current version is read after
 * the log's writer lock, taken first as every writer takes it (write transactions are serialised
 * by the store too): saves at once, on one node or several sharing PostgreSQL, each read the
 * version the one before them wrote.
 */
export async function saveConfigVersion<C extends { version: number }>(
  db: Database,
  event: ConfiguredEvent,
  draft: Omit<C, 'version'> & { version?: number | undefined },
  actor: Actor,
  atMs: number,
  defaultVersion: number,
): Promise<SaveConfigOutcome<C>> {
  const table = TABLE[event];
  return db.transaction(async (tx) => {
    await lockLog(tx);
    const [row] = await tx.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${table}`);
    const current = row?.version == null ? defaultVersion : Number(row.version);
    const version = draft.version ?? current + 1;
    if (version !== current + 1) return { ok: false, currentVersion: current };
    const config = { ...draft, version } as C;
    const seq = await reserveSeqs(tx, 1);
    const savedAt = new Date(atMs).toISOString();
    const savedBy: Actor = { name: actor.name, role: actor.role };
    await tx.query(`INSERT INTO ${table} (version, config, saved_at, actor_name, actor_role) VALUES ($1, $2, $3, $4, $5)`, [
      version,
      JSON.stringify(config),
      savedAt,
      actor.name,
      actor.role,
    ]);
    await appendEvents(tx, [logEvent(event, seq, { seq, version, at: savedAt, by: savedBy })], actor);
    return { ok: true, seq, record: { config, savedAt, savedBy } };
  });
}

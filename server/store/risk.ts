/** Risk config versions and the append-only history of level changes (each one a logged event). */
import type { RegionRisk, RegionRiskRating, RiskChangedEvent, RiskConfig, RiskConfigRecord, RiskConfigUpdate, RiskLevel } from '../contract/risk.ts';
import type { RiskChange } from '../domain/risk/book.ts';
import type { RiskIncident } from '../domain/risk/score.ts';
import { saveConfigVersion, type SaveConfigOutcome } from './config-versions.ts';
import type { Database, Sql } from './database.ts';
import { appendEvents, logEvent, reserveSeqs } from './event-log.ts';
import type { Actor } from '../contract/auth.ts';

const iso = (v: Date | string): string => new Date(v).toISOString();

/** The latest saved config, or `null` when nobody saved one (the default applies). */
export async function loadRiskConfig(db: Sql): Promise<RiskConfigRecord | null> {
  const [row] = await db.query<{ config: RiskConfig; saved_at: Date | string; actor_name: string; actor_role: string }>(
    'SELECT config, saved_at, actor_name, actor_role FROM risk_configs ORDER BY version DESC LIMIT 1',
  );
  if (!row) return null;
  return { config: row.config, savedAt: iso(row.saved_at), savedBy: { name: row.actor_name, role: row.actor_role } };
}

/** Saves the next version of the risk config, logged (and so audited) as `risk:configured`. */
export const saveRiskConfig = (db: Database, draft: RiskConfigUpdate, actor: Actor, atMs: number, defaultVersion: number): Promise<SaveConfigOutcome<RiskConfig>> =>
  saveConfigVersion<RiskConfig>(db, 'risk:configured', draft, actor, atMs, defaultVersion);

/**
 * A level change as read back from the history: the rating stored with it, whose measures (if any)
 * were those in force when it was stored; readers attach the ones in force now.
 */
export type RecordedRiskChange = Omit<RiskChangedEvent, 'region'> & { region: RegionRiskRating };

/** Stores level changes (their ratings with the measures they require) and their `risk:changed` events in one transaction; returns the events. */
export async function appendRiskChanges(db: Database, changes: readonly (Omit<RiskChange, 'region'> & { region: RegionRisk })[], configVersion: number): Promise<RiskChangedEvent[]> {
  if (changes.length === 0) return [];
  return db.transaction(async (tx) => {
    const first = await reserveSeqs(tx, changes.length);
    const events: RiskChangedEvent[] = changes.map((c, i) => ({
      seq: first + i,
      code: c.code,
      name: c.region.name,
      from: c.from,
      to: c.to,
      reason: c.reason,
      at: new Date(c.atMs).toISOString(),
      configVersion,
      region: c.region,
    }));
    await tx.query(
      `INSERT INTO risk_changes (seq, code, from_level, to_level, reason, at, config_version, region)
       SELECT seq, code, "from", "to", reason, at, "configVersion", region
       FROM jsonb_to_recordset($1::jsonb)
         AS e(seq bigint, code text, "from" text, "to" text, reason text, at timestamptz, "configVersion" int, region jsonb)`,
      [JSON.stringify(events)],
    );
    await appendEvents(tx, events.map((e) => logEvent('risk:changed', e.seq, e)));
    return events;
  });
}

interface ChangeRow {
  seq: number | string;
  code: string;
  from_level: RiskLevel | null;
  to_level: RiskLevel;
  reason: string;
  at: Date | string;
  config_version: number;
  region: RegionRiskRating;
}

const fromChangeRow = (r: ChangeRow): RecordedRiskChange => ({
  seq: Number(r.seq),
  code: r.code,
  name: r.region.name,
  from: r.from_level,
  to: r.to_level,
  reason: r.reason,
  at: iso(r.at),
  configVersion: Number(r.config_version),
  region: r.region,
});

/**
 * Each region's last change at or before `atMs` (every region when `atMs` is omitted): its level
 * then, since when, and the rating stored with it.
 */
export async function riskStateAt(db: Sql, atMs?: number): Promise<Map<string, RecordedRiskChange>> {
  const rows = await db.query<ChangeRow>(
    `SELECT DISTINCT ON (code) * FROM risk_changes ${atMs === undefined ? '' : 'WHERE at <= $1'} ORDER BY code, seq DESC`,
    atMs === undefined ? [] : [new Date(atMs).toISOString()],
  );
  return new Map(rows.map((r) => [r.code, fromChangeRow(r)]));
}

/** Changes with `fromMs < at ≤ toMs`, in seq order, at most `limit`. */
export async function riskChangesBetween(db: Sql, fromMs: number, toMs: number, limit: number): Promise<RecordedRiskChange[]> {
  const rows = await db.query<ChangeRow>(
    'SELECT * FROM risk_changes WHERE at > $1 AND at <= $2 ORDER BY seq LIMIT $3',
    [new Date(fromMs).toISOString(), new Date(toMs).toISOString(), limit],
  );
  return rows.map(fromChangeRow);
}

/** Incidents the risk model reads: counted (see `isCounted`), occurred at or after `sinceMs`, in seq order. */
export async function incidentsForRisk(db: Sql, sinceMs: number): Promise<RiskIncident[]> {
  const rows = await db.query<{ id: string; region_code: string | null; category: RiskIncident['category']; severity: RiskIncident['severity']; status: RiskIncident['status']; occurred_at: Date | string; lon: number; lat: number }>(
    `SELECT id, region_code, category, severity, status, occurred_at, lon, lat FROM incidents
     WHERE occurred_at >= $1 AND status NOT IN ('rejected', 'cancelled') AND NOT drill ORDER BY seq`,
    [new Date(sinceMs).toISOString()],
  );
  return rows.map((r) => ({
    id: r.id,
    regionCode: r.region_code,
    category: r.category,
    severity: r.severity,
    status: r.status,
    drill: false,
    occurredAtMs: new Date(r.occurred_at).getTime(),
    lon: r.lon,
    lat: r.lat,
  }));
}

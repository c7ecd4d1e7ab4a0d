/**
 * The measures config in force (docs/domain.md §16): loaded at start, saved versioned and audited,
 * followed when another node saves one, and asked what a district's or an incident's level requires.
 */
import type { Logger } from 'pino';
import type { Actor } from '../contract/auth.ts';
import type { LogEvent } from '../contract/events.ts';
import type { Category } from '../contract/incidents.ts';
import type { DistrictMeasure, MeasuresConfigRecord, MeasuresConfigUpdate } from '../contract/measures.ts';
import type { RegionRiskRating, RiskLevel } from '../contract/risk.ts';
import { DEFAULT_MEASURES_CONFIG } from '../domain/measures/default-config.ts';
import { districtMeasures, incidentMeasures } from '../domain/measures/measures.ts';
import type { Database } from '../store/database.ts';
import { loadMeasuresConfig, saveMeasuresConfig } from '../store/measures.ts';
import type { Publish } from './publish.ts';

export interface MeasuresService {
  config(): MeasuresConfigRecord;
  /**
   * Saves the next version (`ok: false` names the current one when `update.version` is stale; left
   * out, it is the next one) and publishes `measures:configured`; answers the record it saved.
   */
  saveConfig(update: MeasuresConfigUpdate, actor: Actor): Promise<{ ok: true; seq: number; record: MeasuresConfigRecord } | { ok: false; currentVersion: number }>;
  /** What a district's rating requires: its level's measures and those of the categories behind its score. */
  forDistrict(rating: Pick<RegionRiskRating, 'level' | 'explanation'>): DistrictMeasure[];
  /** What an incident's checklist holds when its district is at `level`. */
  forIncident(level: RiskLevel, category: Category): DistrictMeasure[];
  /** Committed events: a config saved on another node is read from the store. */
  observe(events: readonly LogEvent[]): void;
}

export async function createMeasuresService(deps: { db: Database; clock: () => number; publish: Publish; logger: Logger }): Promise<MeasuresService> {
  const { db, logger } = deps;
  let record: MeasuresConfigRecord = (await loadMeasuresConfig(db)) ?? { config: DEFAULT_MEASURES_CONFIG, savedAt: null, savedBy: null };

  /** Reads the stored config when it is newer than the one held (saved here, or on another node). */
  async function follow(version: number): Promise<void> {
    if (version <= record.config.version) return;
    const stored = await loadMeasuresConfig(db);
    if (stored && stored.config.version > record.config.version) record = stored;
  }

  return {
    config: () => record,
    async saveConfig(update, actor) {
      const saved = await saveMeasuresConfig(db, update, actor, deps.clock(), DEFAULT_MEASURES_CONFIG.version);
      if (!saved.ok) return saved;
      const { config, savedAt, savedBy } = saved.record;
      // Held before publishing: a page re-reading the map on the event already gets the new measures.
      if (config.version > record.config.version) record = saved.record;
      deps.publish([{ type: 'measures:configured', seq: saved.seq, payload: { seq: saved.seq, version: config.version, at: savedAt, by: savedBy } }]);
      logger.info({ version: config.version, by: actor.name }, 'measures: new config saved');
      return saved;
    },
    forDistrict: (rating) => districtMeasures(record.config, rating.level, rating.explanation.byCategory),
    forIncident: (level, category) => incidentMeasures(record.config, level, category),
    observe(events) {
      for (const event of events) {
        if (event.type !== 'measures:configured') continue;
        follow(event.payload.version).catch((err: unknown) => logger.error({ err }, 'measures: reading a config saved on another node failed; the next one saved will be read'));
      }
    },
  };
}

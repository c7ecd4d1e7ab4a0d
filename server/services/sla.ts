/**
 * Accountability clocks (docs/domain.md §15): the clock config (versioned, audited), each
 * incident's clocks now, and KPIs of any period recomputed from stored history.
 */
import type { Logger } from 'pino';
import type { Actor } from '../contract/auth.ts';
import type { LogEvent } from '../contract/events.ts';
import type { IncidentClocks, KpiAnswer, KpiGroupBy, SlaConfig, SlaConfigRecord, SlaConfigUpdate } from '../contract/sla.ts';
import { clocksOut, milestonesOf, readClocks, respondersOf, targetsFor } from '../domain/clocks/clocks.ts';
import { defaultSlaConfig } from '../domain/clocks/config.ts';
import { kpiGroups, type KpiIncident } from '../domain/clocks/kpis.ts';
import { workingCalendar, type WorkingCalendar } from '../domain/clocks/working-hours.ts';
import type { Database } from '../store/database.ts';
import { incidentsForKpis, incidentsWithHistories, loadSlaConfig, saveSlaConfig, slaConfigAt, type ClockIncident } from '../store/sla.ts';
import type { Publish } from './publish.ts';
import { createSerialQueue } from './serial-queue.ts';

/** The config in force and the calendar made from it (which caches the days it has worked out). */
export interface SlaRules {
  config: SlaConfig;
  calendar: WorkingCalendar;
}

export interface SlaService {
  config(): SlaConfigRecord;
  rules(): SlaRules;
  /** Saves a new config (its `version` the current one + 1, or left out for the next one), logged as `sla:configured`; answers the record it saved. */
  saveConfig(update: SlaConfigUpdate, actor: Actor): Promise<{ ok: true; seq: number; record: SlaConfigRecord } | { ok: false; currentVersion: number }>;
  /** An incident's clocks now; `null` when there is no such incident. */
  clocksOf(incidentId: string): Promise<IncidentClocks | null>;
  /** KPIs of `[fromMs, toMs)` per group, read as things stood at the end (or now). */
  kpis(query: { fromMs: number; toMs: number; groupBy: KpiGroupBy }): Promise<KpiAnswer>;
  /** Committed events: a config saved on another node is adopted. */
  observe(events: readonly LogEvent[]): void;
  /** Resolves when every config change observed so far is adopted. */
  idle(): Promise<void>;
}

export interface SlaServiceOptions {
  db: Database;
  clock: () => number;
  publish: Publish;
  logger: Logger;
  /** The centre's time zone: the default config's working hours are kept in it. */
  timeZone: string;
  /**
   * Whether units' arrivals are kept (assignment steps in incident history): without them an
   * arrive clock would run forever, so it is left out. @default true
   */
  arrivals?: boolean;
}

const rulesOf = (config: SlaConfig): SlaRules => ({ config, calendar: workingCalendar(config.workingHours) });

/** The groups an incident counts in. */
function keysOf(incident: ClockIncident, groupBy: KpiGroupBy, asOfMs: number): (string | null)[] {
  if (groupBy === 'region') return [incident.regionCode];
  if (groupBy === 'category') return [incident.category];
  const { units, agencies } = respondersOf(incident.history, asOfMs);
  const keys = groupBy === 'unit' ? units : agencies;
  return keys.length === 0 ? [null] : keys;
}

export async function createSlaService(options: SlaServiceOptions): Promise<SlaService> {
  const { db, clock, logger } = options;
  const arrivals = options.arrivals ?? true;
  const fallback = defaultSlaConfig(options.timeZone);
  let record: SlaConfigRecord = (await loadSlaConfig(db)) ?? { config: fallback, savedAt: null, savedBy: null };
  let rules = rulesOf(record.config);
  // Saves and adoptions one at a time, so a config read back from the store is never older than one adopted.
  const queue = createSerialQueue();

  function adopt(next: SlaConfigRecord): void {
    if (next.config.version <= record.config.version) return;
    record = next;
    rules = rulesOf(next.config);
  }

  return {
    config: () => record,
    rules: () => rules,
    async saveConfig(update, actor) {
      let outcome: Awaited<ReturnType<SlaService['saveConfig']>> = { ok: false, currentVersion: record.config.version };
      await queue.run(async () => {
        const saved = await saveSlaConfig(db, update, actor, clock(), fallback.version);
        outcome = saved;
        if (!saved.ok) return;
        const { config, savedAt, savedBy } = saved.record;
        adopt(saved.record);
        options.publish([{ type: 'sla:configured', seq: saved.seq, payload: { seq: saved.seq, version: config.version, at: savedAt, by: savedBy } }]);
        logger.info({ version: config.version, by: actor.name }, 'clocks: new config saved');
      });
      return outcome;
    },
    async clocksOf(incidentId) {
      const nowMs = clock();
      const [incident] = await incidentsWithHistories(db, [incidentId], nowMs);
      if (!incident) return null;
      const m = milestonesOf(incident.history, nowMs);
      if (!m) return null;
      const { config, calendar } = rules;
      return clocksOut(readClocks(m, targetsFor(config, incident.category, incident.severity), calendar, nowMs, arrivals), nowMs, config.version, arrivals);
    },
    async kpis({ fromMs, toMs, groupBy }) {
      const asOfMs = Math.min(toMs, clock());
      // Judged against the targets in force at the period's end: a past period reads the same later.
      const config = (await slaConfigAt(db, asOfMs)) ?? fallback;
      const judged = config.version === rules.config.version ? rules : rulesOf(config);
      const incidents: KpiIncident[] = [];
      for (const incident of await incidentsForKpis(db, fromMs, toMs, asOfMs)) {
        const milestones = milestonesOf(incident.history, asOfMs);
        if (!milestones) continue;
        incidents.push({ keys: keysOf(incident, groupBy, asOfMs), milestones, targets: targetsFor(config, incident.category, incident.severity) });
      }
      return {
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        asOf: new Date(asOfMs).toISOString(),
        groupBy,
        configVersion: config.version,
        groups: kpiGroups(incidents, { fromMs, toMs, asOfMs }, judged.calendar, arrivals),
      };
    },
    observe(events) {
      for (const event of events) {
        if (event.type !== 'sla:configured' || event.payload.version <= record.config.version) continue;
        void queue.run(async () => {
          const stored = await loadSlaConfig(db);
          if (stored) adopt(stored);
        }).catch((err: unknown) => logger.error({ err }, 'clocks: reading the config saved on another node failed'));
      }
    },
    idle: () => queue.idle(),
  };
}

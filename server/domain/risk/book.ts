/**
 * The risk book: every region's recent incidents and current rating, kept so that a new incident
 * re-rates only its own region (docs/domain.md §5, incremental). Pure: no I/O, time is a parameter. The
 * service around it loads it from the store, feeds it committed events and persists its changes.
 */
import type { RegionRiskRating, RiskLevel } from '../../contract/risk.ts';
import type { RiskConfig } from './config.ts';
import { rateRegion, type PreviousRating, type RegionRating } from './rate.ts';
import { isCounted, type RiskIncident } from './score.ts';

const MS_PER_HOUR = 3_600_000;

/** A region as the risk model needs it. */
export interface RiskRegion {
  code: string;
  name: string;
  population: number | null;
}

/** A level change found by a rating, with the rating that made it. */
export interface RiskChange {
  code: string;
  from: RiskLevel | null;
  to: RiskLevel;
  reason: string;
  atMs: number;
  region: RegionRiskRating;
}

/** Oldest incident age (hours) any part of the model reads: older ones can be forgotten. */
export function horizonHours(config: RiskConfig): number {
  // 72 h: the API's `counts.last72h` reads that far back even when the scoring window is shorter.
  return Math.max(config.windowHours, config.cluster.windowHours, config.extreme.windowHours, 72);
}

/** The API view of a rating. */
export function regionRisk(region: RiskRegion, rating: RegionRating, ratedAtMs: number): RegionRiskRating {
  return {
    code: region.code,
    name: region.name,
    level: rating.level,
    score: rating.score,
    population: region.population,
    counts: rating.counts,
    clusters: rating.clusters,
    since: new Date(rating.sinceMs).toISOString(),
    ratedAt: new Date(ratedAtMs).toISOString(),
    reason: rating.reason,
    explanation: rating.explanation,
  };
}

/** Where a held incident is: its region, and its position in that region's list. */
interface Slot {
  code: string;
  index: number;
}

/**
 * One region's counting incidents in arrival order (a changed incident moves to the end, as a new
 * arrival). A removal leaves a hole that the next read closes, so a change costs O(1) however many
 * the region holds, and the rating reads the list itself, not a copy. The oldest time lets pruning
 * skip regions with nothing to forget.
 */
class RegionIncidents {
  /** Null where an incident was removed, until {@link incidents} closes the holes. */
  private items: (RiskIncident | null)[] = [];
  /** `slots[k]` is where the book finds `items[k]`; closing holes updates their indices. */
  private slots: Slot[] = [];
  private holes = 0;
  /** No held incident is older; may be older than the oldest held (after a removal), never newer. */
  private oldestMs = Infinity;

  add(incident: RiskIncident, slot: Slot): void {
    slot.index = this.items.length;
    this.items.push(incident);
    this.slots.push(slot);
    this.oldestMs = Math.min(this.oldestMs, incident.occurredAtMs);
  }

  remove(slot: Slot): void {
    if (this.items[slot.index] === null) return;
    this.items[slot.index] = null;
    this.holes++;
  }

  /** Removes the incidents that happened before `cutoffMs`; returns their ids. */
  dropBefore(cutoffMs: number): string[] {
    if (this.oldestMs >= cutoffMs) return [];
    const dropped: string[] = [];
    let oldest = Infinity;
    this.items.forEach((incident, k) => {
      if (incident === null) return;
      // Written as "not kept" so an incident with no valid time (NaN) goes, as it always has.
      if (!(incident.occurredAtMs >= cutoffMs)) {
        dropped.push(incident.id);
        this.items[k] = null;
        this.holes++;
      } else {
        oldest = Math.min(oldest, incident.occurredAtMs);
      }
    });
    this.oldestMs = oldest;
    return dropped;
  }

  ids(): string[] {
    return this.incidents().map((x) => x.id);
  }

  /** The incidents in arrival order: the list itself, valid until the next change. */
  incidents(): readonly RiskIncident[] {
    if (this.holes > 0) {
      let kept = 0;
      for (let k = 0; k < this.items.length; k++) {
        if (this.items[k] === null) continue;
        this.items[kept] = this.items[k]!;
        this.slots[kept] = this.slots[k]!;
        this.slots[kept]!.index = kept++;
      }
      this.items.length = kept;
      this.slots.length = kept;
      this.holes = 0;
    }
    return this.items as readonly RiskIncident[];
  }
}

export class RiskBook {
  private config: RiskConfig;
  private regions = new Map<string, RiskRegion>();
  /** Counting incidents per region code. */
  private byRegion = new Map<string, RegionIncidents>();
  /** Where each held incident is, so a status change finds it. */
  private regionOf = new Map<string, Slot>();
  /**
   * Current ratings, with the state they were rated from: rating again at the same instant starts
   * from that same state, so a second rating at one instant gives what one rating would have given
   * (otherwise a step down at a tick would look like "held" when an event re-rates a moment later).
   */
  private current = new Map<string, { rating: RegionRating; ratedAtMs: number; from: PreviousRating | null }>();
  /** Restored levels (from the stored history) for regions not rated since. */
  private restored = new Map<string, PreviousRating>();

  constructor(config: RiskConfig, regions: readonly RiskRegion[]) {
    this.config = config;
    this.setRegions(regions);
  }

  get riskConfig(): RiskConfig {
    return this.config;
  }

  /** Replaces the config; call {@link rateAll} (with `ignoreHysteresis`) to re-rate with it. */
  setConfig(config: RiskConfig): void {
    this.config = config;
  }

  /** Replaces the region list; incidents of regions that no longer exist are dropped. */
  setRegions(regions: readonly RiskRegion[]): void {
    this.regions = new Map(regions.map((r) => [r.code, r]));
    for (const code of [...this.byRegion.keys()]) {
      if (this.regions.has(code)) continue;
      for (const id of this.byRegion.get(code)?.ids() ?? []) this.regionOf.delete(id);
      this.byRegion.delete(code);
    }
    for (const code of [...this.current.keys()]) if (!this.regions.has(code)) this.current.delete(code);
    for (const code of [...this.restored.keys()]) if (!this.regions.has(code)) this.restored.delete(code);
  }

  /** Sets a region's level and since as the stored history last recorded them. */
  restore(code: string, previous: PreviousRating): void {
    if (this.regions.has(code) && !this.current.has(code)) this.restored.set(code, previous);
  }

  /**
   * Takes the level and since another server node (the one that stores changes) recorded for a
   * region, so this node shows and holds the same level; the score stays this node's own.
   */
  adopt(code: string, state: PreviousRating): void {
    const held = this.current.get(code);
    if (held) held.rating = { ...held.rating, level: state.level, sinceMs: state.sinceMs };
    else if (this.regions.has(code)) this.restored.set(code, state);
  }

  /**
   * Takes in an incident, new or changed (the same id replaces what was held). Returns the codes of
   * the regions whose rating it can change: the old and the new region.
   */
  put(incident: RiskIncident): string[] {
    const touched: string[] = [];
    const old = this.regionOf.get(incident.id);
    if (old !== undefined) {
      this.byRegion.get(old.code)?.remove(old);
      this.regionOf.delete(incident.id);
      touched.push(old.code);
    }
    const code = incident.regionCode;
    if (code !== null && this.regions.has(code) && isCounted(incident)) {
      let held = this.byRegion.get(code);
      if (!held) this.byRegion.set(code, (held = new RegionIncidents()));
      const slot: Slot = { code, index: 0 };
      held.add(incident, slot);
      this.regionOf.set(incident.id, slot);
      if (!touched.includes(code)) touched.push(code);
    }
    return touched;
  }

  /** Forgets incidents older than the model reads at `nowMs`; returns how many. */
  prune(nowMs: number): number {
    const cutoff = nowMs - horizonHours(this.config) * MS_PER_HOUR;
    let dropped = 0;
    for (const held of this.byRegion.values()) {
      const ids = held.dropBefore(cutoff);
      for (const id of ids) this.regionOf.delete(id);
      dropped += ids.length;
    }
    return dropped;
  }

  /** How many incidents the book holds. */
  get size(): number {
    return this.regionOf.size;
  }

  /**
   * Re-rates the given regions at `nowMs` and returns their level changes. `ignoreHysteresis`
   * re-rates from scratch (a new config means a new model: its levels apply at once).
   */
  rate(codes: Iterable<string>, nowMs: number, options: { ignoreHysteresis?: boolean; reasonPrefix?: string } = {}): RiskChange[] {
    const config = options.ignoreHysteresis ? { ...this.config, hysteresis: { ...this.config.hysteresis, enabled: false } } : this.config;
    const changes: RiskChange[] = [];
    for (const code of codes) {
      const region = this.regions.get(code);
      if (!region) continue;
      const held = this.current.get(code);
      let previous: PreviousRating | null;
      if (held && held.ratedAtMs === nowMs) previous = held.from;
      else if (held) previous = { level: held.rating.level, sinceMs: held.rating.sinceMs };
      else previous = this.restored.get(code) ?? null;
      const shown = held ? held.rating.level : (this.restored.get(code)?.level ?? null);
      const rating = rateRegion({ incidents: this.byRegion.get(code)?.incidents() ?? [], population: region.population, previous, nowMs, config });
      if (options.reasonPrefix && shown !== rating.level) rating.reason = `${options.reasonPrefix}: ${rating.reason}`;
      this.current.set(code, { rating, ratedAtMs: nowMs, from: previous });
      this.restored.delete(code);
      // A change is measured against what was last shown, not against the state rated from.
      if (shown !== rating.level) {
        changes.push({ code, from: shown, to: rating.level, reason: rating.reason, atMs: nowMs, region: regionRisk(region, rating, nowMs) });
      }
    }
    return changes;
  }

  /** Re-rates every region (the decay timer, a config change, new boundaries). */
  rateAll(nowMs: number, options: { ignoreHysteresis?: boolean; reasonPrefix?: string } = {}): RiskChange[] {
    return this.rate(this.regions.keys(), nowMs, options);
  }

  /** Current ratings in region order; regions never rated are left out. */
  snapshot(): RegionRiskRating[] {
    const out: RegionRiskRating[] = [];
    for (const region of this.regions.values()) {
      const held = this.current.get(region.code);
      if (held) out.push(regionRisk(region, held.rating, held.ratedAtMs));
    }
    return out;
  }

  /** Current level of every rated region (for comparing two books). */
  levels(): Map<string, RiskLevel> {
    return new Map([...this.current].map(([code, held]) => [code, held.rating.level]));
  }

  /** Level and since of every region that has one (rated, or restored from history). */
  states(): Map<string, PreviousRating> {
    const out = new Map(this.restored);
    for (const [code, held] of this.current) out.set(code, { level: held.rating.level, sinceMs: held.rating.sinceMs });
    return out;
  }
}

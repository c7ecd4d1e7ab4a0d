/**
 * The live five-colour map as the client holds it: each region's latest rating, from the HTTP
 * snapshot or from a `risk:changed`, whichever has the higher log seq. So the snapshot and the
 * stream may arrive in any order (a replayed change the snapshot already holds changes nothing; an
 * old snapshot never undoes a newer change), and a region that changes level live is remembered
 * with the moment it did, for the map to pulse it.
 */
import type { RegionRisk, RiskChangedEvent, RiskSnapshot } from '#contract/index.ts';

/** What views read; a new object on every change, so identity comparison is enough. */
export interface RiskLiveSnapshot {
  version: number;
  /** The current rating of each region, by code. */
  ratings: ReadonlyMap<string, RegionRisk>;
  /** Local time (ms) each region last changed level live; only regions whose level moved. */
  changedAt: ReadonlyMap<string, number>;
  /** False until the first HTTP snapshot arrived. */
  loaded: boolean;
}

interface Held {
  rating: RegionRisk;
  /** Log seq the rating is current at: the change's own, or the snapshot's head. */
  seq: number;
}

export interface RiskStoreOptions {
  /** @default Date.now */
  now?: () => number;
}

export class RiskStore {
  private held = new Map<string, Held>();
  private changedAt = new Map<string, number>();
  private snapshot: RiskLiveSnapshot = { version: 0, ratings: new Map(), changedAt: new Map(), loaded: false };
  private readonly listeners = new Set<() => void>();
  private readonly changeListeners = new Set<(changes: readonly RiskChangedEvent[]) => void>();
  private readonly now: () => number;

  constructor(options: RiskStoreOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /**
   * Takes an HTTP snapshot: its regions replace the held ones, except where a change newer than the
   * snapshot's seq already arrived. Regions the snapshot does not list are gone (regions replaced).
   */
  replaceSnapshot(snapshot: RiskSnapshot): void {
    const next = new Map<string, Held>();
    for (const rating of snapshot.regions) next.set(rating.code, { rating, seq: snapshot.seq });
    for (const [code, held] of this.held) if (held.seq > snapshot.seq) next.set(code, held);
    this.held = next;
    for (const code of this.changedAt.keys()) if (!next.has(code)) this.changedAt.delete(code);
    this.publish(true);
  }

  /** Applies live `risk:changed` events; repeats and changes older than what is held are ignored. */
  applyChanges(events: readonly RiskChangedEvent[]): void {
    const accepted: RiskChangedEvent[] = [];
    const nowMs = this.now();
    for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
      const held = this.held.get(event.code);
      if (held && event.seq <= held.seq) continue;
      accepted.push(event);
      // A first rating (nothing held) is not a change anyone needs to notice.
      if (held && held.rating.level !== event.to) this.changedAt.set(event.code, nowMs);
      this.held.set(event.code, { rating: { ...event.region, level: event.to }, seq: event.seq });
    }
    if (accepted.length === 0) return;
    for (const listener of this.changeListeners) listener(accepted);
    this.publish(this.snapshot.loaded);
  }

  getSnapshot = (): RiskLiveSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Called with the changes each `applyChanges` accepted, in seq order (the playback history grows with them). */
  onChanges(listener: (changes: readonly RiskChangedEvent[]) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private publish(loaded: boolean): void {
    const ratings = new Map<string, RegionRisk>();
    for (const [code, held] of this.held) ratings.set(code, held.rating);
    this.snapshot = { version: this.snapshot.version + 1, ratings, changedAt: new Map(this.changedAt), loaded };
    for (const listener of this.listeners) listener();
  }
}

/**
 * Incidents held by the client, keyed by id. Live events are queued and applied in batches, so a
 * burst of 100 events/s costs a handful of renders, not one per event.
 */
import type { Incident, IncidentCollection } from '../../../server/contract/index.ts';

/** What views read. A new object only when something changed, so identity comparison is enough. */
export interface IncidentSnapshot {
  /** Bumped on every applied change; use it in deck.gl `updateTriggers`. */
  version: number;
  /** All incidents, newest report first. */
  incidents: readonly Incident[];
  /** Highest `seq` applied: where the live stream resumes. */
  seq: number;
  /** False until the first HTTP snapshot arrived. */
  loaded: boolean;
}

export interface IncidentStoreOptions {
  /** How long events may wait before they are applied together. @default 100 */
  batchMs?: number;
  /** Injected for tests. @default globalThis.setTimeout */
  schedule?: (fn: () => void, ms: number) => unknown;
}

/** Newest report first; `seq` breaks ties so the order is stable. */
function newestFirst(a: Incident, b: Incident): number {
  if (a.reportedAt !== b.reportedAt) return a.reportedAt < b.reportedAt ? 1 : -1;
  return b.seq - a.seq;
}

export class IncidentStore {
  private readonly byId = new Map<string, Incident>();
  private pending: Incident[] = [];
  private flushScheduled = false;
  private readonly listeners = new Set<() => void>();
  private snapshot: IncidentSnapshot = { version: 0, incidents: [], seq: 0, loaded: false };
  private readonly batchMs: number;
  private readonly schedule: (fn: () => void, ms: number) => unknown;

  constructor(options: IncidentStoreOptions = {}) {
    this.batchMs = options.batchMs ?? 100;
    this.schedule = options.schedule ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
  }

  /** Replaces everything with an HTTP snapshot; queued events newer than it are kept. */
  replaceAll(collection: IncidentCollection): void {
    this.byId.clear();
    for (const feature of collection.features) {
      const incident: Incident = { ...feature.properties, id: feature.id, geometry: feature.geometry };
      this.byId.set(incident.id, incident);
    }
    this.pending = this.pending.filter((incident) => incident.seq > collection.seq);
    this.applyPending(collection.seq, true);
  }

  /** Queues one live or replayed incident; it shows at the next batch. */
  upsert(incident: Incident): void {
    this.pending.push(incident);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.schedule(() => this.flush(), this.batchMs);
  }

  /** Applies queued events now. */
  flush(): void {
    this.flushScheduled = false;
    if (this.pending.length > 0) this.applyPending(this.snapshot.seq, this.snapshot.loaded);
  }

  getSnapshot = (): IncidentSnapshot => this.snapshot;

  /** Last `seq` seen, queued events included: the live stream resumes after it. */
  lastSeq(): number {
    return this.pending.reduce((max, incident) => Math.max(max, incident.seq), this.snapshot.seq);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private applyPending(baseSeq: number, loaded: boolean): void {
    let seq = baseSeq;
    for (const incident of this.pending) {
      const held = this.byId.get(incident.id);
      // Replay after a snapshot can repeat what the snapshot already holds: never go backwards.
      if (!held || held.seq <= incident.seq) this.byId.set(incident.id, incident);
      seq = Math.max(seq, incident.seq);
    }
    this.pending = [];
    this.snapshot = {
      version: this.snapshot.version + 1,
      incidents: [...this.byId.values()].sort(newestFirst),
      seq,
      loaded,
    };
    for (const listener of this.listeners) listener();
  }
}

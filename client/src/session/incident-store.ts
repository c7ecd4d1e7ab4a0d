/**
 * Incidents held by the client, keyed by id. Live batches are queued and applied together, so a
 * burst of events costs a handful of renders, not one per event; each applied update is also
 * handed to delta listeners (the map's rows) as "what changed", so nobody re-derives the whole set.
 *
 * Drills (exercises, tests) never enter: the live stream carries them with everything else, and
 * whatever reads this store (map, counts, queue, alerts) must not see them. The drill view keeps
 * its own (`drill-store.ts`).
 */
import type { Incident, IncidentCollection, IncidentFeature } from '#contract/index.ts';
import { isDrill } from './incident-status.ts';

/** What views read. A new object only when something changed, so identity comparison is enough. */
export interface IncidentSnapshot {
  /** Bumped on every applied change. */
  version: number;
  /** All incidents, newest report first. */
  incidents: readonly Incident[];
  /** Highest event-log `seq` received: where the live stream resumes. */
  seq: number;
  /** False until the first HTTP snapshot arrived. */
  loaded: boolean;
}

/** One applied update, for listeners that keep their own incremental structures. */
export interface IncidentDelta {
  /** Everything was replaced (an HTTP snapshot): `changed` then holds every incident. */
  reset: boolean;
  /** Incidents added or replaced by this update. */
  changed: readonly Incident[];
  /**
   * Ids no longer held: incidents a later version marked as drills. Absent when there are none, and
   * on a reset (whatever `changed` leaves out is gone then).
   */
  removed?: readonly string[];
}

export interface IncidentStoreOptions {
  /** How long events may wait before they are applied together. @default 100 */
  batchMs?: number;
  /** Injected for tests. @default globalThis.setTimeout */
  schedule?: (fn: () => void, ms: number) => unknown;
}

/**
 * Newest report first; a batch import reports everything at once, so within it the latest to occur
 * comes first. The id settles the rest: not `seq`, which moves with every status change.
 */
export function newestFirst(a: Incident, b: Incident): number {
  if (a.reportedAt !== b.reportedAt) return a.reportedAt < b.reportedAt ? 1 : -1;
  if (a.occurredAt !== b.occurredAt) return a.occurredAt < b.occurredAt ? 1 : -1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export const incidentFromFeature = (feature: IncidentFeature): Incident => ({
  ...feature.properties,
  id: feature.id,
  geometry: feature.geometry,
});

/** Merges two newest-first lists in O(n + k). */
function mergeNewestFirst(held: readonly Incident[], added: readonly Incident[]): Incident[] {
  const merged: Incident[] = new Array(held.length + added.length);
  let i = 0, j = 0, k = 0;
  while (i < held.length && j < added.length) {
    const a = held[i] as Incident, b = added[j] as Incident;
    if (newestFirst(a, b) <= 0) { merged[k++] = a; i++; } else { merged[k++] = b; j++; }
  }
  while (i < held.length) merged[k++] = held[i++] as Incident;
  while (j < added.length) merged[k++] = added[j++] as Incident;
  return merged;
}

interface Pending {
  incident: Incident;
  /** From the event log (moves the resume point) or from our own PATCH answer (does not). */
  fromLog: boolean;
}

export class IncidentStore {
  private readonly byId = new Map<string, Incident>();
  /**
   * Ids last seen as drills, with that version's seq: an older, real version replayed or queued
   * behind it must not bring the incident back. Drills are few, so this stays small.
   */
  private readonly drillSeq = new Map<string, number>();
  private pending: Pending[] = [];
  /** Highest log `seq` received but not yet applied (other event types included). */
  private pendingSeq = 0;
  private flushScheduled = false;
  private readonly listeners = new Set<() => void>();
  private readonly deltaListeners = new Set<(delta: IncidentDelta) => void>();
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
    // The snapshot is the truth up to its seq; only drill versions after it still matter.
    for (const [id, seq] of this.drillSeq) if (seq <= collection.seq) this.drillSeq.delete(id);
    for (const feature of collection.features) {
      // The server leaves drills out of the list unless asked; one that slipped in stays out here too.
      if (isDrill(feature.properties)) continue;
      if ((this.drillSeq.get(feature.id) ?? -1) >= feature.properties.seq) continue;
      this.byId.set(feature.id, incidentFromFeature(feature));
    }
    this.pending = this.pending.filter((p) => p.incident.seq > collection.seq);
    // Recomputed, not kept: after a store reset on the server the log restarts below what we held.
    this.pendingSeq = this.pending.reduce((max, p) => (p.fromLog ? Math.max(max, p.incident.seq) : max), 0);
    this.applyPending(true, collection.seq);
  }

  /**
   * Queues one `events:batch` worth of incidents (created or updated); they show together at the
   * next flush. `seq` is the highest log seq of the batch, whatever the event types in it.
   */
  applyBatch(incidents: readonly Incident[], seq: number): void {
    for (const incident of incidents) this.pending.push({ incident, fromLog: true });
    this.pendingSeq = Math.max(this.pendingSeq, seq);
    this.scheduleFlush();
  }

  /** Queues one live or replayed incident. */
  upsert(incident: Incident): void {
    this.applyBatch([incident], incident.seq);
  }

  /**
   * Shows the answer of our own change at once. It does not move the resume point: events before
   * it may still be on their way, and the live copy of this one arrives later and is ignored.
   */
  applyLocal(incident: Incident): void {
    this.pending.push({ incident, fromLog: false });
    this.scheduleFlush();
  }

  /** Applies queued events now. */
  flush(): void {
    this.flushScheduled = false;
    if (this.pending.length > 0 || this.pendingSeq > this.snapshot.seq) this.applyPending(false, this.snapshot.seq);
  }

  getSnapshot = (): IncidentSnapshot => this.snapshot;

  get(id: string): Incident | undefined {
    return this.byId.get(id);
  }

  /** Last `seq` seen, queued events included: the live stream resumes after it. */
  lastSeq(): number {
    return Math.max(this.snapshot.seq, this.pendingSeq);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Called synchronously with each applied update, before `subscribe` listeners. */
  onDelta(listener: (delta: IncidentDelta) => void): () => void {
    this.deltaListeners.add(listener);
    return () => this.deltaListeners.delete(listener);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.schedule(() => this.flush(), this.batchMs);
  }

  private applyPending(reset: boolean, baseSeq: number): void {
    const replaced = new Map<string, Incident>();
    const added = new Map<string, Incident>();
    /** Ids that were shown before this update and are not any more. */
    const removed = new Set<string>();
    for (const { incident } of this.pending) {
      const held = this.byId.get(incident.id);
      // A safety net against repeats (replay overlapping a snapshot, our own PATCH answer): only
      // a strictly newer version of an incident replaces the one we hold.
      if (held && incident.seq <= held.seq) continue;
      const drillAt = this.drillSeq.get(incident.id);
      if (drillAt !== undefined && incident.seq <= drillAt) continue;
      if (isDrill(incident)) {
        this.drillSeq.set(incident.id, incident.seq);
        if (!held) continue;
        this.byId.delete(incident.id);
        replaced.delete(incident.id);
        // Added by this very update: it was never shown, so there is nothing to take away.
        if (!added.delete(incident.id)) removed.add(incident.id);
        continue;
      }
      this.drillSeq.delete(incident.id);
      this.byId.set(incident.id, incident);
      if (removed.delete(incident.id)) replaced.set(incident.id, incident);
      else if (held && !added.has(incident.id)) replaced.set(incident.id, incident);
      else added.set(incident.id, incident);
    }
    this.pending = [];
    let incidents = this.snapshot.incidents;
    if (reset) {
      incidents = [...this.byId.values()].sort(newestFirst);
    } else {
      // Status changes keep their place (reportedAt and id do not change); new ones are merged in.
      if (removed.size > 0) incidents = incidents.filter((i) => !removed.has(i.id));
      if (replaced.size > 0) incidents = incidents.map((i) => replaced.get(i.id) ?? i);
      if (added.size > 0) incidents = mergeNewestFirst(incidents, [...added.values()].sort(newestFirst));
    }
    const changed = reset ? incidents : [...added.values(), ...replaced.values()];
    const gone = reset ? [] : [...removed];
    this.snapshot = {
      version: this.snapshot.version + 1,
      incidents,
      seq: Math.max(baseSeq, this.pendingSeq),
      loaded: this.snapshot.loaded || reset,
    };
    this.pendingSeq = 0;
    if (reset || changed.length > 0 || gone.length > 0) {
      const delta: IncidentDelta = gone.length > 0 ? { reset, changed, removed: gone } : { reset, changed };
      for (const listener of this.deltaListeners) listener(delta);
    }
    for (const listener of this.listeners) listener();
  }
}

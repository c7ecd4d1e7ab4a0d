/**
 * The drills the console lists apart: exercises, tests, drafts and system messages (CAP `<status>`
 * other than Actual). They come over HTTP with `?drill=only` and stay current from the same live
 * stream as every incident: the live client hands each batch here as well as to the incident
 * store, and each keeps only its own kind. Nothing here is ever counted with the live incidents.
 */
import type { Incident, IncidentCollection } from '#contract/index.ts';
import { incidentFromFeature, newestFirst } from './incident-store.ts';
import { isDrill } from './incident-status.ts';

export interface DrillSnapshot {
  /** Bumped on every change. */
  version: number;
  /** Drills held, newest report first. */
  drills: readonly Incident[];
  /** False until the first list arrived. */
  loaded: boolean;
  /** The list was cut at the server's `limit`: there are more than those held. */
  truncated: boolean;
}

export class DrillStore {
  private readonly byId = new Map<string, Incident>();
  /**
   * The newest real (not drill) version seen of incidents a list may still show as drills: before
   * the first list, of every incident that came live; after it, of the drills let go. A list read
   * before that version must not bring them back. Pruned by each list (it is the truth up to its seq).
   */
  private readonly realSeq = new Map<string, number>();
  private snapshot: DrillSnapshot = { version: 0, drills: [], loaded: false, truncated: false };
  private readonly listeners = new Set<() => void>();

  /**
   * Replaces what is held with a `?drill=only` list. What arrived live after the list was read
   * (a higher seq) is kept: the list and the stream are read at slightly different moments.
   */
  replaceAll(collection: IncidentCollection): void {
    const newer = [...this.byId.values()].filter((i) => i.seq > collection.seq);
    this.byId.clear();
    for (const feature of collection.features) {
      // Asked for drills only; anything else the server sent is not ours to list.
      if (!isDrill(feature.properties)) continue;
      if ((this.realSeq.get(feature.id) ?? -1) >= feature.properties.seq) continue;
      this.byId.set(feature.id, incidentFromFeature(feature));
    }
    for (const incident of newer) this.take(incident);
    for (const [id, seq] of this.realSeq) if (seq <= collection.seq) this.realSeq.delete(id);
    this.publish(true, collection.truncated === true);
  }

  /**
   * Takes what concerns drills from a live batch (every incident created or updated): a drill is
   * added or updated, and one held that a newer version marks as real is let go (the incident
   * store shows it from then on). Anything else costs a lookup or two.
   */
  applyBatch(incidents: readonly Incident[]): void {
    let changed = false;
    for (const incident of incidents) changed = this.take(incident) || changed;
    if (changed) this.publish(this.snapshot.loaded, this.snapshot.truncated);
  }

  getSnapshot = (): DrillSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Applies one version; true when what is listed changed. */
  private take(incident: Incident): boolean {
    const { id, seq } = incident;
    const held = this.byId.get(id);
    // Only a strictly newer version counts: replays and the list overlap.
    if (held && seq <= held.seq) return false;
    const realAt = this.realSeq.get(id);
    if (realAt !== undefined && seq <= realAt) return false;
    if (isDrill(incident)) {
      this.realSeq.delete(id);
      this.byId.set(id, incident);
      return true;
    }
    if (held || !this.snapshot.loaded) this.realSeq.set(id, seq);
    return held ? this.byId.delete(id) : false;
  }

  private publish(loaded: boolean, truncated: boolean): void {
    this.snapshot = {
      version: this.snapshot.version + 1,
      drills: [...this.byId.values()].sort(newestFirst),
      loaded,
      truncated,
    };
    for (const listener of this.listeners) listener();
  }
}

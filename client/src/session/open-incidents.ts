/**
 * What the wall keeps of the incidents, bounded so it runs for weeks: the severity of each open
 * incident (to count them), the newest open ones in full (for the map's dots) and the newest
 * reports (for the ticker). Closed incidents leave the counts and the dots; a cancelled one (the
 * source withdrew it) leaves the ticker too, and drills (exercises, tests) are never taken in at
 * all. It is the live client's sink, so the stream resumes from the last `seq` it saw.
 */
import type { Incident, IncidentCollection, Severity } from '#contract/index.ts';
import type { IncidentSink } from '../live/live-client.ts';
import { incidentFromFeature, newestFirst } from './incident-store.ts';
import { isDrill, isOpen } from './incident-status.ts';

export interface WallIncidentLimits {
  /** Open incidents counted; beyond it the oldest are dropped and counts read "at least". @default 50_000 */
  maxOpen?: number;
  /** Open incidents drawn on the map (the newest). @default 1_000 */
  maxDots?: number;
  /** Ticker lines. @default 20 */
  maxTicker?: number;
  /** How long live events may wait to be shown together (ms). @default 250 */
  batchMs?: number;
  schedule?: (fn: () => void, ms: number) => unknown;
}

export interface WallIncidentSnapshot {
  version: number;
  loaded: boolean;
  /** Open incidents by severity (a lower bound when `truncated`). */
  counts: Readonly<Record<Severity, number>>;
  openTotal: number;
  /** How many held open incidents have closed since the page started (figures about closing are read again). */
  closed: number;
  truncated: boolean;
  /** Newest reports first. */
  ticker: readonly Incident[];
  /** Open incidents to draw, at most `maxDots`. */
  dots: readonly Incident[];
}

/**
 * Whether the ticker may list it: a withdrawn report is not news, and a drill never was. A
 * resolved or rejected one stays listed (with its new status): it was reported all the same.
 */
const onTicker = (i: Incident) => !isDrill(i) && i.status !== 'cancelled';
const zeroCounts = (): Record<Severity, number> => ({ unknown: 0, minor: 0, moderate: 0, severe: 0, extreme: 0 });

export class WallIncidents implements IncidentSink {
  /** Open incident id → severity, oldest first (Map keeps insertion order). */
  private readonly open = new Map<string, Severity>();
  private readonly dots = new Map<string, Incident>();
  private ticker: Incident[] = [];
  private counts = zeroCounts();
  private truncated = false;
  private closed = 0;
  private seq = 0;
  private loaded = false;
  private version = 0;
  private notifyScheduled = false;
  private snapshot: WallIncidentSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly maxOpen: number;
  private readonly maxDots: number;
  private readonly maxTicker: number;
  private readonly batchMs: number;
  private readonly schedule: (fn: () => void, ms: number) => unknown;

  constructor(limits: WallIncidentLimits = {}) {
    this.maxOpen = limits.maxOpen ?? 50_000;
    this.maxDots = limits.maxDots ?? 1_000;
    this.maxTicker = limits.maxTicker ?? 20;
    this.batchMs = limits.batchMs ?? 250;
    this.schedule = limits.schedule ?? ((fn, ms) => globalThis.setTimeout(fn, ms));
    this.snapshot = this.makeSnapshot();
  }

  /** Starts over from an HTTP snapshot (first load, or the stream's gap was too old). */
  replaceAll(collection: IncidentCollection): void {
    this.open.clear();
    this.dots.clear();
    this.ticker = [];
    this.counts = zeroCounts();
    this.truncated = false;
    // Oldest report first, so the newest end up last in the insertion-ordered maps.
    const incidents = collection.features.map(incidentFromFeature).sort(newestFirst).reverse();
    for (const incident of incidents) this.take(incident);
    this.seq = collection.seq;
    this.loaded = true;
    this.publish();
  }

  applyBatch(incidents: readonly Incident[], seq: number): void {
    for (const incident of incidents) this.take(incident);
    this.seq = Math.max(this.seq, seq);
    if (incidents.length === 0 || this.notifyScheduled) return;
    this.notifyScheduled = true;
    this.schedule(() => {
      this.notifyScheduled = false;
      this.publish();
    }, this.batchMs);
  }

  lastSeq(): number {
    return this.seq;
  }

  getSnapshot = (): WallIncidentSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private take(incident: Incident): void {
    const held = this.open.get(incident.id);
    if (held !== undefined) {
      this.counts[held]--;
      this.open.delete(incident.id);
      if (!isOpen(incident)) this.closed++;
    }
    this.dots.delete(incident.id);
    if (isOpen(incident) && !isDrill(incident)) {
      this.open.set(incident.id, incident.severity);
      this.counts[incident.severity]++;
      this.dots.set(incident.id, incident);
      this.trim();
    }
    this.toTicker(incident);
  }

  private trim(): void {
    while (this.dots.size > this.maxDots) this.dots.delete(this.dots.keys().next().value as string);
    while (this.open.size > this.maxOpen) {
      const [id, severity] = this.open.entries().next().value as [string, Severity];
      this.open.delete(id);
      this.counts[severity]--;
      this.truncated = true;
    }
  }

  /**
   * The newest reports: a change of one listed replaces it (or takes it off, once cancelled or
   * marked a drill); an older report does not get in.
   */
  private toTicker(incident: Incident): void {
    const at = this.ticker.findIndex((i) => i.id === incident.id);
    if (at >= 0) {
      // A replayed older version never undoes a newer one.
      if ((this.ticker[at] as Incident).seq >= incident.seq) return;
      if (onTicker(incident)) this.ticker[at] = incident;
      else this.ticker.splice(at, 1);
      return;
    }
    if (!onTicker(incident)) return;
    const last = this.ticker.at(-1);
    if (this.ticker.length >= this.maxTicker && last && newestFirst(incident, last) >= 0) return;
    let place = this.ticker.findIndex((i) => newestFirst(incident, i) < 0);
    if (place < 0) place = this.ticker.length;
    this.ticker.splice(place, 0, incident);
    if (this.ticker.length > this.maxTicker) this.ticker.length = this.maxTicker;
  }

  private makeSnapshot(): WallIncidentSnapshot {
    return {
      version: this.version,
      loaded: this.loaded,
      counts: { ...this.counts },
      openTotal: this.open.size,
      closed: this.closed,
      truncated: this.truncated,
      ticker: [...this.ticker],
      dots: [...this.dots.values()],
    };
  }

  private publish(): void {
    this.version++;
    this.snapshot = this.makeSnapshot();
    for (const listener of this.listeners) listener();
  }
}

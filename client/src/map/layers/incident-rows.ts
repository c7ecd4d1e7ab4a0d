/**
 * The incidents as the map draws them: append-only rows, one set per severity, each row keeping its
 * slot for life, with a log of which rows changed at which version. deck.gl is then told exactly
 * those rows (`_dataDiff`), so an event costs O(changed rows), not a rebuild of every buffer.
 *
 * Why per severity: one ScatterplotLayer draws its rows in order, so with one layer per severity,
 * drawn lowest first, the worst incidents stay on top however late the others arrive, and a new
 * incident is still just an append. A status change keeps the row (colour updated in place); the
 * rare change of severity leaves an empty row behind (drawn as nothing) and appends to the other set,
 * and an incident the store lets go of (it turned out to be a drill) leaves its row empty too.
 */
import type { Incident, Severity } from '#contract/index.ts';
import type { IncidentDelta } from '../../session/incident-store.ts';
import { isClosed } from '../../session/incident-status.ts';

/** Rows deck.gl must re-read: `[startRow, endRow)`. */
export interface RowRange {
  startRow: number;
  endRow: number;
}

/**
 * One severity's rows at one version: the object given to deck.gl as `data`. A new view per change
 * tells deck.gl that something changed; `changesSince` tells it what. `rows` is shared between
 * views (never copied); `null` is a row left empty by a severity change.
 */
export interface RowsView {
  readonly severity: Severity;
  /** deck.gl takes the row count from `length` and calls accessors with the row index. */
  readonly length: number;
  readonly rows: readonly (Incident | null)[];
  readonly generation: number;
  readonly version: number;
  /** Rows changed since `older` was drawn, or `null` when only a full rebuild is right. */
  changesSince(older: RowsView): RowRange[] | null;
}

export interface IncidentRowsSnapshot {
  version: number;
  /** Lowest severity first: the drawing order. */
  views: readonly RowsView[];
}

/** Draw order, lowest first. */
export const SEVERITIES_LOW_FIRST: readonly Severity[] = ['unknown', 'minor', 'moderate', 'severe', 'extreme'];
/** Versions remembered; a layer that skipped more than this (never, in practice) is rebuilt fully. */
const LOG_LIMIT = 512;

/** Adds `[start, end)` to sorted, disjoint ranges, merging neighbours: appends stay one range. */
export function addRange(ranges: RowRange[], startRow: number, endRow: number): RowRange[] {
  const out: RowRange[] = [];
  let merged: RowRange = { startRow, endRow };
  let placed = false;
  for (const r of ranges) {
    if (r.endRow < merged.startRow) out.push(r);
    else if (merged.endRow < r.startRow) {
      if (!placed) { out.push(merged); placed = true; }
      out.push(r);
    } else merged = { startRow: Math.min(r.startRow, merged.startRow), endRow: Math.max(r.endRow, merged.endRow) };
  }
  if (!placed) out.push(merged);
  return out;
}

class SeverityRows {
  readonly rows: (Incident | null)[] = [];
  generation = 0;
  version = 0;
  private log: { version: number; ranges: RowRange[] }[] = [];
  private touched: RowRange[] = [];
  private cached: RowsView | null = null;

  constructor(readonly severity: Severity) {}

  reset(incidents: Incident[], generation: number): void {
    this.rows.length = 0;
    this.rows.push(...incidents);
    this.generation = generation;
    this.log = [];
    this.touched = [];
    this.version++;
    this.cached = null;
  }

  append(incident: Incident): number {
    const row = this.rows.push(incident) - 1;
    this.touched = addRange(this.touched, row, row + 1);
    return row;
  }

  set(row: number, incident: Incident | null): void {
    this.rows[row] = incident;
    this.touched = addRange(this.touched, row, row + 1);
  }

  /** Closes the current update: one new version if any row was touched. */
  commit(): void {
    if (this.touched.length === 0) return;
    this.version++;
    this.log.push({ version: this.version, ranges: this.touched });
    if (this.log.length > LOG_LIMIT) this.log.shift();
    this.touched = [];
    this.cached = null;
  }

  view(): RowsView {
    if (this.cached) return this.cached;
    const { severity, rows, generation, version } = this;
    const changesSince = (older: RowsView): RowRange[] | null => this.changesBetween(older, generation, version);
    this.cached = { severity, rows, generation, version, length: rows.length, changesSince };
    return this.cached;
  }

  private changesBetween(older: RowsView, generation: number, version: number): RowRange[] | null {
    if (older.severity !== this.severity || older.generation !== generation || older.version > version) return null;
    const first = this.log[0];
    if (older.version < version && (!first || first.version > older.version + 1)) return null;
    let ranges: RowRange[] = [];
    for (const entry of this.log) {
      if (entry.version <= older.version || entry.version > version) continue;
      for (const r of entry.ranges) ranges = addRange(ranges, r.startRow, r.endRow);
    }
    return ranges;
  }
}

export class IncidentRows {
  private readonly sets = new Map<Severity, SeverityRows>(SEVERITIES_LOW_FIRST.map((s) => [s, new SeverityRows(s)]));
  private readonly slots = new Map<string, { severity: Severity; row: number }>();
  private generation = 0;
  private snapshot: IncidentRowsSnapshot = { version: 0, views: [] };
  private readonly listeners = new Set<() => void>();

  constructor() {
    this.snapshot = { version: 0, views: this.views() };
  }

  /** Applies one store update: a reset rebuilds everything, anything else touches only its rows. */
  apply(delta: IncidentDelta): void {
    if (delta.reset) this.reset(delta.changed);
    else {
      for (const id of delta.removed ?? []) this.remove(id);
      for (const incident of delta.changed) this.upsert(incident);
    }
    for (const set of this.sets.values()) set.commit();
    this.snapshot = { version: this.snapshot.version + 1, views: this.views() };
    for (const listener of this.listeners) listener();
  }

  getSnapshot = (): IncidentRowsSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Where an incident is drawn (for tests and picking). */
  slotOf(id: string): { severity: Severity; row: number } | undefined {
    return this.slots.get(id);
  }

  private reset(incidents: readonly Incident[]): void {
    this.generation++;
    this.slots.clear();
    // Within a severity: closed ones first, then oldest to newest, so open and recent ones are on top.
    const ordered = [...incidents].sort(
      (a, b) => Number(isClosed(b)) - Number(isClosed(a)) || (a.reportedAt < b.reportedAt ? -1 : a.reportedAt > b.reportedAt ? 1 : 0),
    );
    for (const set of this.sets.values()) {
      const mine = ordered.filter((i) => i.severity === set.severity);
      mine.forEach((incident, row) => this.slots.set(incident.id, { severity: set.severity, row }));
      set.reset(mine, this.generation);
    }
  }

  private remove(id: string): void {
    const slot = this.slots.get(id);
    if (!slot) return;
    this.setOf(slot.severity).set(slot.row, null);
    this.slots.delete(id);
  }

  private upsert(incident: Incident): void {
    const slot = this.slots.get(incident.id);
    if (slot && slot.severity === incident.severity) {
      this.setOf(slot.severity).set(slot.row, incident);
      return;
    }
    if (slot) this.setOf(slot.severity).set(slot.row, null);
    const row = this.setOf(incident.severity).append(incident);
    this.slots.set(incident.id, { severity: incident.severity, row });
  }

  private setOf(severity: Severity): SeverityRows {
    const set = this.sets.get(severity);
    if (!set) throw new Error(`unknown severity ${severity}`);
    return set;
  }

  private views(): RowsView[] {
    return SEVERITIES_LOW_FIRST.map((s) => this.setOf(s).view());
  }
}

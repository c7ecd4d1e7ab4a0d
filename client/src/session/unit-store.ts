/**
 * The units on a page's map: each unit's register entry and newest position, from `GET /api/v1/units`
 * and the `units` stream layer (`unit:updated`, `units:positions`), in any order: a position never
 * moves a unit back in time and an entry never replaces a newer one (by `seq`), so a read that
 * finishes after live messages cannot undo them. Snapshots for `useSyncExternalStore`.
 */
import type { Unit, UnitCollection, UnitPosition, UnitUpdatedEvent } from '#contract/index.ts';

/** A unit as the map draws it: where it last was (`null` before its first report). */
export interface UnitDot {
  unit: Unit;
  position: { lon: number; lat: number; atMs: number } | null;
}

export interface UnitSnapshot {
  /**
   * Every unit, in the order first seen. The same array (changed in place) until a unit is added,
   * so a deck.gl layer keeps its data and recomputes only what the versions below say changed.
   */
  units: readonly UnitDot[];
  /** Bumped when a register entry (status, kind) changes: colours and icons are recomputed. */
  registerVersion: number;
  /** Bumped when a position changes: only positions are recomputed. */
  positionVersion: number;
  loaded: boolean;
}

export class UnitStore {
  private readonly indexById = new Map<string, number>();
  private list: UnitDot[] = [];
  private snapshot: UnitSnapshot = { units: [], registerVersion: 0, positionVersion: 0, loaded: false };
  private readonly listeners = new Set<() => void>();

  /** Takes the register as read; live changes already held win when newer. */
  load(collection: UnitCollection): void {
    let register = false;
    let moved = false;
    for (const f of collection.features) {
      const { position, ...unit } = f.properties;
      register = this.putUnit(unit) || register;
      if (f.geometry && position) moved = this.putPosition(f.id, f.geometry.coordinates[0], f.geometry.coordinates[1], Date.parse(position.at)) || moved;
    }
    this.publish(register, moved, true);
  }

  applyUpdates(events: readonly UnitUpdatedEvent[]): void {
    let register = false;
    for (const { change: _change, ...unit } of events) register = this.putUnit(unit) || register;
    this.publish(register, false, this.snapshot.loaded);
  }

  applyPositions(positions: readonly UnitPosition[]): void {
    let moved = false;
    for (const p of positions) moved = this.putPosition(p.unitId, p.lon, p.lat, Date.parse(p.at)) || moved;
    this.publish(false, moved, this.snapshot.loaded);
  }

  getSnapshot = (): UnitSnapshot => this.snapshot;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private putUnit(unit: Unit): boolean {
    const index = this.indexById.get(unit.id);
    const held = index === undefined ? undefined : this.list[index];
    if (held && held.unit.seq >= unit.seq) return false;
    if (index === undefined) {
      this.indexById.set(unit.id, this.list.length);
      this.list = [...this.list, { unit, position: null }];
    } else this.list[index] = { unit, position: held?.position ?? null };
    return true;
  }

  /** A position for a unit not yet in the register is dropped: its entry (and position) come with the next read. */
  private putPosition(unitId: string, lon: number, lat: number, atMs: number): boolean {
    const index = this.indexById.get(unitId);
    const held = index === undefined ? undefined : this.list[index];
    if (index === undefined || !held || (held.position && held.position.atMs >= atMs)) return false;
    this.list[index] = { unit: held.unit, position: { lon, lat, atMs } };
    return true;
  }

  private publish(register: boolean, moved: boolean, loaded: boolean): void {
    if (!register && !moved && loaded === this.snapshot.loaded) return;
    this.snapshot = {
      units: this.list,
      registerVersion: this.snapshot.registerVersion + (register ? 1 : 0),
      positionVersion: this.snapshot.positionVersion + (moved ? 1 : 0),
      loaded,
    };
    for (const listener of this.listeners) listener();
  }
}

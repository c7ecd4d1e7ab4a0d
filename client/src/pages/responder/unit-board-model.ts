/**
 * The unit status board's order: free units first (they are who can be sent), then those on the
 * way to or at an incident, out of service last; within a status by call sign (numbers in call
 * signs in numeric order), then id.
 */
import type { Unit, UnitStatus } from '#contract/index.ts';

export const BOARD_STATUS_ORDER: readonly UnitStatus[] = ['available', 'returning', 'assigned', 'en_route', 'on_scene', 'out_of_service'];

export interface BoardRow {
  unit: Unit;
  /** The incident its active assignment is on, `null` when it is on none. */
  incidentId: string | null;
}

export interface BoardGroup {
  status: UnitStatus;
  rows: BoardRow[];
}

const collator = new Intl.Collator('zh-CN', { numeric: true });

/** The board's groups, one per status that has units, in `BOARD_STATUS_ORDER`. */
export function unitBoard(units: readonly Unit[], incidentOf: ReadonlyMap<string, string>): BoardGroup[] {
  const byStatus = new Map<UnitStatus, BoardRow[]>();
  for (const unit of units) {
    const rows = byStatus.get(unit.status) ?? [];
    rows.push({ unit, incidentId: incidentOf.get(unit.id) ?? null });
    byStatus.set(unit.status, rows);
  }
  return BOARD_STATUS_ORDER.flatMap((status) => {
    const rows = byStatus.get(status);
    if (!rows) return [];
    rows.sort((a, b) => collator.compare(a.unit.callSign, b.unit.callSign) || (a.unit.id < b.unit.id ? -1 : a.unit.id > b.unit.id ? 1 : 0));
    return [{ status, rows }];
  });
}

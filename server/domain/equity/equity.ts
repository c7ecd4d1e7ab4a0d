/**
 * The whole equity answer of one kind (docs/domain.md §7) from access per cell, and what-if: the same
 * answer for facilities as edited, with every number's change. Pure: the clock is a parameter.
 */
import type { Change, EquityCell, EquityResult, WhatIfAddition, WhatIfResult } from '../../contract/equity.ts';
import { computeAccess, type CellIndex } from './access.ts';
import { findHotspots } from './hotspots.ts';
import { equityIndices, lorenzCurve } from './indices.ts';
import { summariseRegions } from './regions.ts';
import { DEFAULT_SILENT_THRESHOLDS, type AccessOptions, type FacilityPoint, type RegionRef, type SilentThresholds } from './types.ts';

export interface EquityInputs {
  kind: string;
  index: CellIndex;
  /** Facilities of `kind` only. */
  facilities: readonly FacilityPoint[];
  regions: readonly RegionRef[];
  /** Hotline appeals per region code over `thresholds.appealDays`. */
  appeals: ReadonlyMap<string, number>;
  /** Default `DEFAULT_SILENT_THRESHOLDS`. */
  thresholds?: SilentThresholds;
  inputsVersion: number;
  /** True when any input is synthetic (the demo). */
  synthetic: boolean;
}

/**
 * Builds the whole `EquityResult` from an access vector already computed (cell order), so a cache of
 * access vectors can skip the catchment search and redo only these cheap summaries.
 */
export function summariseEquity(inputs: EquityInputs, access: Float64Array, options: AccessOptions, now: Date): EquityResult {
  const { cells } = inputs.index;
  const thresholds = inputs.thresholds ?? DEFAULT_SILENT_THRESHOLDS;
  const indices = equityIndices(access, cells.population);
  const { regions, silentRule } = summariseRegions(cells, access, inputs.regions, inputs.appeals, indices.meanAccess, thresholds);
  const cellAnswers: EquityCell[] = new Array<EquityCell>(cells.ids.length);
  for (let i = 0; i < cells.ids.length; i++) {
    cellAnswers[i] = {
      id: cells.ids[i] as string,
      access: access[i] as number,
      lon: cells.lon[i] as number,
      lat: cells.lat[i] as number,
      population: cells.population[i] as number,
      regionCode: cells.regionCodes[i] ?? null,
    };
  }
  return {
    kind: inputs.kind,
    radius: options.radiusM,
    method: options.method,
    inputsVersion: inputs.inputsVersion,
    computedAt: now.toISOString(),
    synthetic: inputs.synthetic,
    facilities: inputs.facilities.length,
    population: indices.population,
    meanAccess: indices.meanAccess,
    zeroAccessShare: indices.zeroAccessShare,
    gini: indices.gini,
    theil: indices.theil,
    lorenz: lorenzCurve(access, cells.population),
    cells: cellAnswers,
    regions,
    hotspots: findHotspots(cells, access, indices.meanAccess, thresholds),
    silentRule,
  };
}

/** `computeAccess` followed by `summariseEquity`. */
export function computeEquity(inputs: EquityInputs, options: AccessOptions, now: Date): EquityResult {
  return summariseEquity(inputs, computeAccess(inputs.index, inputs.facilities, options), options, now);
}

export interface WhatIfEdits {
  add: WhatIfAddition[];
  /** Ids of existing facilities to leave out. */
  remove: string[];
  /** New capacities of existing facilities. */
  resize: Array<{ id: string; capacity: number }>;
}

/**
 * The facilities as if edited: existing ones in their order, less the removed, with new capacities
 * (a repeated resize: the last wins), then the added ones as `what-if-1`, `what-if-2`, … . An id
 * that is not among the facilities, or one both removed and resized, is an error value whose `path`
 * names the offending field (`remove.0`, `resize.2.id`).
 */
export function applyWhatIf(
  facilities: readonly FacilityPoint[],
  edits: WhatIfEdits,
): { ok: true; facilities: FacilityPoint[] } | { ok: false; message: string; path: string } {
  const known = new Set(facilities.map((f) => f.id));
  const removed = new Set<string>();
  for (const [k, id] of edits.remove.entries()) {
    if (!known.has(id)) return { ok: false, message: `no facility of this kind has id "${id}", so it cannot be removed`, path: `remove.${k}` };
    removed.add(id);
  }
  const capacities = new Map<string, number>();
  for (const [k, { id, capacity }] of edits.resize.entries()) {
    if (!known.has(id)) return { ok: false, message: `no facility of this kind has id "${id}", so it cannot be resized`, path: `resize.${k}.id` };
    if (removed.has(id)) return { ok: false, message: `facility "${id}" is both removed and resized; choose one`, path: `resize.${k}.id` };
    capacities.set(id, capacity);
  }
  const edited: FacilityPoint[] = [];
  for (const f of facilities) {
    if (removed.has(f.id)) continue;
    const capacity = capacities.get(f.id);
    edited.push(capacity === undefined ? { ...f } : { ...f, capacity });
  }
  edits.add.forEach((a, k) => edited.push({ id: `what-if-${k + 1}`, lon: a.lon, lat: a.lat, capacity: a.capacity }));
  return { ok: true, facilities: edited };
}

function change(before: number, after: number): Change {
  return { before, after, delta: after - before };
}

function flagChange(before: boolean, after: boolean): Change<boolean> {
  return { before, after, delta: null };
}

/**
 * Every number's change from `before` to `after`: city indices, the hotspot count, each region
 * (matched by code; a region on one side only is compared with 0 / false), and the cells whose
 * access differs at all (matched by id).
 */
export function diffEquity(before: EquityResult, after: EquityResult): WhatIfResult['changes'] {
  const beforeRegions = new Map(before.regions.map((r) => [r.code, r]));
  const afterCodes = new Set(after.regions.map((r) => r.code));
  const regionPairs = [
    ...after.regions.map((r) => [beforeRegions.get(r.code), r] as const),
    ...before.regions.filter((r) => !afterCodes.has(r.code)).map((r) => [r, undefined] as const),
  ];
  const regions = regionPairs.map(([b, a]) => ({
    code: (a ?? b)?.code ?? '',
    meanAccess: change(b?.meanAccess ?? 0, a?.meanAccess ?? 0),
    zeroAccessShare: change(b?.zeroAccessShare ?? 0, a?.zeroAccessShare ?? 0),
    silent: flagChange(b?.silent ?? false, a?.silent ?? false),
    underserved: flagChange(b?.underserved ?? false, a?.underserved ?? false),
  }));

  const cells: WhatIfResult['changes']['cells'] = [];
  // Both answers usually list the same cells in the same order; the map is only the fallback.
  let beforeById: Map<string, number> | null = null;
  after.cells.forEach((cell, i) => {
    let previous = before.cells[i]?.id === cell.id ? before.cells[i]?.access : undefined;
    if (previous === undefined) {
      beforeById ??= new Map(before.cells.map((c) => [c.id, c.access]));
      previous = beforeById.get(cell.id) ?? 0;
    }
    if (previous !== cell.access) cells.push({ id: cell.id, access: change(previous, cell.access) });
  });

  return {
    gini: change(before.gini, after.gini),
    theil: change(before.theil, after.theil),
    meanAccess: change(before.meanAccess, after.meanAccess),
    zeroAccessShare: change(before.zeroAccessShare, after.zeroAccessShare),
    hotspots: change(before.hotspots.length, after.hotspots.length),
    regions,
    cells,
  };
}

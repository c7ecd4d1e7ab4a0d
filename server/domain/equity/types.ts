/**
 * Inputs of the equity model as the pure domain sees them: columns of numbers for the population
 * (100k cells fit in a few typed arrays that a worker thread can receive without copying), plain
 * objects for facilities. No I/O here; the service (server/services/equity.ts) fills these.
 */
import type { EquityMethod } from '../../contract/equity.ts';

/** Population cells as columns; cell `i` is `ids[i]`, `lon[i]`, `lat[i]`, … */
export interface CellSet {
  ids: string[];
  lon: Float64Array;
  lat: Float64Array;
  population: Float64Array;
  /** Region each cell lies in, `null` outside every region. */
  regionCodes: Array<string | null>;
}

/** A facility of the kind being measured. */
export interface FacilityPoint {
  id: string;
  lon: number;
  lat: number;
  capacity: number;
}

export interface AccessOptions {
  /** Catchment `d0` in metres. */
  radiusM: number;
  method: EquityMethod;
}

/** A region the answer is summarised by. */
export interface RegionRef {
  code: string;
  name: string;
}

/** Thresholds of the silent-demand and underserved flags (docs/domain.md §7.4), returned in `silentRule`. */
export interface SilentThresholds {
  appealDays: number;
  lowAccessShare: number;
  fewAppealsShare: number;
}

export const DEFAULT_SILENT_THRESHOLDS: SilentThresholds = { appealDays: 30, lowAccessShare: 0.5, fewAppealsShare: 0.5 };

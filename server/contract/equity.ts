/**
 * Service equity (docs/domain.md §7): population, facilities, 2SFCA access, equity indices, silent demand
 * and what-if. Shared by server and client.
 */
import { z } from 'zod';
import { Latitude, Longitude, PointGeometry, PolygonGeometry } from './common.ts';

/** Access methods: plain two-step floating catchment, or with Gaussian distance decay on both steps. */
export const EQUITY_METHODS = ['2sfca', 'e2sfca'] as const;
export const EquityMethod = z.enum(EQUITY_METHODS);
export type EquityMethod = z.infer<typeof EquityMethod>;

/** Kinds the demo and the UI know; the API accepts any lower-case slug, as cities count other services too. */
export const FACILITY_KINDS = ['hospital', 'clinic', 'school', 'elderly_care', 'fire_station'] as const;
export type KnownFacilityKind = (typeof FACILITY_KINDS)[number];
export const FacilityKind = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'kind must be a lower-case word such as hospital, school, elderly_care or fire_station');

/** Catchment `d0` in metres per kind when the request names no `radius` (planning norms, rounded). */
export const DEFAULT_RADIUS_M: Readonly<Record<KnownFacilityKind, number>> & { readonly other: number } = {
  hospital: 5000,
  clinic: 1500,
  school: 2000,
  elderly_care: 2000,
  fire_station: 5000,
  other: 3000,
};
export const MIN_RADIUS_M = 100;
export const MAX_RADIUS_M = 100_000;

export function defaultRadiusM(kind: string): number {
  // Own keys only: `kind` comes from a query, and `constructor` would find Object's prototype.
  return Object.hasOwn(DEFAULT_RADIUS_M, kind) ? (DEFAULT_RADIUS_M as Record<string, number>)[kind]! : DEFAULT_RADIUS_M.other;
}

export const FACILITY_KIND_NAMES: Readonly<Record<KnownFacilityKind, { 'zh-CN': string; en: string }>> = {
  hospital: { 'zh-CN': '医院', en: 'Hospitals' },
  clinic: { 'zh-CN': '诊所', en: 'Clinics' },
  school: { 'zh-CN': '学校', en: 'Schools' },
  elderly_care: { 'zh-CN': '养老机构', en: 'Elderly care' },
  fire_station: { 'zh-CN': '消防站', en: 'Fire stations' },
};

// ---------------------------------------------------------------------------------------------
// Inputs

/**
 * One population feature of `PUT /api/v1/population`: a Point (or a grid-cell Polygon, used at its
 * centroid) with `properties.population` residents. `properties.id` names the cell in equity answers;
 * without it the cell is named by its index in the collection.
 */
export const PopulationFeatureInput = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string().min(1).max(100), z.number().int()]).optional(),
  geometry: z.union([PointGeometry, PolygonGeometry]),
  properties: z.looseObject({
    id: z.union([z.string().min(1).max(100), z.number().int()]).optional(),
    population: z.number({ message: 'population must be a number' }).finite().min(0, 'population must be 0 or more'),
  }),
});
export type PopulationFeatureInput = z.infer<typeof PopulationFeatureInput>;

export const PopulationInput = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(PopulationFeatureInput).max(500_000, 'at most 500,000 population features per upload'),
});
export type PopulationInput = z.infer<typeof PopulationInput>;

/** A population cell as served (`GET /api/v1/population`): a Point feature. */
export interface PopulationCellProperties {
  id: string;
  population: number;
  /** Region the cell lies in, `null` outside every region. */
  regionCode: string | null;
  synthetic: boolean;
}

/** One facility of `PUT /api/v1/facilities` or `POST /api/v1/facilities`: a Point. */
export const FacilityFeatureInput = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string().min(1).max(100), z.number().int()]).optional(),
  geometry: PointGeometry,
  properties: z.looseObject({
    id: z.union([z.string().min(1).max(100), z.number().int()]).optional(),
    kind: FacilityKind,
    name: z.string().max(200).optional(),
    capacity: z.number({ message: 'capacity must be a number' }).finite().positive('capacity must be greater than 0'),
  }),
});
export type FacilityFeatureInput = z.infer<typeof FacilityFeatureInput>;

export const FacilitiesInput = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(FacilityFeatureInput).max(100_000, 'at most 100,000 facilities per upload'),
});
export type FacilitiesInput = z.infer<typeof FacilitiesInput>;

export interface FacilityProperties {
  id: string;
  kind: string;
  name: string;
  capacity: number;
  regionCode: string | null;
  synthetic: boolean;
}
export interface FacilityFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Point'; coordinates: [number, number] };
  properties: FacilityProperties;
}
export interface FacilityCollection {
  type: 'FeatureCollection';
  features: FacilityFeature[];
}

// ---------------------------------------------------------------------------------------------
// Queries and answers

/** Query of `GET /api/v1/equity`: `kind` (default hospital), `radius` in metres (default per kind), `method`. */
export const EquityQuery = z.strictObject({
  kind: FacilityKind.default('hospital'),
  radius: z.coerce
    .number({ message: 'radius must be a number of metres' })
    .finite()
    .min(MIN_RADIUS_M, `radius must be at least ${MIN_RADIUS_M} m`)
    .max(MAX_RADIUS_M, `radius must be at most ${MAX_RADIUS_M} m`)
    .optional(),
  method: EquityMethod.default('2sfca'),
});
export type EquityQuery = z.infer<typeof EquityQuery>;

/** Access of one population cell: facility capacity per resident reachable within the catchment. */
export interface EquityCell {
  /** The population feature's `properties.id` (or its index). */
  id: string;
  access: number;
  lon: number;
  lat: number;
  population: number;
  regionCode: string | null;
}

/** Per-region figures (regions are the stored districts). */
export interface EquityRegion {
  code: string;
  name: string;
  /** Residents in the region's cells (the population grid), not the region's census figure. */
  population: number;
  /** Population-weighted mean access of the region's cells; 0 when it has no residents. */
  meanAccess: number;
  /** Share (0–1) of the region's residents living in cells with access 0. */
  zeroAccessShare: number;
  /** Hotline (12345) appeals in the region over the last `silentRule.appealDays` days. */
  appeals: number;
  appealsPer10k: number;
  /** Low access and few appeals: residents who may not reach the hotline at all. */
  silent: boolean;
  /** Low access (below `silentRule.lowAccessShare` × the city's mean), whatever the appeals. */
  underserved: boolean;
}

/** A cluster of low-access cells where many people live. */
export interface EquityHotspot {
  id: string;
  /** Population-weighted centre. */
  lon: number;
  lat: number;
  /** Bounding box of the cells `[minLon, minLat, maxLon, maxLat]`. */
  bbox: [number, number, number, number];
  cells: number;
  population: number;
  meanAccess: number;
  /** Region holding most of its residents. */
  regionCode: string | null;
}

/** The thresholds behind `silent`, `underserved` and hotspots, so the UI can say why. */
export interface SilentRule {
  appealDays: number;
  /** A region or cell is low-access below this share of the city's mean access. */
  lowAccessShare: number;
  /** A region has few appeals below this share of the city's appeals per 10,000 residents. */
  fewAppealsShare: number;
  cityAppealsPer10k: number;
}

export interface EquityResult {
  kind: string;
  radius: number;
  method: EquityMethod;
  /** Increases whenever population, facilities or regions change. */
  inputsVersion: number;
  computedAt: string;
  /** True when any input is synthetic (the demo). */
  synthetic: boolean;
  facilities: number;
  population: number;
  /** μ: population-weighted mean access of the city. */
  meanAccess: number;
  zeroAccessShare: number;
  gini: number;
  theil: number;
  /** Lorenz curve: cumulative population share → cumulative access share, from (0,0) to (1,1), ≤ 201 points. */
  lorenz: Array<[number, number]>;
  cells: EquityCell[];
  regions: EquityRegion[];
  hotspots: EquityHotspot[];
  silentRule: SilentRule;
}

// ---------------------------------------------------------------------------------------------
// What-if

export const WhatIfAddition = z.strictObject({
  lon: Longitude,
  lat: Latitude,
  capacity: z.number({ message: 'capacity must be a number' }).finite().positive('capacity must be greater than 0'),
  name: z.string().max(200).optional(),
});
export type WhatIfAddition = z.infer<typeof WhatIfAddition>;

/** `POST /api/v1/equity/what-if`: hypothetical changes to the facilities of one kind; nothing is stored. */
export const WhatIfInput = z.strictObject({
  kind: FacilityKind.default('hospital'),
  radius: z.number().finite().min(MIN_RADIUS_M).max(MAX_RADIUS_M).optional(),
  method: EquityMethod.default('2sfca'),
  add: z.array(WhatIfAddition).max(1000).default([]),
  /** Ids of existing facilities of this kind to leave out. */
  remove: z.array(z.string().min(1).max(100)).max(10_000).default([]),
  /** New capacities of existing facilities of this kind. */
  resize: z
    .array(z.strictObject({ id: z.string().min(1).max(100), capacity: z.number().finite().positive('capacity must be greater than 0') }))
    .max(10_000)
    .default([]),
});
export type WhatIfInput = z.infer<typeof WhatIfInput>;

export interface Change<T = number> {
  before: T;
  after: T;
  /** `after − before` (numbers only). */
  delta: T extends number ? number : null;
}

export interface WhatIfResult {
  /** The full answer as if the changes were made (same shape as `GET /api/v1/equity`). */
  after: EquityResult;
  changes: {
    gini: Change;
    theil: Change;
    meanAccess: Change;
    zeroAccessShare: Change;
    hotspots: Change;
    regions: Array<{ code: string; meanAccess: Change; zeroAccessShare: Change; silent: Change<boolean>; underserved: Change<boolean> }>;
    /** Only cells whose access changed. */
    cells: Array<{ id: string; access: Change }>;
  };
}

// ---------------------------------------------------------------------------------------------
// Live

/** `equity:updated`: inputs changed and the default view of each kind was recomputed. */
export interface EquityUpdatedEvent {
  seq: number;
  inputsVersion: number;
  /** What changed: `population`, `facilities` or `regions`. */
  reason: 'population' | 'facilities' | 'regions';
  at: string;
  summaries: Array<{ kind: string; radius: number; method: EquityMethod; gini: number; theil: number; meanAccess: number; silentRegions: number }>;
}

/** `GET /api/v1/equity/summary`: the default view's figures of every facility kind, for the inputs of `inputsVersion`. */
export interface EquityDefaultSummaries {
  inputsVersion: number;
  /** When they were computed (ISO). */
  at: string;
  summaries: EquityUpdatedEvent['summaries'];
}

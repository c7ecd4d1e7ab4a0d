/**
 * Land-code parcels (土地码, docs/domain.md §6): the parcel, its lifecycle steps with each department's
 * documents, and what the API and the live stream answer. Shared by server and client.
 */
import { z } from 'zod';
import type { Actor } from './auth.ts';
import { MultiPolygonGeometry, PolygonGeometry } from './common.ts';

/** Lifecycle stages in order; a parcel moves one step at a time, never back. */
export const PARCEL_STAGES = [
  'planned',
  'supplied',
  'planning_permit',
  'construction_permit',
  'completed',
  'registered',
  'supervised',
] as const;
export const ParcelStage = z.enum(PARCEL_STAGES);
export type ParcelStage = z.infer<typeof ParcelStage>;

/** Names of the stages as the departments call them (docs/domain.md §6.3). */
export const STAGE_NAMES: Readonly<Record<ParcelStage, { 'zh-CN': string; en: string }>> = {
  planned: { 'zh-CN': '控规赋码', en: 'Planned (code issued)' },
  supplied: { 'zh-CN': '土地供应（出让/划拨）', en: 'Land supplied (grant / allocation)' },
  planning_permit: { 'zh-CN': '建设工程规划许可', en: 'Planning permit' },
  construction_permit: { 'zh-CN': '施工许可', en: 'Construction permit' },
  completed: { 'zh-CN': '竣工验收', en: 'Completed (acceptance)' },
  registered: { 'zh-CN': '不动产登记', en: 'Registered' },
  supervised: { 'zh-CN': '批后监管', en: 'Post-approval supervision' },
};

/** GB/T 21010 first-level land-use classes. */
export const LAND_USES = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'] as const;
export const LandUse = z.enum(LAND_USES, { message: `landUse must be a GB/T 21010 first-level class: ${LAND_USES.join(', ')}` });
export type LandUse = z.infer<typeof LandUse>;

export const LAND_USE_NAMES: Readonly<Record<LandUse, { 'zh-CN': string; en: string }>> = {
  '01': { 'zh-CN': '耕地', en: 'Cropland' },
  '02': { 'zh-CN': '园地', en: 'Orchards' },
  '03': { 'zh-CN': '林地', en: 'Forest' },
  '04': { 'zh-CN': '草地', en: 'Grassland' },
  '05': { 'zh-CN': '商服用地', en: 'Commercial & services' },
  '06': { 'zh-CN': '工矿仓储用地', en: 'Industrial & storage' },
  '07': { 'zh-CN': '住宅用地', en: 'Residential' },
  '08': { 'zh-CN': '公共管理与公共服务用地', en: 'Public administration & services' },
  '09': { 'zh-CN': '特殊用地', en: 'Special use' },
  '10': { 'zh-CN': '交通运输用地', en: 'Transport' },
  '11': { 'zh-CN': '水域及水利设施用地', en: 'Water & water works' },
  '12': { 'zh-CN': '其他土地', en: 'Other land' },
};

/** A document a department issued at a step (title and number; never personal data). */
export const ParcelDocument = z.strictObject({
  title: z.string().trim().min(1, 'a document needs a title').max(200),
  number: z.string().trim().min(1, 'a document needs its number (文号)').max(100),
  /** ISO 8601 date or date-time. */
  issuedAt: z.string().refine((v) => /^\d{4}-\d{2}-\d{2}/.test(v) && !Number.isNaN(Date.parse(v)), 'issuedAt must be an ISO 8601 date, e.g. 2026-11-23'),
});
export type ParcelDocument = z.infer<typeof ParcelDocument>;

/** Body of `POST /api/v1/parcels/{code}/steps`. */
export const ParcelStepInput = z.strictObject({
  step: ParcelStage,
  department: z.string().trim().min(1, 'department is required').max(100),
  documents: z.array(ParcelDocument).min(1, 'every step needs at least one document').max(50),
  note: z.string().max(2000).optional(),
});
export type ParcelStepInput = z.infer<typeof ParcelStepInput>;

/** One step of a parcel's lifecycle as stored (append-only). */
export interface ParcelStep {
  seq: number;
  step: ParcelStage;
  department: string;
  actor: Actor;
  /** ISO time the step was recorded. */
  at: string;
  documents: ParcelDocument[];
  note: string | null;
}

const ParcelGeometry = z.union([PolygonGeometry, MultiPolygonGeometry]);

const parcelFields = {
  landUse: LandUse,
  /** 6-digit GB/T 2260 code; derived from the geometry when left out. */
  regionCode: z.string().regex(/^\d{6}$/, 'regionCode must be a 6-digit GB/T 2260 code').optional(),
  name: z.string().trim().max(200).optional(),
  address: z.string().trim().max(500).optional(),
  hazardous: z.boolean().optional(),
  /** Who issued the code and the regulatory-plan documents it rests on (the `planned` step). */
  department: z.string().trim().min(1).max(100).optional(),
  documents: z.array(ParcelDocument).max(50).optional(),
};

/**
 * Body of `POST /api/v1/parcels`: a GeoJSON Feature (Polygon or MultiPolygon) with the fields in
 * `properties`, or the same fields beside a `geometry`.
 */
export const ParcelInput = z.union([
  z.strictObject({
    type: z.literal('Feature'),
    id: z.union([z.string(), z.number()]).optional(),
    geometry: ParcelGeometry,
    properties: z.strictObject(parcelFields),
  }),
  z.strictObject({ geometry: ParcelGeometry, ...parcelFields }),
]);
export type ParcelInput = z.infer<typeof ParcelInput>;

/** A parcel as served (GeoJSON Feature `properties`). */
export interface ParcelProperties {
  code: string;
  regionCode: string;
  landUse: LandUse;
  hazardous: boolean;
  stage: ParcelStage;
  name: string;
  address: string | null;
  /** Geodesic area in square metres. */
  areaM2: number;
  /** Representative point `[lon, lat]` (inside the parcel). */
  center: [number, number];
  createdAt: string;
  updatedAt: string;
  /** True for the generated demo parcels. */
  synthetic: boolean;
  /** Event-log seq of its latest change. */
  seq: number;
}

export interface ParcelFeature {
  type: 'Feature';
  id: string;
  geometry: z.infer<typeof ParcelGeometry>;
  properties: ParcelProperties;
}

/** `GET /api/v1/parcels/{code}`: the parcel and its whole history, oldest step first. */
export interface ParcelDetail extends ParcelFeature {
  steps: ParcelStep[];
  /** The step that may come next, or null once supervised. */
  nextStep: ParcelStage | null;
}

export interface ParcelCollection {
  type: 'FeatureCollection';
  features: ParcelFeature[];
  seq: number;
  truncated?: true;
}

/** `GET /api/v1/parcels/{code}/surroundings?radius=`: everything within `radius` m of the parcel's center. */
export interface ParcelSurroundings {
  code: string;
  center: [number, number];
  radius: number;
  facilities: { id: string; kind: string; name: string; distanceM: number; lon: number; lat: number }[];
  incidents: { id: string; title: string; category: string; severity: string; status: string; distanceM: number }[];
  parcels: { code: string; landUse: LandUse; stage: ParcelStage; hazardous: boolean; name: string; distanceM: number }[];
  /** Residents of population cells whose center lies within the radius. */
  population: number;
  populationSource: string | null;
}

/** `parcel:created` */
export interface ParcelCreatedEvent {
  seq: number;
  parcel: ParcelFeature;
}

/** `parcel:stepped` */
export interface ParcelSteppedEvent {
  seq: number;
  code: string;
  from: ParcelStage;
  to: ParcelStage;
  step: ParcelStep;
}

/** `parcels:imported`: a bulk import stored `count` parcels (reload parcel views and tiles). */
export interface ParcelsImportedEvent {
  seq: number;
  count: number;
}

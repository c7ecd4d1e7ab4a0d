/**
 * The units register and live positions (docs/domain.md §13): who responds (fire engines,
 * ambulances, police cars, utility crews, the departments hotline appeals are handed to), what each
 * serves, its status, and where it is. Shared by server and client.
 */
import { z } from 'zod';
import type { Actor } from './auth.ts';
import { Latitude, Longitude } from './common.ts';
import { Category, Instant } from './incidents.ts';

/** What a unit is doing; dispatch moves it through these, an import may set any of them. */
export const UNIT_STATUSES = ['available', 'assigned', 'en_route', 'on_scene', 'returning', 'out_of_service'] as const;
export const UnitStatus = z.enum(UNIT_STATUSES);
export type UnitStatus = z.infer<typeof UnitStatus>;

/** Kinds the demo, the pages and the arrival estimate know; the API takes any lower-case word, as cities have other crews too. */
export const UNIT_KINDS = ['fire_engine', 'ambulance', 'police_car', 'utility_crew', 'department'] as const;
export type KnownUnitKind = (typeof UNIT_KINDS)[number];
export const UnitKind = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'kind must be a lower-case word such as fire_engine, ambulance, police_car, utility_crew or department');

export const UNIT_KIND_NAMES: Readonly<Record<KnownUnitKind, { 'zh-CN': string; en: string }>> = {
  fire_engine: { 'zh-CN': '消防车', en: 'Fire engine' },
  ambulance: { 'zh-CN': '救护车', en: 'Ambulance' },
  police_car: { 'zh-CN': '警车', en: 'Police car' },
  utility_crew: { 'zh-CN': '抢修队', en: 'Utility crew' },
  department: { 'zh-CN': '承办部门', en: 'Department' },
};

export const UNIT_STATUS_NAMES: Readonly<Record<UnitStatus, { 'zh-CN': string; en: string }>> = {
  available: { 'zh-CN': '待命', en: 'Available' },
  assigned: { 'zh-CN': '已派', en: 'Assigned' },
  en_route: { 'zh-CN': '途中', en: 'En route' },
  on_scene: { 'zh-CN': '到场', en: 'On scene' },
  returning: { 'zh-CN': '返回', en: 'Returning' },
  out_of_service: { 'zh-CN': '停用', en: 'Out of service' },
};

/** A unit's id: it appears in paths (`/units/{id}/track`), so no spaces, slashes, `?` or `#`. */
export const UnitId = z
  .string()
  .min(1, 'a unit id must not be empty')
  .max(100)
  .regex(/^[^\s/?#%\\]+$/u, 'a unit id may not hold spaces, slashes, backslashes, %, ? or #');

/** Tracks keep a point when it is at least this long after the unit's previous kept point. */
export const TRACK_INTERVAL_SECONDS = 30;
/** Track points older than this are deleted. */
export const TRACK_RETENTION_DAYS = 7;
/** A report stamped further ahead of the server's clock than this is refused: it would pin the unit until then. */
export const MAX_REPORT_AHEAD_SECONDS = 60;

/**
 * One unit as `PUT /api/v1/units` takes it (an element of the array, or a Feature's properties
 * with the id there or on the Feature). Strict in an array, so a typo (`callsign`) is an error
 * naming it; a Feature's other properties are ignored, so a GeoJSON answer can be sent back.
 */
export const UnitInput = z.strictObject({
  id: UnitId,
  callSign: z.string().trim().min(1, 'callSign must not be empty').max(100),
  kind: UnitKind,
  /** Who runs it (e.g. 消防救援支队, 120 急救中心); `null` or omitted: none named. */
  agency: z.string().trim().min(1).max(200).nullable().optional(),
  /** The facility it is based at (an id from `GET /api/v1/facilities`). */
  stationId: z.string().min(1).max(100).nullable().optional(),
  /** The incident categories it responds to. */
  serves: z.array(Category).min(1, 'serves must name at least one incident category').max(Category.options.length),
  /** Omitted: a new unit is `available`, a known one keeps its status. */
  status: UnitStatus.optional(),
});
export type UnitInput = z.infer<typeof UnitInput>;

/** One unit as stored and served. */
export interface Unit {
  id: string;
  callSign: string;
  kind: string;
  agency: string | null;
  stationId: string | null;
  serves: Category[];
  status: UnitStatus;
  /** When the status last changed (ISO 8601, UTC). */
  statusSince: string;
  /** When the register entry last changed, status included. */
  updatedAt: string;
  /** Position of its latest change in the event log. */
  seq: number;
}

/** A position as stored, served and streamed. `speed` in m/s, `heading` in degrees clockwise from north. */
export interface UnitPosition {
  unitId: string;
  lon: number;
  lat: number;
  /** When the unit was there (the report's own time), ISO 8601 UTC. */
  at: string;
  speed: number | null;
  heading: number | null;
}

/** `GET /api/v1/units`: each unit's register entry and where it last reported (`position`, `null` before the first report). */
export interface UnitProperties extends Unit {
  position: { at: string; speed: number | null; heading: number | null; receivedAt: string } | null;
}
export interface UnitFeature {
  type: 'Feature';
  id: string;
  /** The last reported position; `null` until the unit reports. */
  geometry: { type: 'Point'; coordinates: [number, number] } | null;
  properties: UnitProperties;
}
export interface UnitCollection {
  type: 'FeatureCollection';
  features: UnitFeature[];
  /** Head of the event log when read: resume the stream from here. */
  seq: number;
}

/** Answer of `PUT /api/v1/units`. */
export interface UnitImportResult {
  created: number;
  updated: number;
  unchanged: number;
  /** Seq of the last `unit:updated` written, or the log head when nothing changed. */
  seq: number;
}

/** One report of `POST /api/v1/units/positions`. */
export const PositionReport = z.strictObject({
  unitId: UnitId,
  lon: Longitude,
  lat: Latitude,
  at: Instant,
  speed: z.number().finite().min(0, 'speed must be 0 or more (metres per second)').max(300).nullable().optional(),
  heading: z.number().finite().min(0).max(360, 'heading must lie in [0, 360] degrees').nullable().optional(),
});
export type PositionReport = z.infer<typeof PositionReport>;

/** Answer of `POST /api/v1/units/positions`: good reports are kept, each bad one named by its index. */
export interface PositionBatchResult {
  accepted: number;
  rejected: number;
  /** Accepted reports no newer than the unit's stored position: kept for the track if due, but the unit does not move back. */
  late: number;
  errors: { index: number; unitId?: string; path: string; message: string }[];
}

/** `GET /api/v1/units/{id}/track`: the kept points from `from` to `to`, oldest first. */
export interface UnitTrack {
  type: 'FeatureCollection';
  unitId: string;
  from: string;
  to: string;
  features: { type: 'Feature'; geometry: { type: 'Point'; coordinates: [number, number] }; properties: { at: string; speed: number | null; heading: number | null } }[];
}

/** What changed in a `unit:updated`: a new unit, an edit of its register entry, or a status step. */
export interface UnitChange {
  seq: number;
  at: string;
  actor: Actor;
  action: 'created' | 'edited' | 'status';
  from: UnitStatus | null;
  to: UnitStatus;
  /** For `edited`: the fields that changed. */
  fields?: string[];
  note?: string | null;
}

/** `unit:updated` (logged, layer `units`): the unit as it is now and what changed. */
export interface UnitUpdatedEvent extends Unit {
  change: UnitChange;
}

/**
 * `units:positions` (not logged, layer `units`): the newest position of units that moved, at
 * most one per unit per second per socket.
 */
export interface UnitPositionsEvent {
  positions: UnitPosition[];
}

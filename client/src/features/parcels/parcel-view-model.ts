/**
 * What the parcel drawer shows, worked out from the API's answers: the seven lifecycle stages with
 * their state, every document grouped by the department that issued it, facilities grouped by kind,
 * and areas and distances as planners read them. Pure, so it is tested without a browser.
 */
import { PARCEL_STAGES, type ParcelStage, type ParcelStep, type ParcelSurroundings } from '#contract/index.ts';
import type { Lang } from '../../i18n/i18n.ts';

/** `done`: recorded before the current stage; `current`: the stage the parcel is at (recorded too). */
export type StageState = 'done' | 'current' | 'next' | 'pending';

export interface TimelineRow {
  stage: ParcelStage;
  state: StageState;
  /** The recorded step of this stage, if any. */
  step: ParcelStep | null;
}

/** All seven stages in order, each with its state and recorded step. */
export function timelineRows(stage: ParcelStage, steps: readonly ParcelStep[]): TimelineRow[] {
  const current = PARCEL_STAGES.indexOf(stage);
  const byStage = new Map<ParcelStage, ParcelStep>();
  // History is append-only and one step per stage; should a stage appear twice, the latest wins.
  for (const step of steps) byStage.set(step.step, step);
  return PARCEL_STAGES.map((s, index) => ({
    stage: s,
    state: index < current ? 'done' : index === current ? 'current' : index === current + 1 ? 'next' : 'pending',
    step: byStage.get(s) ?? null,
  }));
}

export interface DepartmentDocument {
  stage: ParcelStage;
  title: string;
  number: string;
  issuedAt: string;
}

export interface DepartmentDocuments {
  department: string;
  documents: DepartmentDocument[];
}

/**
 * Every document of the parcel's history under the department that issued it, departments in the
 * order they first acted, documents in history order: what each department may read of the others'.
 */
export function documentsByDepartment(steps: readonly ParcelStep[]): DepartmentDocuments[] {
  const groups = new Map<string, DepartmentDocument[]>();
  for (const step of steps) {
    const documents = groups.get(step.department) ?? [];
    if (!groups.has(step.department)) groups.set(step.department, documents);
    for (const document of step.documents) documents.push({ stage: step.step, ...document });
  }
  return [...groups].map(([department, documents]) => ({ department, documents }));
}

type Facility = ParcelSurroundings['facilities'][number];

export interface FacilityGroup {
  kind: string;
  /** Nearest first. */
  facilities: Facility[];
}

/** Kinds planners look for first; kinds not listed follow, by name. */
const KIND_ORDER = ['hospital', 'clinic', 'school', 'elderly_care', 'fire_station'];

/** Facilities grouped by kind, nearest first within each kind. */
export function groupFacilities(facilities: readonly Facility[]): FacilityGroup[] {
  const groups = new Map<string, Facility[]>();
  for (const facility of facilities) {
    const list = groups.get(facility.kind) ?? [];
    if (!groups.has(facility.kind)) groups.set(facility.kind, list);
    list.push(facility);
  }
  const rank = (kind: string) => {
    const index = KIND_ORDER.indexOf(kind);
    return index === -1 ? KIND_ORDER.length : index;
  };
  return [...groups]
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map(([kind, list]) => ({ kind, facilities: [...list].sort((a, b) => a.distanceM - b.distanceM) }));
}

/** One mu (亩), the unit Chinese land documents also give: 10,000/15 m². */
export const SQUARE_METRES_PER_MU = 10_000 / 15;

/** `12,346 平方米（18.5 亩）` or `12,346 m² (1.23 ha)`. */
export function formatArea(areaM2: number, lang: Lang): string {
  if (!Number.isFinite(areaM2) || areaM2 < 0) return '—';
  const m2 = Math.round(areaM2).toLocaleString('en');
  if (lang === 'zh-CN') return `${m2} 平方米（${(areaM2 / SQUARE_METRES_PER_MU).toFixed(1)} 亩）`;
  return `${m2} m² (${(areaM2 / 10_000).toFixed(2)} ha)`;
}

/** A straight-line distance: whole metres below 1 km, else km with one decimal. */
export function formatDistance(distanceM: number, lang: Lang): string {
  if (!Number.isFinite(distanceM) || distanceM < 0) return '—';
  const rounded = Math.round(distanceM);
  if (rounded < 1_000) return lang === 'zh-CN' ? `${rounded} 米` : `${rounded} m`;
  const km = (distanceM / 1_000).toFixed(1);
  return lang === 'zh-CN' ? `${km} 公里` : `${km} km`;
}

/** The date part of an ISO date or time as written (`2026-02-01`): a document's date has no time zone. */
export function documentDate(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}/.exec(iso)?.[0] ?? iso;
}

/** `[[west, south], [east, north]]` of a Polygon or MultiPolygon, or `null` when it has no finite point. */
export function geometryBounds(geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown }): [[number, number], [number, number]] | null {
  let west = Infinity, south = Infinity, east = -Infinity, north = -Infinity;
  const polygons = (geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) as number[][][][];
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (const [lon = NaN, lat = NaN] of ring) {
        if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
        west = Math.min(west, lon);
        east = Math.max(east, lon);
        south = Math.min(south, lat);
        north = Math.max(north, lat);
      }
    }
  }
  return Number.isFinite(west) ? [[west, south], [east, north]] : null;
}

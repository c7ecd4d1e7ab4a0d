/**
 * JSON ingest adapter: one incident object, an array of them, a GeoJSON Feature or a
 * FeatureCollection (a USGS earthquake feed imports as it is). Pure: parsed body → drafts + errors.
 *
 * What says a record is a revision, or the end, of one already stored (matched by `source` and
 * `externalId`):
 *
 * | input | draft |
 * |---|---|
 * | object or Feature property `version` (number), `updatedAt` (ISO 8601 with zone, or epoch ms) | `version` = [version, updatedAt ms]; the one not given ranks oldest; neither: unversioned |
 * | object or Feature property `status`: `open`, `closed`, `cancelled` | `sourceStatus`, the same word |
 * | object or Feature property `drill`: `true`, `false` | `drill` |
 * | USGS Feature (properties `mag` and `time`): `updated` (epoch ms) | `version` = [updated], unless `version`/`updatedAt` are given |
 * | USGS `status`: `automatic`, `reviewed` / `deleted` | `sourceStatus` `open` / `cancelled`; `status` stays in `attributes` |
 * | USGS `alert` (PAGER): `green`, `yellow`, `orange`, `red` | `severity` `minor`, `moderate`, `severe`, `extreme` |
 * | USGS event without `alert` | `severity` from `mag` |
 * | `severity` property | `severity`, over `alert` and `mag` |
 *
 * A USGS `status` keeps its USGS meaning (who reviewed the solution), so it is read in USGS's
 * words only and kept under its own name; any other Feature's `status` is ours.
 */
import { z } from 'zod';
import type { ErrorDetail } from '../contract/common.ts';
import { Category, IncidentGeometry, IncidentInput, Instant, Reporter, Severity } from '../contract/incidents.ts';
import { contentId, severityFromMagnitude, severityFromPager, type IncidentDraft, type SourceStatus } from '../domain/incidents/draft.ts';
import { describeIssues } from './zod-errors.ts';

export interface IngestOptions {
  /** `?source=`: names the source of records that carry none. */
  defaultSource?: string;
  /** Time of receipt, epoch ms: the occurrence time of records that give none. */
  nowMs: number;
}

export interface RecordError {
  index: number;
  details: ErrorDetail[];
}

/**
 * A message about earlier records of the same source that is not an incident: a CAP Ack or Error
 * (recorded against what it names), or a Cancel without `<info>` (ends every incident it names).
 */
export interface ParsedNotice {
  index: number;
  kind: 'ack' | 'error' | 'cancel';
  source: string;
  /** The message's own id (CAP `identifier`). */
  externalId: string;
  /** Ids of the same source it names: stored incidents' `externalId`s or aliases. */
  refers: string[];
  version: number[];
  note: string;
  /** Sent as an exercise or test: it never changes a live incident. */
  drill?: boolean;
}

export interface ParsedBatch {
  /** `single` when the body was one record: its error is then the whole request's error. */
  shape: 'single' | 'batch';
  drafts: { index: number; draft: IncidentDraft }[];
  errors: RecordError[];
  /** Messages about earlier records (CAP Ack, Error, Cancel without `<info>`); absent when none. */
  notices?: ParsedNotice[];
}

/**
 * Converts every record, keeping its position: a record becomes a draft or a list of field errors,
 * so one bad record never sinks the others. Shared by all adapters.
 */
export function toBatch<R>(
  records: readonly R[],
  shape: ParsedBatch['shape'],
  convert: (record: R, index: number) => IncidentDraft | ErrorDetail[],
): ParsedBatch {
  const result: ParsedBatch = { shape, drafts: [], errors: [] };
  records.forEach((raw, index) => {
    const out = convert(raw, index);
    if (Array.isArray(out)) result.errors.push({ index, details: out });
    else result.drafts.push({ index, draft: out });
  });
  return result;
}

const toMs = (v: string | number): number => (typeof v === 'number' ? v : Date.parse(v));

/**
 * Stands for a version element the record does not give: `compareVersions` ranks it older than
 * any number, so a record giving only `updatedAt` orders against one giving only `version`.
 */
const NOT_GIVEN = null;

/**
 * A record's version in our own words: `version` first, because a source that numbers its
 * revisions means the number, and a clock may go back; `updatedAt` breaks ties. `undefined`
 * (unversioned, so a repeat is a duplicate) when the record gives neither.
 */
export function recordVersion(version: number | undefined, updatedAtMs: number | undefined): (number | null)[] | undefined {
  if (version === undefined && updatedAtMs === undefined) return undefined;
  return [version ?? NOT_GIVEN, updatedAtMs ?? NOT_GIVEN];
}

/** The optional fields a parser fills, left out when the record is silent, so drafts stay lean. */
export function lifecycleFields(version: (number | null)[] | undefined, sourceStatus: SourceStatus | undefined, drill: boolean | undefined): Partial<IncidentDraft> {
  return {
    ...(version !== undefined ? { version } : {}),
    ...(sourceStatus !== undefined ? { sourceStatus } : {}),
    ...(drill !== undefined ? { drill } : {}),
  };
}

function fromPlain(raw: unknown, options: IngestOptions): IncidentDraft | ErrorDetail[] {
  const parsed = IncidentInput.safeParse(raw);
  if (!parsed.success) return describeIssues(parsed.error);
  const v = parsed.data;
  const lat = v.lat ?? v.latitude;
  const lon = v.lon ?? v.longitude;
  const geometry = v.geometry ?? { type: 'Point' as const, coordinates: [lon as number, lat as number] as [number, number] };
  return {
    source: v.source ?? options.defaultSource ?? 'api',
    externalId: v.externalId !== undefined ? String(v.externalId) : contentId(raw),
    category: v.category ?? 'other',
    severity: v.severity ?? 'unknown',
    geometry,
    occurredAtMs: v.occurredAt !== undefined ? toMs(v.occurredAt) : options.nowMs,
    title: v.title ?? '',
    description: v.description ?? '',
    reporter: v.reporter ?? null,
    attributes: {},
    ...lifecycleFields(recordVersion(v.version, v.updatedAt !== undefined ? toMs(v.updatedAt) : undefined), v.status, v.drill),
  };
}

/** Feature properties we map to fields; everything else is kept in `attributes`. */
const BaseProps = z.looseObject({
  source: z.string().min(1).max(100).optional(),
  externalId: z.union([z.string().min(1).max(200), z.number().int()]).optional(),
  category: Category.optional(),
  severity: Severity.optional(),
  occurredAt: Instant.optional(),
  title: z.string().max(500).nullable().optional(),
  description: z.string().max(10_000).nullable().optional(),
  reporter: Reporter.optional(),
  updatedAt: Instant.optional(),
  version: z.number().finite().optional(),
  drill: z.boolean().optional(),
  // USGS GeoJSON summary format.
  mag: z.number().finite().nullable().optional(),
  time: z.number().int().min(0).nullable().optional(),
  place: z.string().nullable().optional(),
  type: z.string().nullable().optional(),
});
const FeatureProps = BaseProps.extend({
  status: z.enum(['open', 'closed', 'cancelled'], { message: 'must be open, closed or cancelled' }).optional(),
});
/** A USGS event's own words: checked only on a Feature that has `mag` and `time`. */
const QuakeProps = BaseProps.extend({
  status: z.enum(['automatic', 'reviewed', 'deleted'], { message: 'a USGS event status must be automatic, reviewed or deleted' }).nullable().optional(),
  alert: z.enum(['green', 'yellow', 'orange', 'red'], { message: 'a PAGER alert must be green, yellow, orange or red' }).nullable().optional(),
  updated: z.number().int().min(0).max(8.64e15).nullable().optional(),
});
const MAPPED = new Set(['source', 'externalId', 'category', 'severity', 'occurredAt', 'title', 'description', 'reporter', 'time', 'updatedAt', 'version', 'status', 'drill']);
/** A USGS `status` stays in `attributes` under its name, as USGS sends it (see the module comment). */
const QUAKE_MAPPED = new Set([...MAPPED].filter((k) => k !== 'status'));

/** USGS review status → ours: a deleted event has left the USGS catalogue, so it is withdrawn. */
const FROM_USGS_STATUS: Readonly<Record<'automatic' | 'reviewed' | 'deleted', SourceStatus>> = {
  automatic: 'open',
  reviewed: 'open',
  deleted: 'cancelled',
};

const featureOf = <P extends z.ZodType>(properties: P) =>
  z.object({
    type: z.literal('Feature'),
    id: z.union([z.string().min(1), z.number()]).optional().nullable(),
    geometry: IncidentGeometry,
    properties: properties.nullable().optional(),
  });
const FeatureInput = featureOf(FeatureProps);
const QuakeInput = featureOf(QuakeProps);
type ParsedFeature = z.infer<ReturnType<typeof featureOf<typeof BaseProps>>>;

/** A USGS summary-format event, by the two properties every one of them carries. */
function isQuake(raw: Record<string, unknown>): boolean {
  const p = raw.properties;
  return isObject(p) && 'mag' in p && 'time' in p;
}

/** What a Feature's kind decides: USGS events read severity, version and status their own way. */
interface FeatureKind {
  quake: boolean;
  severity: IncidentDraft['severity'];
  /** Used when the properties give no `version` or `updatedAt` of ours. */
  version: number[] | undefined;
  sourceStatus: SourceStatus | undefined;
}

function fromFeature(raw: Record<string, unknown>, options: IngestOptions): IncidentDraft | ErrorDetail[] {
  if (isQuake(raw)) {
    const parsed = QuakeInput.safeParse(raw);
    if (!parsed.success) return describeIssues(parsed.error);
    const p = parsed.data.properties ?? {};
    return featureDraft(raw, parsed.data, options, {
      quake: true,
      severity: severityFromPager(p.alert) ?? severityFromMagnitude(p.mag),
      version: p.updated !== null && p.updated !== undefined ? [p.updated] : undefined,
      sourceStatus: p.status !== null && p.status !== undefined ? FROM_USGS_STATUS[p.status] : undefined,
    });
  }
  const parsed = FeatureInput.safeParse(raw);
  if (!parsed.success) return describeIssues(parsed.error);
  return featureDraft(raw, parsed.data, options, { quake: false, severity: 'unknown', version: undefined, sourceStatus: parsed.data.properties?.status });
}

function featureDraft(raw: unknown, f: ParsedFeature, options: IngestOptions, kind: FeatureKind): IncidentDraft {
  const p = f.properties ?? {};
  const mapped = kind.quake ? QUAKE_MAPPED : MAPPED;
  const attributes = Object.fromEntries(Object.entries(p).filter(([k]) => !mapped.has(k)));
  const occurred = p.occurredAt ?? p.time ?? undefined;
  const id = p.externalId ?? f.id ?? undefined;
  const own = recordVersion(p.version, p.updatedAt !== undefined ? toMs(p.updatedAt) : undefined);
  return {
    source: p.source ?? options.defaultSource ?? (kind.quake ? 'usgs' : 'geojson'),
    externalId: id !== undefined && id !== null ? String(id) : contentId(raw),
    category: p.category ?? (kind.quake ? (p.type === 'earthquake' || p.type == null ? 'earthquake' : 'other') : 'other'),
    severity: p.severity ?? kind.severity,
    geometry: f.geometry,
    occurredAtMs: occurred !== undefined ? toMs(occurred) : options.nowMs,
    title: p.title ?? p.place ?? '',
    description: p.description ?? '',
    reporter: p.reporter ?? null,
    attributes,
    ...lifecycleFields(own ?? kind.version, kind.sourceStatus, p.drill),
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fromRecord(raw: unknown, options: IngestOptions): IncidentDraft | ErrorDetail[] {
  if (!isObject(raw)) return [{ path: '', message: 'each incident must be a JSON object' }];
  return raw.type === 'Feature' ? fromFeature(raw, options) : fromPlain(raw, options);
}

/** Reads a parsed JSON body. Returns `null` when the body is not any accepted shape at all. */
export function parseJsonIncidents(body: unknown, options: IngestOptions): ParsedBatch | ErrorDetail[] {
  let records: unknown[];
  let shape: ParsedBatch['shape'] = 'batch';
  if (Array.isArray(body)) records = body;
  else if (isObject(body) && body.type === 'FeatureCollection') {
    if (!Array.isArray(body.features)) return [{ path: 'features', message: 'a FeatureCollection needs a "features" array' }];
    records = body.features;
  } else if (isObject(body)) {
    records = [body];
    shape = 'single';
  } else {
    return [{ path: '', message: 'expected an incident object, an array, a GeoJSON Feature or a FeatureCollection' }];
  }
  return toBatch(records, shape, (raw) => fromRecord(raw, options));
}

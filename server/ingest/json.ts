/**
 * JSON ingest adapter: one incident object, an array of them, a GeoJSON Feature or a
 * FeatureCollection (a USGS earthquake feed imports as it is). Pure: parsed body → drafts + errors.
 */
import { z } from 'zod';
import type { ErrorDetail } from '../contract/common.ts';
import { Category, IncidentGeometry, IncidentInput, Instant, Reporter, Severity } from '../contract/incidents.ts';
import { contentId, severityFromMagnitude, type IncidentDraft } from '../domain/incidents/draft.ts';
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
  };
}

/** Feature properties we map to fields; everything else is kept in `attributes`. */
const FeatureProps = z.looseObject({
  source: z.string().min(1).max(100).optional(),
  externalId: z.union([z.string().min(1).max(200), z.number().int()]).optional(),
  category: Category.optional(),
  severity: Severity.optional(),
  occurredAt: Instant.optional(),
  title: z.string().max(500).nullable().optional(),
  description: z.string().max(10_000).nullable().optional(),
  reporter: Reporter.optional(),
  // USGS GeoJSON summary format.
  mag: z.number().finite().nullable().optional(),
  time: z.number().int().min(0).nullable().optional(),
  place: z.string().nullable().optional(),
  type: z.string().nullable().optional(),
});
const MAPPED = new Set(['source', 'externalId', 'category', 'severity', 'occurredAt', 'title', 'description', 'reporter', 'time']);

const FeatureInput = z.object({
  type: z.literal('Feature'),
  id: z.union([z.string().min(1), z.number()]).optional().nullable(),
  geometry: IncidentGeometry,
  properties: FeatureProps.nullable().optional(),
});

function fromFeature(raw: unknown, options: IngestOptions): IncidentDraft | ErrorDetail[] {
  const parsed = FeatureInput.safeParse(raw);
  if (!parsed.success) return describeIssues(parsed.error);
  const f = parsed.data;
  const p = f.properties ?? {};
  const isQuake = 'mag' in p && 'time' in p;
  const attributes = Object.fromEntries(Object.entries(p).filter(([k]) => !MAPPED.has(k)));
  const occurred = p.occurredAt ?? p.time ?? undefined;
  const id = p.externalId ?? f.id ?? undefined;
  return {
    source: p.source ?? options.defaultSource ?? (isQuake ? 'usgs' : 'geojson'),
    externalId: id !== undefined && id !== null ? String(id) : contentId(raw),
    category: p.category ?? (isQuake ? (p.type === 'earthquake' || p.type == null ? 'earthquake' : 'other') : 'other'),
    severity: p.severity ?? (isQuake ? severityFromMagnitude(p.mag) : 'unknown'),
    geometry: f.geometry,
    occurredAtMs: occurred !== undefined ? toMs(occurred) : options.nowMs,
    title: p.title ?? p.place ?? '',
    description: p.description ?? '',
    reporter: p.reporter ?? null,
    attributes,
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

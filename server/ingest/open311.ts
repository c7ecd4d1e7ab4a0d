/**
 * Open311 GeoReport v2 ingest adapter: service requests (12345 hotline appeals) become `hotline`
 * incidents. Pure: parsed JSON body → drafts + per-record errors. The XML form (open311-xml.ts)
 * reads each `<request>` into a plain record and converts it here, so both forms follow one set of
 * rules.
 *
 * Only the fields named below are read. Servers add extensions (`device_id`, `account_id`, custom
 * attributes) that may carry personal data, so unknown fields are ignored rather than kept, and
 * `email` is dropped: the reporter is stored as `{name, phone}` only.
 *
 * A request is re-sent as it changes, so each draft carries a version that the store compares with
 * the stored one: `[updated_datetime in ms, status rank]`, where `open` (and any status other than
 * `closed`) ranks 0 and `closed` 1. A later `updated_datetime` wins; without one, the rank decides,
 * so a request first sent open and then closed updates the incident while a stale open copy sent
 * after the closed one does not.
 */
import type { ErrorDetail } from '../contract/common.ts';
import { Instant, type Reporter } from '../contract/incidents.ts';
import { contentId, type IncidentDraft, type SourceStatus } from '../domain/incidents/draft.ts';
import { toBatch, type IngestOptions, type ParsedBatch } from './json.ts';

/** Open311 fields kept in `attributes` (under the same name unless renamed here). */
const ATTRIBUTES: Readonly<Record<string, string>> = {
  service_code: 'service_code',
  status: 'open311Status',
  status_notes: 'status_notes',
  updated_datetime: 'updated_datetime',
  expected_datetime: 'expected_datetime',
  address: 'address',
  address_id: 'address_id',
  zipcode: 'zipcode',
  agency_responsible: 'agency_responsible',
  service_notice: 'service_notice',
  media_url: 'media_url',
};

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * The first element of the version of a request without `updated_datetime`: `compareVersions`
 * ranks null older than any number, so an undated request is older than any dated one and its
 * status rank still counts.
 */
export const UNDATED = null;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: unknown): string => (JSON.stringify(v) ?? String(v)).slice(0, 60);

/** Collects a record's problems so one pass reports every wrong field, not only the first. */
class Reader {
  readonly errors: ErrorDetail[] = [];
  constructor(private readonly record: Readonly<Record<string, unknown>>) {}

  /** Text field: absent, null and "" mean "not given"; numbers are accepted as ids and codes are. */
  text(key: string): string | undefined {
    const value = this.record[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (typeof value !== 'string') {
      // Some fields are read twice (status for the status and as an attribute): say it once.
      if (!this.errors.some((e) => e.path === key)) this.errors.push({ path: key, message: `must be text (got ${describe(value)})` });
      return undefined;
    }
    return value.trim() === '' ? undefined : value.trim();
  }

  /** `lat`/`long`: real Open311 servers send numbers or numeric strings, so both are read. */
  coordinate(key: 'lat' | 'long'): number | undefined {
    const value = this.record[key];
    const label = key === 'lat' ? 'latitude' : 'longitude';
    if (value === undefined || value === null || value === '') {
      this.errors.push({ path: key, message: `the ${label} is missing; a request without lat and long cannot be placed on the map (addresses are not geocoded)` });
      return undefined;
    }
    const n = typeof value === 'number' ? value : typeof value === 'string' && DECIMAL.test(value.trim()) ? Number(value.trim()) : NaN;
    const max = key === 'lat' ? 90 : 180;
    if (!Number.isFinite(n)) this.errors.push({ path: key, message: `the ${label} must be a number in decimal degrees (got ${describe(value)})` });
    else if (Math.abs(n) > max) this.errors.push({ path: key, message: `the ${label} ${n} is outside [-${max}, ${max}]` });
    else return n;
    return undefined;
  }

  instantMs(key: string): number | undefined {
    const value = this.text(key);
    if (value === undefined) return undefined;
    const parsed = Instant.safeParse(value);
    if (parsed.success && typeof parsed.data === 'string') return Date.parse(parsed.data);
    this.errors.push({ path: key, message: `"${value}" is not a date-time with a time zone, e.g. 2026-11-23T08:00:00+08:00` });
    return undefined;
  }
}

/**
 * One service request, as a plain record of its fields (JSON values, or the texts of a `<request>`'s
 * child elements), to a draft or the list of what is wrong with it.
 */
export function open311Draft(record: Readonly<Record<string, unknown>>, options: IngestOptions): IncidentDraft | ErrorDetail[] {
  const read = new Reader(record);
  const lat = read.coordinate('lat');
  const lon = read.coordinate('long');
  if (lat === 0 && lon === 0) {
    // Servers without a geocoder fill in 0,0 (open sea off West Africa); placed there, the request
    // would count against no district and clutter the map.
    read.errors.push(
      { path: 'lat', message: "lat and long are both 0: 0,0 is the placeholder for a request that was not geocoded, not a place; send the request's own lat and long" },
      { path: 'long', message: 'long and lat are both 0, the not-geocoded placeholder' },
    );
  }
  const id = read.text('service_request_id');
  const occurredAtMs = read.instantMs('requested_datetime') ?? options.nowMs;
  const updatedMs = read.instantMs('updated_datetime');
  const status = read.text('status')?.toLowerCase();
  const attributes: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(ATTRIBUTES)) {
    const value = read.text(key);
    if (value !== undefined) attributes[name] = value;
  }
  const parts = [read.text('first_name'), read.text('last_name')].filter((p) => p !== undefined);
  // 张 + 三 is 张三: Chinese names are written without a space between family and given name.
  const name = parts.join(parts.some((p) => /[\u3400-\u9fff]/.test(p)) ? '' : ' ');
  const phone = read.text('phone');
  const title = read.text('service_name') ?? '';
  const description = read.text('description') ?? '';
  if (read.errors.length > 0 || lat === undefined || lon === undefined) return read.errors;
  const reporter: Reporter | null = name || phone ? { ...(name ? { name } : {}), ...(phone ? { phone } : {}) } : null;
  // GeoReport v2 knows `open` and `closed`; anything else a server invents (kept as open311Status)
  // has not closed the request.
  const sourceStatus: SourceStatus | undefined = status === undefined ? undefined : status === 'closed' ? 'closed' : 'open';
  return {
    source: options.defaultSource ?? 'open311',
    // The e-mail address is personal data we never keep, not even inside the content hash.
    externalId: id ?? contentId({ ...record, email: undefined }),
    category: 'hotline',
    // Service names are free text per city (垃圾堆放, 噪音扰民 …): guessing a severity from them would
    // be noise, so appeals stay `unknown` until a dispatcher grades them.
    severity: 'unknown',
    geometry: { type: 'Point', coordinates: [lon, lat] },
    occurredAtMs,
    title,
    description,
    reporter,
    attributes,
    version: [updatedMs ?? UNDATED, sourceStatus === 'closed' ? 1 : 0],
    ...(sourceStatus !== undefined && { sourceStatus }),
  };
}

function toDraft(raw: unknown, options: IngestOptions): IncidentDraft | ErrorDetail[] {
  if (!isObject(raw)) return [{ path: '', message: `each service request must be a JSON object (got ${describe(raw)})` }];
  return open311Draft(raw, options);
}

/**
 * Reads Open311 GeoReport v2 service requests: one object, an array, or `{service_requests: [...]}`.
 * Returns `ErrorDetail[]` when the body is none of these or holds no request at all. `source` is
 * `options.defaultSource` or `open311`; a request without `service_request_id` gets a content hash.
 */
export function parseOpen311Incidents(body: unknown, options: IngestOptions): ParsedBatch | ErrorDetail[] {
  let records: unknown[];
  let shape: ParsedBatch['shape'] = 'batch';
  if (Array.isArray(body)) records = body;
  else if (isObject(body) && 'service_requests' in body) {
    if (!Array.isArray(body.service_requests)) return [{ path: 'service_requests', message: 'must be an array of service requests' }];
    records = body.service_requests;
  } else if (isObject(body)) {
    records = [body];
    shape = 'single';
  } else {
    return [{ path: '', message: 'expected an Open311 service request object, an array of them, or {"service_requests": [...]}' }];
  }
  if (records.length === 0) return [{ path: '', message: 'there are no service requests in the body' }];
  return toBatch(records, shape, (raw) => toDraft(raw, options));
}

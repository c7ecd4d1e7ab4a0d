/** Incidents: geotagged events (emergencies, sensor alarms, 12345 hotline appeals). */
import { z } from 'zod';
import type { Actor } from './auth.ts';
import { Latitude, Longitude, MultiPolygonGeometry, PointGeometry, PolygonGeometry } from './common.ts';
import type { AssignmentStep } from './dispatch.ts';
import type { MeasureTickRecord } from './measures.ts';
import type { IncidentClocks } from './sla.ts';

export const Category = z.enum([
  'fire',
  'flood',
  'traffic',
  'hazmat',
  'public_health',
  'public_security',
  'infrastructure',
  'earthquake',
  'hotline',
  'other',
]);
export type Category = z.infer<typeof Category>;

/** CAP 1.2 severities, lowest first. */
export const Severity = z.enum(['unknown', 'minor', 'moderate', 'severe', 'extreme']);
export type Severity = z.infer<typeof Severity>;

/**
 * `cancelled`: the source withdrew it (a CAP Cancel, a deleted USGS event, a feed record marked
 * cancelled). Terminal like `rejected`, which is an operator's verdict; only a feed sets it.
 */
export const Status = z.enum(['reported', 'acknowledged', 'dispatched', 'resolved', 'rejected', 'cancelled']);
export type Status = z.infer<typeof Status>;

/**
 * Incident geometry: a Point, or a Polygon or MultiPolygon (a CAP area of several shapes) whose
 * centroid is used for region assignment.
 */
export const IncidentGeometry = z.union([PointGeometry, PolygonGeometry, MultiPolygonGeometry]);
export type IncidentGeometry = z.infer<typeof IncidentGeometry>;

/** Who reported it. Personal data: masked for roles that may not read it. */
export const Reporter = z.strictObject({
  name: z.string().max(200).optional(),
  phone: z.string().max(40).optional(),
});
export type Reporter = z.infer<typeof Reporter>;

/** An instant: ISO 8601 text with a time zone, or milliseconds since the epoch (as USGS sends). */
export const Instant = z.union([
  z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with a time zone, e.g. 2026-11-23T08:00:00+08:00' }),
  z.number().int().min(0).max(8.64e15),
]);

/**
 * One incident as a client posts it in JSON (`POST /api/v1/incidents`). Strict: an unknown field is
 * an error naming it, so a typo (`severty`) never silently drops data. Location is either a GeoJSON
 * `geometry` or `lat` + `lon` (or `latitude` + `longitude`).
 */
export const IncidentInput = z
  .strictObject({
    source: z.string().min(1).max(100).optional(),
    externalId: z.union([z.string().min(1).max(200), z.number().int()]).optional(),
    category: Category.optional(),
    severity: Severity.optional(),
    geometry: IncidentGeometry.optional(),
    lat: Latitude.optional(),
    lon: Longitude.optional(),
    latitude: Latitude.optional(),
    longitude: Longitude.optional(),
    occurredAt: Instant.optional(),
    reportedAt: Instant.optional(),
    title: z.string().max(500).optional(),
    description: z.string().max(10_000).optional(),
    reporter: Reporter.optional(),
    /** The record's own version: a later `updatedAt` or a higher `version` updates the stored record. */
    updatedAt: Instant.optional(),
    version: z.number().finite().optional(),
    /** What the source says of it: `closed` resolves it, `cancelled` withdraws it; `open` changes nothing. */
    status: z.enum(['open', 'closed', 'cancelled']).optional(),
    /** An exercise or test: stored and listed on request, never counted. */
    drill: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    const lat = v.lat ?? v.latitude;
    const lon = v.lon ?? v.longitude;
    if (v.geometry === undefined && (lat === undefined || lon === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['geometry'], message: 'a location is required: geometry, or lat and lon' });
    }
  });
export type IncidentInput = z.infer<typeof IncidentInput>;

/** An incident as stored and served; on HTTP it is the `properties` (plus `geometry`) of a Feature. */
export interface Incident {
  id: string;
  source: string;
  externalId: string;
  category: Category;
  severity: Severity;
  status: Status;
  geometry: IncidentGeometry;
  /** ISO 8601, UTC. */
  occurredAt: string;
  /** ISO 8601, UTC: when the server received it. */
  reportedAt: string;
  title: string;
  description: string;
  reporter: Reporter | null;
  /** Region containing the point (or polygon centroid); `null` outside every region. */
  regionCode: string | null;
  /** Position of its latest change in the event log. */
  seq: number;
  /** Properties of the source record that have no field of their own (e.g. USGS `mag`, `place`). */
  attributes: Record<string, unknown>;
  /**
   * An exercise, test, draft or system message (CAP `<status>` other than Actual): stored and listed
   * when asked for, never on the live map's counts, risk, KPIs or the wall.
   */
  drill: boolean;
}

export interface IncidentFeature {
  type: 'Feature';
  id: string;
  geometry: IncidentGeometry;
  /** `clocks`: its accountability clocks now, on `GET /api/v1/incidents/{id}` (docs/domain.md §15). */
  properties: Omit<Incident, 'geometry'> & { clocks?: IncidentClocks };
}

export interface IncidentCollection {
  type: 'FeatureCollection';
  features: IncidentFeature[];
  /** Head of the event log when the answer was read: resume the live stream from here. */
  seq: number;
  /** Present and true when `limit` cut the answer short. */
  truncated?: boolean;
}

/**
 * The workflow: `reported → acknowledged → dispatched → resolved`, and `rejected`
 * (false report, duplicate) from any open state. Resolved and rejected are final.
 */
export const NEXT_STATUSES: Readonly<Record<Status, readonly Status[]>> = {
  reported: ['acknowledged', 'rejected'],
  acknowledged: ['dispatched', 'rejected'],
  dispatched: ['resolved', 'rejected'],
  resolved: [],
  rejected: [],
  cancelled: [],
};

/** Statuses after which nothing changes: the incident is closed. */
export const FINAL_STATUSES: ReadonlySet<Status> = new Set(['resolved', 'rejected', 'cancelled']);

/** Body of `PATCH /api/v1/incidents/{id}`. `cancelled` is the source's word, not an operator's. */
export const IncidentPatch = z.strictObject({
  status: Status.exclude(['cancelled']),
  note: z.string().max(2000).optional(),
});
export type IncidentPatch = z.infer<typeof IncidentPatch>;

/**
 * One audited change of an incident: its creation (`from: null`), a status step, a source's
 * update (`fields` names what it changed; `from` = `to` when the status stayed), or a measure
 * ticked on its checklist (`measure`; `from` = `to`), or a step of a unit's assignment (`assignment`; `from` = `to`).
 */
export interface IncidentChange {
  seq: number;
  /** ISO 8601, UTC. */
  at: string;
  actor: Actor;
  from: Status | null;
  to: Status;
  note: string | null;
  /** A source's update: the fields it changed (e.g. `severity`, `geometry`, `status`). */
  fields?: string[];
  /** A responder ticked (or unticked) a measure of the checklist (`from` = `to`: the status stayed). */
  measure?: MeasureTickRecord;
  /**
   * A step of a unit's assignment to it (`from` = `to`: the incident's status stayed); a status
   * change the step caused follows as its own entry, with the same actor and time.
   */
  assignment?: AssignmentStep;
}

/** Answer of `GET /api/v1/incidents/{id}/history`: every change, oldest first. */
export interface IncidentHistory {
  id: string;
  items: IncidentChange[];
}

/** Query of `GET /api/v1/incidents`. */
export const IncidentQuery = z.strictObject({
  bbox: z.string().optional(),
  status: z.string().optional(),
  category: z.string().optional(),
  since: Instant.or(z.string()).optional(),
  limit: z.coerce.number().int().min(1).max(100_000).optional(),
  /** `csv`: the same list as a spreadsheet (UTF-8 with BOM), masked by role like the GeoJSON. */
  format: z.enum(['geojson', 'csv']).optional(),
  /** Exercises and tests are left out unless asked for: `include` adds them, `only` lists nothing else. */
  drill: z.enum(['exclude', 'include', 'only']).optional(),
});

/**
 * What a record did: `created` a new incident, `updated` a stored one (its version is newer), or
 * nothing (`duplicate`: the same or an older version of a stored record).
 */
export type IngestOutcome = 'created' | 'updated' | 'duplicate';

/** One stored (or already present) record of an ingest batch. */
export interface IngestItem {
  /** Position of the record in the input. */
  index: number;
  id: string;
  seq: number;
  regionCode: string | null;
  outcome: IngestOutcome;
  /** `true` when the record changed nothing (`outcome` is `duplicate`). */
  duplicate: boolean;
}

/**
 * A message about earlier records that is not an incident itself: a CAP Ack or Error, or a Cancel
 * without `<info>`. Recorded against the incidents it names.
 */
export interface IngestNotice {
  index: number;
  kind: 'ack' | 'error' | 'cancel';
  /** The incidents it names that are stored (a Cancel ends each one still open). */
  incidentIds: string[];
}

/** Answer of `POST /api/v1/incidents`. */
export interface IngestResult {
  /** Records that created an incident. */
  accepted: number;
  /** Records that updated a stored incident. */
  updated: number;
  duplicates: number;
  rejected: number;
  items: IngestItem[];
  /** Messages about earlier records (CAP Ack, Error, Cancel without `<info>`); absent when none. */
  notices?: IngestNotice[];
  errors: { index: number; message: string; path?: string }[];
}

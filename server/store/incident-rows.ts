/**
 * Incident rows as the database returns them, their mapping to the contract's `Incident`, and an
 * incident as handed to the store to be written.
 */
import type { Incident, IncidentGeometry, Reporter, Status } from '../contract/incidents.ts';
import type { SourceStatus } from '../domain/incidents/draft.ts';

export interface IncidentRow {
  id: string;
  source: string;
  external_id: string;
  category: Incident['category'];
  severity: Incident['severity'];
  status: Status;
  geometry: IncidentGeometry;
  occurred_at: Date | string;
  reported_at: Date | string;
  title: string;
  description: string;
  reporter: Reporter | null;
  region_code: string | null;
  seq: number | string;
  attributes: Record<string, unknown>;
  drill: boolean;
  version: (number | null)[];
  lon: number;
  lat: number;
}

const iso = (v: Date | string): string => new Date(v).toISOString();

export function fromRow(r: IncidentRow): Incident {
  return {
    id: r.id,
    source: r.source,
    externalId: r.external_id,
    category: r.category,
    severity: r.severity,
    status: r.status,
    geometry: r.geometry,
    occurredAt: iso(r.occurred_at),
    reportedAt: iso(r.reported_at),
    title: r.title,
    description: r.description,
    reporter: r.reporter,
    regionCode: r.region_code,
    seq: Number(r.seq),
    attributes: r.attributes ?? {},
    drill: r.drill === true,
  };
}

/** An incident ready to store: everything but its `seq`, plus the point used for queries. */
export interface NewIncident extends Omit<Incident, 'seq'> {
  lon: number;
  lat: number;
  /** The source record's version (see `compareVersions`); absent: unversioned. */
  version?: (number | null)[];
  /** What the source says of it; `status` is the status it gets when it is created. */
  sourceStatus?: SourceStatus;
  /** Ids of the same source that this record updates, besides its own `externalId`. */
  refers?: readonly string[];
  /** More ids of the same source by which later records may name this one. */
  aliases?: readonly string[];
}

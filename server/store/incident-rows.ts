/** Incident rows as the database returns them, and their mapping to the contract's `Incident`. */
import type { Incident, IncidentGeometry, Reporter, Status } from '../contract/incidents.ts';

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

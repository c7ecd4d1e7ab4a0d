/**
 * `GET /api/v1/incidents/{id}/nearby?radius=m`: what a responder needs around an incident — the
 * nearest fire stations and hospitals (straight-line distance, no routing), residents, parcels
 * (hazardous first) and other open incidents within the affected radius.
 */
import type { LandUse, ParcelStage } from './parcels.ts';

/** Default affected radius in metres. */
export const NEARBY_DEFAULT_RADIUS_M = 1_000;
/** Largest affected radius in metres: beyond it the answer stops being about one incident. */
export const NEARBY_MAX_RADIUS_M = 10_000;
/** How many fire stations and how many hospitals are listed, nearest first. */
export const NEARBY_FACILITY_COUNT = 3;

/** A facility with its great-circle ("straight line") distance from the incident. */
export interface NearbyFacility {
  id: string;
  name: string;
  kind: string;
  lon: number;
  lat: number;
  /** Straight-line (haversine) distance in metres; not a route. */
  distanceM: number;
}

export interface IncidentNearby {
  id: string;
  /** The incident's point `[lon, lat]` (a polygon's centroid). */
  center: [number, number];
  /** Affected radius in metres. */
  radius: number;
  /** Nearest fire stations, nearest first, wherever they are (not limited to the radius). */
  fireStations: NearbyFacility[];
  /** Nearest hospitals, nearest first, wherever they are. */
  hospitals: NearbyFacility[];
  /** Residents of population cells whose center lies within the radius. */
  residents: number;
  /** `synthetic` when any counted cell is synthetic, `population cells` otherwise, null when none. */
  populationSource: string | null;
  /** Parcels within the radius: hazardous ones first, then nearest first. */
  parcels: { code: string; landUse: LandUse; stage: ParcelStage; hazardous: boolean; name: string; distanceM: number }[];
  /** Other open incidents within the radius, nearest first. */
  incidents: { id: string; title: string; category: string; severity: string; status: string; distanceM: number }[];
}

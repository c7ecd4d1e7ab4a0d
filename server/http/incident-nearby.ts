/** `GET /api/v1/incidents/{id}/nearby?radius=m`: resources and exposure around one incident. */
import { Router } from 'express';
import {
  NEARBY_DEFAULT_RADIUS_M,
  NEARBY_FACILITY_COUNT,
  NEARBY_MAX_RADIUS_M,
  type IncidentNearby,
  type NearbyFacility,
} from '../contract/incident-nearby.ts';
import { nearestPoints } from '../domain/spatial/nearest.ts';
import { representativePoint } from '../contract/representative-point.ts';
import { surroundingsAt } from '../services/parcels.ts';
import type { Database } from '../store/database.ts';
import { getIncident } from '../store/incident-queries.ts';
import { maskNumbersInText } from '../domain/incidents/masking.ts';
import { callerCan, requireCapability } from './auth.ts';
import { ApiError } from './errors.ts';

function radiusParam(raw: unknown): number {
  if (raw === undefined) return NEARBY_DEFAULT_RADIUS_M;
  const radius = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(radius) || radius <= 0 || radius > NEARBY_MAX_RADIUS_M) {
    const message = `radius must be a number of metres greater than 0 and at most ${NEARBY_MAX_RADIUS_M}`;
    throw new ApiError('invalid_query', message, [{ path: 'radius', message }]);
  }
  return radius;
}

export function incidentNearbyRouter(deps: { db: Database }): Router {
  const router = Router();
  router.get('/:id/nearby', requireCapability('city:read'), async (req, res) => {
    const radius = radiusParam(req.query.radius);
    const id = String(req.params.id);
    const incident = await getIncident(deps.db, id);
    if (!incident) throw new ApiError('not_found', `no incident with id ${id}`);
    const center = representativePoint(incident.geometry);
    // Facilities of two kinds are few: all of them are read and the nearest picked in JS.
    const facilities = await deps.db.query<Omit<NearbyFacility, 'distanceM'>>(
      `SELECT id, name, kind, lon, lat FROM facilities WHERE kind = ANY($1::text[]) ORDER BY ord, id`,
      [['fire_station', 'hospital']],
    );
    const ofKind = (kind: string) => nearestPoints(center, facilities.filter((f) => f.kind === kind), NEARBY_FACILITY_COUNT);
    const around = await surroundingsAt(deps.db, center, radius, null);
    const personal = callerCan(req, 'personal-data:read');
    const answer: IncidentNearby = {
      id,
      center,
      radius,
      fireStations: ofKind('fire_station'),
      hospitals: ofKind('hospital'),
      residents: around.population,
      populationSource: around.populationSource,
      // A responder must see the chemical store before the car park: hazardous first, then by distance.
      parcels: [...around.parcels].sort((a, b) => Number(b.hazardous) - Number(a.hazardous) || a.distanceM - b.distanceM),
      // Titles are free text: a 12345 caller's number dictated into one is masked for roles without personal data.
      incidents: around.incidents.filter((i) => i.id !== id).map((i) => (personal ? i : { ...i, title: maskNumbersInText(i.title) })),
    };
    res.json(answer);
  });
  return router;
}

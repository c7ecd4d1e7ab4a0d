/**
 * `/api/v1/incidents/{id}/measures`: the checklist of what the incident's district requires at its
 * level now (docs/domain.md §16.3), and ticking one measure, which is recorded like a status step.
 */
import express, { Router } from 'express';
import type { Incident } from '../contract/incidents.ts';
import { MeasureTickBody, type IncidentChecklist, type MeasureTickResult } from '../contract/measures.ts';
import type { RiskLevel } from '../contract/risk.ts';
import { checklist } from '../domain/measures/measures.ts';
import { describeIssues, oneLine } from '../ingest/zod-errors.ts';
import type { IncidentService } from '../services/incidents.ts';
import type { MeasuresService } from '../services/measures.ts';
import type { RiskService } from '../services/risk.ts';
import type { Database } from '../store/database.ts';
import { getIncident } from '../store/incident-queries.ts';
import { measureTicks } from '../store/measures.ts';
import { actorOf, requireCapability } from './auth.ts';
import { ApiError } from './errors.ts';

export interface IncidentMeasuresDeps {
  db: Database;
  incidents: IncidentService;
  measures: MeasuresService;
  risk: RiskService;
  clock: () => number;
}

export function incidentMeasuresRouter(deps: IncidentMeasuresDeps): Router {
  const router = Router();

  /** Each district's level now (a district not rated yet has none, and so no measures). */
  async function levels(): Promise<Map<string, RiskLevel>> {
    return new Map((await deps.risk.snapshot()).regions.map((r) => [r.code, r.level]));
  }

  async function checklistOf(incident: Incident, levelByCode: ReadonlyMap<string, RiskLevel>): Promise<IncidentChecklist> {
    const level = incident.regionCode === null ? null : (levelByCode.get(incident.regionCode) ?? null);
    const inForce = level === null ? [] : deps.measures.forIncident(level, incident.category);
    return {
      id: incident.id,
      regionCode: incident.regionCode,
      level,
      measuresVersion: deps.measures.config().config.version,
      seq: incident.seq,
      items: checklist(inForce, await measureTicks(deps.db, incident.id)),
    };
  }

  async function found(id: string): Promise<Incident> {
    const incident = await getIncident(deps.db, id);
    if (!incident) throw new ApiError('not_found', `no incident with id ${id}`);
    return incident;
  }

  router.get('/:id/measures', requireCapability('city:read'), async (req, res) => {
    const incident = await found(String(req.params.id));
    res.json(await checklistOf(incident, await levels()));
  });

  router.post('/:id/measures/:measureId', requireCapability('incidents:write'), express.json({ limit: '64kb' }), async (req, res) => {
    const id = String(req.params.id);
    const measureId = String(req.params.measureId);
    if (req.body === undefined) throw new ApiError('invalid_body', 'the request body is empty; send {"done": true} to tick the measure, {"done": false} to untick it');
    const parsed = MeasureTickBody.safeParse(req.body);
    if (!parsed.success) {
      const details = describeIssues(parsed.error);
      throw new ApiError('invalid_body', oneLine(details), details);
    }
    const levelByCode = await levels();
    const outcome = await deps.incidents.tickMeasure({
      id,
      measureId,
      done: parsed.data.done,
      actor: actorOf(req),
      atMs: deps.clock(),
      inForce: (incident) => {
        if (incident.regionCode === null) return { refused: `incident ${id} lies outside every district: no measures are in force for it` };
        const level = levelByCode.get(incident.regionCode);
        if (level === undefined) return { refused: `district ${incident.regionCode} of incident ${id} has no risk level yet: no measures are in force for it` };
        return deps.measures.forIncident(level, incident.category);
      },
    });
    if (outcome.kind === 'not_found') throw new ApiError('not_found', `no incident with id ${id}`);
    if (outcome.kind === 'refused') throw new ApiError('conflict', outcome.message, [{ path: 'measureId', message: outcome.message }]);
    const incident = await found(id);
    res.json({ changed: outcome.kind === 'changed', checklist: await checklistOf(incident, levelByCode) } satisfies MeasureTickResult);
  });

  return router;
}

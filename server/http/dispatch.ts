/**
 * Dispatch over HTTP: `/api/v1/incidents/{id}/assignments` and `/recommend` (mounted on the
 * incidents path), and `/api/v1/assignments` for the steps each unit answers.
 */
import express, { Router, type Request } from 'express';
import type { z } from 'zod';
import { can } from '../contract/auth.ts';
import { API_PREFIX } from '../contract/common.ts';
import { AssignmentCreate, AssignmentPatch, AssignmentQuery, type AssignmentList } from '../contract/dispatch.ts';
import { assignmentForRole } from '../domain/dispatch/masking.ts';
import { describeIssues, oneLine } from '../ingest/zod-errors.ts';
import type { DispatchService } from '../services/dispatch.ts';
import { getAssignment, listAssignments } from '../store/assignment-queries.ts';
import type { Sql } from '../store/database.ts';
import { getIncident } from '../store/incident-queries.ts';
import { actorOf, requireCapability } from './auth.ts';
import { ApiError } from './errors.ts';

export interface DispatchDeps {
  db: Sql;
  dispatch: DispatchService;
  clock: () => number;
}

function parseBody<T extends z.ZodType>(schema: T, body: unknown, example: string): z.infer<T> {
  if (body === undefined) throw new ApiError('invalid_body', `the request body is empty; send ${example}`);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const details = describeIssues(parsed.error);
    throw new ApiError('invalid_body', oneLine(details), details);
  }
  return parsed.data;
}

const roleOf = (req: Request) => req.principal?.role ?? 'viewer';

/** Routes under `/api/v1/incidents/{id}`: its assignments and the ranked free units. */
export function incidentDispatchRouter(deps: DispatchDeps): Router {
  const router = Router();

  router.post('/:id/assignments', requireCapability('dispatch:write'), express.json({ limit: '64kb' }), async (req, res) => {
    const incidentId = String(req.params.id);
    const body = parseBody(AssignmentCreate, req.body, '{"unitId": "…"} or {"agency": "…"}');
    const outcome = await deps.dispatch.assign({ incidentId, ...body, note: body.note ?? null, actor: actorOf(req), atMs: deps.clock() });
    switch (outcome.kind) {
      case 'created':
        res.status(201).location(`${API_PREFIX}/assignments/${outcome.assignment.id}`).json(assignmentForRole(outcome.assignment, roleOf(req)));
        return;
      case 'incident_not_found':
        throw new ApiError('not_found', `no incident with id ${incidentId}`);
      case 'unit_not_found':
        throw new ApiError('not_found', `no unit with id ${body.unitId} in the units register`, [{ path: 'unitId', message: 'unknown unit' }]);
      case 'agency_not_found':
        throw new ApiError('not_found', `no unit of agency ${body.agency} in the units register`, [{ path: 'agency', message: 'unknown agency' }]);
      case 'conflict':
        throw new ApiError('conflict', outcome.message, [{ path: outcome.path === 'unitId' && body.agency !== undefined ? 'agency' : outcome.path, message: outcome.message }]);
    }
  });

  router.get('/:id/assignments', requireCapability('city:read'), async (req, res) => {
    const incidentId = String(req.params.id);
    if (!(await getIncident(deps.db, incidentId))) throw new ApiError('not_found', `no incident with id ${incidentId}`);
    const items = await listAssignments(deps.db, { incidentIds: [incidentId] });
    res.json({ incidentId, items: items.map((a) => assignmentForRole(a, roleOf(req))) } satisfies AssignmentList);
  });

  router.get('/:id/recommend', requireCapability('city:read'), async (req, res) => {
    const incidentId = String(req.params.id);
    const answer = await deps.dispatch.recommend(incidentId);
    if (!answer) throw new ApiError('not_found', `no incident with id ${incidentId}`);
    res.json(answer);
  });

  return router;
}

/** `/api/v1/assignments`: a unit's open work, one assignment, and its next step. */
export function assignmentsRouter(deps: DispatchDeps): Router {
  const router = Router();

  router.get('/', requireCapability('city:read'), async (req, res) => {
    const query = AssignmentQuery.safeParse(req.query);
    if (!query.success) {
      const details = describeIssues(query.error);
      throw new ApiError('invalid_query', oneLine(details), details);
    }
    const { unitId, state = 'active', limit = 1000 } = query.data;
    const items = await listAssignments(deps.db, { ...(unitId !== undefined && { unitId }), activeOnly: state === 'active', limit });
    res.json({ items: items.map((a) => assignmentForRole(a, roleOf(req))) });
  });

  router.get('/:id', requireCapability('city:read'), async (req, res) => {
    const assignment = await getAssignment(deps.db, String(req.params.id));
    if (!assignment) throw new ApiError('not_found', `no assignment with id ${req.params.id}`);
    res.json(assignmentForRole(assignment, roleOf(req)));
  });

  // Signed in is enough to reach the step: whether this caller may answer for this unit depends on
  // the assignment (a token bound to its unit, or a dispatcher), which the service decides.
  router.patch('/:id', requireCapability('city:read'), express.json({ limit: '64kb' }), async (req, res) => {
    const id = String(req.params.id);
    const body = parseBody(AssignmentPatch, req.body, '{"status": "accepted"}');
    const principal = req.principal!;
    const outcome = await deps.dispatch.step({
      id,
      to: body.status,
      disposition: body.disposition ?? null,
      note: body.note ?? null,
      caller: { unitId: principal.unitId, mayDispatch: can(principal.role, 'dispatch:write') },
      actor: actorOf(req),
      atMs: deps.clock(),
    });
    switch (outcome.kind) {
      case 'stepped':
        res.json(assignmentForRole(outcome.assignment, roleOf(req)));
        return;
      case 'not_found':
        throw new ApiError('not_found', `no assignment with id ${id}`);
      case 'forbidden':
        throw new ApiError('forbidden', outcome.message);
      case 'conflict':
        throw new ApiError('conflict', outcome.message, [{ path: 'status', message: outcome.message }]);
    }
  });

  return router;
}

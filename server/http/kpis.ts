/** `/api/v1/kpis`: accountability KPIs of a period, per region, category, agency or unit. */
import { Router } from 'express';
import { KpiGroupBy } from '../contract/sla.ts';
import type { SlaService } from '../services/sla.ts';
import { requireCapability } from './auth.ts';
import { ApiError } from './errors.ts';
import { instantParam } from './query-params.ts';

const DAY_MS = 86_400_000;
/** One request reads at most a year of incidents. */
export const MAX_KPI_DAYS = 366;

export function kpisRouter(deps: { sla: SlaService; clock: () => number }): Router {
  const router = Router();

  router.get('/', requireCapability('city:read'), async (req, res) => {
    const to = instantParam(req, 'to') ?? deps.clock();
    const from = instantParam(req, 'from') ?? to - 7 * DAY_MS;
    if (!(from < to)) throw new ApiError('invalid_query', 'from must be before to', [{ path: 'from', message: 'not before to' }]);
    if (to - from > MAX_KPI_DAYS * DAY_MS) throw new ApiError('invalid_query', `ask for at most ${MAX_KPI_DAYS} days at once`, [{ path: 'from', message: 'range too long' }]);
    const rawGroupBy = req.query.groupBy ?? 'region';
    const groupBy = KpiGroupBy.safeParse(rawGroupBy);
    if (!groupBy.success) {
      throw new ApiError('invalid_query', `groupBy must be one of ${KpiGroupBy.options.join(', ')}, not "${String(rawGroupBy)}"`, [
        { path: 'groupBy', message: `one of ${KpiGroupBy.options.join(', ')}` },
      ]);
    }
    res.json(await deps.sla.kpis({ fromMs: from, toMs: to, groupBy: groupBy.data }));
  });

  return router;
}

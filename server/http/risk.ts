/** `/api/v1/risk`: the five-colour map now or at a past time, its history, the daily bulletin, the config. */
import express, { Router } from 'express';
import { RiskConfigUpdate } from '../contract/risk.ts';
import { isCalendarDate, localDate } from '../domain/time/zoned-day.ts';
import { describeIssues, oneLine } from '../ingest/zod-errors.ts';
import { MAX_HISTORY_DAYS, type RiskService } from '../services/risk.ts';
import { actorOf, requireCapability } from './auth.ts';
import { ApiError } from './errors.ts';
import { instantParam } from './query-params.ts';
import { bulletinHtml, type BulletinLang } from './risk-bulletin-html.ts';

const DAY_MS = 86_400_000;

function notInFuture(ms: number, nowMs: number, name: string): void {
  if (ms > nowMs) throw new ApiError('invalid_query', `${name} is in the future; risk history ends now (${new Date(nowMs).toISOString()})`, [{ path: name, message: 'in the future' }]);
}

export function riskRouter(deps: { risk: RiskService; clock: () => number; timeZone: string }): Router {
  const router = Router();

  router.get('/', requireCapability('city:read'), async (req, res) => {
    const at = instantParam(req, 'at');
    if (at === undefined) {
      res.json(await deps.risk.snapshot());
      return;
    }
    notInFuture(at, deps.clock(), 'at');
    res.json(await deps.risk.snapshotAt(at));
  });

  router.get('/history', requireCapability('city:read'), async (req, res) => {
    const nowMs = deps.clock();
    const to = instantParam(req, 'to') ?? nowMs;
    const from = instantParam(req, 'from') ?? to - 7 * DAY_MS;
    if (from > to) throw new ApiError('invalid_query', 'from must be before to', [{ path: 'from', message: 'after to' }]);
    if (to - from > MAX_HISTORY_DAYS * DAY_MS) {
      throw new ApiError('invalid_query', `ask for at most ${MAX_HISTORY_DAYS} days of history at once`, [{ path: 'from', message: 'range too long' }]);
    }
    res.json(await deps.risk.history(from, Math.min(to, nowMs)));
  });

  router.get('/bulletin', requireCapability('city:read'), async (req, res) => {
    const raw = req.query.date;
    const date = raw === undefined ? localDate(deps.clock(), deps.timeZone) : raw;
    if (typeof date !== 'string' || !isCalendarDate(date)) {
      throw new ApiError('invalid_query', `date must be a calendar date YYYY-MM-DD (the centre's local day, ${deps.timeZone}), not "${String(raw)}"`, [
        { path: 'date', message: 'invalid date' },
      ]);
    }
    const bulletin = await deps.risk.bulletin(date);
    const format = req.query.format;
    const wantsHtml = format === 'html' || (format === undefined && req.accepts(['json', 'html']) === 'html');
    if (format !== undefined && format !== 'html' && format !== 'json') {
      throw new ApiError('invalid_query', 'format must be "json" or "html"', [{ path: 'format', message: 'unknown format' }]);
    }
    if (!wantsHtml) {
      res.json(bulletin);
      return;
    }
    const lang: BulletinLang = req.query.lang === 'en' ? 'en' : 'zh-CN';
    res.type('html').send(bulletinHtml(bulletin, lang, deps.risk.syntheticPopulation()));
  });

  router.get('/config', requireCapability('city:read'), (_req, res) => {
    res.json(deps.risk.config());
  });

  router.put('/config', requireCapability('risk-config:write'), express.json({ limit: '64kb' }), async (req, res) => {
    if (req.body === undefined) throw new ApiError('invalid_body', 'the request body is empty; send the whole risk config as JSON (GET /api/v1/risk/config shows the current one)');
    const parsed = RiskConfigUpdate.safeParse(req.body);
    if (!parsed.success) {
      const details = describeIssues(parsed.error);
      throw new ApiError('invalid_body', `the risk config is not valid: ${oneLine(details.slice(0, 3))}`, details);
    }
    // A version left out is the next one, decided where saves queue (the store), not read here first.
    const outcome = await deps.risk.saveConfig(parsed.data, actorOf(req));
    if (!outcome.ok) {
      const message = `the risk config changed meanwhile: the current version is ${outcome.currentVersion}, so a new one must be ${outcome.currentVersion + 1} (reload it and apply your change again)`;
      throw new ApiError('conflict', message, [{ path: 'version', message }]);
    }
    res.json({ ...outcome.record, seq: outcome.seq, changes: outcome.changes });
  });

  return router;
}


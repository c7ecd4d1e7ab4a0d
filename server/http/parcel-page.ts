/**
 * `/p/{code}`: the public page a parcel's QR code points to (docs/domain.md §6.4). No token, no script: a
 * phone on site gets one small HTML answer. `/p?code=` is where the page's look-up form goes (a
 * GET form works without JavaScript) and redirects to `/p/{code}`.
 */
import { Router, type Request, type Response } from 'express';
import type { ParcelDetail } from '../contract/parcels.ts';
import { parseLandCode } from '../contract/land-code.ts';
import { nextStage } from '../contract/parcel-lifecycle.ts';
import type { Sql } from '../store/database.ts';
import { getParcel, parcelSteps } from '../store/parcels.ts';
import { lookupPageHtml, PAGE_CSP, parcelPageHtml, type LookupProblem, type PageContext } from './parcel-page/html.ts';
import { badCodeMessage, pageLang } from './parcel-page/text.ts';

export interface ParcelPageDeps {
  db: Sql;
  /** Time zone that step times are shown in. @default 'Asia/Shanghai' */
  timeZone?: string;
}

/** A parcel with its whole history, or null when no parcel has this (canonical) code. */
export async function parcelDetail(db: Sql, code: string): Promise<ParcelDetail | null> {
  const parcel = await getParcel(db, code);
  if (!parcel) return null;
  return { ...parcel, steps: await parcelSteps(db, code), nextStep: nextStage(parcel.properties.stage) };
}

function sendPage(res: Response, status: number, html: string): void {
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      // The stage changes: always revalidate (the ETag makes that a 304 when nothing moved).
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': PAGE_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    })
    .send(html);
}

/** `?lang=en` carried over to a redirect target. */
const langQuery = (req: Request): string => (pageLang(req.query.lang) === 'en' ? '?lang=en' : '');

export function parcelPageRouter(deps: ParcelPageDeps): Router {
  const router = Router();
  const context = (req: Request): PageContext => ({ lang: pageLang(req.query.lang), basePath: req.baseUrl || '/', timeZone: deps.timeZone ?? 'Asia/Shanghai' });

  router.get('/', (req, res) => {
    const ctx = context(req);
    const raw = req.query.code;
    if (raw === undefined) {
      sendPage(res, 200, lookupPageHtml({ kind: 'none' }, ctx));
      return;
    }
    const typed = typeof raw === 'string' ? raw.trim() : '';
    if (typed === '') {
      const empty = parseLandCode('');
      const detail = empty.ok ? '' : empty.message;
      sendPage(res, 400, lookupPageHtml({ kind: 'invalid', typed: '', message: badCodeMessage('', detail, ctx.lang), detail }, ctx));
      return;
    }
    res.redirect(302, `${req.baseUrl}/${encodeURIComponent(typed)}${langQuery(req)}`);
  });

  router.get('/:code', async (req, res) => {
    const ctx = context(req);
    const typed = String(req.params.code);
    const parsed = parseLandCode(typed);
    if (!parsed.ok) {
      const problem: LookupProblem = { kind: 'invalid', typed: typed.trim(), message: badCodeMessage(typed, parsed.message, ctx.lang), detail: parsed.message };
      sendPage(res, 404, lookupPageHtml(problem, ctx));
      return;
    }
    if (parsed.code !== typed) {
      // A lower-case x or stray spaces: one canonical address per parcel.
      res.redirect(301, `${req.baseUrl}/${encodeURIComponent(parsed.code)}${langQuery(req)}`);
      return;
    }
    const parcel = await parcelDetail(deps.db, parsed.code);
    if (!parcel) {
      sendPage(res, 404, lookupPageHtml({ kind: 'not_found', code: parsed.code }, ctx));
      return;
    }
    sendPage(res, 200, parcelPageHtml(parcel, ctx));
  });

  return router;
}

/**
 * The public page of a land-code parcel (docs/domain.md §6.4), rendered on the server: it is what a phone
 * opens after scanning the parcel's QR code on site, so it needs no script, no token and no tiles.
 * It never shows personal data: steps name the department, never the person who recorded them,
 * and personal numbers in free text are masked (public-view.ts). Everything from the store is escaped.
 */
import { createHash } from 'node:crypto';
import { LAND_USE_NAMES, PARCEL_STAGES, STAGE_NAMES, type ParcelDetail, type ParcelDocument, type ParcelStep } from '../../contract/parcels.ts';
import { publicParcel } from './public-view.ts';
import { TEXT, type PageLang } from './text.ts';
import { parcelThumbnailSvg } from './thumbnail.ts';

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const STYLE = `
  *, *::before, *::after { box-sizing: border-box; }
  body { font-family: system-ui, -apple-system, "PingFang SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif; color: #111; background: #fff; margin: 0 auto; max-width: 640px; padding: 12px 16px 32px; line-height: 1.5; font-size: 16px; }
  header { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; font-size: 14px; color: #444; }
  h1 { font-size: 21px; margin: 6px 0 0; }
  h1 .code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; letter-spacing: .02em; word-break: break-all; }
  .name { font-size: 18px; margin: 2px 0 8px; font-weight: 600; }
  h2 { font-size: 17px; margin: 22px 0 8px; padding-bottom: 2px; border-bottom: 1px solid #ccc; }
  .flag { border: 2px solid; border-radius: 6px; padding: 6px 10px; margin: 8px 0; font-weight: 600; }
  .synthetic { border-color: #b00; color: #b00; }
  .hazardous { border-color: #a15c00; color: #7a4500; background: #fff4e0; }
  .stage { background: #0b5cad; color: #fff; border-radius: 8px; padding: 10px 12px; margin: 10px 0 4px; }
  .stage small { display: block; opacity: .9; font-size: 13px; }
  .stage strong { font-size: 19px; }
  .next { font-size: 14px; color: #333; margin: 0 0 8px; }
  .thumb { display: block; width: 100%; height: auto; border: 1px solid #ccc; border-radius: 6px; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 12px; margin: 10px 0; }
  dt { color: #555; }
  dd { margin: 0; overflow-wrap: anywhere; }
  ol.stages { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 4px; font-size: 13px; }
  ol.stages li { padding: 2px 8px; border-radius: 12px; border: 1px solid #bbb; color: #777; }
  ol.stages li.done { color: #0b5cad; border-color: #0b5cad; }
  ol.stages li.done::before { content: "✓ "; }
  ol.stages li.current { background: #0b5cad; color: #fff; border-color: #0b5cad; font-weight: 600; }
  ol.timeline { list-style: none; padding: 0; margin: 0; border-left: 3px solid #0b5cad; }
  ol.timeline > li { position: relative; padding: 0 0 14px 14px; }
  ol.timeline > li::before { content: ""; position: absolute; left: -8px; top: 6px; width: 13px; height: 13px; border-radius: 50%; background: #fff; border: 3px solid #0b5cad; }
  .step-name { font-weight: 600; }
  .meta { color: #444; font-size: 14px; }
  ul.docs { margin: 4px 0 0; padding-left: 18px; font-size: 14px; }
  ul.docs .meta { white-space: nowrap; }
  .number { font-family: ui-monospace, Menlo, Consolas, monospace; }
  .message { border-left: 4px solid #b00; padding: 6px 10px; background: #fff3f3; }
  .message[lang] { border-left-color: #999; background: #f6f6f6; font-size: 14px; color: #333; }
  form { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0; }
  input[type=text] { flex: 1 1 14em; font: inherit; font-family: ui-monospace, Menlo, Consolas, monospace; padding: 8px; border: 1px solid #888; border-radius: 6px; min-width: 0; }
  button { font: inherit; padding: 8px 16px; border: 0; border-radius: 6px; background: #0b5cad; color: #fff; }
  footer { margin-top: 24px; font-size: 13px; color: #555; }
  a { color: #0b5cad; }
`;

/**
 * Content-Security-Policy for these pages: no script at all, only the inline style above (by its
 * hash), images and forms from this origin.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Where the page is mounted (the form posts there) and in which language and time zone it speaks. */
export interface PageContext {
  lang: PageLang;
  /** Mount path of the page router, e.g. `/p`. */
  basePath: string;
  /** IANA time zone that step times are shown in. */
  timeZone: string;
}

function layout(ctx: PageContext, title: string, body: string): string {
  const t = TEXT[ctx.lang];
  const other = ctx.lang === 'en' ? '?lang=zh-CN' : '?lang=en';
  return `<!doctype html>
<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><span>${escapeHtml(t.brand)}</span><a href="${other}" hreflang="${ctx.lang === 'en' ? 'zh-CN' : 'en'}">${escapeHtml(t.otherLang)}</a></header>
${body}
</body>
</html>
`;
}

function lookupForm(ctx: PageContext, typed: string): string {
  const t = TEXT[ctx.lang];
  const hiddenLang = ctx.lang === 'en' ? '<input type="hidden" name="lang" value="en">' : '';
  return `<form method="get" action="${escapeHtml(ctx.basePath)}" role="search">
<label for="code" class="meta">${escapeHtml(t.lookupHint)}</label>
<input type="text" id="code" name="code" value="${escapeHtml(typed)}" required autocomplete="off" autocapitalize="characters" spellcheck="false" placeholder="330106-2026-00042-0">${hiddenLang}
<button type="submit">${escapeHtml(t.submit)}</button>
</form>`;
}

/** `2026-11-23 14:05` in `timeZone`: unambiguous in both languages. */
export function localDateTime(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso));
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** A document's issue date as filed: a plain date stays as typed, a date-time becomes the local date. */
const issuedDate = (issuedAt: string, timeZone: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(issuedAt) ? issuedAt : localDateTime(issuedAt, timeZone).slice(0, 10));

function formatArea(m2: number, lang: PageLang): string {
  const number = (v: number, digits: number) => v.toLocaleString(lang, { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return TEXT[lang].areaValue(number(m2, 0), number(m2 / 10_000, 2));
}

function formatLocation([lon, lat]: [number, number], lang: PageLang): string {
  const h = TEXT[lang].hemispheres;
  const deg = (v: number) => `${Math.abs(v).toFixed(5)}°`;
  const latText = lang === 'en' ? `${deg(lat)} ${lat < 0 ? h.s : h.n}` : `${lat < 0 ? h.s : h.n} ${deg(lat)}`;
  const lonText = lang === 'en' ? `${deg(lon)} ${lon < 0 ? h.w : h.e}` : `${lon < 0 ? h.w : h.e} ${deg(lon)}`;
  return TEXT[lang].latLon(latText, lonText);
}

function documentItem(doc: ParcelDocument, ctx: PageContext): string {
  const t = TEXT[ctx.lang];
  return `<li>${escapeHtml(doc.title)} <span class="number">${escapeHtml(doc.number)}</span> <span class="meta">(${escapeHtml(t.issued)} ${escapeHtml(issuedDate(doc.issuedAt, ctx.timeZone))})</span></li>`;
}

/** One step of the history: stage, department, when and the documents; never `actor` or `note`. */
function stepItem(step: ParcelStep, ctx: PageContext): string {
  const t = TEXT[ctx.lang];
  const docs = step.documents.map((d) => documentItem(d, ctx)).join('');
  return `<li data-step="${escapeHtml(step.step)}">
<div class="step-name">${escapeHtml(STAGE_NAMES[step.step][ctx.lang])}</div>
<div class="meta"><time datetime="${escapeHtml(step.at)}">${escapeHtml(localDateTime(step.at, ctx.timeZone))}</time> · ${escapeHtml(t.department)}${t.colon}${escapeHtml(step.department)}</div>
${docs ? `<ul class="docs" aria-label="${escapeHtml(t.documents)}">${docs}</ul>` : ''}
</li>`;
}

/** The page of one parcel: who may open it is anyone with its code, so it shows only the public view. */
export function parcelPageHtml(detail: ParcelDetail, ctx: PageContext): string {
  const parcel = publicParcel(detail);
  const t = TEXT[ctx.lang];
  const p = parcel.properties;
  const current = PARCEL_STAGES.indexOf(p.stage);
  const stages = PARCEL_STAGES.map((stage, i) => {
    const state = i < current ? 'done' : i === current ? 'current' : 'todo';
    return `<li class="${state}"${i === current ? ' aria-current="step"' : ''}>${escapeHtml(STAGE_NAMES[stage][ctx.lang])}</li>`;
  }).join('');
  const landUse = `${p.landUse} ${LAND_USE_NAMES[p.landUse][ctx.lang]}`;
  const rows: [string, string][] = [
    [t.landUse, landUse],
    [t.area, formatArea(p.areaM2, ctx.lang)],
    [t.regionCode, p.regionCode],
    ...(p.address ? [[t.address, p.address] as [string, string]] : []),
    [t.location, formatLocation(p.center, ctx.lang)],
    [t.updated, localDateTime(p.updatedAt, ctx.timeZone)],
  ];
  const thumbnail = parcelThumbnailSvg(parcel.geometry, { label: t.outline, north: t.north }, escapeHtml);
  const body = `<main>
<h1 data-testid="parcel-code"><span class="meta">${escapeHtml(t.landCode)}</span> <span class="code">${escapeHtml(p.code)}</span></h1>
${p.name ? `<p class="name" data-testid="parcel-name">${escapeHtml(p.name)}</p>` : ''}
${p.synthetic ? `<p class="flag synthetic" data-testid="parcel-synthetic">${escapeHtml(t.synthetic)}</p>` : ''}
${p.hazardous ? `<p class="flag hazardous">⚠ ${escapeHtml(t.hazardous)}</p>` : ''}
<div class="stage" data-testid="parcel-stage" data-stage="${escapeHtml(p.stage)}"><small>${escapeHtml(t.currentStage)}</small><strong>${escapeHtml(STAGE_NAMES[p.stage][ctx.lang])}</strong></div>
<p class="next">${parcel.nextStep ? `${escapeHtml(t.nextStep)}${t.colon}${escapeHtml(STAGE_NAMES[parcel.nextStep][ctx.lang])}` : escapeHtml(t.lastStage)}</p>
<ol class="stages" aria-label="${escapeHtml(t.lifecycle)}">${stages}</ol>
<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>
${thumbnail}
<h2>${escapeHtml(t.timeline)}</h2>
${parcel.steps.length ? `<ol class="timeline" data-testid="parcel-timeline">${parcel.steps.map((s) => stepItem(s, ctx)).join('\n')}</ol>` : `<p>${escapeHtml(t.noSteps)}</p>`}
</main>
<footer><p>${escapeHtml(t.privacy)}</p>
<details><summary>${escapeHtml(t.lookup)}</summary>${lookupForm(ctx, '')}</details></footer>`;
  const title = `${p.code}${p.name ? ` · ${p.name}` : ''} · ${t.brand}`;
  return layout(ctx, title, body);
}

/** What went wrong with the code a person asked for, and a form to type it again. */
export type LookupProblem =
  | { kind: 'none' }
  | { kind: 'not_found'; code: string }
  | { kind: 'invalid'; typed: string; message: string; detail?: string };

/** The look-up page: empty, or telling why the typed code found nothing. */
export function lookupPageHtml(problem: LookupProblem, ctx: PageContext): string {
  const t = TEXT[ctx.lang];
  let heading: string = t.lookup;
  let message = '';
  let typed = '';
  if (problem.kind === 'not_found') {
    heading = t.notFoundTitle;
    message = `<p class="message" data-testid="parcel-problem" data-problem="not_found">${escapeHtml(t.notFound(problem.code))}</p>`;
    typed = problem.code;
  } else if (problem.kind === 'invalid') {
    heading = t.invalidTitle;
    message =
      `<p class="message" data-testid="parcel-problem" data-problem="invalid">${escapeHtml(problem.message)}</p>` +
      (problem.detail && problem.detail !== problem.message ? `<p class="message" lang="en">${escapeHtml(problem.detail)}</p>` : '');
    typed = problem.typed;
  }
  const body = `<main>
<h1>${escapeHtml(heading)}</h1>
${message}
${lookupForm(ctx, typed)}
</main>
<footer><p>${escapeHtml(t.privacy)}</p></footer>`;
  return layout(ctx, `${heading} · ${t.brand}`, body);
}

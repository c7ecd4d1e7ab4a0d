/**
 * CAP `<info>` blocks: what one says of its incidents (category, severity, time, title, the CAP
 * qualifiers kept as attributes), and which infos tell one event in several languages.
 *
 * Languages. Two infos are one event when their `<language>`s differ (missing: `en-US`, as CAP says)
 * and their language-independent content agrees: categories, severity, urgency, certainty, onset,
 * effective, expires, and each area's polygons, circles and geocodes (numbers compared as numbers,
 * times as instants). A group is filled in document order and never holds a language twice; the
 * first info of the group gives title, description and the other attributes, and a group of several
 * infos adds `attributes.texts`: `{language, title, description, areaDesc?}` for each of its infos
 * in document order. (A group of one has nothing to add: its texts are the draft's own fields.)
 *
 * CAP `<category>` → our category (the first listed category that maps to something specific wins):
 * | CAP        | ours                                                                          |
 * |------------|-------------------------------------------------------------------------------|
 * | Geo        | earthquake when `event` mentions an earthquake (or 地震), else other            |
 * | Met        | flood when `event` mentions flood, rain or typhoon (洪, 涝, 雨, 台风), else other |
 * | Safety     | public_security (CAP: "general emergency and public safety"; we have no public_safety) |
 * | Security   | public_security                                                               |
 * | Rescue     | other                                                                         |
 * | Fire       | fire                                                                          |
 * | Health     | public_health                                                                 |
 * | Env        | other (pollution is not necessarily hazmat)                                   |
 * | Transport  | traffic                                                                       |
 * | Infra      | infrastructure                                                                |
 * | CBRNE      | hazmat                                                                        |
 * | Other      | other                                                                         |
 */
import type { ErrorDetail } from '../contract/common.ts';
import type { Category, Severity } from '../contract/incidents.ts';
import { DECIMAL, tidy } from './cap-area.ts';
import { children, countTexts, instantMs, text, texts, type Node } from './cap-document.ts';
import type { IngestOptions } from './json.ts';

const EARTHQUAKE = /earthquake|quake|地震/i;
const FLOOD = /flood|rain|typhoon|storm surge|洪|涝|雨|台风/i;

function categoryOf(capCategories: string[], event: string): Category {
  const mapped = capCategories.map((c): Category => {
    switch (c.toLowerCase()) {
      case 'geo': return EARTHQUAKE.test(event) ? 'earthquake' : 'other';
      case 'met': return FLOOD.test(event) ? 'flood' : 'other';
      case 'safety': case 'security': return 'public_security';
      case 'fire': return 'fire';
      case 'health': return 'public_health';
      case 'transport': return 'traffic';
      case 'infra': return 'infrastructure';
      case 'cbrne': return 'hazmat';
      default: return 'other'; // Rescue, Env, Other, and anything unknown
    }
  });
  return mapped.find((c) => c !== 'other') ?? 'other';
}

const SEVERITIES: Readonly<Record<string, Severity>> = { extreme: 'extreme', severe: 'severe', moderate: 'moderate', minor: 'minor', unknown: 'unknown' };

export const languageOf = (info: Node): string => text(info, 'language') ?? 'en-US';

/** What two translations of one event share, but for the shapes' coordinates (compared in `groupInfos`). */
function contentKey(info: Node): string {
  const lower = (value: string | undefined) => value?.toLowerCase() ?? null;
  const instant = (name: string) => {
    const value = text(info, name);
    return value === undefined ? null : (instantMs(value) ?? value);
  };
  return JSON.stringify([
    texts(info, 'category').map((c) => c.toLowerCase()).sort(),
    lower(text(info, 'severity')),
    lower(text(info, 'urgency')),
    lower(text(info, 'certainty')),
    instant('onset'),
    instant('effective'),
    instant('expires'),
    children(info, 'area').map((area) => [
      countTexts(area, 'polygon'),
      countTexts(area, 'circle'),
      children(area, 'geocode').map((g) => JSON.stringify([text(g, 'valueName') ?? '', text(g, 'value') ?? ''])).sort(),
    ]),
  ]);
}

/**
 * Each area's polygon texts, then circle texts, with blanks collapsed to one space and none around
 * commas. Coordinates are kept as text rather than parsed: a polygon may hold 200,000 points, and
 * translations of one alert are nearly always written by one program, so equal texts settle it.
 */
const shapeTexts = (info: Node): string[][] =>
  children(info, 'area').map((area) => [...texts(area, 'polygon'), ...texts(area, 'circle')].map((raw) => tidy(raw).replace(/\s+/g, ' ')));

/**
 * Whether two tidied shape texts give the same numbers in the same places ("30.10,120" and
 * "30.1,120.0" do). Reads token by token and stops at the first difference, so telling two
 * different polygons apart costs little.
 */
function sameNumbers(a: string, b: string): boolean {
  const inA = /[^ ,]+|[ ,]/g;
  const inB = /[^ ,]+|[ ,]/g;
  for (;;) {
    const x = inA.exec(a)?.[0];
    const y = inB.exec(b)?.[0];
    if (x === undefined || y === undefined) return x === y;
    if (x !== y && !(DECIMAL.test(x) && DECIMAL.test(y) && Number(x) === Number(y))) return false;
  }
}

/** Positions (0-based) of the infos of each event, in document order; see the file header. */
export function groupInfos(infos: Node[]): number[][] {
  if (infos.length === 1) return [[0]];
  const keys = infos.map(contentKey);
  const languages = infos.map((info) => languageOf(info).toLowerCase());
  const shapes = new Map<number, string[][]>();
  const shapesOf = (i: number): string[][] => shapes.get(i) ?? shapes.set(i, shapeTexts(infos[i] ?? {})).get(i) ?? [];
  // Equal keys already mean as many areas, and as many shapes of each kind in each.
  const sameShapes = (i: number, k: number) =>
    shapesOf(i).every((area, j) =>
      area.every((shape, n) => {
        const other = shapesOf(k)[j]?.[n] ?? '';
        return shape === other || sameNumbers(shape, other);
      }));
  const groups: number[][] = [];
  infos.forEach((_, i) => {
    const home = groups.find((g) => {
      const k = g[0] as number;
      return keys[k] === keys[i] && g.every((m) => languages[m] !== languages[i]) && sameShapes(k, i);
    });
    if (home) home.push(i);
    else groups.push([i]);
  });
  return groups;
}

/** What every area of one `<info>` shares, or the errors that spoil all of them. */
export function readInfo(alert: Node, info: Node, at: string, options: IngestOptions) {
  const errors: ErrorDetail[] = [];
  const event = text(info, 'event') ?? '';
  const rawSeverity = text(info, 'severity');
  const severity = rawSeverity === undefined ? 'unknown' : SEVERITIES[rawSeverity.toLowerCase()];
  if (severity === undefined) {
    errors.push({ path: `${at}/severity`, message: `"${rawSeverity}" is not a CAP severity (Extreme, Severe, Moderate, Minor, Unknown)` });
  }
  let occurredAtMs = options.nowMs;
  const times: [string, string | undefined][] = [[`${at}/onset`, text(info, 'onset')], [`${at}/effective`, text(info, 'effective')], ['alert/sent', text(alert, 'sent')]];
  const [timePath, timeText] = times.find(([, value]) => value !== undefined) ?? ['', undefined];
  if (timeText !== undefined) {
    const ms = instantMs(timeText);
    if (ms === undefined) errors.push({ path: timePath, message: `"${timeText}" is not a date-time with a time zone, e.g. 2026-11-23T08:00:00+08:00` });
    else occurredAtMs = ms;
  }
  const attributes: Record<string, unknown> = {};
  for (const [key, owner] of [['urgency', info], ['certainty', info], ['event', info], ['msgType', alert], ['status', alert], ['language', info]] as const) {
    const value = text(owner, key);
    if (value !== undefined) attributes[key] = value;
  }
  const shared = {
    category: categoryOf(texts(info, 'category'), event),
    severity: severity ?? 'unknown',
    occurredAtMs,
    title: text(info, 'headline') ?? event,
    description: text(info, 'description') ?? '',
    reporter: null,
  };
  return { errors, shared, attributes };
}

/** One language's words for area `j` of an event. */
export function translation(info: Node, j: number): { language: string; title: string; description: string; areaDesc?: string } {
  const areaDesc = text(children(info, 'area')[j] ?? {}, 'areaDesc');
  return {
    language: languageOf(info),
    title: text(info, 'headline') ?? text(info, 'event') ?? '',
    description: text(info, 'description') ?? '',
    ...(areaDesc === undefined ? {} : { areaDesc }),
  };
}

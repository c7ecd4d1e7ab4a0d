/**
 * CAP 1.2 ingest adapter (OASIS Common Alerting Protocol): one incident per `<info>` × `<area>`
 * pair. Pure: XML text → drafts + per-record errors. Paths in errors are XPath-like element paths,
 * 1-based as in XPath, e.g. `alert/info[1]/area[2]/polygon`.
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
import { randomUUID } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { ErrorDetail } from '../contract/common.ts';
import { Instant, type Category, type IncidentGeometry, type Severity } from '../contract/incidents.ts';
import { contentId, type IncidentDraft } from '../domain/incidents/draft.ts';
import type { IngestOptions, ParsedBatch } from './json.ts';

const CAP_NAMESPACES = ['urn:oasis:names:tc:emergency:cap:1.2', 'urn:oasis:names:tc:emergency:cap:1.1'];

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

// Entity processing stays off (no DTD entities, so no XXE and no billion laughs); the five
// predefined entities and character references are decoded by hand, and only in text we use.
const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  processEntities: false,
  // CAP is at most 5 levels deep (alert/info/area/geocode/value); deeper is an attack or a mistake.
  maxNestedTags: 32,
  isArray: (name) => ['info', 'area', 'polygon', 'circle', 'category'].includes(name),
});

const PREDEFINED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
function decodeText(raw: string): string {
  return raw.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (whole, ref: string) => {
    if (ref[0] !== '#') return PREDEFINED[ref.toLowerCase()] ?? whole;
    const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Child elements by name; an empty element (`<info/>`) parses as "" and counts as an empty node. */
const children = (node: Node, name: string): Node[] =>
  (Array.isArray(node[name]) ? (node[name] as unknown[]) : []).map((c) => (isNode(c) ? c : {}));
/** Texts of the child elements `name` (repeated or not), decoded; elements with markup inside are skipped. */
function texts(node: Node, name: string): string[] {
  const values: unknown[] = Array.isArray(node[name]) ? node[name] : [node[name]];
  return values.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => decodeText(v.trim()));
}
const text = (node: Node, name: string): string | undefined => texts(node, name)[0];

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** "lat,lon" (CAP writes latitude first) → GeoJSON [lon, lat], or what is wrong with it. */
function position(pair: string, what: string): [number, number] | string {
  const parts = pair.split(',');
  if (parts.length !== 2 || !parts.every((p) => DECIMAL.test(p))) return `${what} "${pair}" is not "lat,lon" in decimal degrees`;
  const [lat, lon] = parts.map(Number) as [number, number];
  if (Math.abs(lat) > 90) return `${what} has latitude ${lat}, outside [-90, 90]; CAP writes latitude first ("lat,lon")`;
  if (Math.abs(lon) > 180) return `${what} has longitude ${lon}, outside [-180, 180]`;
  return [lon, lat];
}

// Producers sometimes write "30.1, 120.2": a space after the comma is not a new point.
const tidy = (raw: string): string => raw.trim().replace(/\s*,\s*/g, ',');

function polygon(raw: string): IncidentGeometry | string {
  const ring: [number, number][] = [];
  for (const [k, pair] of tidy(raw).split(/\s+/).entries()) {
    const p = position(pair, `point ${k + 1}`);
    if (typeof p === 'string') return p;
    ring.push(p);
  }
  const first = ring[0];
  const last = ring[ring.length - 1];
  // CAP requires the first point repeated at the end; close an open ring rather than lose the alert.
  if (first && last && (first[0] !== last[0] || first[1] !== last[1])) ring.push(first);
  if (ring.length < 4) return `has ${ring.length} point(s) once closed; a polygon needs at least 3 corners and the first repeated at the end`;
  return { type: 'Polygon', coordinates: [ring] };
}

function circle(raw: string): { geometry: IncidentGeometry; radiusKm: number } | string {
  const parts = tidy(raw).split(/\s+/);
  const [centre, radius] = parts;
  if (parts.length !== 2 || centre === undefined || radius === undefined) return `"${raw.trim()}" is not "lat,lon radius_km"`;
  const p = position(centre, 'the centre');
  if (typeof p === 'string') return p;
  if (!DECIMAL.test(radius) || Number(radius) < 0) return `the radius "${radius}" is not a distance in kilometres`;
  return { geometry: { type: 'Point', coordinates: p }, radiusKm: Number(radius) };
}

function instantMs(value: string): number | undefined {
  const parsed = Instant.safeParse(value);
  return parsed.success && typeof parsed.data === 'string' ? Date.parse(parsed.data) : undefined;
}

/** What every area of one `<info>` shares, or the errors that spoil all of them. */
function readInfo(alert: Node, info: Node, at: string, options: IngestOptions) {
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

/** The area's geometry (polygon preferred over circle) and the attributes it adds. */
function readArea(area: Node, at: string): { geometry: IncidentGeometry; attributes: Record<string, unknown> } | ErrorDetail {
  const areaDesc = text(area, 'areaDesc');
  const attributes: Record<string, unknown> = areaDesc === undefined ? {} : { areaDesc };
  const polygonText = text(area, 'polygon');
  if (polygonText !== undefined) {
    const g = polygon(polygonText);
    return typeof g === 'string' ? { path: `${at}/polygon`, message: g } : { geometry: g, attributes };
  }
  const circleText = text(area, 'circle');
  if (circleText !== undefined) {
    const c = circle(circleText);
    return typeof c === 'string' ? { path: `${at}/circle`, message: c } : { geometry: c.geometry, attributes: { ...attributes, radiusKm: c.radiusKm } };
  }
  return { path: at, message: 'this area has neither a <polygon> nor a <circle>, so it cannot be placed on the map' };
}

/** The root element as written, to check the namespace its prefix (or default) is bound to. */
function namespaceOfRoot(xml: string): string | undefined {
  const tag = /<(?:([A-Za-z_][\w.-]*):)?alert\b([^>]*)>/.exec(xml.replace(/<!--[\s\S]*?-->/g, ''));
  if (!tag) return undefined;
  const attr = tag[1] ? `xmlns:${tag[1]}` : 'xmlns';
  return new RegExp(`\\s${attr}\\s*=\\s*["']([^"']*)["']`).exec(tag[2] ?? '')?.[1];
}

/**
 * fast-xml-parser slows to seconds on one long text (2.9 s for a 100,000-point polygon, where the
 * validator takes 0.1 s), so long polygon texts are swapped for markers before parsing and put back
 * in the tree after it; the markers hold a random nonce, so no text a sender writes can pose as one.
 * Found with indexOf, not a RegExp: a pattern over a 4 MB text cost half a second.
 */
function liftPolygonTexts(xml: string): { xml: string; restore(doc: unknown): unknown } {
  const texts: string[] = [];
  const marker = `\u{E000}polygon-${randomUUID()}-`;
  const parts: string[] = [];
  let copied = 0;
  for (let lt = xml.indexOf('<'); lt >= 0; ) {
    const gt = xml.indexOf('>', lt);
    const next = gt < 0 ? -1 : xml.indexOf('<', gt);
    if (next < 0) break;
    const name = /^<([\w.:-]+)/.exec(xml.slice(lt, Math.min(gt, lt + 200)))?.[1] ?? '';
    const closing = xml.slice(next, next + 2 + name.length + 1);
    if (next - gt > 1024 && name.replace(/^.*:/, '') === 'polygon' && closing.startsWith(`</${name}`)) {
      parts.push(xml.slice(copied, gt + 1), `${marker}${texts.push(xml.slice(gt + 1, next)) - 1}`);
      copied = next;
    }
    lt = next;
  }
  if (texts.length === 0) return { xml, restore: (doc) => doc };
  parts.push(xml.slice(copied));
  const put = (value: unknown): unknown => {
    if (typeof value === 'string') return value.startsWith(marker) ? (texts[Number(value.slice(marker.length))] ?? value) : value;
    if (Array.isArray(value)) return value.map(put);
    if (isNode(value)) for (const key of Object.keys(value)) value[key] = put(value[key]);
    return value;
  };
  return { xml: parts.join(''), restore: put };
}

/** Parses the document and finds `<alert>`, or says why the payload as a whole is unusable. */
function readAlert(xml: string): { alert: Node } | { fatal: ErrorDetail } {
  const fatal = (path: string, message: string) => ({ fatal: { path, message } });
  if (xml.trim() === '') return fatal('', 'the CAP document is empty');
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) return fatal('', 'a CAP alert must not contain a DOCTYPE or entity declarations');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    // The validator reports a cut-off document as "Invalid '[ "alert", "info" ]' found.": say it plainly.
    const open = /^Invalid '\[([\s\S]*)\]' found\.$/.exec(valid.err.msg)?.[1] ?? '';
    const names = [...open.matchAll(/"([^"]*)"/g)].map((m) => `<${m[1]}>`).join(', ');
    if (names) return fatal('', `the XML is malformed: it ends before closing ${names} (cut off?)`);
    return fatal('', `the XML is malformed at line ${valid.err.line}, column ${valid.err.col ?? 1}: ${valid.err.msg}`);
  }
  let doc: unknown;
  try {
    const lifted = liftPolygonTexts(xml);
    doc = lifted.restore(parser.parse(lifted.xml));
  } catch (error) { // e.g. "Maximum nested tags exceeded": an answer, never a crash
    return fatal('', `the XML cannot be read: ${(error as Error).message}`);
  }
  const roots = isNode(doc) ? Object.keys(doc).filter((k) => !k.startsWith('?')) : [];
  if (roots.length !== 1 || roots[0] !== 'alert') {
    return fatal(roots[0] ?? '', `the root element must be a CAP <alert>; found ${roots.map((r) => `<${r}>`).join(', ') || 'none'}`);
  }
  // Two root elements of the same name parse as one array: still not a single document.
  if (isNode(doc) && Array.isArray(doc.alert)) return fatal('alert', 'the root element must be one CAP <alert>; found several');
  const ns = namespaceOfRoot(xml);
  if (ns !== undefined && !CAP_NAMESPACES.includes(ns)) {
    return fatal('alert', `<alert> is in namespace "${ns}"; expected CAP 1.2 (${CAP_NAMESPACES[0]})`);
  }
  const alert = isNode(doc) && isNode(doc.alert) ? doc.alert : {};
  if (children(alert, 'info').length === 0) return fatal('alert/info', 'the alert has no <info>, so it describes no incident');
  return { alert };
}

/**
 * Reads a CAP 1.2 alert (with or without a namespace prefix). Returns `ErrorDetail[]` when the
 * payload as a whole is unusable: malformed XML, a DOCTYPE, a root that is not `<alert>`, no `<info>`.
 * Each `<info>` × `<area>` pair is one record (an `<info>` without area is one failed record);
 * its id is `identifier`, or `identifier#i.j` (1-based) when the alert holds more than one pair.
 */
export function parseCapIncidents(xml: string, options: IngestOptions): ParsedBatch | ErrorDetail[] {
  const read = readAlert(xml);
  if ('fatal' in read) return [read.fatal];
  const { alert } = read;
  const infos = children(alert, 'info');
  const single = infos.length === 1 && children(infos[0] ?? {}, 'area').length === 1;
  const identifier = text(alert, 'identifier');
  const source = text(alert, 'sender') ?? options.defaultSource ?? 'cap';
  const result: ParsedBatch = { shape: single ? 'single' : 'batch', drafts: [], errors: [] };
  let index = 0;
  infos.forEach((info, i) => {
    const at = `alert/info[${i + 1}]`;
    const { errors, shared, attributes } = readInfo(alert, info, at, options);
    const areas = children(info, 'area');
    if (areas.length === 0) {
      result.errors.push({ index: index++, details: [...errors, { path: at, message: 'this <info> has no <area>, so it cannot be placed on the map' }] });
    }
    areas.forEach((area, j) => {
      const place = readArea(area, `${at}/area[${j + 1}]`);
      const details = 'path' in place ? [...errors, place] : errors;
      if (details.length > 0 || 'path' in place) {
        result.errors.push({ index: index++, details });
        return;
      }
      // Without an identifier, hash the alert header, this info and this area: distinct per pair.
      const header = { ...alert, info: undefined };
      const externalId = identifier === undefined
        ? contentId({ header, info: { ...info, area: undefined }, area })
        : single ? identifier : `${identifier}#${i + 1}.${j + 1}`;
      const draft: IncidentDraft = { source, externalId, ...shared, geometry: place.geometry, attributes: { ...attributes, ...place.attributes } };
      result.drafts.push({ index: index++, draft });
    });
  });
  return result;
}
